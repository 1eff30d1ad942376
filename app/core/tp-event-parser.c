/* tp-event-parser.c: reads and checks event definitions; every error names the JSON path of the bad value. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event-private.h"
#include "tp-event-reader.h"
#include "tp-file.h"
#include "tp-json-strict.h"
#include "tp-data-resources.h"

#include <string.h>

G_DEFINE_QUARK (tp-event-error-quark, tp_event_error)

#define TP_EVENT_FORMAT 1
#define DEMO_RESOURCE "/io/github/touchpoint/Kiosk/demo-event.json"

static gboolean
parse_date (JsonObject  *obj,
            const char  *name,
            char       **out,
            GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;

  if (!tp_reader_get_string (obj, "", name, FALSE, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  dt = g_date_time_new_from_iso8601 (*out, NULL);
  if (dt == NULL)
    {
      tp_reader_fail (error, name, "\"%s\" is not an ISO 8601 date and time with a zone "
                      "(e.g. \"2026-12-01T10:00:00+09:00\")", *out);
      return FALSE;
    }
  return TRUE;
}

static gboolean
timezone_name_ok (const char *name)
{
  gsize n = strlen (name);

  if (n == 0 || n > 64 || name[0] == '/' || strstr (name, "..") != NULL)
    return FALSE;
  return strspn (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") == n;
}

static gboolean
ends_before_starts (TpEvent *event)
{
  g_autoptr(GDateTime) starts = g_date_time_new_from_iso8601 (event->starts, NULL);
  g_autoptr(GDateTime) ends = g_date_time_new_from_iso8601 (event->ends, NULL);

  return starts && ends && g_date_time_compare (ends, starts) < 0;
}

static gboolean
parse_locales (TpReader    *reader,
               JsonObject  *root,
               TpEvent     *event,
               GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "locales", TRUE, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (array == NULL)
    return FALSE;
  n = json_array_get_length (array);
  if (n == 0)
    {
      tp_reader_fail (error, "locales", "needs at least one locale");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *p = tp_reader_join_index ("locales", i);
      const char *locale;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          tp_reader_fail (error, p, "expected a string, found %s", tp_reader_node_kind (node));
          return FALSE;
        }
      locale = json_node_get_string (node);
      if (g_strcmp0 (locale, "ko") != 0 && g_strcmp0 (locale, "en") != 0)
        {
          tp_reader_fail (error, p, "\"%s\" is not supported (use \"ko\" or \"en\")", locale);
          return FALSE;
        }
      g_strv_builder_add (builder, locale);
    }
  event->locales = g_strv_builder_end (builder);
  reader->locales = event->locales;

  if (!tp_reader_get_string (root, "", "default_locale", FALSE, &event->default_locale, error))
    return FALSE;
  if (event->default_locale == NULL)
    event->default_locale = g_strdup (event->locales[0]);
  else if (!g_strv_contains ((const char * const *) event->locales, event->default_locale))
    {
      tp_reader_fail (error, "default_locale", "\"%s\" is not in \"locales\"", event->default_locale);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_consents (TpReader    *reader,
                JsonObject  *root,
                TpEvent     *event,
                GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "consents", TRUE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (array == NULL)
    return FALSE;
  event->consents = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_consent_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("consents", i);
      JsonObject *obj;
      TpConsent *c;
      gint64 days;

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      c = g_new0 (TpConsent, 1);
      g_ptr_array_add (event->consents, c);
      if (!tp_reader_get_id (obj, p, &c->id, error) ||
          !tp_reader_check_unique (seen, c->id, p, error) ||
          !tp_reader_get_bool (obj, p, "required", FALSE, &c->required, error) ||
          !tp_reader_get_string (obj, p, "version", TRUE, &c->version, error) ||
          !(c->title = tp_reader_get_text (reader, obj, p, "title", TRUE, error)) ||
          !(c->text = tp_reader_get_text (reader, obj, p, "text", TRUE, error)) ||
          !(c->purpose = tp_reader_get_text (reader, obj, p, "purpose", TRUE, error)) ||
          !(c->items = tp_reader_get_text (reader, obj, p, "items", TRUE, error)) ||
          !(c->refusal = tp_reader_get_text (reader, obj, p, "refusal", TRUE, error)) ||
          !tp_reader_get_int (obj, p, "retention_days", TRUE, 0, 1, 36500, &days, error))
        return FALSE;
      c->retention_days = days;
    }
  if (event->consents->len == 0)
    {
      tp_reader_fail (error, "consents", "needs at least one consent (the privacy notice)");
      return FALSE;
    }
  for (guint i = 0; i < event->consents->len; i++)
    if (((TpConsent *) event->consents->pdata[i])->required)
      return TRUE;
  tp_reader_fail (error, "consents", "needs at least one required consent (the privacy notice)");
  return FALSE;
}

static gboolean
parse_fields (TpReader    *reader,
              JsonObject  *root,
              TpEvent     *event,
              GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "fields", TRUE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (array == NULL)
    return FALSE;
  event->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_field_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("fields", i);
      g_autofree char *type = NULL;
      JsonObject *obj;
      TpField *f;
      gint64 max_length;

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      f = g_new0 (TpField, 1);
      g_ptr_array_add (event->fields, f);
      if (!tp_reader_get_id (obj, p, &f->id, error) ||
          !tp_reader_check_unique (seen, f->id, p, error) ||
          !tp_reader_get_string (obj, p, "type", TRUE, &type, error))
        return FALSE;
      if (g_str_equal (type, "text"))
        f->type = TP_FIELD_TEXT;
      else if (g_str_equal (type, "email"))
        f->type = TP_FIELD_EMAIL;
      else if (g_str_equal (type, "phone"))
        f->type = TP_FIELD_PHONE;
      else
        {
          g_autofree char *tp = tp_reader_join (p, "type");
          tp_reader_fail (error, tp, "\"%s\" is not a field type (use text, email or phone)", type);
          return FALSE;
        }
      if (!tp_reader_get_bool (obj, p, "required", FALSE, &f->required, error) ||
          !(f->label = tp_reader_get_text (reader, obj, p, "label", TRUE, error)) ||
          !tp_reader_get_int (obj, p, "max_length", FALSE, f->type == TP_FIELD_EMAIL ? 254 : 100,
                              1, 1000, &max_length, error))
        return FALSE;
      f->max_length = max_length;
      f->hint = tp_reader_get_text (reader, obj, p, "hint", FALSE, error);
      if (f->hint == NULL && error && *error)
        return FALSE;
    }
  if (event->fields->len == 0)
    {
      tp_reader_fail (error, "fields", "needs at least one field");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_options (TpReader    *reader,
               JsonObject  *obj,
               const char  *path,
               TpQuestion  *q,
               GError     **error)
{
  JsonArray *array = tp_reader_get_array (obj, path, "options", TRUE, error);
  g_autofree char *op = tp_reader_join (path, "options");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (array == NULL)
    return FALSE;
  q->options = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_option_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index (op, i);
      JsonObject *option;
      TpOption *o;

      if (!(option = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      o = g_new0 (TpOption, 1);
      g_ptr_array_add (q->options, o);
      if (!tp_reader_get_id (option, p, &o->id, error) ||
          !tp_reader_check_unique (seen, o->id, p, error) ||
          !(o->label = tp_reader_get_text (reader, option, p, "label", TRUE, error)))
        return FALSE;
    }
  if (q->options->len < 2)
    {
      tp_reader_fail (error, op, "needs at least two options");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_survey (TpReader    *reader,
              JsonObject  *root,
              TpEvent     *event,
              GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "survey", FALSE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  event->survey = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_question_free);
  if (array == NULL)
    return error == NULL || *error == NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("survey", i);
      g_autofree char *type = NULL;
      JsonObject *obj;
      TpQuestion *q;
      gint64 lo, hi, len;

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      q = g_new0 (TpQuestion, 1);
      g_ptr_array_add (event->survey, q);
      if (!tp_reader_get_id (obj, p, &q->id, error) ||
          !tp_reader_check_unique (seen, q->id, p, error) ||
          !tp_reader_get_string (obj, p, "type", TRUE, &type, error) ||
          !tp_reader_get_bool (obj, p, "required", FALSE, &q->required, error) ||
          !(q->label = tp_reader_get_text (reader, obj, p, "label", TRUE, error)))
        return FALSE;

      if (g_str_equal (type, "single") || g_str_equal (type, "multi"))
        {
          q->type = g_str_equal (type, "single") ? TP_QUESTION_SINGLE : TP_QUESTION_MULTI;
          if (!parse_options (reader, obj, p, q, error))
            return FALSE;
          if (q->type == TP_QUESTION_MULTI)
            {
              if (!tp_reader_get_int (obj, p, "min", FALSE, q->required ? 1 : 0, 0, q->options->len, &lo, error) ||
                  !tp_reader_get_int (obj, p, "max", FALSE, q->options->len, 1, q->options->len, &hi, error))
                return FALSE;
              if (lo > hi)
                {
                  g_autofree char *mp = tp_reader_join (p, "min");
                  tp_reader_fail (error, mp, "is larger than \"max\"");
                  return FALSE;
                }
              q->min = lo;
              q->max = hi;
            }
        }
      else if (g_str_equal (type, "rating") || g_str_equal (type, "nps"))
        {
          gboolean nps = g_str_equal (type, "nps");

          q->type = nps ? TP_QUESTION_NPS : TP_QUESTION_RATING;
          if (nps)
            {
              q->min = 0;
              q->max = 10;
            }
          else
            {
              if (!tp_reader_get_int (obj, p, "min", FALSE, 1, 0, 1, &lo, error) ||
                  !tp_reader_get_int (obj, p, "max", FALSE, 5, 2, 10, &hi, error))
                return FALSE;
              q->min = lo;
              q->max = hi;
            }
          q->min_label = tp_reader_get_text (reader, obj, p, "min_label", FALSE, error);
          if (q->min_label == NULL && error && *error)
            return FALSE;
          q->max_label = tp_reader_get_text (reader, obj, p, "max_label", FALSE, error);
          if (q->max_label == NULL && error && *error)
            return FALSE;
        }
      else if (g_str_equal (type, "text"))
        {
          q->type = TP_QUESTION_TEXT;
          if (!tp_reader_get_int (obj, p, "max_length", FALSE, 500, 1, 2000, &len, error))
            return FALSE;
          q->max_length = len;
        }
      else
        {
          g_autofree char *tp = tp_reader_join (p, "type");
          tp_reader_fail (error, tp, "\"%s\" is not a question type (use single, multi, rating, nps or text)", type);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_offers (TpReader    *reader,
              JsonObject  *root,
              TpEvent     *event,
              GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "offers", TRUE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint defaults = 0;

  if (array == NULL)
    return FALSE;
  event->offers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_offer_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("offers", i);
      JsonObject *obj;
      TpOffer *o;
      gint64 days, hours;

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      o = g_new0 (TpOffer, 1);
      g_ptr_array_add (event->offers, o);
      if (!tp_reader_get_id (obj, p, &o->id, error) ||
          !tp_reader_check_unique (seen, o->id, p, error) ||
          !(o->title = tp_reader_get_text (reader, obj, p, "title", TRUE, error)) ||
          !tp_reader_get_bool (obj, p, "default", FALSE, &o->is_default, error) ||
          !tp_reader_get_int (obj, p, "valid_days", FALSE, 0, 1, 3650, &days, error) ||
          !tp_reader_get_int (obj, p, "valid_hours", FALSE, 0, 1, 72, &hours, error))
        return FALSE;
      o->description = tp_reader_get_text (reader, obj, p, "description", FALSE, error);
      if (o->description == NULL && error && *error)
        return FALSE;
      if ((days > 0) == (hours > 0))
        {
          tp_reader_fail (error, p, "needs exactly one of \"valid_days\" and \"valid_hours\"");
          return FALSE;
        }
      o->valid_days = days;
      o->valid_hours = hours;
      if (o->is_default)
        defaults++;
    }
  if (event->offers->len > 256)
    {
      /* A coupon code has eight bits for its offer. */
      tp_reader_fail (error, "offers", "has %u offers; at most 256 are supported", event->offers->len);
      return FALSE;
    }
  if (event->offers->len == 0 || defaults != 1)
    {
      tp_reader_fail (error, "offers", "needs exactly one offer with \"default\": true (found %u)", defaults);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_condition (TpEvent     *event,
                 const char  *path,
                 const char  *question_id,
                 JsonNode    *node,
                 TpSegment   *segment,
                 GError     **error)
{
  g_autofree char *p = tp_reader_join (path, question_id);
  const TpQuestion *q = tp_event_get_question (event, question_id);
  TpCondition *c;

  if (q == NULL)
    {
      tp_reader_fail (error, p, "no survey question has the id \"%s\"", question_id);
      return FALSE;
    }
  c = g_new0 (TpCondition, 1);
  c->question = g_strdup (question_id);
  g_ptr_array_add (segment->conditions, c);

  switch (q->type)
    {
    case TP_QUESTION_SINGLE:
    case TP_QUESTION_MULTI:
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          {
            if (!tp_question_get_option (q, json_node_get_string (node)))
              {
                tp_reader_fail (error, p, "\"%s\" is not an option of the question", json_node_get_string (node));
                return FALSE;
              }
            g_strv_builder_add (builder, json_node_get_string (node));
          }
        else if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
          {
            JsonArray *a = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (a); i++)
              {
                JsonNode *e = json_array_get_element (a, i);
                g_autofree char *ep = tp_reader_join_index (p, i);

                if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
                    !tp_question_get_option (q, json_node_get_string (e)))
                  {
                    tp_reader_fail (error, ep, "expected an option id of the question");
                    return FALSE;
                  }
                g_strv_builder_add (builder, json_node_get_string (e));
              }
          }
        else
          {
            tp_reader_fail (error, p, "expected an option id or a list of option ids, found %s",
                            tp_reader_node_kind (node));
            return FALSE;
          }
        c->any_of = g_strv_builder_end (builder);
        return TRUE;
      }
    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      {
        JsonObject *range;
        gint64 lo, hi;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          {
            tp_reader_fail (error, p, "expected {\"min\": N, \"max\": N}, found %s", tp_reader_node_kind (node));
            return FALSE;
          }
        range = json_node_get_object (node);
        if (!tp_reader_get_int (range, p, "min", FALSE, q->min, q->min, q->max, &lo, error) ||
            !tp_reader_get_int (range, p, "max", FALSE, q->max, q->min, q->max, &hi, error))
          return FALSE;
        if (lo > hi)
          {
            tp_reader_fail (error, p, "\"min\" is larger than \"max\"");
            return FALSE;
          }
        c->has_range = TRUE;
        c->min = lo;
        c->max = hi;
        return TRUE;
      }
    case TP_QUESTION_TEXT:
    default:
      tp_reader_fail (error, p, "free-text questions cannot be used in a segment rule");
      return FALSE;
    }
}

static gboolean
parse_segments (JsonObject  *root,
                TpEvent     *event,
                GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "segments", FALSE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  event->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_segment_free);
  if (array == NULL)
    return error == NULL || *error == NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("segments", i);
      g_autofree char *wp = tp_reader_join (p, "when");
      JsonObject *obj, *when;
      JsonArray *tags;
      TpSegment *s;
      g_autoptr(GList) members = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      s = g_new0 (TpSegment, 1);
      s->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_condition_free);
      g_ptr_array_add (event->segments, s);
      if (!tp_reader_get_id (obj, p, &s->id, error) ||
          !tp_reader_check_unique (seen, s->id, p, error) ||
          !(when = tp_reader_get_object (obj, p, "when", TRUE, error)))
        return FALSE;
      members = json_object_get_members (when);
      if (members == NULL)
        {
          tp_reader_fail (error, wp, "needs at least one condition");
          return FALSE;
        }
      for (GList *l = members; l; l = l->next)
        if (!parse_condition (event, wp, l->data, json_object_get_member (when, l->data), s, error))
          return FALSE;

      tags = tp_reader_get_array (obj, p, "tags", FALSE, error);
      if (tags == NULL && error && *error)
        return FALSE;
      for (guint t = 0; tags && t < json_array_get_length (tags); t++)
        {
          JsonNode *e = json_array_get_element (tags, t);
          g_autofree char *tp = g_strdup_printf ("%s.tags[%u]", p, t);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
              !tp_reader_is_valid_id (json_node_get_string (e)))
            {
              tp_reader_fail (error, tp, "expected a tag (1 to 64 letters, digits, '-' or '_')");
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (e));
        }
      s->tags = g_strv_builder_end (builder);
      if (!tp_reader_get_string (obj, p, "offer", FALSE, &s->offer, error))
        return FALSE;
      if (s->offer && !tp_event_get_offer (event, s->offer))
        {
          g_autofree char *op = tp_reader_join (p, "offer");
          tp_reader_fail (error, op, "no offer has the id \"%s\"", s->offer);
          return FALSE;
        }
      if (s->offer == NULL && s->tags[0] == NULL)
        {
          tp_reader_fail (error, p, "needs \"tags\" or an \"offer\"");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_coupon (JsonObject  *root,
              TpEvent     *event,
              GError     **error)
{
  JsonObject *coupon = tp_reader_get_object (root, "", "coupon", TRUE, error);
  g_autofree char *key = NULL;
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (coupon == NULL)
    return FALSE;
  if (!tp_reader_get_string (coupon, "coupon", "key", TRUE, &key, error))
    return FALSE;
  /* g_base64_decode cannot report errors: check the alphabet first. */
  for (const char *c = key; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
      {
        tp_reader_fail (error, "coupon.key", "is not base64 (make one with `touchpoint event new-key`)");
        return FALSE;
      }
  raw = g_base64_decode (key, &raw_len);
  if (raw_len < 16)
    {
      tp_reader_fail (error, "coupon.key", "is %" G_GSIZE_FORMAT " bytes; it needs at least 16 random bytes, "
                      "base64-encoded (make one with `touchpoint event new-key`)", raw_len);
      return FALSE;
    }
  event->coupon_key = g_bytes_new (raw, raw_len);
  if (!tp_reader_get_string (coupon, "coupon", "url", FALSE, &event->coupon_url, error))
    return FALSE;
  if (event->coupon_url && strstr (event->coupon_url, "{code}") == NULL)
    {
      tp_reader_fail (error, "coupon.url", "must contain \"{code}\"");
      return FALSE;
    }
  return TRUE;
}

static TpEvent *
parse_root (JsonNode    *root_node,
            const char  *source,
            GError     **error)
{
  g_autoptr(TpEvent) event = g_new0 (TpEvent, 1);
  TpReader reader = { 0 };
  JsonObject *root, *controller, *kiosk, *retention;
  gint64 v;

  event->ref_count = 1;
  event->source = g_strdup (source);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      tp_reader_fail (error, "$", root_node ? "the event definition must be a JSON object" : "the file is empty");
      return NULL;
    }
  root = json_node_get_object (root_node);

  if (!tp_reader_get_int (root, "", "format", TRUE, 0, 1, G_MAXINT, &v, error))
    return NULL;
  if (v != TP_EVENT_FORMAT)
    {
      tp_reader_fail (error, "format", "version %" G_GINT64_FORMAT " is not supported (this Touchpoint reads %d)",
                      v, TP_EVENT_FORMAT);
      return NULL;
    }
  event->format = v;

  if (!tp_reader_get_id (root, "", &event->id, error) ||
      !parse_locales (&reader, root, event, error) ||
      !(event->name = tp_reader_get_text (&reader, root, "", "name", TRUE, error)) ||
      !parse_date (root, "starts", &event->starts, error) ||
      !parse_date (root, "ends", &event->ends, error) ||
      !tp_reader_get_string (root, "", "timezone", FALSE, &event->timezone, error))
    return NULL;

  if (event->timezone == NULL)
    event->timezone = g_strdup ("UTC");
  /* An IANA name ("Asia/Seoul"), not a file: GLib would also open any path given here. */
  if (!timezone_name_ok (event->timezone))
    {
      tp_reader_fail (error, "timezone", "\"%s\" is not a time zone name (e.g. \"Asia/Seoul\")", event->timezone);
      return NULL;
    }
  event->tz = g_time_zone_new_identifier (event->timezone);
  if (event->tz == NULL)
    {
      tp_reader_fail (error, "timezone", "\"%s\" is not a known time zone on this machine (e.g. \"Asia/Seoul\"; "
                      "the zones come with the tzdata package)", event->timezone);
      return NULL;
    }

  if (event->starts && event->ends && ends_before_starts (event))
    {
      tp_reader_fail (error, "ends", "\"%s\" is before \"starts\" (%s)", event->ends, event->starts);
      return NULL;
    }

  if (!(controller = tp_reader_get_object (root, "", "controller", TRUE, error)) ||
      !(event->controller_name = tp_reader_get_text (&reader, controller, "controller", "name", TRUE, error)) ||
      !tp_reader_get_string (controller, "controller", "contact", TRUE, &event->controller_contact, error))
    return NULL;

  if (!tp_reader_get_int (root, "", "min_age", FALSE, 14, 14, 120, &v, error))
    return NULL;
  event->min_age = v;

  if (!parse_consents (&reader, root, event, error) ||
      !parse_fields (&reader, root, event, error) ||
      !parse_survey (&reader, root, event, error) ||
      !parse_offers (&reader, root, event, error) ||
      !parse_segments (root, event, error) ||
      !tp_event_parse_prizes (&reader, root, event, error) ||
      !parse_coupon (root, event, error))
    return NULL;

  event->idle_reset_seconds = 60;
  event->coupon_seconds = 30;
  kiosk = tp_reader_get_object (root, "", "kiosk", FALSE, error);
  if (kiosk == NULL && error && *error)
    return NULL;
  if (kiosk)
    {
      if (!tp_reader_get_int (kiosk, "kiosk", "idle_reset_seconds", FALSE, 60, 10, 3600, &v, error))
        return NULL;
      event->idle_reset_seconds = v;
      if (!tp_reader_get_int (kiosk, "kiosk", "coupon_seconds", FALSE, 30, 5, 600, &v, error))
        return NULL;
      event->coupon_seconds = v;
    }

  retention = tp_reader_get_object (root, "", "retention", FALSE, error);
  if (retention == NULL && error && *error)
    return NULL;
  if (retention && !tp_reader_get_bool (retention, "retention", "delete_from_crm", FALSE,
                                        &event->purge_deletes_from_crm, error))
    return NULL;

  return g_steal_pointer (&event);
}


TpEvent *
tp_event_new_from_data (const char  *data,
                        gssize       length,
                        const char  *source,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *masked = NULL;
  TpEvent *event;

  if (length < 0)
    length = strlen (data);
  /* Strict: a key given twice, 010 or a comment would otherwise be guessed at; this also
   * refuses invalid UTF-8 and JSON nested too deep for json-glib's recursion. */
  if (!tp_json_check_strict (data, length, &local_error))
    {
      g_set_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_SYNTAX, "%s: not valid JSON: %s", source,
                   local_error->message);
      return NULL;
    }
  /* An id spelt "na\u0000me" must be refused, not read as "na". */
  masked = g_strndup (data, length);
  tp_json_mask_nul_escapes (masked, length);
  if (!json_parser_load_from_data (parser, masked, length, &local_error))
    {
      g_set_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_SYNTAX,
                   "%s: not valid JSON: %s", source, local_error->message);
      return NULL;
    }
  event = parse_root (json_parser_get_root (parser), source, &local_error);
  if (event && !tp_event_check_members (json_node_get_object (json_parser_get_root (parser)), &local_error))
    g_clear_pointer (&event, tp_event_unref);
  if (event == NULL)
    {
      g_set_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_INVALID, "%s: %s", source, local_error->message);
      return NULL;
    }
  return event;
}

TpEvent *
tp_event_new_from_file (const char  *path,
                        GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;

  /* A FIFO, a device or a huge file is refused before anything blocks. */
  if (!tp_file_read_regular (path, TP_FILE_MAX_INPUT, &data, &length, &local_error))
    {
      g_set_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  return tp_event_new_from_data (data, length, path, error);
}

/* The bundled demo, or an error: parsing it looks up its time zone on disk, and a failing
 * open() there must be a message, not an abort. */
static TpEvent *
demo_load (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  /* Looked up in the resource itself: a static library drops its registration constructor. */
  bytes = g_resource_lookup_data (tp_data_get_resource (), DEMO_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  return tp_event_new_from_data (data, length, "demo", error);
}

TpEvent *
tp_event_new_demo (void)
{
  g_autoptr(GError) error = NULL;
  TpEvent *event = demo_load (&error);

  if (event == NULL)
    g_error ("The bundled demo event cannot be read: %s", error->message);
  return event;
}

TpEvent *
tp_event_load (const char  *path,
               GError     **error)
{
  if (path == NULL)
    return demo_load (error);
  return tp_event_new_from_file (path, error);
}
