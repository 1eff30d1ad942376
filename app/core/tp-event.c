/* tp-event.c: the event definition's model: its parts, their lifetime and look-ups by id. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event-private.h"

const char *
tp_text_get (TpText     *text,
             const char *locale)
{
  const char *value;

  if (text == NULL)
    return NULL;
  if (locale && (value = g_hash_table_lookup (text, locale)))
    return value;
  if ((value = g_hash_table_lookup (text, "en")))
    return value;
  if ((value = g_hash_table_lookup (text, "ko")))
    return value;
  return NULL;
}

static void
text_free (TpText *text)
{
  if (text)
    g_hash_table_unref (text);
}

void
tp_field_free (TpField *f)
{
  g_free (f->id);
  text_free (f->label);
  text_free (f->hint);
  g_free (f);
}

void
tp_consent_free (TpConsent *c)
{
  g_free (c->id);
  g_free (c->version);
  text_free (c->title);
  text_free (c->text);
  text_free (c->purpose);
  text_free (c->items);
  text_free (c->refusal);
  g_free (c);
}

void
tp_option_free (TpOption *o)
{
  g_free (o->id);
  text_free (o->label);
  g_free (o);
}

void
tp_question_free (TpQuestion *q)
{
  g_free (q->id);
  text_free (q->label);
  text_free (q->min_label);
  text_free (q->max_label);
  g_clear_pointer (&q->options, g_ptr_array_unref);
  g_free (q);
}

void
tp_condition_free (TpCondition *c)
{
  g_free (c->question);
  g_strfreev (c->any_of);
  g_free (c);
}

void
tp_segment_free (TpSegment *s)
{
  g_free (s->id);
  g_clear_pointer (&s->conditions, g_ptr_array_unref);
  g_strfreev (s->tags);
  g_free (s->offer);
  g_free (s);
}

void
tp_offer_free (TpOffer *o)
{
  g_free (o->id);
  text_free (o->title);
  text_free (o->description);
  g_free (o);
}

void
tp_prize_free (TpPrize *p)
{
  g_free (p->id);
  text_free (p->name);
  g_free (p->requires_consent);
  g_strfreev (p->rounds);
  g_free (p);
}

TpEvent *
tp_event_ref (TpEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_atomic_int_inc (&event->ref_count);
  return event;
}

void
tp_event_unref (TpEvent *event)
{
  g_return_if_fail (event != NULL);
  if (!g_atomic_int_dec_and_test (&event->ref_count))
    return;
  g_free (event->id);
  text_free (event->name);
  g_free (event->starts);
  g_free (event->ends);
  g_free (event->timezone);
  g_clear_pointer (&event->tz, g_time_zone_unref);
  g_strfreev (event->locales);
  g_free (event->default_locale);
  text_free (event->controller_name);
  g_free (event->controller_contact);
  g_clear_pointer (&event->consents, g_ptr_array_unref);
  g_clear_pointer (&event->fields, g_ptr_array_unref);
  g_clear_pointer (&event->survey, g_ptr_array_unref);
  g_clear_pointer (&event->segments, g_ptr_array_unref);
  g_clear_pointer (&event->offers, g_ptr_array_unref);
  g_clear_pointer (&event->prizes, g_ptr_array_unref);
  g_clear_pointer (&event->coupon_key, g_bytes_unref);
  g_free (event->coupon_url);
  g_free (event->source);
  g_free (event);
}

#define FIND_BY_ID(array, type, id) \
  G_STMT_START { \
    for (guint i = 0; (array) && i < (array)->len; i++) \
      if (g_strcmp0 (((type *) (array)->pdata[i])->id, (id)) == 0) \
        return (array)->pdata[i]; \
    return NULL; \
  } G_STMT_END

const TpField *
tp_event_get_field (TpEvent    *event,
                    const char *id)
{
  FIND_BY_ID (event->fields, TpField, id);
}

const TpConsent *
tp_event_get_consent (TpEvent    *event,
                      const char *id)
{
  FIND_BY_ID (event->consents, TpConsent, id);
}

const TpQuestion *
tp_event_get_question (TpEvent    *event,
                       const char *id)
{
  FIND_BY_ID (event->survey, TpQuestion, id);
}

const TpOffer *
tp_event_get_offer (TpEvent    *event,
                    const char *id)
{
  FIND_BY_ID (event->offers, TpOffer, id);
}

const TpOption *
tp_question_get_option (const TpQuestion *question,
                        const char       *id)
{
  FIND_BY_ID (question->options, TpOption, id);
}

const TpOffer *
tp_event_get_default_offer (TpEvent *event)
{
  for (guint i = 0; i < event->offers->len; i++)
    if (((TpOffer *) event->offers->pdata[i])->is_default)
      return event->offers->pdata[i];
  return NULL;
}

gboolean
tp_event_has_locale (TpEvent    *event,
                     const char *locale)
{
  return locale && g_strv_contains ((const char * const *) event->locales, locale);
}

const char *
tp_field_type_to_string (TpFieldType type)
{
  switch (type)
    {
    case TP_FIELD_EMAIL:
      return "email";
    case TP_FIELD_PHONE:
      return "phone";
    case TP_FIELD_TEXT:
    default:
      return "text";
    }
}

const char *
tp_question_type_to_string (TpQuestionType type)
{
  switch (type)
    {
    case TP_QUESTION_SINGLE:
      return "single";
    case TP_QUESTION_MULTI:
      return "multi";
    case TP_QUESTION_RATING:
      return "rating";
    case TP_QUESTION_NPS:
      return "nps";
    case TP_QUESTION_TEXT:
    default:
      return "text";
    }
}
