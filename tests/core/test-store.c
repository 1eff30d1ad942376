/* test-store.c: the lead store: migrations, permissions, one-transaction capture, failures. */
#include "tests/tp-test-util.h"

#include "tp-lead-private.h"
#include "tp-store-private.h"
#include "tp-stats.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

typedef TpStoreFixture Fixture;

static gint64
count_rows (TpStore    *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = tp_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static const char * const all_tables[] = { "leads", "lead_pii", "consents", "answers", "tags", "coupons", "outbox", NULL };

static void
assert_empty (TpStore *store)
{
  for (guint i = 0; all_tables[i]; i++)
    if (count_rows (store, all_tables[i]) != 0)
      g_error ("table %s is not empty", all_tables[i]);
}

static TpCapture *
capture_demo (Fixture  *f,
              GError  **error)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();

  return tp_store_capture (f->store, f->event, s, NULL, NULL, error);
}

static void
test_pragmas (Fixture       *f,
              gconstpointer  data)
{
  sqlite3_stmt *stmt;

  stmt = tp_store_prepare (f->store, "PRAGMA journal_mode", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_reset (stmt);
  stmt = tp_store_prepare (f->store, "PRAGMA synchronous", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);  /* FULL */
  sqlite3_reset (stmt);
  stmt = tp_store_prepare (f->store, "PRAGMA foreign_keys", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);
  g_assert_cmpint (tp_store_get_schema_version (f->store), ==, TP_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (tp_store_get_kiosk_number (f->store), >=, 1);
  g_assert_true (g_uuid_string_is_valid (tp_store_get_kiosk_id (f->store)));
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  if ((st.st_mode & 0777) != mode)
    g_error ("%s has mode %o, expected %o", path, st.st_mode & 0777, mode);
}

static void
test_permissions (void)
{
  g_autofree char *parent = tp_test_mkdtemp ();
  g_autofree char *dir = g_build_filename (parent, "deep", "touchpoint", NULL);
  g_autofree char *db = g_build_filename (dir, "touchpoint.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old = umask (0);


  /* Even with a careless umask, what the store makes is private. */
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  capture = tp_store_capture (store, event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  umask (old);

  assert_mode (dir, 0700);
  assert_mode (db, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  g_clear_object (&store);
  tp_test_rmdir (parent);
}

/* A folder someone else made open, or a shared one (1777, like /tmp), is refused, and its
 * mode is never changed: chmodding it to 0700 locked everyone else out of a shared folder. */
static void
test_open_folder_refused (void)
{
  g_autofree char *parent = tp_test_mkdtemp ();
  g_autofree char *open_dir = g_build_filename (parent, "open", NULL);
  g_autofree char *shared = g_build_filename (parent, "shared", NULL);
  const char *dirs[] = { open_dir, shared };
  const int modes[] = { 0755, 01777 };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autofree char *db = g_build_filename (dirs[i], "touchpoint.db", NULL);
      GStatBuf st;

      g_assert_cmpint (g_mkdir (dirs[i], 0700), ==, 0);
      g_assert_cmpint (g_chmod (dirs[i], modes[i]), ==, 0);
      store = tp_store_new (dirs[i], &error);
      g_assert_null (store);
      g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO);
      g_assert_nonnull (strstr (error->message, dirs[i]));
      g_assert_nonnull (strstr (error->message, "mkdir -m 700"));
      g_assert_cmpint (g_stat (dirs[i], &st), ==, 0);
      g_assert_cmpint (st.st_mode & 07777, ==, modes[i]);
      g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
    }
  tp_test_rmdir (parent);
}

/* A planted link in place of the database or its -wal/-shm is refused: run as root, the store
 * would otherwise chmod, or write through, whatever the link names (a dangling one made it). */
static void
test_links_refused (void)
{
  const char *names[] = { "touchpoint.db", "touchpoint.db-wal", "touchpoint.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint dangling = 0; dangling < 2; dangling++)
      {
        g_autofree char *dir = tp_test_mkdtemp ();
        g_autofree char *victim = g_build_filename (dir, "victim", NULL);
        g_autofree char *link = g_build_filename (dir, names[i], NULL);
        g_autoptr(GError) error = NULL;
        g_autoptr(TpStore) store = NULL;
        GStatBuf st;

        if (!dangling)
          {
            g_assert_true (g_file_set_contents (victim, "precious", -1, NULL));
            g_assert_cmpint (g_chmod (victim, 0644), ==, 0);
          }
        g_assert_cmpint (symlink (victim, link), ==, 0);
        store = tp_store_new (dir, &error);
        g_assert_null (store);
        g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO);
        g_assert_nonnull (strstr (error->message, "symbolic link"));
        if (dangling)
          g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
        else
          {
            g_autofree char *contents = NULL;

            g_assert_cmpint (g_stat (victim, &st), ==, 0);
            g_assert_cmpint (st.st_mode & 0777, ==, 0644);
            g_assert_true (g_file_get_contents (victim, &contents, NULL, NULL));
            g_assert_cmpstr (contents, ==, "precious");
          }
        tp_test_rmdir (dir);
      }
}

/* Reading without writing: stats and leads from a store opened read-only, and not a byte
 * written beside it (no -wal, no -shm, the database untouched); writes are refused. */
static void
test_read_only (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *db = g_build_filename (dir, "touchpoint.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *before = NULL, *after = NULL, *wal_before = NULL, *wal_after = NULL;
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(GError) error = NULL;
  gsize before_len, after_len, wal_before_len = 0, wal_after_len = 0;

  {
    g_autoptr(TpStore) store = tp_store_new (dir, &error);
    g_autoptr(TpCapture) capture = NULL;

    g_assert_no_error (error);
    capture = tp_store_capture (store, event, s, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tp_store_checkpoint (store, &error));
  }
  g_assert_true (g_file_get_contents (db, &before, &before_len, NULL));
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_true (g_file_get_contents (wal, &wal_before, &wal_before_len, NULL));
  {
    g_autoptr(TpStore) store = tp_store_open_read_only (dir, &error);
    g_autoptr(TpStats) stats = NULL;

    g_assert_no_error (error);
    stats = tp_store_get_stats (store, &error);
    g_assert_no_error (error);
    g_assert_cmpint (stats->leads, ==, 1);
    g_assert_cmpint (tp_store_count_leads (store, &error), ==, 1);
    g_assert_false (tp_store_set_setting (store, "x", "y", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_true (g_file_get_contents (db, &after, &after_len, NULL));
  g_assert_cmpuint (after_len, ==, before_len);
  g_assert_true (memcmp (after, before, before_len) == 0);
  if (wal_before)
    {
      g_assert_true (g_file_get_contents (wal, &wal_after, &wal_after_len, NULL));
      g_assert_cmpuint (wal_after_len, ==, wal_before_len);
      g_assert_true (memcmp (wal_after, wal_before, wal_before_len) == 0);
    }

  /* No store there: said so, nothing made. */
  {
    g_autofree char *empty = tp_test_mkdtemp ();
    g_autofree char *empty_db = g_build_filename (empty, "touchpoint.db", NULL);
    g_autoptr(TpStore) none = tp_store_open_read_only (empty, &error);

    g_assert_null (none);
    g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO);
    g_assert_false (g_file_test (empty_db, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
    tp_test_rmdir (empty);
  }
  tp_test_rmdir (dir);
  (void) shm;
}

static void
test_resolve_dir (void)
{
  g_autofree char *from_option = NULL, *from_env = NULL, *from_xdg = NULL, *expected = NULL;

  g_setenv ("TOUCHPOINT_DATA_DIR", "/tmp/from-env", TRUE);
  from_option = tp_store_resolve_dir ("/tmp/from-option");
  from_env = tp_store_resolve_dir (NULL);
  g_unsetenv ("TOUCHPOINT_DATA_DIR");
  from_xdg = tp_store_resolve_dir (NULL);
  expected = g_build_filename (g_get_user_data_dir (), "touchpoint", NULL);
  g_assert_cmpstr (from_option, ==, "/tmp/from-option");
  g_assert_cmpstr (from_env, ==, "/tmp/from-env");
  g_assert_cmpstr (from_xdg, ==, expected);
}

static void
test_migration (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) old = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpLeadRecord) record = NULL;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  sqlite3 *db;

  /* A database as the first released schema left it, with a lead in it. */
  old = tp_store_new_with_schema (dir, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_schema_version (old), ==, 1);
  db = tp_store_get_db (old);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO leads (id, uuid, event_id, kiosk_id, seq, locale, captured_at, offer_id, age_confirmed) "
                                 "VALUES (1, '2b1f3c4e-0000-4000-8000-000000000001', 'old-event', 'k', 1, 'en', "
                                 "'2026-01-01T00:00:00.000Z', 'welcome-10', 1);"
                                 "INSERT INTO lead_pii VALUES (1, 'name', 'Old Lead');"
                                 "INSERT INTO outbox (lead_id, kind, created_at) VALUES (1, 'upsert', '2026-01-01T00:00:00.000Z');"
                                 "UPDATE kiosk SET next_seq = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&old);

  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  record = tp_store_get_lead (store, "2b1f3c4e-0000-4000-8000-000000000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (record->fields, "name"), ==, "Old Lead");
  g_assert_null (record->coupon_code);

  /* The upgraded store takes new captures, numbered after the old ones. */
  capture = tp_store_capture (store, event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (capture->seq, ==, 2);
  g_assert_nonnull (capture->coupon_code);
  g_assert_cmpint (tp_store_count_leads (store, NULL), ==, 2);

  g_clear_object (&store);
  tp_test_rmdir (dir);
}

static void
test_too_new (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpStore) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (tp_store_get_db (store), "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&store);
  again = tp_store_new (dir, &error);
  g_assert_null (again);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "touchpoint.db"));
  tp_test_rmdir (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "touchpoint.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is a spreadsheet, not a database, honestly............"
                                            "................................................................", -1, NULL));
  store = tp_store_new (dir, &error);
  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  tp_test_rmdir (dir);
}

static void
test_capture_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) capture = capture_demo (f, &error);
  g_autoptr(TpLeadRecord) r = NULL;
  TpConsentRecord *privacy, *marketing;
  TpAnswer *a;
  g_autofree char *sha = NULL;

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (capture->lead_id));
  g_assert_cmpint (capture->seq, ==, 1);
  g_assert_true (g_str_has_suffix (capture->captured_at, "Z"));
  g_assert_cmpstr (capture->offer, ==, "tasting-class");

  r = tp_store_get_lead (f->store, capture->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->event_id, ==, f->event->id);
  g_assert_cmpstr (r->locale, ==, "ko");
  g_assert_cmpstr (r->captured_at, ==, capture->captured_at);
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "name"), ==, "홍길동");
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "email"), ==, "hong@example.com");
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "phone"), ==, "+821012345678");
  g_assert_false (g_hash_table_contains (r->fields, "company"));

  /* Both decisions are recorded, with the exact text version and its hash. */
  privacy = g_hash_table_lookup (r->consents, "privacy");
  marketing = g_hash_table_lookup (r->consents, "marketing");
  g_assert_nonnull (privacy);
  g_assert_nonnull (marketing);
  g_assert_true (privacy->granted);
  g_assert_false (marketing->granted);
  g_assert_cmpstr (privacy->version, ==, "2026-11-01");
  g_assert_cmpstr (privacy->locale, ==, "ko");
  sha = tp_consent_notice_sha256 (tp_event_get_consent (f->event, "privacy"), f->event, "ko");
  g_assert_cmpstr (privacy->text_sha256, ==, sha);

  a = g_hash_table_lookup (r->answers, "interests");
  g_assert_nonnull (a);
  g_assert_cmpint (a->kind, ==, TP_ANSWER_LIST);
  g_assert_cmpstrv (a->list, ((const char * const[]) { "green", "teaware", NULL }));
  a = g_hash_table_lookup (r->answers, "nps");
  g_assert_cmpint (a->number, ==, 10);
  g_assert_true (g_strv_contains ((const char * const *) r->tags, "promoter"));
  g_assert_cmpstr (r->offer, ==, "tasting-class");
  g_assert_cmpstr (r->coupon_code, ==, capture->coupon_code);
  g_assert_cmpint (count_rows (f->store, "outbox"), ==, 1);
}

static void
test_capture_numbers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 1; i <= 50; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpCapture) c = capture_demo (f, &error);

      g_assert_no_error (error);
      g_assert_cmpint (c->seq, ==, i);
      g_assert_true (g_hash_table_add (ids, g_strdup (c->lead_id)));
    }
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 50);
}

static void
test_capture_invalid (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = NULL;

  tp_submission_set_field (s, "email", "not-an-email");
  s->age_confirmed = FALSE;
  c = tp_store_capture (f->store, f->event, s, NULL, &v, &error);
  g_assert_null (c);
  g_assert_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_INVALID);
  g_assert_nonnull (v);
  g_assert_nonnull (tp_validation_find (v, TP_PROBLEM_KIND_FIELD, "email"));
  g_assert_nonnull (tp_validation_find (v, TP_PROBLEM_KIND_AGE, NULL));
  assert_empty (f->store);
}

/* One capture checks, normalizes and segments once: the store writes what the plan holds. */
static void
test_capture_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(TpLeadRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  guint phones = tp_lead_count_phone_normalizations ();
  guint segments = tp_lead_count_segment_evaluations ();

  /* Typed in full width with an email domain in capitals: one normalization each. */
  tp_submission_set_field (s, "phone", "０１０－１２３４－５６７８");
  tp_submission_set_field (s, "email", " hong@Example.COM ");
  capture = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tp_lead_count_phone_normalizations () - phones, ==, 1);
  g_assert_cmpuint (tp_lead_count_segment_evaluations () - segments, ==, 1);
  r = tp_store_get_lead (f->store, capture->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "phone"), ==, "+821012345678");
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "email"), ==, "hong@example.com");
  g_clear_pointer (&r, tp_lead_record_free);
  g_clear_pointer (&capture, tp_capture_free);

  /* A value already in its stored form comes back the same. */
  tp_submission_set_field (s, "phone", "+821012345678");
  capture = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  r = tp_store_get_lead (f->store, capture->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "phone"), ==, "+821012345678");
  g_assert_cmpuint (tp_lead_count_phone_normalizations () - phones, ==, 2);
  g_assert_cmpuint (tp_lead_count_segment_evaluations () - segments, ==, 2);
}

/* The store adds nothing of its own to a plan: no second normalization, no second look at the
 * segment rules. A plan changed after it was made is stored as changed. */
static void
test_capture_plan_as_is (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapturePlan) plan = NULL;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(TpLeadRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 4, 2, 3, 4.567);
  guint phones, segments;

  plan = tp_submission_prepare (s, f->event, now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (plan->fields, "phone"), ==, "+821012345678");
  g_assert_false (g_hash_table_contains (plan->fields, "company"));
  g_assert_cmpstr (plan->offer, ==, "tasting-class");
  g_assert_cmpstr (plan->segment, ==, "tea-lover");
  g_assert_cmpuint (plan->consents->len, ==, f->event->consents->len);

  g_hash_table_insert (plan->fields, g_strdup ("phone"), g_strdup ("010-1234-5678"));
  g_strfreev (plan->tags);
  plan->tags = g_strdupv ((char **) (const char * const[]) { "set-by-hand", NULL });
  g_free (plan->offer);
  plan->offer = g_strdup ("welcome-10");
  g_clear_pointer (&plan->segment, g_free);

  phones = tp_lead_count_phone_normalizations ();
  segments = tp_lead_count_segment_evaluations ();
  capture = tp_store_capture_plan (f->store, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tp_lead_count_phone_normalizations (), ==, phones);
  g_assert_cmpuint (tp_lead_count_segment_evaluations (), ==, segments);
  g_assert_cmpstr (capture->captured_at, ==, "2026-12-04T02:03:04.567Z");
  g_assert_cmpstr (capture->offer, ==, "welcome-10");
  g_assert_null (capture->segment);

  r = tp_store_get_lead (f->store, capture->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (r->fields, "phone"), ==, "010-1234-5678");
  g_assert_cmpstrv (r->tags, ((const char * const[]) { "set-by-hand", NULL }));
  g_assert_cmpstr (r->offer, ==, "welcome-10");
  g_assert_cmpstr (r->captured_at, ==, "2026-12-04T02:03:04.567Z");
}

static void
test_fail_before_commit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = NULL;
  g_autoptr(TpCapture) retry = NULL;

  tp_store_set_fail_point (f->store, TP_STORE_FAIL_BEFORE_COMMIT);
  c = capture_demo (f, &error);
  g_assert_null (c);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INJECTED);
  assert_empty (f->store);

  /* Nothing half-written: the retry gets the first sequence number and is the only lead. */
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_NONE);
  g_clear_error (&error);
  retry = capture_demo (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (retry->seq, ==, 1);
  g_assert_cmpint (count_rows (f->store, "leads"), ==, 1);
  g_assert_cmpint (count_rows (f->store, "coupons"), ==, 1);
  g_assert_cmpint (count_rows (f->store, "outbox"), ==, 1);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = NULL;
  sqlite3 *db = tp_store_get_db (f->store);
  sqlite3_stmt *stmt;
  gint64 pages;

  /* A real SQLITE_FULL: the database may not grow by a single page. */
  stmt = tp_store_prepare (f->store, "PRAGMA page_count", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TpCapture) filler = capture_demo (f, &error);
      g_assert_no_error (error);
    }
  {
    g_autofree char *sql = NULL;

    stmt = tp_store_prepare (f->store, "PRAGMA page_count", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    pages = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }

  /* Fill until the limit bites; every failure leaves the count where it was. */
  for (int i = 0; i < 500 && error == NULL; i++)
    {
      gint64 before = tp_store_count_leads (f->store, NULL);

      g_clear_pointer (&c, tp_capture_free);
      c = capture_demo (f, &error);
      if (c == NULL)
        g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, before);
    }
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));

  {
    gint64 before = tp_store_count_leads (f->store, NULL);
    g_autoptr(TpCapture) again = NULL;

    g_clear_error (&error);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), ==, SQLITE_OK);
    again = capture_demo (f, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, before + 1);
  }
}

static void
test_injected_full (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = NULL;

  tp_store_set_fail_point (f->store, TP_STORE_FAIL_FULL);
  c = capture_demo (f, &error);
  g_assert_null (c);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FULL);
  assert_empty (f->store);
}

static void
test_consents_append_only (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = capture_demo (f, &error);
  int rc;

  g_assert_no_error (error);
  rc = sqlite3_exec (tp_store_get_db (f->store), "UPDATE consents SET granted = 1 WHERE purpose = 'marketing'",
                     NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_nonnull (strstr (sqlite3_errmsg (tp_store_get_db (f->store)), "append-only"));
}

static void
test_survives_reopen (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = capture_demo (f, &error);
  g_autofree char *kiosk = g_strdup (tp_store_get_kiosk_id (f->store));
  g_autoptr(TpLeadRecord) r = NULL;

  g_assert_no_error (error);
  g_clear_object (&f->store);
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tp_store_get_kiosk_id (f->store), ==, kiosk);
  r = tp_store_get_lead (f->store, c->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->coupon_code, ==, c->coupon_code);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = tp_store_get_setting (f->store, "pin.hash", &error);
  g_autofree char *value = NULL;
  g_autofree char *gone = NULL;

  g_assert_no_error (error);
  g_assert_null (missing);
  g_assert_true (tp_store_set_setting (f->store, "pin.hash", "a", &error));
  g_assert_true (tp_store_set_setting (f->store, "pin.hash", "b", &error));
  value = tp_store_get_setting (f->store, "pin.hash", &error);
  g_assert_cmpstr (value, ==, "b");
  g_assert_true (tp_store_set_setting (f->store, "pin.hash", NULL, &error));
  gone = tp_store_get_setting (f->store, "pin.hash", &error);
  g_assert_null (gone);
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = NULL;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TpCapture) c = capture_demo (f, &error);
      g_assert_no_error (error);
    }
  stats = tp_store_get_stats (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stats->leads, ==, 3);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_granted, "privacy"), ==, 3);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_granted, "marketing"), ==, 0);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_refused, "marketing"), ==, 3);
  g_assert_cmpint (tp_stats_count_lookup (stats->offers, "tasting-class"), ==, 3);
  g_assert_cmpint (stats->coupons_issued, ==, 3);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/touchpoint/store/open/pragmas", test_pragmas);
  g_test_add_func ("/touchpoint/store/open/permissions", test_permissions);
  g_test_add_func ("/touchpoint/store/open/open-folder-refused", test_open_folder_refused);
  g_test_add_func ("/touchpoint/store/open/links-refused", test_links_refused);
  g_test_add_func ("/touchpoint/store/open/read-only", test_read_only);
  g_test_add_func ("/touchpoint/store/open/resolve-dir", test_resolve_dir);
  g_test_add_func ("/touchpoint/store/open/too-new", test_too_new);
  g_test_add_func ("/touchpoint/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/touchpoint/store/migration/from-schema-1", test_migration);
  ADD ("/touchpoint/store/capture/round-trip", test_capture_round_trip);
  ADD ("/touchpoint/store/capture/numbers", test_capture_numbers);
  ADD ("/touchpoint/store/capture/invalid", test_capture_invalid);
  ADD ("/touchpoint/store/capture/once", test_capture_once);
  ADD ("/touchpoint/store/capture/plan-as-is", test_capture_plan_as_is);
  ADD ("/touchpoint/store/capture/fail-before-commit", test_fail_before_commit);
  ADD ("/touchpoint/store/capture/disk-full", test_disk_full);
  ADD ("/touchpoint/store/capture/injected-full", test_injected_full);
  ADD ("/touchpoint/store/capture/survives-reopen", test_survives_reopen);
  ADD ("/touchpoint/store/consents/append-only", test_consents_append_only);
  ADD ("/touchpoint/store/settings", test_settings);
  ADD ("/touchpoint/store/stats", test_stats);
  return g_test_run ();
}
