/* tp-capture-plan.c: a submission made ready to store: checked once, each value in the form it is
 * stored in, the segment rules applied once. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-capture-plan.h"
#include "tp-lead.h"
#include "tp-lead-private.h"

static void
planned_consent_free (TpPlannedConsent *c)
{
  g_free (c->text_sha256);
  g_free (c);
}

void
tp_capture_plan_free (TpCapturePlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->event, tp_event_unref);
  g_free (plan->locale);
  g_clear_pointer (&plan->captured_at, g_date_time_unref);
  g_clear_pointer (&plan->fields, g_hash_table_unref);
  g_clear_pointer (&plan->consents, g_ptr_array_unref);
  g_clear_pointer (&plan->answers, g_hash_table_unref);
  g_strfreev (plan->tags);
  g_free (plan->offer);
  g_free (plan->segment);
  g_free (plan->lead_id);
  g_free (plan);
}

TpCapturePlan *
tp_submission_prepare (TpSubmission   *submission,
                       TpEvent        *event,
                       GDateTime      *now,
                       TpValidation  **validation,
                       GError        **error)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tp_wipe_free);
  g_autoptr(TpValidation) problems = NULL;
  g_autoptr(TpSegmentResult) segments = NULL;
  g_autoptr(TpCapturePlan) plan = NULL;

  g_return_val_if_fail (submission != NULL && event != NULL, NULL);

  if (validation)
    *validation = NULL;
  problems = tp_submission_check (submission, event, TP_PROBLEM_KIND_ALL, fields);
  if (problems)
    {
      g_autofree char *message = tp_validation_to_string (problems, event);

      g_set_error_literal (error, TP_LEAD_ERROR, TP_LEAD_ERROR_INVALID, message);
      if (validation)
        *validation = g_steal_pointer (&problems);
      return NULL;
    }

  plan = g_new0 (TpCapturePlan, 1);
  plan->event = tp_event_ref (event);
  plan->locale = g_strdup (submission->locale);
  plan->age_confirmed = submission->age_confirmed;
  plan->captured_at = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  plan->fields = g_steal_pointer (&fields);

  plan->consents = g_ptr_array_new_with_free_func ((GDestroyNotify) planned_consent_free);
  for (guint i = 0; i < event->consents->len; i++)
    {
      TpPlannedConsent *c = g_new0 (TpPlannedConsent, 1);

      c->consent = event->consents->pdata[i];
      c->granted = GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, c->consent->id));
      c->text_sha256 = tp_consent_notice_sha256 (c->consent, event, submission->locale);
      g_ptr_array_add (plan->consents, c);
    }

  plan->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tp_answer_free);
  for (guint i = 0; i < event->survey->len; i++)
    {
      const TpQuestion *q = event->survey->pdata[i];
      const TpAnswer *a = g_hash_table_lookup (submission->answers, q->id);

      if (a)
        g_hash_table_insert (plan->answers, g_strdup (q->id), tp_answer_copy (a));
    }

  segments = tp_segments_evaluate (event, submission->answers);
  plan->tags = g_steal_pointer (&segments->tags);
  plan->offer = g_steal_pointer (&segments->offer);
  plan->segment = g_steal_pointer (&segments->segment);
  return g_steal_pointer (&plan);
}
