/* tp-lead-private.h: what the lead modules (answers, submissions, validation, the capture plan)
 * share inside the core, and the counts their tests read. */
#pragma once

#include <glib.h>

#include "tp-event.h"
#include "tp-submission.h"
#include "tp-validation.h"

G_BEGIN_DECLS

/* Overwrites a string before it goes, so that nothing of the visitor stays in memory
 * (tp-submission.c). tp_wipe_free also frees it: a GDestroyNotify for tables of values. */
void tp_wipe_string (char     *s);
void tp_wipe_free   (gpointer  s);

/* tp_submission_validate_kinds, which also puts the stored form of each valid, non-blank field
 * value into normal_fields (field id → value, freed with tp_wipe_free) when it is not NULL: the
 * capture plan checks and normalizes in one pass (tp-validation.c). */
TpValidation *tp_submission_check (TpSubmission  *submission,
                                   TpEvent       *event,
                                   TpProblemKind  kinds,
                                   GHashTable    *normal_fields);

/* How many times, since the program started, a phone number was normalized (tp-field-format.c)
 * and the segment rules were evaluated (tp-segment.c): the tests count that a capture does
 * each once. */
guint tp_lead_count_phone_normalizations (void);
guint tp_lead_count_segment_evaluations  (void);

G_END_DECLS
