/* test-cli.c: the command line as a subprocess: exit codes, output shape, nothing stored on bad input. */
#include "tests/tp-test-util.h"
#include "tp-coupon.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char *dir;       /* the data folder given with --data-dir */
  char *scratch;   /* files the test writes */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *base = tp_test_mkdtemp ();

  f->scratch = g_steal_pointer (&base);
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

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->scratch, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static gint64
stats_leads (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  int rc = tp_test_run ((const char *[]) { "stats", "--json", "--data-dir", f->dir, NULL }, NULL, &out, NULL);

  g_assert_cmpint (rc, ==, 0);
  node = parse (out);
  return json_object_get_int_member (json_node_get_object (node), "leads");
}

static void
test_event_check (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-event.json", NULL);
  g_autofree char *bad = write_file (f, "bad.json", "{\"format\": 1, \"id\": \"x\", \"locales\": [\"ko\"], \"name\": {\"ko\": 5}}");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", demo, NULL }, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "valid"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", bad, NULL }, NULL, &out, &err), ==, 65);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "name.ko: expected a string"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", "/nonexistent.json", NULL }, NULL, NULL, &err), ==, 65);
  g_assert_nonnull (strstr (err, "/nonexistent.json"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", NULL }, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "frobnicate", NULL }, NULL, NULL, NULL), ==, 2);
}

/* Staff start their own event from the demo: `event new` (a fresh key) and `event show
 * --with-key` write files that `event check` accepts and that read back as the same event. */
static void
test_event_new (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *shown = NULL, *made = NULL, *again = NULL, *plain = NULL, *err = NULL;
  g_autofree char *shown_path = NULL, *made_path = NULL;
  g_autoptr(JsonNode) made_node = NULL, shown_node = NULL;
  JsonObject *made_coupon, *shown_coupon;

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "show", "--with-key", NULL }, NULL, &shown, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "new", NULL }, NULL, &made, NULL), ==, 0);
  shown_path = write_file (f, "shown.json", shown);
  made_path = write_file (f, "made.json", made);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", shown_path, NULL }, NULL, NULL, &err), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "check", made_path, NULL }, NULL, NULL, NULL), ==, 0);

  /* The same event, but for the key: a new event's coupons are not valid at the demo. */
  made_node = parse (made);
  shown_node = parse (shown);
  made_coupon = json_object_get_object_member (json_node_get_object (made_node), "coupon");
  shown_coupon = json_object_get_object_member (json_node_get_object (shown_node), "coupon");
  g_assert_cmpstr (json_object_get_string_member (made_coupon, "key"), !=,
                   json_object_get_string_member (shown_coupon, "key"));
  g_assert_cmpuint (strlen (json_object_get_string_member (made_coupon, "key")), ==, 44);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "show", shown_path, NULL }, NULL, &again, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "show", NULL }, NULL, &plain, NULL), ==, 0);
  g_assert_cmpstr (again, ==, plain);
  /* Without --with-key the key never shows. */
  g_assert_null (strstr (plain, json_object_get_string_member (shown_coupon, "key")));
}

static void
test_event_show (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;
  JsonArray *fields, *consents, *survey, *offers;

  g_assert_cmpint (tp_test_run ((const char *[]) { "event", "show", NULL }, NULL, &out, NULL), ==, 0);
  node = parse (out);
  root = json_node_get_object (node);
  fields = json_object_get_array_member (root, "fields");
  consents = json_object_get_array_member (root, "consents");
  survey = json_object_get_array_member (root, "survey");
  offers = json_object_get_array_member (root, "offers");
  g_assert_cmpuint (json_array_get_length (fields), ==, 4);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *o = json_array_get_object_element (fields, i);
      g_assert_true (json_object_has_member (o, "id") && json_object_has_member (o, "type") &&
                     json_object_has_member (o, "required"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (consents, 0), "id"), ==, "privacy");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (consents, 0), "required"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (consents, 1), "required"));
  for (guint i = 0; i < json_array_get_length (survey); i++)
    {
      JsonObject *q = json_array_get_object_element (survey, i);
      const char *type = json_object_get_string_member (q, "type");

      g_assert_true (json_object_has_member (q, "id") && json_object_has_member (q, "required"));
      if (g_str_equal (type, "single") || g_str_equal (type, "multi"))
        g_assert_true (json_object_has_member (json_array_get_object_element (json_object_get_array_member (q, "options"), 0), "id"));
    }
  g_assert_cmpuint (json_array_get_length (offers), >=, 3);
  /* The coupon key is a secret: never printed. */
  g_assert_null (strstr (out, "ZGVtby1vbmx5"));
}

static void
test_capture (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *path = write_file (f, "visitor.json", json);
  g_autofree char *out = NULL, *out2 = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *coupon;
  int rc;

  rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", path, NULL }, NULL, &out, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (rc, ==, 0);
  node = parse (out);
  root = json_node_get_object (node);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (root, "lead_id")));
  g_assert_cmpstr (json_object_get_string_member (root, "offer"), ==, "tasting-class");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "tags")), >=, 1);
  coupon = json_object_get_object_member (root, "coupon");
  g_assert_cmpuint (strlen (json_object_get_string_member (coupon, "code")), ==, 39);
  g_assert_cmpstr (json_object_get_string_member (coupon, "offer"), ==, "tasting-class");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (coupon, "expires_at"), "Z"));

  /* From standard input too; TOUCHPOINT_DATA_DIR names the same folder. */
  g_setenv ("TOUCHPOINT_DATA_DIR", f->dir, TRUE);
  rc = tp_test_run ((const char *[]) { "capture", "--json", "-", NULL }, json, &out2, NULL);
  g_unsetenv ("TOUCHPOINT_DATA_DIR");
  g_assert_cmpint (rc, ==, 0);
  g_assert_cmpint (stats_leads (f), ==, 2);
}

static void
test_capture_refused (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *json; const char *expected; } cases[] = {
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": true}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "fields.email" },
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": false}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "consents.privacy" },
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": true}, \"age_confirmed\": false,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "age_confirmed" },
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": true}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 12}}",
      "answers.nps" },
    /* A NUL escape must not cut the value short and slip through. */
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\\u0000<script>\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": true}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "fields.name: Name contains control characters" },
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": true}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\\u0000x\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "answers.visit_reason" },
    { "{\"fields\": {\"name\": 5}}", "fields.name: expected a string" },
    { "{\"fields\": ", "not valid JSON" },
    { "\xff\xfe{}", "not valid UTF-8" },
    /* Ambiguous JSON is refused, naming the path, instead of guessed at (last key winning,
     * 010 as octal 8, ...): a refused privacy consent must never be stored as granted. */
    { "{\"locale\": \"ko\", \"fields\": {\"name\": \"Kim\", \"email\": \"kim@example.com\", \"phone\": \"010-1111-2222\"},"
      " \"consents\": {\"privacy\": false, \"privacy\": true}, \"age_confirmed\": true,"
      " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\"], \"booth_rating\": 3, \"nps\": 7}}",
      "consents.privacy: this key appears twice" },
    { "{\"age_confirmed\": false, \"age_confirmed\": true}", "age_confirmed: this key appears twice" },
    { "{\"answers\": {\"nps\": 010}}", "answers.nps: numbers do not start with 0" },
    { "{\"answers\": {\"nps\": 0x0A}}", "answers.nps: hexadecimal" },
    { "{\"locale\": \"ko\" /* note */}", "comments are not allowed" },
    { "{'locale': 'ko'}", "single quotes" },
    { "{\"locale\": \"ko\"}\n{\"locale\": \"en\"}", "give one value only" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (f, "bad.json", cases[i].json);
      g_autofree char *out = NULL, *err = NULL;
      int rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", path, NULL }, NULL, &out, &err);

      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (rc, ==, 65);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].expected));
      g_assert_nonnull (strstr (err, path));
      /* Nothing stored: not even the data folder was made. */
      g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpint (stats_leads (f), ==, 0);
}

/* An empty standard input (a pipe from a command that printed nothing) is bad input, not a crash. */
static void
test_capture_empty_stdin (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, "", &out, &err);

  g_assert_cmpint (rc, ==, 65);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "standard input"));
  g_assert_nonnull (strstr (err, "empty"));
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
}

/* Input that is no submission file: a device or a FIFO was read until memory ran out or
 * waited for a writer forever; a huge file was read whole. Each is refused at once with 65,
 * naming the file, and nothing is stored. */
static void
test_capture_not_a_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (g_get_tmp_dir (), "touchpoint-test-fifo-XXXXXX", NULL);
  g_autofree char *big = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GString) huge = g_string_new ("{\"wish\": \"");
  const char *inputs[4];
  int fd = g_mkstemp (fifo);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_unlink (fifo);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  while (huge->len < 5 * 1024 * 1024)
    g_string_append (huge, "말차 라떼 클래스 ");
  g_string_append (huge, "\"}");
  big = write_file (f, "big.json", huge->str);
  inputs[0] = "/dev/zero";
  inputs[1] = fifo;
  inputs[2] = big;
  inputs[3] = g_get_tmp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *err = NULL, *event_err = NULL;
      int rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", inputs[i], NULL },
                            NULL, NULL, &err);

      g_test_message ("%s: %s", inputs[i], err);
      g_assert_cmpint (rc, ==, 65);
      g_assert_nonnull (strstr (err, inputs[i]));
      /* The same for an event file. */
      rc = tp_test_run ((const char *[]) { "event", "check", inputs[i], NULL }, NULL, NULL, &event_err);
      g_assert_cmpint (rc, ==, 65);
      g_assert_nonnull (strstr (event_err, inputs[i]));
    }
  g_unlink (fifo);

  /* Standard input without end (a device behind it) stops at the limit. */
  script = g_strdup_printf ("exec \"$TOUCHPOINT_BIN\" capture --data-dir '%s' --json - < /dev/zero", f->dir);
  {
    g_autofree char *err = NULL;
    int status = 0;
    const char *argv[] = { "/bin/sh", "-c", script, NULL };
    g_autoptr(GError) error = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 65);
    g_assert_nonnull (strstr (err, "larger than"));
  }
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
}

/* JSON nested 200,000 levels deep overflowed the parser's stack: a crash, not an answer. */
static void
test_capture_deep (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"answers\": {\"nps\": ");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int rc;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}}");
  path = write_file (f, "deep.json", json->str);

  rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", path, NULL }, NULL, &out, &err);
  g_assert_cmpint (rc, ==, 65);
  g_assert_nonnull (strstr (err, path));
  g_assert_nonnull (strstr (err, "nested deeper than"));
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));

  /* The same as an event file. */
  g_clear_pointer (&err, g_free);
  rc = tp_test_run ((const char *[]) { "event", "check", path, NULL }, NULL, NULL, &err);
  g_assert_cmpint (rc, ==, 65);
  g_assert_nonnull (strstr (err, "nested deeper than"));
}

/* Twenty captures started at once on a data folder that does not exist yet: each must be
 * stored, with its own sequence number, and all under one kiosk identity. */
static void
test_capture_concurrent (Fixture       *f,
                         gconstpointer  data)
{
  enum { N = 20 };
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *path = write_file (f, "visitor.json", json);
  g_autoptr(GHashTable) seqs = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) kiosks = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  GSubprocess *procs[N];

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GError) error = NULL;

      procs[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                   g_getenv ("TOUCHPOINT_BIN"), "capture", "--data-dir", f->dir,
                                   "--json", path, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GSubprocess) proc = procs[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(TpCoupon) coupon = NULL;
      g_autofree char *out = NULL, *err = NULL;
      JsonObject *root;

      g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("capture %u: %s", i, err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
      node = parse (out);
      root = json_node_get_object (node);
      g_hash_table_add (seqs, GINT_TO_POINTER (json_object_get_int_member (root, "seq")));
      /* The coupon code carries the kiosk number. */
      coupon = tp_coupon_verify (event, json_object_get_string_member (json_object_get_object_member (root, "coupon"), "code"),
                                 &error);
      g_assert_no_error (error);
      g_hash_table_add (kiosks, GUINT_TO_POINTER (coupon->kiosk_number));
    }
  g_assert_cmpuint (g_hash_table_size (seqs), ==, N);
  for (guint i = 1; i <= N; i++)
    g_assert_true (g_hash_table_contains (seqs, GINT_TO_POINTER (i)));
  g_assert_cmpuint (g_hash_table_size (kiosks), ==, 1);
  g_assert_cmpint (stats_leads (f), ==, N);
}

/* A result that cannot be written (stdout on a full disk) is a failure, not a silent 0. */
static void
test_stdout_full (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *path = write_file (f, "visitor.json", json);
  const char *commands[][8] = {
    { "stats", "--json", "--data-dir", f->dir, NULL },
    { "capture", "--json", path, "--data-dir", f->dir, NULL },
    { "event", "show", NULL },
  };

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (args, (gpointer) g_getenv ("TOUCHPOINT_BIN"));
      for (guint j = 0; commands[i][j]; j++)
        g_ptr_array_add (args, (gpointer) commands[i][j]);
      g_ptr_array_add (args, NULL);
      g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
      proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", commands[i][0], err);
      g_assert_true (g_subprocess_get_if_exited (proc));
      /* After a stored capture: 73, never 74 ("nothing stored"), which would invite a retry
       * that stores the lead twice. */
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, i == 1 ? 73 : 74);
      g_assert_nonnull (strstr (err, "standard output"));
    }
}

/* capture --id: the caller's idempotency key. Retried, it stores nothing and prints the first
 * result again, coupon and all; a bad key is a usage error. */
static void
test_capture_idempotent (Fixture       *f,
                         gconstpointer  data)
{
  const char *id = "0B7D2C1E-5F7A-4C2E-9A51-3D6F8E2B1C47";
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *first = NULL, *second = NULL, *other = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--id", id, "--data-dir", f->dir, "--json", "-", NULL },
                                json, &first, NULL), ==, 0);
  node = parse (first);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "lead_id"), ==,
                   "0b7d2c1e-5f7a-4c2e-9a51-3d6f8e2b1c47");
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--id", id, "--data-dir", f->dir, "--json", "-", NULL },
                                json, &second, NULL), ==, 0);
  g_assert_cmpstr (second, ==, first);
  g_assert_cmpint (stats_leads (f), ==, 1);

  /* Another id is another lead. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--id", "6a1f0b7e-2222-4c2e-9a51-3d6f8e2b1c47",
                                                   "--data-dir", f->dir, "--json", "-", NULL }, json, &other, NULL), ==, 0);
  g_assert_cmpint (stats_leads (f), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--id", "not-a-uuid", "--data-dir", f->dir, "--json", "-",
                                                   NULL }, json, NULL, NULL), ==, 2);
}

/* The common options may come before the command, and a misspelt command is a usage error:
 * it must never start the kiosk instead (here: without a display, where the kiosk fails). */
static void
test_command_anywhere (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autofree char *wayland = g_strdup (g_getenv ("WAYLAND_DISPLAY"));
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  int rc;

  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

  rc = tp_test_run ((const char *[]) { "--data-dir", f->dir, "stats", "--json", NULL }, NULL, &out, &err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (rc, ==, 0);
  node = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "leads"), ==, 0);
  g_assert_true (g_file_test (f->dir, G_FILE_TEST_IS_DIR));
  g_clear_pointer (&err, g_free);

  rc = tp_test_run ((const char *[]) { "--data-dir", f->dir, "stast", NULL }, NULL, NULL, &err);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "unknown command \"stast\""));
  g_clear_pointer (&err, g_free);

  rc = tp_test_run ((const char *[]) { "exprot", "--csv", NULL }, NULL, NULL, &err);
  g_assert_cmpint (rc, ==, 2);
  g_assert_nonnull (strstr (err, "exprot"));

  if (display)
    g_setenv ("DISPLAY", display, TRUE);
  if (wayland)
    g_setenv ("WAYLAND_DISPLAY", wayland, TRUE);
}

/* The demo event looks up its time zone on disk; when that fails (a transient open() failure,
 * here no zone files at all) the program says so and exits 65, where it used to abort. */
static void
test_demo_unreadable (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *err = NULL;
  int rc;

  g_setenv ("TZDIR", "/nonexistent-zoneinfo", TRUE);
  rc = tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json, NULL, &err);
  g_unsetenv ("TZDIR");
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 65);
  g_assert_nonnull (strstr (err, "touchpoint: demo: timezone:"));
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
}

/* Every error line, whichever command or the kiosk itself failed, comes from the one place
 * that prints errors: "touchpoint: " first, and the exit code of the contract. */
static void
assert_error_lines (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);

  g_assert_nonnull (lines[0]);
  g_assert_cmpstr (lines[0], !=, "");
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0')
      {
        g_assert_true (g_str_has_prefix (lines[i], "touchpoint: "));
        g_assert_null (strchr (lines[i], '\x1b'));
      }
}

static void
test_errors_reported_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *bad_event = write_file (f, "bad-event.json", "{\"format\": 1}");
  g_autofree char *blocker = write_file (f, "not-a-folder", "x");
  g_autofree char *store_dir = g_build_filename (blocker, "store", NULL);
  g_autofree char *bad_lead = write_file (f, "bad.json", "{\"locale\": \"ko\", \"fields\": {\"email\": \"x\"}}");
  struct {
    const char *argv[8];
    int         code;
    const char *names;
  } cases[] = {
    /* The kiosk checks its event file and store before any window opens. */
    { { "--event", bad_event, NULL }, 65, "bad-event.json" },
    { { "--data-dir", store_dir, NULL }, 74, "not-a-folder" },
    { { "capture", "--json", bad_lead, NULL }, 65, "bad.json" },
    { { "event", "check", bad_event, NULL }, 65, "bad-event.json" },
    { { "stats", "--data-dir", store_dir, NULL }, 74, "not-a-folder" },
    { { "redeem", "NOT-A-CODE", "--data-dir", f->dir, NULL }, 1, "" },
    { { "stats", "--bogus", NULL }, 2, "--bogus" },
    /* An empty --data-dir (an unset variable in a script) is no folder, not the default one. */
    { { "stats", "--data-dir", "", NULL }, 2, "--data-dir is empty" },
    /* Terminal escapes in what a message quotes are shown, not played. */
    { { "event", "check", "/nonexistent/\x1b]0;owned\x07\x1b[2J.json", NULL }, 65, "\\x1b]0;owned\\x07\\x1b[2J" },
    { { "--data-dir", "", NULL }, 2, "--data-dir is empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_test_message ("case %u: %s", i, cases[i].argv[0]);
      g_assert_cmpint (tp_test_run (cases[i].argv, NULL, &out, &err), ==, cases[i].code);
      assert_error_lines (err);
      g_assert_nonnull (strstr (err, cases[i].names));
    }
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", NULL }, NULL, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--json"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--bogus", NULL }, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "stats", "extra", NULL }, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", NULL }, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "help", NULL }, NULL, NULL, NULL), ==, 0);
}

static void
test_storage_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *path = write_file (f, "visitor.json", json);
  g_autofree char *blocker = write_file (f, "not-a-folder", "x");
  g_autofree char *event = NULL;
  g_autofree char *err = NULL;
  int rc;

  /* The data folder cannot be made: local storage failure, 74, naming the folder. */
  rc = tp_test_run ((const char *[]) { "capture", "--data-dir", blocker, "--json", path, NULL }, NULL, NULL, &err);
  g_assert_cmpint (rc, ==, 74);
  g_assert_nonnull (strstr (err, blocker));
  g_clear_pointer (&err, g_free);

  /* A bad --event file: 65, naming the file. */
  event = write_file (f, "event.json", "[]");
  rc = tp_test_run ((const char *[]) { "capture", "--event", event, "--data-dir", f->dir, "--json", path, NULL },
                    NULL, NULL, &err);
  g_assert_cmpint (rc, ==, 65);
  g_assert_nonnull (strstr (err, event));
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *out = NULL, *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root;

  for (int i = 0; i < 2; i++)
    g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL },
                                  json, NULL, NULL), ==, 0);
  /* Debug output, when asked for, goes to stderr: stdout stays JSON. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_assert_cmpint (tp_test_run ((const char *[]) { "stats", "--json", "--data-dir", f->dir, NULL }, NULL, &out, NULL), ==, 0);
  g_unsetenv ("G_MESSAGES_DEBUG");
  node = parse (out);
  root = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (root, "leads"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (root, "consents"), "granted"), "privacy"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "offers"), "tasting-class"), ==, 2);
  g_assert_true (json_object_has_member (root, "outbox"));

  g_assert_cmpint (tp_test_run ((const char *[]) { "stats", "--data-dir", f->dir, NULL }, NULL, &text, NULL), ==, 0);
  g_assert_nonnull (strstr (text, "Leads: 2"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  const char *tricky = "{\"locale\": \"en\", \"fields\": {\"name\": \"=HYPERLINK(\\\"x\\\")\", \"email\": \"a@b.co\","
                       " \"phone\": \"+44 7700 900123\", \"company\": \"Kim, Lee & \\\"Park\\\"\"},"
                       " \"consents\": {\"privacy\": true, \"marketing\": true}, \"age_confirmed\": true,"
                       " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"black\", \"herbal\"], \"booth_rating\": 2,"
                       " \"nps\": 3, \"wish\": \"line one\\nline two\"}}";
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *csv_path = g_build_filename (f->scratch, "leads.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length;

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json, NULL, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, tricky, NULL, &err), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "-o", csv_path, "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv, &length, NULL));

  /* UTF-8 with BOM, CRLF rows, a header naming every column, one row per lead. */
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFlead_id,seq,captured_at,"));
  g_assert_nonnull (strstr (csv, ",name,email,phone,company,consent_privacy,consent_privacy_version,"));
  g_assert_nonnull (strstr (csv, ",answer_nps,"));
  g_assert_nonnull (strstr (csv, "홍길동"));
  g_assert_nonnull (strstr (csv, "\"Kim, Lee & \"\"Park\"\"\""));
  g_assert_nonnull (strstr (csv, "\"line one\nline two\""));
  /* A formula is kept as text. */
  g_assert_nonnull (strstr (csv, "\"'=HYPERLINK(\"\"x\"\")\""));
  g_assert_nonnull (strstr (csv, ",+447700900123,"));
  /* A Korean phone number as the visitor typed it: spreadsheets keep it text, leading 0 and
   * all, where +821012345678 became the number 821012345678. */
  g_assert_nonnull (strstr (csv, ",010-1234-5678,"));
  g_assert_null (strstr (csv, "+821012345678"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);  /* header, two leads, empty after the last CRLF */
  g_assert_cmpstr (lines[3], ==, "");

  /* "-o -" is standard output, not a file named "-". */
  {
    g_autofree char *to_stdout = NULL;

    g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "-o", "-", "--data-dir", f->dir, NULL },
                                  NULL, &to_stdout, NULL), ==, 0);
    g_assert_cmpstr (to_stdout, ==, csv);
    g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
  }

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "-o", "/nonexistent/dir/leads.csv", "--data-dir", f->dir, NULL },
                                NULL, NULL, &err), ==, 74);
  g_assert_nonnull (strstr (err, "/nonexistent/dir/leads.csv"));
}

/* The cells of an .xlsx export, read back by Python's zipfile: row 2, by column name. */
static const char xlsx_reader[] =
  "import sys, zipfile, re, json\n"
  "z = zipfile.ZipFile(sys.argv[1])\n"
  "s = z.read('xl/worksheets/sheet1.xml').decode()\n"
  "rows = re.findall(r'<row r=\"(\\d+)\"[^>]*>(.*?)</row>', s)\n"
  "def cells(xml):\n"
  "  out = {}\n"
  "  for ref, attrs, body in re.findall(r'<c r=\"([A-Z]+)\\d+\"([^>]*)>(.*?)</c>', xml):\n"
  "    t = re.search(r'<t[^>]*>(.*?)</t>', body)\n"
  "    v = re.search(r'<v>(.*?)</v>', body)\n"
  "    out[ref] = {'text': t.group(1) if t else None, 'number': v.group(1) if v else None,\n"
  "                'inline': 't=\"inlineStr\"' in attrs}\n"
  "  return out\n"
  "head = cells(rows[0][1]); first = cells(rows[1][1])\n"
  "named = {head[k]['text']: first.get(k) for k in head}\n"
  "print(json.dumps({'cells': named, 'rows': len(rows), 'frozen': 'state=\"frozen\"' in s,\n"
  "                  'filter': '<autoFilter' in s}))\n";

static void
test_export_xlsx (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *path = g_build_filename (f->scratch, "leads.xlsx", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj, *cells;
  int status = 0;
  GStatBuf st;

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json, NULL, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--xlsx", "-o", path, "--data-dir", f->dir, NULL },
                                NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "python3", "-c", (char *) xlsx_reader, path, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  node = parse (out);
  obj = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (obj, "rows"), ==, 2);
  g_assert_true (json_object_get_boolean_member (obj, "frozen"));
  g_assert_true (json_object_get_boolean_member (obj, "filter"));
  cells = json_object_get_object_member (obj, "cells");
#define CELL(name) json_object_get_object_member (cells, name)
  /* Text stays text: the phone keeps its 0, the version is no date. */
  g_assert_true (json_object_get_boolean_member (CELL ("phone"), "inline"));
  g_assert_cmpstr (json_object_get_string_member (CELL ("phone"), "text"), ==, "010-1234-5678");
  g_assert_cmpstr (json_object_get_string_member (CELL ("consent_privacy_version"), "text"), ==, "2026-11-01");
  g_assert_cmpstr (json_object_get_string_member (CELL ("name"), "text"), ==, "홍길동");
  /* Numbers are numbers, times are date serials. */
  g_assert_false (json_object_get_boolean_member (CELL ("seq"), "inline"));
  g_assert_cmpstr (json_object_get_string_member (CELL ("seq"), "number"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (CELL ("answer_nps"), "number"), ==, "10");
  g_assert_false (json_object_get_boolean_member (CELL ("captured_at"), "inline"));
  g_assert_nonnull (json_object_get_string_member (CELL ("captured_at"), "number"));
#undef CELL

  /* Without -o the workbook goes to standard output, whole. */
  {
    g_autofree char *bytes = NULL;

    g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--xlsx", "--data-dir", f->dir, NULL },
                                  NULL, &bytes, NULL), ==, 0);
    g_assert_true (g_str_has_prefix (bytes, "PK"));
  }
  /* One format at a time. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--xlsx", "--csv", "--data-dir", f->dir, NULL },
                                NULL, NULL, NULL), ==, 2);
}

static int
run_7z (const char  *password,
        const char  *zip,
        char       **out)
{
  g_autofree char *pass = g_strdup_printf ("-p%s", password);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char *[]) { "7z", "x", "-so", pass, (char *) zip, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* --encrypt seals the export in an AES-256 zip that 7-Zip opens with the password, and only
 * with it; no visitor's data is readable in the archive's bytes. */
static void
test_export_encrypted (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *zip = g_build_filename (f->scratch, "leads.zip", NULL);
  g_autofree char *xlsx_zip = g_build_filename (f->scratch, "leads-xlsx.zip", NULL);
  g_autofree char *password = write_file (f, "password", "correct horse battery\n");
  g_autofree char *raw = NULL, *plain = NULL, *wrong = NULL, *err = NULL, *workbook = NULL;
  gsize length;
  GStatBuf st;

  g_assert_cmpint (g_chmod (password, 0600), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json, NULL, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--encrypt", "--password-file", password, "-o", zip,
                                                   "--data-dir", f->dir, NULL }, NULL, NULL, &err), ==, 0);
  g_assert_cmpint (g_stat (zip, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (zip, &raw, &length, NULL));
  g_assert_null (g_strstr_len (raw, length, "hong@example.com"));
  g_assert_null (g_strstr_len (raw, length, "홍길동"));

  /* The password is the file's first line, without its line break. */
  g_assert_cmpint (run_7z ("correct horse battery", zip, &plain), ==, 0);
  g_assert_true (g_str_has_prefix (plain, "\xEF\xBB\xBFlead_id,"));
  g_assert_nonnull (strstr (plain, "hong@example.com"));
  g_assert_cmpint (run_7z ("wrong password", zip, &wrong), !=, 0);

  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--xlsx", "--encrypt", "--password-file", password, "-o",
                                                   xlsx_zip, "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (run_7z ("correct horse battery", xlsx_zip, &workbook), ==, 0);
  g_assert_true (g_str_has_prefix (workbook, "PK"));

  /* A password others can read, no password at all, or a short one: refused, nothing written. */
  g_assert_cmpint (g_chmod (password, 0644), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--encrypt", "--password-file", password, "-o",
                                                   "other.zip", "--data-dir", f->dir, NULL }, NULL, NULL, &err), ==, 65);
  g_assert_nonnull (strstr (err, "chmod 600"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--encrypt", "-o", "other.zip", "--data-dir",
                                                   f->dir, NULL }, NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--encrypt", "--data-dir", f->dir, NULL },
                                NULL, NULL, NULL), ==, 2);
  g_assert_true (g_file_set_contents (password, "short\n", -1, NULL));
  g_assert_cmpint (g_chmod (password, 0600), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--encrypt", "--password-file", password, "-o",
                                                   "other.zip", "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 65);
  g_assert_false (g_file_test ("other.zip", G_FILE_TEST_EXISTS));
}

/* `export -o FILE` replaces FILE only once the whole export is written: an export that fails
 * half-way (here: the file size limit, as on a full disk) leaves the old file and no scrap. */
static void
test_export_atomic (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *csv_path = g_build_filename (f->scratch, "leads.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  const char *name;
  guint files = 0;
  int rc;

  {
    g_autoptr(TpStore) store = tp_store_new (f->dir, &error);
    g_autoptr(TpEvent) event = tp_event_new_demo ();
    g_autoptr(GString) wish = g_string_new (NULL);

    g_assert_no_error (error);
    for (guint i = 0; i < 100; i++)
      g_string_append (wish, "말차 ");
    /* About 200 KiB of CSV. */
    for (guint i = 0; i < 200; i++)
      {
        g_autoptr(TpSubmission) s = tp_test_demo_submission ();
        g_autoptr(TpCapture) c = NULL;

        tp_submission_set_answer (s, "wish", tp_answer_new_string (wish->str));
        c = tp_store_capture (store, event, s, NULL, NULL, &error);
        g_assert_no_error (error);
      }
  }
  g_assert_true (g_file_set_contents (csv_path, "the previous export\r\n", -1, NULL));

  /* 96 blocks (of 512 bytes in dash, 1024 in bash): room for SQLite's 32 KiB shared-memory
   * file, not for the export. */
  {
    g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                    &error, "/bin/sh", "-c", "trap '' XFSZ; ulimit -f 96; exec \"$@\"",
                                                    "sh", g_getenv ("TOUCHPOINT_BIN"), "export", "--csv", "-o", csv_path,
                                                    "--data-dir", f->dir, NULL);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_if_exited (proc));
    rc = g_subprocess_get_exit_status (proc);
  }
  g_test_message ("%s", err);
  g_assert_cmpint (rc, ==, 74);
  g_assert_nonnull (strstr (err, csv_path));
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  /* Not cmpstr: a failure would print 200 KiB. */
  g_assert_true (g_str_equal (contents, "the previous export\r\n"));
  dir = g_dir_open (f->scratch, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    files += !g_str_equal (name, "data");
  g_assert_cmpuint (files, ==, 1);

  /* A new target on a full disk: no half file, no temporary file left either. */
  {
    g_autofree char *new_path = g_build_filename (f->scratch, "new.csv", NULL);
    g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                    &error, "/bin/sh", "-c", "trap '' XFSZ; ulimit -f 96; exec \"$@\"",
                                                    "sh", g_getenv ("TOUCHPOINT_BIN"), "export", "--csv", "-o", new_path,
                                                    "--data-dir", f->dir, NULL);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait (proc, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 74);
    g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
    g_clear_pointer (&dir, g_dir_close);
    files = 0;
    dir = g_dir_open (f->scratch, 0, &error);
    while ((name = g_dir_read_name (dir)))
      files += !g_str_equal (name, "data");
    g_assert_cmpuint (files, ==, 1);
  }

  /* A device is not replaced (as root, a rename would swap /dev/null for the export). */
  {
    g_autofree char *dev_err = NULL;

    g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "-o", "/dev/null", "--data-dir", f->dir, NULL },
                                  NULL, NULL, &dev_err), ==, 74);
    g_assert_nonnull (strstr (dev_err, "not a regular file"));
  }

  /* Without the limit it is replaced, whole, and private even if the old file was not. */
  g_assert_cmpint (g_chmod (csv_path, 0666), ==, 0);
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "-o", csv_path, "--data-dir", f->dir, NULL },
                                NULL, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFlead_id,"));
  g_assert_cmpuint (strlen (contents), >, 100 * 1024);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (csv_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
}

/* Leads captured with another event file are exported whole even when export is given the demo
 * event (the default): a question only that event has gets its own column, not silence. */
static void
test_export_other_event (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *demo_path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-event.json", NULL);
  g_autofree char *demo = NULL;
  g_autofree char *other = NULL;
  g_autofree char *event_path = NULL;
  g_autofree char *submission = tp_test_demo_submission_json ();
  g_autofree char *renamed = NULL;
  g_autofree char *csv = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) question = g_regex_new ("\"id\": \"wish\"", 0, 0, NULL);
  g_autoptr(GRegex) answer = g_regex_new ("\"wish\":", 0, 0, NULL);

  g_assert_true (g_file_get_contents (demo_path, &demo, NULL, NULL));
  other = g_regex_replace_literal (question, demo, -1, 0, "\"id\": \"wish_next_year\"", 0, NULL);
  g_assert_cmpstr (other, !=, demo);
  event_path = write_file (f, "other-event.json", other);
  renamed = g_regex_replace_literal (answer, submission, -1, 0, "\"wish_next_year\":", 0, NULL);
  g_assert_cmpstr (renamed, !=, submission);

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--event", event_path, "--data-dir", f->dir, "--json", "-", NULL },
                                renamed, NULL, &err), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--data-dir", f->dir, NULL }, NULL, &csv, NULL), ==, 0);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_nonnull (strstr (lines[0], ",answer_wish,answer_wish_next_year,tags,"));
  /* The demo's "wish" is empty, the other event's question holds the text. */
  g_assert_nonnull (strstr (lines[1], ",,말차 라떼 클래스,"));
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/touchpoint/cli/event-check", test_event_check);
  ADD ("/touchpoint/cli/event-show", test_event_show);
  ADD ("/touchpoint/cli/event-new", test_event_new);
  ADD ("/touchpoint/cli/capture", test_capture);
  ADD ("/touchpoint/cli/capture-refused", test_capture_refused);
  ADD ("/touchpoint/cli/capture-empty-stdin", test_capture_empty_stdin);
  ADD ("/touchpoint/cli/capture-deep", test_capture_deep);
  ADD ("/touchpoint/cli/capture-not-a-file", test_capture_not_a_file);
  ADD ("/touchpoint/cli/capture-concurrent", test_capture_concurrent);
  ADD ("/touchpoint/cli/stdout-full", test_stdout_full);
  ADD ("/touchpoint/cli/capture-idempotent", test_capture_idempotent);
  ADD ("/touchpoint/cli/command-anywhere", test_command_anywhere);
  ADD ("/touchpoint/cli/usage", test_usage);
  ADD ("/touchpoint/cli/errors-reported-once", test_errors_reported_once);
  ADD ("/touchpoint/cli/demo-unreadable", test_demo_unreadable);
  ADD ("/touchpoint/cli/storage-failure", test_storage_failure);
  ADD ("/touchpoint/cli/stats", test_stats);
  ADD ("/touchpoint/cli/export", test_export);
  ADD ("/touchpoint/cli/export-atomic", test_export_atomic);
  ADD ("/touchpoint/cli/export-xlsx", test_export_xlsx);
  ADD ("/touchpoint/cli/export-encrypted", test_export_encrypted);
  ADD ("/touchpoint/cli/export-other-event", test_export_other_event);
  return g_test_run ();
}
