/* tp-segment.c: the event's segment rules applied to a visitor's answers: tags and an offer. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-segment.h"
#include "tp-answer.h"
#include "tp-lead-private.h"

/* For tests: how many times the rules were evaluated (tp-lead-private.h). */
static guint evaluations;

guint
tp_lead_count_segment_evaluations (void)
{
  return g_atomic_int_get (&evaluations);
}

static gboolean
condition_holds (const TpCondition *c,
                 GHashTable        *answers)
{
  const TpAnswer *a = g_hash_table_lookup (answers, c->question);

  if (a == NULL)
    return FALSE;
  if (c->has_range)
    return a->kind == TP_ANSWER_NUMBER && a->number >= c->min && a->number <= c->max;
  if (a->kind == TP_ANSWER_STRING)
    return g_strv_contains ((const char * const *) c->any_of, a->string);
  if (a->kind == TP_ANSWER_LIST)
    for (guint i = 0; a->list[i]; i++)
      if (g_strv_contains ((const char * const *) c->any_of, a->list[i]))
        return TRUE;
  return FALSE;
}

TpSegmentResult *
tp_segments_evaluate (TpEvent    *event,
                      GHashTable *answers)
{
  TpSegmentResult *r = g_new0 (TpSegmentResult, 1);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  g_atomic_int_inc (&evaluations);

  for (guint i = 0; i < event->segments->len; i++)
    {
      const TpSegment *s = event->segments->pdata[i];
      gboolean all = TRUE;

      for (guint j = 0; all && j < s->conditions->len; j++)
        all = condition_holds (s->conditions->pdata[j], answers);
      if (!all)
        continue;
      for (guint t = 0; s->tags[t]; t++)
        if (!g_ptr_array_find_with_equal_func (tags, s->tags[t], g_str_equal, NULL))
          g_ptr_array_add (tags, g_strdup (s->tags[t]));
      if (s->offer && r->offer == NULL)
        {
          r->offer = g_strdup (s->offer);
          r->segment = g_strdup (s->id);
        }
    }
  if (r->offer == NULL)
    r->offer = g_strdup (tp_event_get_default_offer (event)->id);
  g_ptr_array_add (tags, NULL);
  r->tags = (char **) g_ptr_array_steal (tags, NULL);
  return r;
}

void
tp_segment_result_free (TpSegmentResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->tags);
  g_free (result->offer);
  g_free (result->segment);
  g_free (result);
}
