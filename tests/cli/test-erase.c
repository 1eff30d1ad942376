/* test-erase.c: a person's rights from the command line: erasure (no byte of their data left in
 * the database's files), withdrawal of marketing consent, and the tamper-evident audit log. */
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef TpStoreFixture Fixture;

static const char visitor_json[] =
  "{\"locale\": \"ko\", \"fields\": {\"name\": \"%s\", \"email\": \"%s\", \"phone\": \"%s\"},"
  " \"consents\": {\"privacy\": true, \"marketing\": true}, \"age_confirmed\": true,"
  " \"answers\": {\"visit_reason\": \"gift\", \"interests\": [\"green\"], \"booth_rating\": 4, \"nps\": 9,"
  " \"wish\": \"%s\"}}";

static char *
capture (Fixture    *f,
         const char *name,
         const char *email,
         const char *phone,
         const char *wish)
{
  g_autofree char *json = g_strdup_printf (visitor_json, name, email, phone, wish);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (tp_test_run ((const char *[]) { "capture", "--data-dir", f->dir, "--json", "-", NULL }, json, &out,
                                NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "lead_id"));
}

static JsonNode *
run_json (const char * const *argv,
          int                 expected)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (tp_test_run (argv, NULL, &out, &err), ==, expected);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

/* text in the raw bytes of every file of the data folder, as UTF-8, UTF-16LE or UTF-16BE. */
static gboolean
found_in_files (const char *dir,
                const char *text)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *le = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, NULL, NULL);
  g_autofree char *be = g_convert (text, -1, "UTF-16BE", "UTF-8", NULL, NULL, NULL);
  gsize wide = g_utf8_strlen (text, -1) * 2;
  const char *name;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      for (gsize i = 0; i + strlen (text) <= length || i + wide <= length; i++)
        if ((i + strlen (text) <= length && memcmp (data + i, text, strlen (text)) == 0) ||
            (i + wide <= length && (memcmp (data + i, le, wide) == 0 || memcmp (data + i, be, wide) == 0)))
          {
            g_test_message ("\"%s\" found in %s at %" G_GSIZE_FORMAT, text, name, i);
            return TRUE;
          }
    }
  return FALSE;
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  /* Only the command line's processes hold the store. */
  g_clear_object (&f->store);
  g_autofree char *a = capture (f, "김하늘", "haneul.kim@example.com", "010-2345-6789", "말차 라떼 클래스");
  g_autofree char *b = capture (f, "김하늘", "Haneul.Kim@Example.com", "+82 10 2345 6789", "다도 체험");
  g_autofree char *other = capture (f, "이서준", "seojun@example.com", "010-9876-5432", "선물 포장");
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *csv = NULL, *audit = NULL, *err = NULL;
  const char *secrets[] = { "김하늘", "haneul.kim", "Haneul.Kim", "2345-6789", "1023456789", "말차 라떼 클래스", "다도 체험" };

  /* The data is there before, in the files: the scan does see it. */
  g_assert_true (found_in_files (f->dir, "seojun@example.com"));

  result = run_json ((const char *[]) { "erase", "--email", "HANEUL.KIM@example.com", "--json", "--data-dir", f->dir, NULL }, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "erased"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (result), "leads")), ==, 2);

  /* No byte of it in the database, its log or any index. */
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_assert_false (found_in_files (f->dir, secrets[i]));
  /* The other visitor is untouched. */
  g_assert_true (found_in_files (f->dir, "seojun@example.com"));

  /* Exports made afterwards lack it, but keep the leads and their consent records. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--data-dir", f->dir, NULL }, NULL, &csv, NULL), ==, 0);
  g_assert_null (strstr (csv, "김하늘"));
  g_assert_null (strstr (csv, "haneul"));
  g_assert_nonnull (strstr (csv, a));
  g_assert_nonnull (strstr (csv, "이서준"));

  /* Nothing left to match: 1. By phone, however typed, and by id. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "erase", "--email", "haneul.kim@example.com", "--data-dir", f->dir, NULL },
                                NULL, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no lead matched"));
  g_clear_pointer (&result, json_node_unref);
  result = run_json ((const char *[]) { "erase", "--phone", "+82 (10) 9876-5432", "--json", "--data-dir", f->dir, NULL }, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "erased"), ==, 1);
  g_assert_false (found_in_files (f->dir, "이서준"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "erase", "--lead", "not-a-uuid", "--data-dir", f->dir, NULL },
                                NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "erase", "--email", "x@example.com", "--phone", "010-1111-2222",
                                                   "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 2);

  /* Logged, by whom and which leads, without the address. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "audit", "--json", "--data-dir", f->dir, NULL }, NULL, &audit, NULL), ==, 0);
  g_assert_nonnull (strstr (audit, "\"action\" : \"erase\""));
  g_assert_nonnull (strstr (audit, b));
  g_assert_nonnull (strstr (audit, "\"actor\" : \"os-user:"));
  g_assert_null (strstr (audit, "haneul"));

  /* An export is an access too: logged with its form and reason. */
  g_clear_pointer (&audit, g_free);
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--reason", "CRM import check", "--data-dir", f->dir,
                                                   NULL }, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "audit", "--json", "--data-dir", f->dir, NULL }, NULL, &audit, NULL), ==, 0);
  g_assert_nonnull (strstr (audit, "\"detail\" : \"csv, not encrypted; reason: CRM import check\""));
  (void) other;
}

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  /* Only the command line's processes hold the store. */
  g_clear_object (&f->store);
  g_autofree char *a = capture (f, "박지민", "jimin@example.com", "010-5555-6666", "");
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *csv = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *path = g_build_filename (f->dir, "touchpoint.db", NULL);

  result = run_json ((const char *[]) { "consent", "withdraw", "--email", "jimin@example.com", "--json",
                                        "--data-dir", f->dir, NULL }, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "withdrawn"), ==, 1);
  /* A second withdrawal changes nothing more. */
  g_clear_pointer (&result, json_node_unref);
  result = run_json ((const char *[]) { "consent", "withdraw", "--lead", a, "--json", "--data-dir", f->dir, NULL }, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "withdrawn"), ==, 0);

  /* Appended, never updated: the grant stays as history, the withdrawal comes after it. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT granted, version FROM consents WHERE purpose = 'marketing' "
                                           "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "withdrawn");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  /* The CRM learns it: the lead is queued again. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox WHERE kind = 'upsert'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* The export shows the latest decision. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "export", "--csv", "--data-dir", f->dir, NULL }, NULL, &csv, NULL), ==, 0);
  g_assert_nonnull (strstr (csv, ",yes,2026-11-01,no,withdrawn,"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "consent", "withdraw", "--email", "nobody@example.com",
                                                   "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 1);
}

/* Changing, or removing, an entry shows in `audit verify`, which names the first broken one. */
static void
test_audit_tamper (Fixture       *f,
                   gconstpointer  data)
{
  /* Only the command line's processes hold the store. */
  g_clear_object (&f->store);
  g_autofree char *path = g_build_filename (f->dir, "touchpoint.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("v%u@example.com", i);
      g_autofree char *lead = capture (f, "방문객", email, "010-1111-2222", "");

      g_assert_cmpint (tp_test_run ((const char *[]) { "erase", "--lead", lead, "--data-dir", f->dir, NULL },
                                    NULL, NULL, NULL), ==, 0);
    }
  g_assert_cmpint (tp_test_run ((const char *[]) { "audit", "verify", "--data-dir", f->dir, NULL }, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "intact: 3 entries"));

  /* Append-only: the triggers refuse changes. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET actor = 'os:nobody' WHERE id = 2", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE id = 2", NULL, NULL, NULL), !=, SQLITE_OK);
  /* Someone who drops them first is still seen. */
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'os:nobody' WHERE id = 2",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (tp_test_run ((const char *[]) { "audit", "verify", "--data-dir", f->dir, NULL }, NULL, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "entry 2"));
}

/* touchpoint purge: the old lead goes only when in the CRM, or forced with a warning; dry runs
 * change nothing; the records say what went. */
static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "touchpoint.db", NULL);
  g_autofree char *out = NULL, *err = NULL, *records = NULL, *dry = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&f->store);
  g_free (capture (f, "오래된 방문객", "old@example.com", "010-1212-3434", ""));
  g_free (capture (f, "새 방문객", "new@example.com", "010-5656-7878", ""));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE leads SET captured_at = '2020-01-01T00:00:00.000Z' WHERE seq = 1", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (tp_test_run ((const char *[]) { "purge", "--dry-run", "--data-dir", f->dir, NULL }, NULL, &dry, NULL), ==, 0);
  g_assert_nonnull (strstr (dry, "1 lead of"));
  g_assert_nonnull (strstr (dry, "nothing changed"));
  /* Never synced: kept, and the admin is told how to proceed. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "purge", "--data-dir", f->dir, NULL }, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Destroyed 0 leads"));
  g_assert_nonnull (strstr (out, "run `touchpoint sync` first"));
  g_assert_true (found_in_files (f->dir, "old@example.com"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (tp_test_run ((const char *[]) { "purge", "--force", "--data-dir", f->dir, NULL }, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Destroyed 1 lead;"));
  g_assert_nonnull (strstr (err, "warning: 1 of them were not in the CRM"));
  g_assert_false (found_in_files (f->dir, "old@example.com"));
  g_assert_false (found_in_files (f->dir, "오래된 방문객"));
  g_assert_true (found_in_files (f->dir, "new@example.com"));
  g_assert_cmpint (tp_test_run ((const char *[]) { "purge", "--records", "--data-dir", f->dir, NULL }, NULL, &records, NULL), ==, 0);
  g_assert_nonnull (strstr (records, "1 leads of maru-seongsu-popup-2026 (forced"));
  g_assert_nonnull (strstr (records, "privacy 365 days"));
}

/* touchpoint draw: the JSON contract, masked winners (never a whole name or address), exit 1
 * once nobody is left, and an exported round that the documented Python verifier recomputes. */
static void
test_draw (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(JsonNode) round = NULL, list = NULL;
  g_autofree char *shown = NULL, *shown_path = NULL, *err = NULL, *verifier = NULL, *verified = NULL;
  JsonObject *obj;
  JsonArray *winners;
  int status = 0;

  g_clear_object (&f->store);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *email = g_strdup_printf ("winner%u@example.com", i);

      g_free (capture (f, "홍길동", email, "010-2222-3333", ""));
    }
  round = run_json ((const char *[]) { "draw", "tea-set", "--winners", "3", "--json", "--data-dir", f->dir, NULL }, 0);
  obj = json_node_get_object (round);
  g_assert_cmpint (json_object_get_int_member (obj, "round"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (obj, "prize"), ==, "tea-set");
  g_assert_cmpint (json_object_get_int_member (obj, "entries"), ==, 4);
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "fingerprint")), ==, 64);
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "commitment")), ==, 64);
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "seed")), ==, 64);
  winners = json_object_get_array_member (obj, "winners");
  g_assert_cmpuint (json_array_get_length (winners), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *w = json_array_get_object_element (winners, i);

      g_assert_cmpstr (json_object_get_string_member (w, "name"), ==, "홍*동");
      g_assert_cmpstr (json_object_get_string_member (w, "email"), ==, "w***@example.com");
      g_assert_cmpstr (json_object_get_string_member (w, "phone"), ==, "010-****-3333");
    }
  /* One left, then nobody: exit 1 with a clear sentence. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "draw", "tea-set", "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (tp_test_run ((const char *[]) { "draw", "tea-set", "--data-dir", f->dir, NULL }, NULL, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "No eligible entry"));
  list = run_json ((const char *[]) { "draw", "list", "--json", "--data-dir", f->dir, NULL }, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list), "rounds")), ==, 2);
  g_assert_cmpint (tp_test_run ((const char *[]) { "draw", "verify", "1", "--data-dir", f->dir, NULL }, NULL, NULL, NULL), ==, 0);

  /* Anyone can check it with the docs' verifier. */
  g_assert_cmpint (tp_test_run ((const char *[]) { "draw", "show", "1", "--json", "--data-dir", f->dir, NULL }, NULL,
                                &shown, NULL), ==, 0);
  shown_path = g_build_filename (f->dir, "round-1.json", NULL);
  g_assert_true (g_file_set_contents (shown_path, shown, -1, NULL));
  verifier = g_test_build_filename (G_TEST_DIST, "..", "tools", "verify-draw.py", NULL);
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "python3", verifier, shown_path, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &verified, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (verified, "verified"));
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/touchpoint/cli/erase/by-email-and-phone", test_erase);
  ADD ("/touchpoint/cli/consent/withdraw", test_withdraw);
  ADD ("/touchpoint/cli/audit/tamper", test_audit_tamper);
  ADD ("/touchpoint/cli/purge", test_purge);
  ADD ("/touchpoint/cli/draw", test_draw);
  return g_test_run ();
}
