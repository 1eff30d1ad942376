/* test-event.c: event definitions: the demo, and bad files refused with the path of the bad value. */
#include "tests/tp-test-util.h"

#include <json-glib/json-glib.h>

#include "tp-data-resources.h"
#include "tp-json.h"

#include <stdlib.h>
#include <string.h>

static JsonNode *
demo_json (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tp_data_get_resource (),
                                                    "/io/github/touchpoint/Kiosk/demo-event.json", 0, NULL);
  g_assert_nonnull (bytes);
  return json_from_string (g_bytes_get_data (bytes, NULL), NULL);
}

/* Walks "a.b[2].c" to the parent of the last step; returns the parent node and the last step. */
static JsonNode *
walk (JsonNode    *root,
      const char  *path,
      char       **last_member,
      int         *last_index)
{
  g_auto(GStrv) steps = g_strsplit_set (path, ".[", -1);
  JsonNode *node = root;
  guint n = g_strv_length (steps);

  for (guint i = 0; i < n; i++)
    {
      const char *step = steps[i];
      gboolean is_index = g_str_has_suffix (step, "]");
      int index = is_index ? atoi (step) : -1;

      if (i == n - 1)
        {
          *last_member = is_index ? NULL : g_strdup (step);
          *last_index = index;
          return node;
        }
      node = is_index ? json_array_get_element (json_node_get_array (node), index)
                      : json_object_get_member (json_node_get_object (node), step);
      g_assert_nonnull (node);
    }
  g_assert_not_reached ();
}

/* Sets path to value (JSON text), or removes it when value is NULL; returns the file text. */
static char *
mutate (const char *path,
        const char *value)
{
  g_autoptr(JsonNode) root = demo_json ();
  g_autofree char *member = NULL;
  int index = -1;
  JsonNode *parent = walk (root, path, &member, &index);
  JsonNode *replacement = value ? json_from_string (value, NULL) : NULL;

  if (value)
    g_assert_nonnull (replacement);
  if (member)
    {
      if (replacement)
        json_object_set_member (json_node_get_object (parent), member, replacement);
      else
        json_object_remove_member (json_node_get_object (parent), member);
    }
  else
    {
      JsonArray *array = json_node_get_array (parent);

      if (replacement)
        {
          /* Arrays cannot replace an element in place: rebuild. */
          JsonArray *copy = json_array_new ();
          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (copy, i == (guint) index ? replacement
                                                              : json_node_copy (json_array_get_element (array, i)));
          json_node_take_array (parent, copy);
        }
      else
        json_array_remove_element (array, index);
    }
  return json_to_string (root, TRUE);
}

static void
test_demo (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  const TpConsent *privacy, *marketing;
  guint types = 0;
  g_autofree char *notice = NULL;

  g_assert_cmpstr (event->source, ==, "demo");
  g_assert_true (tp_event_has_locale (event, "ko"));
  g_assert_true (tp_event_has_locale (event, "en"));
  g_assert_cmpuint (event->min_age, ==, 14);
  privacy = tp_event_get_consent (event, "privacy");
  marketing = tp_event_get_consent (event, "marketing");
  g_assert_nonnull (privacy);
  g_assert_true (privacy->required);
  g_assert_nonnull (marketing);
  g_assert_false (marketing->required);
  g_assert_true (tp_event_get_field (event, "name")->required);
  g_assert_cmpint (tp_event_get_field (event, "email")->type, ==, TP_FIELD_EMAIL);
  g_assert_cmpint (tp_event_get_field (event, "phone")->type, ==, TP_FIELD_PHONE);
  g_assert_false (tp_event_get_field (event, "company")->required);
  g_assert_cmpuint (event->survey->len, >=, 5);
  for (guint i = 0; i < event->survey->len; i++)
    types |= 1u << ((TpQuestion *) event->survey->pdata[i])->type;
  g_assert_cmpuint (types, ==, (1u << TP_QUESTION_SINGLE) | (1u << TP_QUESTION_MULTI) | (1u << TP_QUESTION_RATING) |
                               (1u << TP_QUESTION_NPS) | (1u << TP_QUESTION_TEXT));
  g_assert_cmpuint (event->offers->len, >=, 3);
  g_assert_nonnull (tp_event_get_default_offer (event));

  /* The notice states purpose, items, retention and the right to refuse, in both languages. */
  notice = tp_consent_render_notice (privacy, event, "ko");
  g_assert_nonnull (strstr (notice, "수집·이용 목적"));
  g_assert_nonnull (strstr (notice, "수집 항목"));
  g_assert_nonnull (strstr (notice, "365일"));
  g_assert_nonnull (strstr (notice, "거부"));
  g_free (notice);
  notice = tp_consent_render_notice (privacy, event, "en");
  g_assert_nonnull (strstr (notice, "Purpose:"));
  g_assert_nonnull (strstr (notice, "Items collected:"));
  g_assert_nonnull (strstr (notice, "365 days"));
  g_assert_nonnull (strstr (notice, "refuse"));
}

static void
test_notice_hash (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  const TpConsent *privacy = tp_event_get_consent (event, "privacy");
  g_autofree char *notice = tp_consent_render_notice (privacy, event, "en");
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, notice, -1);
  g_autofree char *sha_en = tp_consent_notice_sha256 (privacy, event, "en");
  g_autofree char *sha_ko = tp_consent_notice_sha256 (privacy, event, "ko");

  g_assert_cmpstr (sha_en, ==, expected);
  g_assert_cmpstr (sha_en, !=, sha_ko);
}

static void
test_round_trip (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(JsonNode) node = tp_event_to_json (event);
  JsonObject *root = json_node_get_object (node);
  JsonObject *coupon = json_object_get_object_member (root, "coupon");
  g_autofree char *text = NULL;
  g_autoptr(TpEvent) again = NULL;
  g_autoptr(GError) error = NULL;

  /* The shown form hides the key; give it back to parse it again. */
  g_assert_false (json_object_has_member (coupon, "key"));
  json_object_remove_member (coupon, "key_set");
  json_object_set_string_member (coupon, "key", "ZGVtby1vbmx5LWtleS1ub3Qtc2VjcmV0LWRvLW5vdC11c2U=");
  text = json_to_string (node, FALSE);
  again = tp_event_new_from_data (text, -1, "round-trip", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->segments->len, ==, event->segments->len);
  g_assert_cmpstr (((TpQuestion *) again->survey->pdata[1])->id, ==, "interests");
}

typedef struct
{
  const char *path;
  const char *value;     /* JSON text, or NULL to remove */
  const char *expected;  /* the error must start with "<source>: " and then this */
} BadCase;

static const BadCase bad_cases[] = {
  { "format", "2", "format: version 2 is not supported" },
  { "format", NULL, "$: missing \"format\"" },
  { "id", "\"has space\"", "id: \"has space\" is not a valid id" },
  { "name.ko", NULL, "name: missing \"ko\"" },
  { "name", "\"plain\"", "name: expected an object, found a string" },
  { "locales", "[\"ko\", \"fr\"]", "locales[1]: \"fr\" is not supported" },
  { "timezone", "\"Mars/Olympus\"", "timezone: \"Mars/Olympus\" is not a known time zone" },
  { "starts", "\"next week\"", "starts: \"next week\" is not an ISO 8601" },
  /* A file path is no zone name (GLib would open it); an event cannot end before it starts. */
  { "timezone", "\"/usr/share/zoneinfo/Asia/Seoul\"", "timezone: \"/usr/share/zoneinfo/Asia/Seoul\" is not a time zone name" },
  { "timezone", "\"../../../etc/localtime\"", "timezone: \"../../../etc/localtime\" is not a time zone name" },
  { "ends", "\"2020-01-01T00:00:00+09:00\"", "ends: \"2020-01-01T00:00:00+09:00\" is before \"starts\"" },
  { "min_age", "12", "min_age: 12 is out of range" },
  { "min_age", "14.5", "min_age: expected a whole number, found a number with a fraction" },
  { "controller.contact", NULL, "controller: missing \"contact\"" },
  { "consents[0].required", "\"yes\"", "consents[0].required: expected true or false, found a string" },
  { "consents[0].text.en", NULL, "consents[0].text: missing \"en\"" },
  { "consents[0].refusal", NULL, "consents[0]: missing \"refusal\"" },
  { "consents[0].retention_days", "0", "consents[0].retention_days: 0 is out of range" },
  { "consents[1].id", "\"privacy\"", "consents[1]: the id \"privacy\" is used twice" },
  { "consents[0].required", "false", "consents: needs at least one required consent" },
  { "fields[1].type", "\"fax\"", "fields[1].type: \"fax\" is not a field type" },
  { "fields[0].label", NULL, "fields[0]: missing \"label\"" },
  { "fields[2].max_length", "5000", "fields[2].max_length: 5000 is out of range" },
  { "survey[2].type", "\"slider\"", "survey[2].type: \"slider\" is not a question type" },
  { "survey[0].options[0].label", NULL, "survey[0].options[0]: missing \"label\"" },
  { "survey[0].options[1].label.ko", NULL, "survey[0].options[1].label: missing \"ko\"" },
  { "survey[0].options[1].id", "\"tasting\"", "survey[0].options[1]: the id \"tasting\" is used twice" },
  { "survey[1].options", "[{\"id\": \"x\", \"label\": {\"ko\": \"x\", \"en\": \"x\"}}]", "survey[1].options: needs at least two options" },
  { "survey[2].max", "20", "survey[2].max: 20 is out of range" },
  { "segments[0].when", "{\"nope\": \"x\"}", "segments[0].when.nope: no survey question has the id \"nope\"" },
  { "segments[2].when", "{\"purchase_timing\": \"tomorrow\"}", "segments[2].when.purchase_timing: \"tomorrow\" is not an option" },
  { "segments[0].when", "{\"nps\": {\"min\": 9, \"max\": 11}}", "segments[0].when.nps.max: 11 is out of range" },
  { "segments[0].when", "{\"wish\": \"x\"}", "segments[0].when.wish: free-text questions cannot be used" },
  { "segments[2].offer", "\"free-car\"", "segments[2].offer: no offer has the id \"free-car\"" },
  { "offers[0].default", "false", "offers: needs exactly one offer with \"default\": true (found 0)" },
  { "offers[1].valid_days", "3", "offers[1]: needs exactly one of \"valid_days\" and \"valid_hours\"" },
  { "offers[0].title.en", "\"\"", "offers[0].title.en: must not be empty" },
  { "kiosk.idle_reset_seconds", "1", "kiosk.idle_reset_seconds: 1 is out of range" },
  { "coupon.key", "\"c2hvcnQ=\"", "coupon.key: is 5 bytes" },
  { "coupon.key", "\"not base64!\"", "coupon.key: is not base64" },
  { "coupon.url", "\"https://x.example/c/\"", "coupon.url: must contain \"{code}\"" },
  { "coupon", NULL, "$: missing \"coupon\"" },
  /* A misspelt member must not quietly leave the default (an optional field, here). */
  { "fields[0].requird", "true", "fields[0].requird: unknown member (expected one of id, type, required," },
  { "colour", "\"green\"", "colour: unknown member" },
  { "survey[1].options[0].lable", "{}", "survey[1].options[0].lable: unknown member" },
  { "segments[0].when.nps.mx", "10", "segments[0].when.nps.mx: unknown member (expected one of min, max)" },
  { "kiosk.idle_reset", "30", "kiosk.idle_reset: unknown member" },
};

static void
test_bad_files (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *text = mutate (c->path, c->value);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpEvent) event = tp_event_new_from_data (text, -1, "bad.json", &error);
      g_autofree char *expected = g_strdup_printf ("bad.json: %s", c->expected);

      g_test_message ("case %u: %s", i, c->path);
      g_assert_null (event);
      g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("case %u (%s): got \"%s\", expected it to start with \"%s\"", i, c->path, error->message, expected);
    }
}

/* Whole numbers written with a decimal point (as some JSON writers do) are whole numbers. */
static void
test_whole_numbers (void)
{
  g_autofree char *text = mutate ("min_age", "16.0");
  g_autofree char *text2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = tp_event_new_from_data (text, -1, "decimal.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (event->min_age, ==, 16);
  g_clear_pointer (&event, tp_event_unref);

  text2 = mutate ("kiosk.idle_reset_seconds", "9e1");
  event = tp_event_new_from_data (text2, -1, "exponent.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (event->idle_reset_seconds, ==, 90);
}

/* Members starting with '_' or '$' are notes for people, not misspellings. */
static void
test_notes (void)
{
  g_autofree char *text = mutate ("fields[0]._comment", "\"ask for the name on the badge\"");
  g_autofree char *text2 = mutate ("$comment", "\"pop-up, December\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = tp_event_new_from_data (text, -1, "notes.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_clear_pointer (&event, tp_event_unref);
  event = tp_event_new_from_data (text2, -1, "notes.json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

/* "wi\u0000sh" is not the id "wi": the NUL is seen, and refused with its path. */
static void
test_nul_escape (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tp_data_get_resource (),
                                                    "/io/github/touchpoint/Kiosk/demo-event.json", 0, NULL);
  g_autoptr(GRegex) re = g_regex_new ("\"id\": \"wish\"", 0, 0, NULL);
  g_autofree char *text = g_regex_replace_literal (re, g_bytes_get_data (bytes, NULL), -1, 0,
                                                   "\"id\": \"wi\\u0000sh\"", 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = tp_event_new_from_data (text, -1, "nul.json", &error);

  g_assert_null (event);
  g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "nul.json: survey[5].id: "));
}

/* Nesting our format never needs: refused before the parser recurses into it. Strings that
 * hold brackets do not count. */
static void
test_deep (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = NULL;

  for (guint i = 0; i < TP_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < TP_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (text, ']');
  event = tp_event_new_from_data (text->str, -1, "deep.json", &error);
  g_assert_null (event);
  g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "deep.json: "));
  g_assert_nonnull (strstr (error->message, "nested deeper"));

  {
    const char *brackets_in_text = "{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}";

    g_assert_true (tp_json_depth_ok (brackets_in_text, strlen (brackets_in_text)));
  }
}

static void
test_too_many_offers (void)
{
  g_autoptr(JsonNode) root = demo_json ();
  JsonArray *offers = json_object_get_array_member (json_node_get_object (root), "offers");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = NULL;

  /* A coupon code has eight bits for its offer: the 257th could never be issued. */
  for (guint i = json_array_get_length (offers); i < 257; i++)
    {
      JsonObject *o = json_object_new ();
      JsonObject *title = json_object_new ();
      g_autofree char *id = g_strdup_printf ("offer-%u", i);

      json_object_set_string_member (title, "ko", "쿠폰");
      json_object_set_string_member (title, "en", "Coupon");
      json_object_set_string_member (o, "id", id);
      json_object_set_object_member (o, "title", title);
      json_object_set_int_member (o, "valid_days", 1);
      json_array_add_object_element (offers, o);
    }
  text = json_to_string (root, FALSE);
  event = tp_event_new_from_data (text, -1, "many.json", &error);
  g_assert_null (event);
  g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "many.json: offers: has 257 offers; at most 256 are supported");
}

static void
test_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = tp_event_new_from_data ("{\"format\": 1,", -1, "broken.json", &error);

  g_assert_null (event);
  g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "broken.json: not valid JSON"));

  g_clear_error (&error);
  event = tp_event_new_from_file ("/nonexistent/event.json", &error);
  g_assert_null (event);
  g_assert_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/event.json"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/event/demo", test_demo);
  g_test_add_func ("/touchpoint/event/notice-hash", test_notice_hash);
  g_test_add_func ("/touchpoint/event/round-trip", test_round_trip);
  g_test_add_func ("/touchpoint/event/bad-files", test_bad_files);
  g_test_add_func ("/touchpoint/event/whole-numbers", test_whole_numbers);
  g_test_add_func ("/touchpoint/event/notes", test_notes);
  g_test_add_func ("/touchpoint/event/nul-escape", test_nul_escape);
  g_test_add_func ("/touchpoint/event/deep", test_deep);
  g_test_add_func ("/touchpoint/event/too-many-offers", test_too_many_offers);
  g_test_add_func ("/touchpoint/event/not-json", test_not_json);
  return g_test_run ();
}
