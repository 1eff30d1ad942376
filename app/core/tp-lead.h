/* tp-lead.h: everything about one visitor's lead before it is stored: their answers
 * (tp-answer.h), the submission (tp-submission.h), its validation (tp-validation.h), the formats
 * of values (tp-field-format.h), the segment rules (tp-segment.h) and the plan the store writes
 * (tp-capture-plan.h); and the lead error domain. */
#pragma once

#include <glib.h>

#include "tp-answer.h"
#include "tp-capture-plan.h"
#include "tp-event.h"
#include "tp-field-format.h"
#include "tp-segment.h"
#include "tp-submission.h"
#include "tp-validation.h"

G_BEGIN_DECLS

#define TP_LEAD_ERROR (tp_lead_error_quark ())
GQuark tp_lead_error_quark (void);

typedef enum
{
  TP_LEAD_ERROR_INVALID,   /* Validation failed; see the TpValidation for every field. */
  TP_LEAD_ERROR_MALFORMED, /* The submission JSON does not have the expected shape. */
} TpLeadError;

G_END_DECLS
