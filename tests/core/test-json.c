/* test-json.c: strict JSON: what json-glib would guess at is refused, naming the path. */
#include "tp-json-strict.h"

#include <string.h>

static void
test_refused (void)
{
  struct {
    const char *text;
    const char *path;     /* the message starts with this */
    const char *reason;   /* and says this */
  } cases[] = {
    { "{\"consents\": {\"privacy\": false, \"privacy\": true}}", "consents.privacy:", "twice" },
    { "{\"age_confirmed\": false, \"age_confirmed\": true}", "age_confirmed:", "twice" },
    { "{\"a\": 1, \"\\u0061\": 2}", "a:", "twice" },
    { "{\"answers\": {\"nps\": 010}}", "answers.nps:", "start with 0" },
    { "{\"answers\": {\"nps\": 0x0A}}", "answers.nps:", "hexadecimal" },
    { "{\"answers\": {\"nps\": -01}}", "answers.nps:", "start with 0" },
    { "{\"a\": 1 /* note */}", "(top level):", "comments" },
    { "// note\n{\"a\": 1}", "(top level):", "comments" },
    { "{'a': 1}", "(top level):", "single quotes" },
    { "{\"a\": 'x'}", "a:", "single quotes" },
    { "{\"a\": 1}{\"a\": 2}", "(top level):", "one value only" },
    { "{\"a\": 1} 2", "(top level):", "one value only" },
    { "{\"a\": [1, 2,]}", "a:", "comma" },
    { "{\"a\": 1,}", "(top level):", "comma" },
    { "{\"a\": .5}", "a:", "a value" },
    { "{\"a\": 1.}", "a:", "decimal point" },
    { "{\"a\": 1e}", "a:", "exponent" },
    { "{\"a\": +1}", "a:", "a value" },
    { "{\"a\": NaN}", "a:", "a value" },
    { "{\"a\": Infinity}", "a:", "a value" },
    { "{\"a\": tru}", "a:", "\"tru\" is not a JSON value" },
    { "{\"a\": \"x\ty\"}", "a:", "control character" },
    { "{\"a\": \"\\x41\"}", "a:", "escape" },
    { "{\"a\": \"\\u12\"}", "a:", "four hexadecimal" },
    { "{\"a\": \"open}", "a:", "not closed" },
    { "{\"a\" 1}", "a:", "\":\"" },
    { "{a: 1}", "(top level):", "member name" },
    { "{\"list\": [{\"x\": 1}, {\"x\": 2, \"x\": 3}]}", "list[1].x:", "twice" },
    /* Found by fuzzing: json-glib refuses half a surrogate pair, so must the check. */
    { "{\"a\": \"\\ud83d\\u1e99\"}", "a:", "surrogate" },
    { "{\"a\": \"\\ud83d\"}", "a:", "surrogate" },
    { "{\"a\": \"\\ude00\"}", "a:", "surrogate" },
    { "", "the text is empty", "" },
    { "   ", "the text is empty", "" },
    { "\xff", "the text is not valid UTF-8", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_false (tp_json_check_strict (cases[i].text, strlen (cases[i].text), &error));
      g_assert_error (error, TP_JSON_ERROR, TP_JSON_ERROR_INVALID);
      g_test_message ("  -> %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].path));
      g_assert_nonnull (strstr (error->message, cases[i].reason));
    }
}

static void
test_accepted (void)
{
  const char *texts[] = {
    "{}", "[]", "0", "-0", "0.5", "-12.5e+3", "1E-2", "\"x\"", "true", "false", "null",
    "  {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\\n\\\"\\\\\\/\"}  \n",
    "\xEF\xBB\xBF{\"bom\": 1}",
    "{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}}",   /* the same key in two objects */
    "{\"이름\": \"홍길동\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("case %u: %s", i, texts[i]);
      node = tp_json_parse_strict (texts[i], strlen (texts[i]), &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < TP_JSON_MAX_DEPTH + 2; i++)
    g_string_append (deep, "[");
  g_assert_false (tp_json_check_strict (deep->str, deep->len, &error));
  g_assert_nonnull (strstr (error->message, "deeper"));
}

/* json-glib cuts a string at \u0000; the strict parser masks it so that validation sees it. */
static void
test_nul_escape (void)
{
  const char *text = "{\"name\": \"Kim\\u0000Lee\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tp_json_parse_strict (text, strlen (text), &error);
  const char *name;

  g_assert_no_error (error);
  name = json_object_get_string_member (json_node_get_object (node), "name");
  g_assert_cmpuint (strlen (name), ==, 7);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/json/strict/refused", test_refused);
  g_test_add_func ("/touchpoint/json/strict/accepted", test_accepted);
  g_test_add_func ("/touchpoint/json/strict/depth", test_depth);
  g_test_add_func ("/touchpoint/json/strict/nul-escape", test_nul_escape);
  return g_test_run ();
}
