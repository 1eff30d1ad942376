/* tp-event-writer.c: the normalized event definition as JSON (`touchpoint event show`). */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event.h"
#include "tp-json.h"

static void
add_text (JsonBuilder *b,
          const char  *name,
          TpText      *text,
          char       **locales)
{
  if (text == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint i = 0; locales[i]; i++)
    {
      json_builder_set_member_name (b, locales[i]);
      json_builder_add_string_value (b, tp_text_get (text, locales[i]));
    }
  json_builder_end_object (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  /* Optional members are left out rather than written as null. */
  if (value != NULL)
    tp_json_add_string (b, name, value);
}

JsonNode *
tp_event_to_json (TpEvent *event)
{
  return tp_event_to_json_full (event, FALSE);
}

JsonNode *
tp_event_to_json_full (TpEvent  *event,
                       gboolean  with_key)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  char **loc = event->locales;

  json_builder_begin_object (b);
  tp_json_add_int (b, "format", event->format);
  add_string (b, "id", event->id);
  add_text (b, "name", event->name, loc);
  add_string (b, "starts", event->starts);
  add_string (b, "ends", event->ends);
  add_string (b, "timezone", event->timezone);
  json_builder_set_member_name (b, "locales");
  json_builder_begin_array (b);
  for (guint i = 0; loc[i]; i++)
    json_builder_add_string_value (b, loc[i]);
  json_builder_end_array (b);
  add_string (b, "default_locale", event->default_locale);
  json_builder_set_member_name (b, "controller");
  json_builder_begin_object (b);
  add_text (b, "name", event->controller_name, loc);
  add_string (b, "contact", event->controller_contact);
  json_builder_end_object (b);
  tp_json_add_int (b, "min_age", event->min_age);

  json_builder_set_member_name (b, "consents");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->consents->len; i++)
    {
      TpConsent *c = event->consents->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", c->id);
      tp_json_add_bool (b, "required", c->required);
      add_string (b, "version", c->version);
      add_text (b, "title", c->title, loc);
      add_text (b, "text", c->text, loc);
      add_text (b, "purpose", c->purpose, loc);
      add_text (b, "items", c->items, loc);
      add_text (b, "refusal", c->refusal, loc);
      tp_json_add_int (b, "retention_days", c->retention_days);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->fields->len; i++)
    {
      TpField *f = event->fields->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", f->id);
      add_string (b, "type", tp_field_type_to_string (f->type));
      tp_json_add_bool (b, "required", f->required);
      tp_json_add_int (b, "max_length", f->max_length);
      add_text (b, "label", f->label, loc);
      add_text (b, "hint", f->hint, loc);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "survey");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->survey->len; i++)
    {
      TpQuestion *q = event->survey->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", q->id);
      add_string (b, "type", tp_question_type_to_string (q->type));
      tp_json_add_bool (b, "required", q->required);
      add_text (b, "label", q->label, loc);
      if (q->type == TP_QUESTION_TEXT)
        tp_json_add_int (b, "max_length", q->max_length);
      else if (q->type != TP_QUESTION_SINGLE)
        {
          tp_json_add_int (b, "min", q->min);
          tp_json_add_int (b, "max", q->max);
        }
      add_text (b, "min_label", q->min_label, loc);
      add_text (b, "max_label", q->max_label, loc);
      if (q->options)
        {
          json_builder_set_member_name (b, "options");
          json_builder_begin_array (b);
          for (guint j = 0; j < q->options->len; j++)
            {
              TpOption *o = q->options->pdata[j];

              json_builder_begin_object (b);
              add_string (b, "id", o->id);
              add_text (b, "label", o->label, loc);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "segments");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->segments->len; i++)
    {
      TpSegment *s = event->segments->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", s->id);
      json_builder_set_member_name (b, "when");
      json_builder_begin_object (b);
      for (guint j = 0; j < s->conditions->len; j++)
        {
          TpCondition *c = s->conditions->pdata[j];

          json_builder_set_member_name (b, c->question);
          if (c->has_range)
            {
              json_builder_begin_object (b);
              tp_json_add_int (b, "min", c->min);
              tp_json_add_int (b, "max", c->max);
              json_builder_end_object (b);
            }
          else
            {
              json_builder_begin_array (b);
              for (guint k = 0; c->any_of[k]; k++)
                json_builder_add_string_value (b, c->any_of[k]);
              json_builder_end_array (b);
            }
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint k = 0; s->tags[k]; k++)
        json_builder_add_string_value (b, s->tags[k]);
      json_builder_end_array (b);
      add_string (b, "offer", s->offer);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "offers");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->offers->len; i++)
    {
      TpOffer *o = event->offers->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", o->id);
      add_text (b, "title", o->title, loc);
      add_text (b, "description", o->description, loc);
      if (o->valid_days)
        tp_json_add_int (b, "valid_days", o->valid_days);
      else
        tp_json_add_int (b, "valid_hours", o->valid_hours);
      tp_json_add_bool (b, "default", o->is_default);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "prizes");
  json_builder_begin_array (b);
  for (guint i = 0; i < event->prizes->len; i++)
    {
      TpPrize *p = event->prizes->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "id", p->id);
      add_text (b, "name", p->name, loc);
      tp_json_add_int (b, "winners_per_round", p->winners_per_round);
      tp_json_add_int (b, "value", p->value);
      if (p->requires_consent)
        add_string (b, "requires_consent", p->requires_consent);
      tp_json_add_bool (b, "several_prizes", p->several_prizes);
      json_builder_set_member_name (b, "rounds");
      json_builder_begin_array (b);
      for (guint r = 0; p->rounds && p->rounds[r]; r++)
        json_builder_add_string_value (b, p->rounds[r]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "retention");
  json_builder_begin_object (b);
  tp_json_add_bool (b, "delete_from_crm", event->purge_deletes_from_crm);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "kiosk");
  json_builder_begin_object (b);
  tp_json_add_int (b, "idle_reset_seconds", event->idle_reset_seconds);
  tp_json_add_int (b, "coupon_seconds", event->coupon_seconds);
  json_builder_end_object (b);

  /* The key is a secret: shown only when asked for, as a usable event file holds it. */
  json_builder_set_member_name (b, "coupon");
  json_builder_begin_object (b);
  if (with_key && event->coupon_key)
    {
      gsize size;
      const guint8 *key = g_bytes_get_data (event->coupon_key, &size);
      g_autofree char *encoded = g_base64_encode (key, size);

      add_string (b, "key", encoded);
    }
  else if (!with_key)
    tp_json_add_bool (b, "key_set", event->coupon_key != NULL);
  add_string (b, "url", event->coupon_url);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
