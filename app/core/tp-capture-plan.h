/* tp-capture-plan.h: a submission made ready to store: checked once, each value in the form it is
 * stored in, the segment rules applied once. The store writes it as it is (tp-store.h). */
#pragma once

#include <glib.h>

#include "tp-event.h"
#include "tp-submission.h"
#include "tp-validation.h"

G_BEGIN_DECLS

/* One consent shown to the visitor and their decision: every one is recorded, granted or not. */
typedef struct
{
  const TpConsent *consent;        /* The plan's event's. */
  gboolean         granted;
  char            *text_sha256;    /* Of the exact notice shown, in the plan's locale. */
} TpPlannedConsent;

typedef struct
{
  TpEvent     *event;              /* A reference. */
  char        *locale;
  gboolean     age_confirmed;
  GDateTime   *captured_at;
  GHashTable  *fields;             /* Field id → value in its stored form; blank ones left out. */
  GPtrArray   *consents;           /* TpPlannedConsent, in the event's order. */
  GHashTable  *answers;            /* Question id → TpAnswer. */
  char       **tags;               /* What the segment rules give (tp-segment.h). */
  char        *offer;
  char        *segment;            /* NULL when the default offer applies. */
  char        *lead_id;            /* The caller's idempotency key (a UUID), or NULL for a new
                                    * random one. The store answers a second capture with the
                                    * same id with the first lead, storing nothing. */
} TpCapturePlan;

/* The one way from a submission to what the store writes. On a problem it returns NULL, sets
 * *validation (when not NULL) to every problem, typed, and error to TP_LEAD_ERROR_INVALID with
 * one line per problem (tp_validation_to_string). now may be NULL for the current time. */
TpCapturePlan *tp_submission_prepare (TpSubmission   *submission,
                                      TpEvent        *event,
                                      GDateTime      *now,
                                      TpValidation  **validation,
                                      GError        **error);
/* Overwrites the visitor's values as it frees them. */
void           tp_capture_plan_free  (TpCapturePlan  *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpCapturePlan, tp_capture_plan_free)

G_END_DECLS
