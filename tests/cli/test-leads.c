/* test-leads.c: `touchpoint leads` as a subprocess: the JSON contract, total and limit, newest
 * first, the search, the text table and the exit codes. */
#include "tests/tp-test-util.h"

#include <string.h>

typedef struct
{
  char *scratch;
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->scratch = tp_test_mkdtemp ();
  f->dir = g_build_filename (f->scratch, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tp_test_rmdir (f->scratch);
  g_free (f->scratch);
  g_free (f->dir);
}

/* Stores a lead through `touchpoint capture`; returns its id. */
static char *
capture (Fixture    *f,
         const char *name,
         const char *email,
         const char *phone,
         const char *company)
{
  g_autofree char *company_member = company ? g_strdup_printf (", \"company\": \"%s\"", company) : g_strdup ("");
  g_autofree char *json = g_strdup_printf (
    "{\"locale\": \"ko\", \"fields\": {\"name\": \"%s\", \"email\": \"%s\", \"phone\": \"%s\"%s},"
    " \"consents\": {\"privacy\": true, \"marketing\": false}, \"age_confirmed\": true,"
    " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"green\"], \"booth_rating\": 5, \"nps\": 10}}",
    name, email, phone, company_member);
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json,
                                &out, NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "lead_id"));
}

static JsonObject *
leads_json (Fixture            *f,
            const char * const *extra,
            JsonNode          **keep)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_ptr_array_add (args, (gpointer) "leads");
  g_ptr_array_add (args, (gpointer) "--json");
  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->dir);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  rc = tp_test_run ((const char * const *) args->pdata, NULL, &out, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (rc, ==, 0);
  *keep = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_node_get_object (*keep);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *first = capture (f, "김하늘", "Haneul.Kim@Example.com", "010-2345-6789", "마루상사");
  g_autofree char *second = capture (f, "Hong Gildong", "hong@example.org", "+44 7700 900123", NULL);
  g_autofree char *third = capture (f, "이하나", "lee.hana@naver.com", "010-9999-0000", "하늘 커피");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *root = leads_json (f, NULL, &keep);
  JsonArray *leads = json_object_get_array_member (root, "leads");
  JsonObject *lead;
  JsonArray *tags;
  static const char * const members[] = { "lead_id", "seq", "captured_at", "name", "email", "phone", "company",
                                          "tags", "offer", "rating" };

  g_assert_cmpint (json_object_get_size (root), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 3);
  g_assert_cmpuint (json_array_get_length (leads), ==, 3);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 0), "lead_id"), ==, third);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 1), "lead_id"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 2), "lead_id"), ==, first);

  /* Every member, and no other. */
  lead = json_array_get_object_element (leads, 2);
  g_assert_cmpint (json_object_get_size (lead), ==, G_N_ELEMENTS (members));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (lead, members[i]));
  g_assert_cmpint (json_object_get_int_member (lead, "seq"), ==, 1);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (lead, "captured_at"), "Z"));
  g_assert_cmpstr (json_object_get_string_member (lead, "name"), ==, "김하늘");
  g_assert_cmpstr (json_object_get_string_member (lead, "email"), ==, "Haneul.Kim@example.com");
  g_assert_cmpstr (json_object_get_string_member (lead, "phone"), ==, "+821023456789");
  g_assert_cmpstr (json_object_get_string_member (lead, "company"), ==, "마루상사");
  g_assert_cmpstr (json_object_get_string_member (lead, "offer"), ==, "gift-set-20");
  tags = json_object_get_array_member (lead, "tags");
  g_assert_cmpuint (json_array_get_length (tags), >, 0);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "gift-buyer");
  /* No rating until qualification exists; no company given is null, not "". */
  g_assert_true (json_object_get_null_member (lead, "rating"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (leads, 1), "company"));
}

/* The same search table as the console's, through the command line. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const struct
  {
    const char *text;
    gint64      total;
  } table[] = {
    { "하늘", 2 },          /* 김하늘, and 하늘 커피 */
    { "김하", 1 },
    { "HANEUL", 1 },
    { "kim@exam", 1 },
    { "naver", 1 },
    { "6789", 1 },
    { "2345-6789", 1 },
    { "01023456789", 1 },
    { "+821023456789", 1 },
    { "' OR 1=1 --", 0 },
    { "\"", 0 },
    { "NEAR(", 0 },
    { "*", 0 },
    { "nobody", 0 },
  };

  g_free (capture (f, "김하늘", "Haneul.Kim@Example.com", "010-2345-6789", "마루상사"));
  g_free (capture (f, "Hong Gildong", "hong@example.org", "+44 7700 900123", NULL));
  g_free (capture (f, "이하나", "lee.hana@naver.com", "010-9999-0000", "하늘 커피"));
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *root = leads_json (f, (const char *[]) { "--search", table[i].text, NULL }, &keep);

      if (json_object_get_int_member (root, "total") != table[i].total)
        g_error ("--search \"%s\" found %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT, table[i].text,
                 json_object_get_int_member (root, "total"), table[i].total);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "leads")), ==, table[i].total);
    }
}

static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) keep = NULL;
  g_autoptr(JsonNode) keep_search = NULL;
  JsonObject *root;
  JsonArray *leads;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Visitor %u", i);
      g_autofree char *email = g_strdup_printf ("v%u@example.com", i);

      g_free (capture (f, name, email, "010-1234-5678", NULL));
    }
  /* The total counts every match; the list stops at the limit, newest first. */
  root = leads_json (f, (const char *[]) { "--limit", "2", NULL }, &keep);
  leads = json_object_get_array_member (root, "leads");
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 5);
  g_assert_cmpuint (json_array_get_length (leads), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (leads, 0), "seq"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (leads, 1), "seq"), ==, 4);
  root = leads_json (f, (const char *[]) { "--search", "visitor", "--limit", "3", NULL }, &keep_search);
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "leads")), ==, 3);
}

static void
test_text (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *none = NULL;

  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--data-dir", f->dir, NULL }, NULL, &empty, NULL), ==, 0);
  g_assert_cmpstr (empty, ==, "No leads yet.\n");
  g_free (capture (f, "김하늘", "sky@example.com", "010-2345-6789", "마루상사"));
  g_free (capture (f, "Hong Gildong", "hong@example.org", "010-1111-2222", NULL));
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--data-dir", f->dir, "--limit", "1", NULL }, NULL, &out,
                                NULL), ==, 0);
  /* A header, the newest lead with its phone as people write it, and how many there are. */
  g_assert_true (g_str_has_prefix (out, "#  Captured"));
  g_assert_nonnull (strstr (out, "Hong Gildong"));
  g_assert_null (strstr (out, "김하늘"));
  g_assert_nonnull (strstr (out, "010-1111-2222"));
  g_assert_nonnull (strstr (out, "1 of 2 leads"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--data-dir", f->dir, "--search", "zzz", NULL }, NULL,
                                &none, NULL), ==, 0);
  g_assert_cmpstr (none, ==, "No lead matches.\n");
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *blocker = g_build_filename (f->scratch, "not-a-folder", NULL);

  /* Usage: 2, with a sentence naming the option. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--limit", "0", "--data-dir", f->dir, NULL }, NULL, NULL,
                                &err), ==, 2);
  g_assert_nonnull (strstr (err, "--limit"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--limit", "many", "--data-dir", f->dir, NULL }, NULL,
                                NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "hong", "--data-dir", f->dir, NULL }, NULL, NULL, NULL),
                   ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--search", NULL }, NULL, NULL, NULL), ==, 2);
  /* The store cannot be opened: 74. */
  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  g_assert_cmpint (tp_test_run ((const char *[]) { "leads", "--data-dir", blocker, NULL }, NULL, NULL, NULL), ==, 74);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/touchpoint/cli/leads/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("json", test_json);
  ADD ("search", test_search);
  ADD ("limit", test_limit);
  ADD ("text", test_text);
  ADD ("exit-codes", test_exit_codes);
#undef ADD
  return g_test_run ();
}
