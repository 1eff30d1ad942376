/* tp-sync-test-util.c: helpers for the sync tests. */
#include "tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "tp-store-private.h"
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>

void
tp_sync_fixture_set_up (TpSyncFixture *f,
                        gconstpointer  data)
{
  f->dir = tp_test_mkdtemp ();
  f->token_file = tp_sync_test_token_file (f->dir);
  f->crm = tp_fake_crm_new ();
}

void
tp_sync_fixture_tear_down (TpSyncFixture *f,
                           gconstpointer  data)
{
  tp_fake_crm_free (f->crm);
  tp_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->token_file);
}

char *
tp_sync_test_capture (const char *dir,
                      const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = NULL;

  g_assert_no_error (error);
  if (email)
    tp_submission_set_field (submission, "email", email);
  else
    {
      /* The demo event requires an email: a lead without one comes from an event that does not. */
      g_hash_table_remove (submission->fields, "email");
    }
  capture = tp_store_capture (store, event, submission, NULL, NULL, &error);
  if (email == NULL && capture == NULL)
    {
      g_clear_error (&error);
      return NULL;
    }
  g_assert_no_error (error);
  return g_strdup (capture->lead_id);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

GPtrArray *
tp_sync_test_fill (const char *dir,
                   guint       n)
{
  g_autofree char *first = tp_sync_test_capture (dir, "lead1@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_autofree char *copies = NULL;

  g_assert_no_error (error);
  db = tp_store_get_db (store);
  copies = g_strdup_printf (
    "WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < %u) "
    "INSERT INTO leads (id, uuid, event_id, kiosk_id, seq, locale, captured_at, offer_id, segment_id, age_confirmed) "
    "SELECT i, lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) "
    "  || '-a' || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))), "
    "  event_id, kiosk_id, i, locale, captured_at, offer_id, segment_id, age_confirmed FROM leads, k WHERE leads.id = 1;", n);
  exec_sql (db, "BEGIN IMMEDIATE");
  if (n > 1)
    {
      exec_sql (db, copies);
      exec_sql (db, "INSERT INTO lead_pii (lead_id, field_id, value) "
                    "SELECT l.id, p.field_id, CASE p.field_id WHEN 'email' THEN 'lead' || l.id || '@example.com' "
                    "  WHEN 'name' THEN 'Lead ' || l.id ELSE p.value END FROM leads l, lead_pii p "
                    "WHERE l.id > 1 AND p.lead_id = 1");
      exec_sql (db, "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, locale, recorded_at) "
                    "SELECT l.id, c.purpose, c.granted, c.version, c.text_sha256, c.locale, c.recorded_at "
                    "FROM leads l, consents c WHERE l.id > 1 AND c.lead_id = 1");
      exec_sql (db, "INSERT INTO answers (lead_id, question_id, value) SELECT l.id, a.question_id, a.value "
                    "FROM leads l, answers a WHERE l.id > 1 AND a.lead_id = 1");
      exec_sql (db, "INSERT INTO tags (lead_id, tag) SELECT l.id, t.tag FROM leads l, tags t WHERE l.id > 1 AND t.lead_id = 1");
      exec_sql (db, "INSERT INTO coupons (lead_id, code, offer_id, issued_at, expires_at) "
                    "SELECT l.id, 'BULK-' || l.id, c.offer_id, c.issued_at, c.expires_at FROM leads l, coupons c "
                    "WHERE l.id > 1 AND c.lead_id = 1");
      exec_sql (db, "INSERT INTO outbox (lead_id, kind, created_at) SELECT id, 'upsert', captured_at FROM leads "
                    "WHERE id > 1 ORDER BY id");
      exec_sql (db, "UPDATE kiosk SET next_seq = (SELECT max (seq) + 1 FROM leads)");
    }
  exec_sql (db, "COMMIT");

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT uuid FROM leads ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (ids->len, ==, n);
  g_assert_cmpstr (ids->pdata[0], ==, first);
  return ids;
}

char *
tp_sync_test_token_file (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "token", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "test-token\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  return g_steal_pointer (&path);
}

TpSyncConfig *
tp_sync_test_config (TpFakeCrm  *crm,
                     const char *target,
                     const char *token_file)
{
  TpSyncConfig *config = tp_sync_config_new ();

  config->target = g_strdup (target);
  config->url = tp_fake_crm_get_url (crm, target);
  config->token_file = g_strdup (token_file);
  config->connect_timeout = 2;
  config->low_speed_time = 1;
  config->timeout = 10;
  config->backoff_base_ms = 5;
  config->backoff_max_ms = 200;
  config->max_wait = 30;
  return config;
}

TpSyncSummary *
tp_sync_test_sync (const char   *dir,
                   TpSyncConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpSyncer) syncer = NULL;
  TpSyncSummary *summary;

  g_assert_no_error (error);
  syncer = tp_syncer_new (store, config);
  summary = tp_syncer_run (syncer, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

void
tp_sync_test_settings (const char *dir,
                       const char *json)
{
  g_autofree char *path = g_build_filename (dir, "sync.json", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

int
tp_sync_test_cli (const char         *dir,
                  const char * const *args,
                  char              **out,
                  char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "sync");
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return tp_test_run ((const char * const *) argv->pdata, NULL, out, err);
}

GArray *
tp_sync_test_batch_sizes (GPtrArray *bodies)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < bodies->len; i++)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (bodies->pdata[i], &size);
      g_autofree char *text = g_strndup (data, size);
      g_autoptr(JsonNode) root = json_from_string (text, NULL);
      JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      const char *lists[] = { "inputs", "records", "events" };
      guint n = 0;

      for (guint j = 0; obj && j < G_N_ELEMENTS (lists); j++)
        if (json_object_has_member (obj, lists[j]))
          n = json_array_get_length (json_object_get_array_member (obj, lists[j]));
      g_array_append_val (sizes, n);
    }
  return sizes;
}

char *
tp_sync_test_key (const char *dir,
                  const char *target,
                  const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpLeadRecord) record = NULL;
  const char *email;

  if (g_strcmp0 (target, "salesforce") != 0)
    return g_strdup (lead_id);
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  record = tp_store_get_lead (store, lead_id, &error);
  g_assert_no_error (error);
  email = g_hash_table_lookup (record->fields, "email");
  return email && *email ? g_ascii_strdown (email, -1) : g_strdup (lead_id);
}

void
tp_sync_test_counts (const char *dir,
                     const char *target,
                     gint64      counts[5])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);

  g_assert_no_error (error);
  tp_store_outbox_count (store, target, counts, &error);
  g_assert_no_error (error);
}

void
tp_sync_test_assert_exactly_once (TpFakeCrm  *crm,
                                  const char *dir,
                                  const char *target,
                                  GPtrArray  *ids)
{
  gint64 counts[TP_DELIVERY_N_STATES];

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *key = tp_sync_test_key (dir, target, ids->pdata[i]);

      g_assert_cmpuint (tp_fake_crm_count_stores (crm, key), ==, 1);
    }
  g_assert_cmpuint (tp_fake_crm_n_duplicates (crm), ==, 0);
  g_assert_cmpuint (tp_fake_crm_n_records (crm), ==, ids->len);
  tp_sync_test_counts (dir, target, counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, ids->len);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY] +
                   counts[TP_DELIVERY_REJECTED], ==, 0);
}
