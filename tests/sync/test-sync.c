/* test-sync.c: the outbox states, the adapters and the syncer against the loopback fake CRM. */
#include "tp-sync-test-util.h"

#include "tp-stats.h"
#include "tp-store-outbox.h"
#include "sync/tp-sync-adapter.h"
#include "sync/tp-sync-json-scan.h"
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  char      *dir;
  char      *token_file;
  TpFakeCrm *crm;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = tp_test_mkdtemp ();
  f->token_file = tp_sync_test_token_file (f->dir);
  f->crm = tp_fake_crm_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tp_fake_crm_free (f->crm);
  tp_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->token_file);
}

static TpSyncSummary *
sync_with (Fixture      *f,
           TpSyncConfig *config)
{
  g_autoptr(TpSyncer) syncer = tp_syncer_new (f->dir, config);
  g_autoptr(GError) error = NULL;
  TpSyncSummary *summary = tp_syncer_run (syncer, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static TpSyncSummary *
sync_target (Fixture    *f,
             const char *target)
{
  return sync_with (f, tp_sync_test_config (f->crm, target, f->token_file));
}

static void
assert_all_once (Fixture   *f,
                 GPtrArray *ids,
                 const char *target)
{
  gint64 counts[5];

  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, ids->pdata[i]), ==, 1);
  g_assert_cmpuint (tp_fake_crm_n_duplicates (f->crm), ==, 0);
  tp_sync_test_counts (f->dir, target, counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, ids->len);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY] +
                   counts[TP_DELIVERY_REJECTED], ==, 0);
}

/* ---- Settings, mapping, secrets ------------------------------------------------------------ */

static void
test_config_errors (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "sync.json", NULL);
  const struct { const char *json; const char *expect; } cases[] = {
    { "{\"target\": \"hubspot\", \"colour\": 1}", "colour: unknown setting" },
    { "{\"batch_size\": 500}", "batch_size: must be a whole number from 1 to 200" },
    { "{\"mapping\": {\"email\": \"field\"}}", "mapping.email: unknown source \"field\"" },
    { "{\"mapping\": {\"email\": 3}}", "mapping.email: must be a string" },
    { "{\"url\": 3}", "url: must be a string" },
    { "[1]", "must hold a JSON object" },
    { NULL, "nests deeper than 64 levels" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpSyncConfig) config = NULL;

      if (cases[i].json)
        g_file_set_contents (path, cases[i].json, -1, NULL);
      else
        {
          /* 100,000 levels would overflow the parser's stack. */
          g_autofree char *deep = g_strnfill (100000, '[');
          g_file_set_contents (path, deep, -1, NULL);
        }
      config = tp_sync_config_load (path, &error);
      g_assert_null (config);
      g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
  tp_test_rmdir (dir);
}

static void
test_config_url (void)
{
  const struct { const char *target; const char *url; gboolean ok; } cases[] = {
    { "webhook", "http://127.0.0.1:8080/hook", TRUE },
    { "webhook", "http://localhost/hook", TRUE },
    { "webhook", "https://crm.example.com/hook", TRUE },
    { "webhook", "http://crm.example.com/hook", FALSE },
    { "webhook", "ftp://crm.example.com/hook", FALSE },
    { "webhook", NULL, FALSE },
    { "hubspot", NULL, TRUE },
    { "salesforce", NULL, FALSE },
    { "zoho", "https://zoho.example.com", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpSyncConfig) config = tp_sync_config_new ();
      g_autoptr(GError) error = NULL;

      config->target = g_strdup (cases[i].target);
      config->url = g_strdup (cases[i].url);
      g_assert_cmpint (tp_sync_config_validate (config, FALSE, &error), ==, cases[i].ok);
      if (!cases[i].ok)
        g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG);
    }
}

static void
test_token_file (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "token", NULL);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_file_set_contents (path, "s3cret-token\n", -1, NULL);
  g_chmod (path, 0644);
  secret = tp_sync_read_secret (path, &error);
  g_assert_null (secret);
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  g_chmod (path, 0640);
  g_assert_null (tp_sync_read_secret (path, &error));
  g_clear_error (&error);

  g_chmod (path, 0600);
  secret = tp_sync_read_secret (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-token");
  tp_sync_secret_free (secret);

  /* A link to a private file is read; the file it reaches is what must be private. */
  {
    g_autofree char *link = g_build_filename (dir, "token-link", NULL);

    g_assert_cmpint (symlink (path, link), ==, 0);
    secret = tp_sync_read_secret (link, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, "s3cret-token");
    tp_sync_secret_free (secret);
    g_chmod (path, 0644);
    g_assert_null (tp_sync_read_secret (link, &error));
    g_assert_nonnull (strstr (error->message, "chmod 600"));
    g_clear_error (&error);
    g_chmod (path, 0600);
  }

  g_file_set_contents (path, "\n", -1, NULL);
  g_chmod (path, 0600);
  g_assert_null (tp_sync_read_secret (path, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN);
  g_assert_nonnull (strstr (error->message, "is empty"));
  tp_test_rmdir (dir);
}

static void
ignore_value (const TpJsonStep *path,
              guint             depth,
              TpJsonKind        kind,
              const char       *value,
              gpointer          user_data)
{
}

static void
test_web_page_answer (void)
{
  const char *page = "\n  <!DOCTYPE html><html><body>Sign in to the venue Wi-Fi</body></html>";
  const char *broken = "{\"results\": [";
  g_autoptr(GBytes) body = g_bytes_new_static (page, strlen (page));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tp_sync_parse_json (body, &error);

  /* A web page where JSON belongs is named as such, with what to check. */
  g_assert_null (node);
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "web page"));
  g_assert_nonnull (strstr (error->message, "--url"));
  g_clear_error (&error);
  g_assert_false (tp_json_scan (page, strlen (page), ignore_value, NULL, &error));
  g_assert_nonnull (strstr (error->message, "web page"));
  g_clear_error (&error);

  /* An answer nested absurdly deep is refused before the parser recurses into it. */
  {
    g_autofree char *deep = g_strnfill (100000, '[');
    g_autoptr(GBytes) deep_body = g_bytes_new (deep, strlen (deep));
    g_autoptr(JsonNode) none = tp_sync_parse_json (deep_body, &error);

    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "deeper than 64"));
    g_clear_error (&error);
  }

  /* Broken JSON is still reported as such, with where. */
  g_assert_false (tp_json_scan (broken, strlen (broken), ignore_value, NULL, &error));
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
}

static void
test_split_name (void)
{
  const struct { const char *name, *first, *last; } cases[] = {
    { "Jane Doe", "Jane", "Doe" },
    { "Jane Q. Doe", "Jane Q.", "Doe" },
    { "Madonna", NULL, "Madonna" },
    { "홍길동", NULL, "홍길동" },
    { "홍 길동", "길동", "홍" },
    { "  남궁 민수 ", "민수", "남궁" },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *first = NULL, *last = NULL;

      tp_sync_split_name (cases[i].name, &first, &last);
      g_assert_cmpstr (first, ==, cases[i].first);
      g_assert_cmpstr (last, ==, cases[i].last);
    }
}

static void
test_signature (void)
{
  /* RFC 4231, test case 2. */
  g_autoptr(GBytes) body = g_bytes_new_static ("what do ya want for nothing?", 28);
  g_autofree char *signature = tp_sync_sign ("Jefe", body);

  g_assert_cmpstr (signature, ==, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void
test_mapping (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *lead = tp_sync_test_capture (dir, "hong@example.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpLeadRecord) record = tp_store_get_lead (store, lead, &error);
  const struct { const char *source; const char *expect; } cases[] = {
    { "field.email", "\"hong@example.com\"" },
    { "field.company", NULL },
    { "name.last", "\"홍길동\"" },
    { "consent.marketing", "false" },
    { "!consent.marketing", "true" },
    { "consent.privacy.version", "\"2026-11-01\"" },
    { "answer.interests", "\"green;teaware\"" },
    { "answer.nps", "10" },
    { "tags", "\"promoter;tea-lover;teaware\"" },
    { "offer", "\"tasting-class\"" },
    { "lead_id", NULL },
    { "text:Touchpoint", "\"Touchpoint\"" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpSyncMapping) m = tp_sync_mapping_new ("p", cases[i].source, &error);
      g_autoptr(JsonNode) value = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      value = tp_sync_mapping_evaluate (m, record);
      if (g_str_equal (cases[i].source, "lead_id"))
        {
          g_assert_cmpstr (json_node_get_string (value), ==, lead);
          continue;
        }
      if (cases[i].expect == NULL)
        {
          g_assert_null (value);
          continue;
        }
      text = json_to_string (value, FALSE);
      g_assert_cmpstr (text, ==, cases[i].expect);
    }
  {
    g_autoptr(TpSyncMapping) m = tp_sync_mapping_new ("p", "consent.", &error);

    g_assert_null (m);
    g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG);
  }
  tp_test_rmdir (dir);
}

static void
scan_collect (const TpJsonStep *path,
              guint             depth,
              TpJsonKind        kind,
              const char       *value,
              gpointer          user_data)
{
  GString *out = user_data;

  for (guint i = 0; i < depth; i++)
    {
      if (path[i].key)
        g_string_append_printf (out, "/%s", path[i].key);
      else
        g_string_append_printf (out, "/%u", path[i].index);
    }
  g_string_append_printf (out, "=%c%s;", kind, value ? value : "");
}

static void
test_json_scan (void)
{
  const struct { const char *json; const char *expect; } good[] = {
    { "{\"a\": [1, -2.5e3, true, null, \"x\"]}", "=o;/a=a;/a/0=n1;/a/1=n-2.5e3;/a/2=btrue;/a/3=znull;/a/4=sx;" },
    { " [ ] ", "=a;" },
    { "{\"k\\u00e9\": \"\\ud83d\\ude00 \\\"q\\\" \\n\"}", "=o;/ké=s😀 \"q\" \n;" },
    { "{\"r\": [{\"id\": \"7\", \"p\": {\"e\": \"a@b\"}}]}", "=o;/r=a;/r/0=o;/r/0/id=s7;/r/0/p=o;/r/0/p/e=sa@b;" },
  };
  const char *bad[] = {
    "", "{", "{\"a\": }", "{\"a\" 1}", "[1,]", "[01]", "{\"a\": tru}", "\"\\x\"", "\"\\ud800\"",
    "[1] [2]", "{\"results\": [{\"id\": ", "\"a\tb\"", "[1.]", "{a: 1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (tp_json_scan (good[i].json, strlen (good[i].json), scan_collect, out, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (out->str, ==, good[i].expect);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (tp_json_scan (bad[i], strlen (bad[i]), scan_collect, out, &error));
      g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL);
    }
}

/* ---- The outbox in the store --------------------------------------------------------------- */

static void
test_store_claim (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpOutboxBatch) first = NULL;
  g_autoptr(TpOutboxBatch) again = NULL;
  g_autoptr(TpOutboxBatch) rest = NULL;
  g_autofree char *key = NULL;
  gint64 counts[5];
  gint64 now = g_get_real_time () / 1000;
  TpOutboxResult results[2] = { 0 };

  g_assert_no_error (error);
  /* The outbox delivery table came with schema 3. */
  g_assert_cmpint (tp_store_get_schema_version (store), >=, 3);
  g_assert_true (tp_store_outbox_add_target (store, "webhook", FALSE, &error));
  g_assert_true (tp_store_outbox_add_target (store, "webhook", FALSE, &error));
  tp_store_outbox_count (store, "webhook", counts, &error);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING], ==, 5);

  first = tp_store_outbox_claim (store, "webhook", 2, 1, now, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_false (first->resend);
  g_assert_cmpuint (first->items->len, ==, 2);
  g_assert_cmpstr (((TpOutboxItem *) first->items->pdata[0])->lead_id, ==, ids->pdata[0]);
  g_assert_nonnull (((TpOutboxItem *) first->items->pdata[1])->record);
  g_assert_cmpstr (g_hash_table_lookup (((TpOutboxItem *) first->items->pdata[1])->record->fields, "email"), ==,
                   "lead2@example.com");
  tp_store_outbox_count (store, "webhook", counts, &error);
  g_assert_cmpint (counts[TP_DELIVERY_IN_FLIGHT], ==, 2);

  /* A stale answer under another key changes nothing. */
  results[0].outbox_id = ((TpOutboxItem *) first->items->pdata[0])->outbox_id;
  results[0].state = TP_DELIVERY_SYNCED;
  g_assert_true (tp_store_outbox_apply (store, "webhook", "tp-other", results, 1, now, FALSE, &error));
  tp_store_outbox_count (store, "webhook", counts, &error);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 0);

  /* One synced; the other's answer was lost: it goes again under the same key. */
  results[0].remote_id = "crm-1";
  results[1].outbox_id = ((TpOutboxItem *) first->items->pdata[1])->outbox_id;
  results[1].state = TP_DELIVERY_RETRY;
  results[1].message = "timeout";
  results[1].retry_at = now;
  results[1].keep_key = TRUE;
  g_assert_true (tp_store_outbox_apply (store, "webhook", first->key, results, 2, now, FALSE, &error));
  again = tp_store_outbox_claim (store, "webhook", 2, 1, now, FALSE, &error);
  g_assert_nonnull (again);
  g_assert_true (again->resend);
  g_assert_cmpstr (again->key, ==, first->key);
  g_assert_cmpuint (again->items->len, ==, 1);
  g_assert_cmpint (((TpOutboxItem *) again->items->pdata[0])->attempts, ==, 2);

  /* A run killed now leaves it in flight: the next run sends it again first, same key. */
  key = g_strdup (again->key);
  g_assert_true (tp_store_outbox_recover (store, "webhook", now, FALSE, &error));
  rest = tp_store_outbox_claim (store, "webhook", 10, 1, now, FALSE, &error);
  g_assert_nonnull (rest);
  g_assert_cmpstr (rest->key, ==, key);
  g_assert_true (rest->resend);

  {
    g_autoptr(JsonNode) status = tp_store_outbox_lead_status (store, ids->pdata[0], &error);
    JsonObject *row;

    g_assert_no_error (error);
    row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status), "outbox"), 0);
    g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "synced");
    g_assert_cmpstr (json_object_get_string_member (row, "remote_id"), ==, "crm-1");
    g_assert_cmpstr (json_object_get_string_member (row, "target"), ==, "webhook");
  }
  g_assert_null (tp_store_outbox_lead_status (store, "no-such-lead", &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND);
  tp_test_rmdir (dir);
}

static void
test_store_erase (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);
  g_autoptr(TpLeadRecord) record = NULL;
  g_autoptr(TpStats) counts_now = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_autoptr(TpOutboxBatch) batch = NULL;
  JsonObject *outbox;
  gint64 counts[5];

  g_assert_true (tp_store_outbox_add_target (store, "hubspot", FALSE, &error));
  g_assert_true (tp_store_erase_lead (store, ids->pdata[1], &error));
  g_assert_no_error (error);
  record = tp_store_get_lead (store, ids->pdata[1], &error);
  g_assert_nonnull (record->erased_at);
  g_assert_cmpuint (g_hash_table_size (record->fields), ==, 0);
  g_assert_cmpuint (g_hash_table_size (record->answers), ==, 0);
  g_assert_cmpuint (g_strv_length (record->tags), ==, 0);
  /* The consent records stay: they prove what was agreed. */
  g_assert_cmpuint (g_hash_table_size (record->consents), ==, 2);

  /* Its unsent upsert is stopped; a deletion is queued for the known target. */
  tp_store_outbox_count (store, "hubspot", counts, &error);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 1);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING], ==, 3);
  g_assert_true (tp_store_erase_lead (store, ids->pdata[1], &error));
  tp_store_outbox_count (store, "hubspot", counts, &error);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING], ==, 3);
  g_assert_false (tp_store_erase_lead (store, "nobody", &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Upserts first (oldest first), then the deletion in a batch of its own. */
  batch = tp_store_outbox_claim (store, "hubspot", 100, 1, g_get_real_time () / 1000, FALSE, &error);
  g_assert_cmpuint (batch->items->len, ==, 2);
  g_assert_cmpint (batch->kind, ==, TP_OUTBOX_UPSERT);

  /* A second target: the stats show each. */
  g_assert_true (tp_store_outbox_add_target (store, "webhook", FALSE, &error));
  counts_now = tp_store_get_stats (store, &error);
  stats = tp_stats_to_json (counts_now);
  outbox = json_object_get_object_member (json_node_get_object (stats), "outbox");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (outbox, "hubspot"), "in_flight"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (outbox, "webhook"), "pending"), ==, 4);
  tp_test_rmdir (dir);
}

/* ---- End to end against the fake CRM ------------------------------------------------------- */

static void
test_webhook_happy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 250);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "webhook");
  g_autofree char *key = tp_fake_crm_last_header (f->crm, "Idempotency-Key");
  g_autoptr(JsonObject) lead = tp_fake_crm_get_record (f->crm, ids->pdata[7]);

  g_assert_cmpint (summary->synced, ==, 250);
  g_assert_cmpint (summary->left, ==, 0);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_true (g_str_has_prefix (key, "tp-"));
  g_assert_null (tp_fake_crm_last_header (f->crm, "Authorization"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lead, "fields"), "email"), ==,
                   "lead8@example.com");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_object_get_object_member (lead, "consents"), "privacy"), "granted"));
  assert_all_once (f, ids, "webhook");
}

static void
test_webhook_bad_secret (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 3);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* The receiver checks the signature: another secret is refused and nothing is lost. */
  tp_fake_crm_set_token (f->crm, "another-secret");
  summary = sync_target (f, "webhook");
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "token"));
  g_assert_null (strstr (summary->stop_reason, "test-token"));
  tp_sync_test_counts (f->dir, "webhook", counts);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 3);
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 0);
}

static void
test_hubspot_happy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 150);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "hubspot");
  g_autofree char *auth = tp_fake_crm_last_header (f->crm, "Authorization");
  g_autoptr(JsonObject) contact = tp_fake_crm_get_record (f->crm, ids->pdata[0]);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (f->dir, &error);
  g_autoptr(JsonNode) status = tp_store_outbox_lead_status (store, ids->pdata[0], &error);
  JsonObject *row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                                 "outbox"), 0);

  g_assert_cmpint (summary->synced, ==, 150);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_cmpstr (auth, ==, "Bearer test-token");
  g_assert_cmpstr (json_object_get_string_member (contact, "email"), ==, "lead1@example.com");
  g_assert_cmpstr (json_object_get_string_member (contact, "touchpoint_lead_id"), ==, ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (contact, "lastname"), ==, "홍길동");
  g_assert_cmpstr (json_object_get_string_member (contact, "touchpoint_marketing_consent"), ==, "false");
  /* Synced with the CRM's own record id. */
  g_assert_cmpstr (json_object_get_string_member (row, "remote_id"), ==,
                   json_object_get_string_member (contact, "hs_object_id"));
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 150);
  assert_all_once (f, ids, "hubspot");
}

static void
test_salesforce_happy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 250);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "salesforce");
  g_autoptr(JsonObject) lead = tp_fake_crm_get_record (f->crm, ids->pdata[3]);

  g_assert_cmpint (summary->synced, ==, 250);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (lead, "LastName"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (lead, "FirstName"), ==, "Lead");
  g_assert_cmpstr (json_object_get_string_member (lead, "Company"), ==, "[not provided]");
  g_assert_cmpstr (json_object_get_string_member (lead, "LeadSource"), ==, "Touchpoint");
  g_assert_true (json_object_get_boolean_member (lead, "HasOptedOutOfEmail"));
  assert_all_once (f, ids, "salesforce");
}

typedef struct
{
  const char  *target;
  TpFakeFault  fault;
} FaultCase;

/* Every fault on the first request, for each shape: still every lead once, all synced. */
static void
test_each_fault (Fixture       *f,
                 gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  tp_fake_crm_set_retry_after (f->crm, 0);
  tp_fake_crm_set_stall_ms (f->crm, 1500);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint bit = 0; bit < 9; bit++)
      {
        g_autofree char *dir = tp_test_mkdtemp ();
        g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, 30);
        g_autoptr(TpSyncSummary) summary = NULL;
        g_autofree char *saved = f->dir;

        f->dir = dir;
        tp_fake_crm_reset (f->crm);
        tp_fake_crm_force_fault (f->crm, 1u << bit, 2);
        summary = sync_target (f, targets[t]);
        g_test_message ("%s, fault %u: %" G_GINT64_FORMAT " requests", targets[t], 1u << bit, summary->requests);
        g_assert_cmpint (summary->synced, ==, 30);
        g_assert_cmpint (summary->rejected, ==, 0);
        /* A fault that still answers (a slow body) can end the run in one request. */
        g_assert_cmpuint (tp_fake_crm_n_faults (f->crm), >=, 1);
        tp_fake_crm_force_fault (f->crm, 0, 0);
        assert_all_once (f, ids, targets[t]);
        f->dir = g_steal_pointer (&saved);
        tp_test_rmdir (dir);
      }
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  /* HubSpot says: wait 2 s. The syncer's own backoff here is milliseconds. */
  tp_fake_crm_set_retry_after (f->crm, 2);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_429, 1);
  summary = sync_target (f, "hubspot");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (summary->synced, ==, 10);
  g_assert_cmpint (summary->requests, ==, 2);
  assert_all_once (f, ids, "hubspot");
}

static void
test_lost_answer (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autoptr(TpSyncSummary) summary = NULL;
  g_autoptr(GBytes) first_body = NULL;
  g_autoptr(GBytes) second_body = NULL;
  g_autoptr(GPtrArray) bodies = NULL;

  /* The webhook stores the batch and the connection drops: the same body goes again under
   * the same key, and the receiver answers from its idempotency record. */
  tp_fake_crm_set_keep_bodies (f->crm, TRUE);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_RESET_AFTER, 1);
  summary = sync_target (f, "webhook");
  bodies = tp_fake_crm_take_bodies (f->crm);
  g_assert_cmpuint (bodies->len, ==, 2);
  g_assert_true (g_bytes_equal (bodies->pdata[0], bodies->pdata[1]));
  g_assert_cmpint (summary->synced, ==, 20);
  assert_all_once (f, ids, "webhook");
}

static void
test_rejections (Fixture       *f,
                 gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *good = NULL, *bad = NULL, *good2 = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpSyncSummary) again = NULL;
      TpSyncRejection *r;

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      good = tp_sync_test_capture (dir, "good@example.com");
      bad = tp_sync_test_capture (dir, "blocked+reject@example.com");
      good2 = tp_sync_test_capture (dir, "good2@example.com");
      summary = sync_target (f, targets[t]);
      g_assert_cmpint (summary->synced, ==, 2);
      g_assert_cmpint (summary->rejected, ==, 1);
      r = summary->rejections->pdata[0];
      g_assert_cmpstr (r->lead_id, ==, bad);
      g_test_message ("%s: %s", targets[t], r->reason);
      g_assert_true (strstr (r->reason, "email") || strstr (r->reason, "Email"));
      g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, good2), ==, 1);

      /* Not retried: the next run has nothing to send. */
      again = sync_target (f, targets[t]);
      g_assert_cmpint (again->requests, ==, 0);
      g_assert_cmpint (again->left, ==, 0);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_split_batch (Fixture       *f,
                  gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autoptr(GPtrArray) ids = NULL;
      g_autofree char *poison = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;

      /* One record makes the CRM refuse the whole request (HTTP 400): it alone is rejected. */
      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      ids = tp_sync_test_fill (dir, 40);
      poison = tp_sync_test_capture (dir, "x+bad400@example.com");
      summary = sync_target (f, targets[t]);
      g_test_message ("%s: %" G_GINT64_FORMAT " requests", targets[t], summary->requests);
      g_assert_cmpint (summary->synced, ==, 40);
      g_assert_cmpint (summary->rejected, ==, 1);
      g_assert_cmpstr (((TpSyncRejection *) summary->rejections->pdata[0])->lead_id, ==, poison);
      g_assert_true (g_str_has_prefix (((TpSyncRejection *) summary->rejections->pdata[0])->reason, "HTTP 400"));
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, ids->pdata[i]), ==, 1);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_hubspot_same_email (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *kiosk_b = tp_test_mkdtemp ();
  g_autofree char *a1 = tp_sync_test_capture (f->dir, "same@example.com");
  g_autofree char *a2 = tp_sync_test_capture (f->dir, "Same@EXAMPLE.com");
  g_autofree char *b1 = tp_sync_test_capture (kiosk_b, "same@example.com");
  g_autofree char *other = tp_sync_test_capture (kiosk_b, "other@example.com");
  g_autoptr(TpSyncSummary) first = sync_target (f, "hubspot");
  g_autoptr(TpSyncSummary) second = NULL;
  char *saved = f->dir;

  /* Two leads with one email on this kiosk, a third on another kiosk: one contact. */
  g_assert_cmpint (first->synced, ==, 2);
  f->dir = kiosk_b;
  second = sync_target (f, "hubspot");
  f->dir = saved;
  g_assert_cmpint (second->synced, ==, 2);
  g_assert_cmpint (second->rejected, ==, 0);
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 2);
  g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, a1), ==, 1);
  g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, a2) + tp_fake_crm_count_stores (f->crm, b1), ==, 0);
  tp_test_rmdir (kiosk_b);
}

static void
test_erase_reaches_crm (Fixture       *f,
                        gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *kept = NULL, *gone = NULL, *never = NULL;
      g_autoptr(TpSyncSummary) first = NULL;
      g_autoptr(TpSyncSummary) second = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      kept = tp_sync_test_capture (dir, "kept@example.com");
      gone = tp_sync_test_capture (dir, "gone@example.com");
      first = sync_target (f, targets[t]);
      g_assert_cmpint (first->synced, ==, 2);
      never = tp_sync_test_capture (dir, "never@example.com");

      store = tp_store_new (dir, &error);
      g_assert_true (tp_store_erase_lead (store, gone, &error));
      /* Erased before it was ever sent: it must never reach the CRM. */
      g_assert_true (tp_store_erase_lead (store, never, &error));
      g_clear_object (&store);

      second = sync_target (f, targets[t]);
      g_assert_cmpint (second->rejected, ==, 0);
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, gone), ==, 1);
      g_assert_null (tp_fake_crm_get_record (f->crm, gone));
      g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, never), ==, 0);
      g_assert_nonnull (tp_fake_crm_get_record (f->crm, kept));
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, kept), ==, 0);
      tp_sync_test_counts (dir, targets[t], counts);
      /* Three upserts and two deletions: two and two synced, one upsert stopped by the erasure. */
      g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 4);
      g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 1);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 5);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "webhook", f->token_file);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* Port 9 (discard) on loopback: nothing listens. */
  g_free (config->url);
  config->url = g_strdup ("http://127.0.0.1:9/webhook");
  summary = sync_with (f, config);
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "could not reach"));
  g_assert_cmpint (summary->left, ==, 5);
  g_assert_cmpint (summary->requests, ==, 3);
  tp_sync_test_counts (f->dir, "webhook", counts);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 5);
}

/* An erasure answered 404 is done only when the CRM says the record is not there: a 404 from
 * a wrong address must not mark it done while the person stays in the CRM. */
static void
test_erase_wrong_address (Fixture       *f,
                          gconstpointer  data)
{
  const char *targets[] = { "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *url = tp_fake_crm_get_url (f->crm, targets[t]);
      g_autofree char *gone = NULL;
      g_autoptr(TpSyncSummary) first = NULL, wrong = NULL, right = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;
      TpSyncConfig *config;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      gone = tp_sync_test_capture (dir, "gone@example.com");
      first = sync_target (f, targets[t]);
      g_assert_cmpint (first->synced, ==, 1);
      store = tp_store_new (dir, &error);
      g_assert_true (tp_store_erase_lead (store, gone, &error));
      g_clear_object (&store);

      config = tp_sync_test_config (f->crm, targets[t], f->token_file);
      config->max_wait = 0;
      g_free (config->url);
      config->url = g_strconcat (url, "/nope", NULL);
      wrong = sync_with (f, config);
      g_assert_cmpint (wrong->synced, ==, 0);
      tp_sync_test_counts (dir, targets[t], counts);
      g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 1);
      g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 1);

      right = sync_target (f, targets[t]);
      g_assert_cmpint (right->synced, ==, 1);
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, gone), ==, 1);
      g_assert_null (tp_fake_crm_get_record (f->crm, gone));
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

/* A wrong address (404) or a request the CRM refuses whatever the record (a mapped property
 * missing in HubSpot: 400) must not reject every lead for good: nothing has proved that the
 * fault is the records'. They wait; the run stops and says why; fixed, they all go through. */
static void
test_refused_everything (Fixture       *f,
                         gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpSyncSummary) again = NULL;
      g_autofree char *url = tp_fake_crm_get_url (f->crm, targets[t]);
      TpSyncConfig *config;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      ids = tp_sync_test_fill (dir, 30);
      config = tp_sync_test_config (f->crm, targets[t], f->token_file);
      g_free (config->url);
      config->url = g_strconcat (url, "/nope", NULL);
      summary = sync_with (f, config);
      g_test_message ("%s: %" G_GINT64_FORMAT " requests", targets[t], summary->requests);
      g_assert_cmpint (summary->rejected, ==, 0);
      g_assert_cmpint (summary->synced, ==, 0);
      g_assert_cmpint (summary->left, ==, 30);
      g_assert_true (summary->unreachable);
      g_assert_nonnull (strstr (summary->stop_reason, "HTTP 404"));
      g_assert_cmpint (summary->requests, <, 15);
      tp_sync_test_counts (dir, targets[t], counts);
      g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
      g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 30);

      again = sync_target (f, targets[t]);
      g_assert_cmpint (again->synced, ==, 30);
      g_assert_cmpint (again->rejected, ==, 0);
      assert_all_once (f, ids, targets[t]);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_refused_400_everything (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* Every record draws a 400 for the whole request: none is rejected on that alone. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u+bad400@example.com", i);
      g_free (tp_sync_test_capture (f->dir, email));
    }
  summary = sync_target (f, "hubspot");
  g_assert_cmpint (summary->rejected, ==, 0);
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "HTTP 400"));
  tp_sync_test_counts (f->dir, "hubspot", counts);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 5);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_tls_verified (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 2);
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  TpSyncConfig *config;
  g_autoptr(TpSyncSummary) refused = NULL;
  g_autoptr(TpSyncSummary) trusted = NULL;
  g_autoptr(GSubprocess) req = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to serve TLS");
      return;
    }
  req = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                          "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                          "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (req, NULL, &error));
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "openssl", "s_server", "-quiet", "-cert", cert, "-key", key, "-accept", port,
                             "-www", NULL);
  g_assert_no_error (error);
  /* Wait until it listens (a loaded machine may take a while to start it). */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                                 atoi (port), NULL, NULL);

      if (connection)
        break;
      g_usleep (50 * 1000);
    }

  /* A certificate nobody vouches for: refused, nothing sent, exit 69 material. */
  config = tp_sync_test_config (f->crm, "hubspot", f->token_file);
  g_free (config->url);
  config->url = g_strdup_printf ("https://127.0.0.1:%s", port);
  refused = sync_with (f, config);
  g_assert_true (refused->unreachable);
  g_assert_nonnull (strstr (refused->stop_reason, "certificate"));
  g_assert_cmpint (refused->synced, ==, 0);
  g_assert_cmpint (refused->left, ==, 2);
  g_assert_cmpint (refused->requests, ==, 1);

  /* With its CA file configured the handshake succeeds (this server then answers nothing
   * useful, which is only a temporary failure). */
  config = tp_sync_test_config (f->crm, "hubspot", f->token_file);
  g_free (config->url);
  config->url = g_strdup_printf ("https://127.0.0.1:%s", port);
  config->ca_file = g_strdup (cert);
  config->max_wait = 0;
  trusted = sync_with (f, config);
  g_assert_null (strstr (trusted->last_error, "certificate"));
  g_assert_cmpint (trusted->synced, ==, 0);
  g_assert_cmpint (trusted->left, ==, 2);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static void
test_two_in_the_air (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "webhook", f->token_file);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Ten requests of 200 ms each: one at a time would take 2 s. */
  tp_fake_crm_set_latency_ms (f->crm, 200);
  config->batch_size = 1;
  summary = sync_with (f, config);
  g_assert_cmpint (summary->requests, ==, 10);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1700 * 1000);
  assert_all_once (f, ids, "webhook");
}

typedef struct
{
  GMainLoop     *loop;
  TpSyncSummary *summary;
  GThread       *main_thread;
  guint          progress_calls;
  gint64         last_done;
} AsyncState;

static void
async_progress_cb (gint64   done,
                   gint64   total,
                   gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpint (total, ==, 120);
  g_assert_cmpint (done, >=, state->last_done);
  state->last_done = done;
  state->progress_calls++;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->summary = tp_syncer_run_finish (TP_SYNCER (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 120);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "salesforce", f->token_file);
  g_autoptr(TpSyncer) syncer = NULL;
  AsyncState state = { 0 };

  config->batch_size = 50;
  syncer = tp_syncer_new (f->dir, config);
  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  tp_syncer_set_progress_func (syncer, async_progress_cb, &state, NULL);
  tp_syncer_run_async (syncer, NULL, async_done_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_cmpint (state.summary->synced, ==, 120);
  /* Flush progress calls queued before the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.progress_calls, >=, 3);
  g_assert_cmpint (state.last_done, ==, 120);
  tp_sync_summary_free (state.summary);
  g_main_loop_unref (state.loop);
  assert_all_once (f, ids, "salesforce");
}

/* ---- The command line ---------------------------------------------------------------------- */

static int
run_cli (Fixture            *f,
         const char * const *extra,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *base[] = { "sync", "--data-dir", f->dir, "--token-file", f->token_file, NULL };

  for (guint i = 0; base[i]; i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  for (guint i = 0; extra[i]; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  return tp_test_run ((const char * const *) args->pdata, NULL, out, err);
}

static void
write_settings (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "sync.json", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "{\"backoff_base_ms\": 5, \"backoff_max_ms\": 100, \"low_speed_time\": 1,"
                             " \"connect_timeout\": 2, \"max_wait\": 20}", -1, &error);
  g_assert_no_error (error);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 12);
  g_autofree char *bad = tp_sync_test_capture (f->dir, "nope+reject@example.com");
  g_autofree char *url = tp_fake_crm_get_url (f->crm, "hubspot");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) summary = NULL;
  const char *dry[] = { "--target", "hubspot", "--url", url, "--dry-run", NULL };
  const char *run[] = { "--target", "hubspot", "--url", url, "--json", NULL };
  const char *run_text[] = { "--target", "hubspot", "--url", url, NULL };
  const char *closed[] = { "--target", "hubspot", "--url", "http://127.0.0.1:9", NULL };
  const char *status[] = { "--status", bad, NULL };
  const char *stats[] = { "stats", "--json", "--data-dir", f->dir, NULL };
  g_autofree char *loose = g_build_filename (f->dir, "loose-token", NULL);
  const char *open_token[] = { "sync", "--data-dir", f->dir, "--target", "hubspot", "--token-file", loose, NULL };
  JsonObject *obj;

  write_settings (f);

  /* A dry run shows the exact requests and sends nothing. */
  g_assert_cmpint (run_cli (f, dry, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "POST " ));
  g_assert_nonnull (strstr (out, "/crm/v3/objects/contacts/batch/upsert (13 records)"));
  g_assert_nonnull (strstr (out, "\"idProperty\":\"email\",\"id\":\"lead5@example.com\""));
  g_assert_null (strstr (out, "test-token"));
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (tp_test_run (stats, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"pending\" : 13"));
  g_clear_pointer (&out, g_free);

  /* A real run: one rejected, so exit 1, with the reason. */
  g_assert_cmpint (run_cli (f, run, &out, &err), ==, 1);
  summary = json_from_string (out, NULL);
  obj = json_node_get_object (summary);
  g_assert_cmpint (json_object_get_int_member (obj, "synced"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (obj, "rejected"), ==, 1);
  g_assert_nonnull (strstr (out, "VALIDATION_ERROR"));
  g_assert_null (strstr (out, "test-token"));
  g_assert_null (strstr (err, "test-token"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, status, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "rejected"));
  g_assert_nonnull (strstr (out, "hubspot"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (tp_test_run (stats, NULL, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"synced\" : 12"));
  g_assert_nonnull (strstr (out, "\"rejected\" : 1"));
  g_clear_pointer (&out, g_free);

  /* Nothing left: all synced (the rejected one is not retried): exit 0. The summary must not
   * claim that everything is in the CRM: one record never got there. */
  g_assert_cmpint (run_cli (f, run, &out, &err), ==, 0);
  g_clear_pointer (&summary, json_node_unref);
  summary = json_from_string (out, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "rejected_earlier"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (f, run_text, &out, &err), ==, 0);
  g_assert_null (strstr (out, "Everything is in the CRM"));
  g_assert_nonnull (strstr (out, "1 records were rejected in earlier runs"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A new lead, and no CRM to be reached: 69. */
  g_free (tp_sync_test_capture (f->dir, "late@example.com"));
  g_assert_cmpint (run_cli (f, closed, &out, &err), ==, 69);
  g_assert_nonnull (strstr (err, "could not reach the CRM"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A token file others can read is refused, by name. */
  g_file_set_contents (loose, "test-token", -1, NULL);
  g_chmod (loose, 0644);
  g_assert_cmpint (tp_test_run (open_token, NULL, &out, &err), ==, 65);
  g_assert_nonnull (strstr (err, loose));
  g_assert_nonnull (strstr (err, "chmod 600"));
  g_assert_null (strstr (err, "test-token"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/touchpoint/sync/config/errors", test_config_errors);
  g_test_add_func ("/touchpoint/sync/config/url", test_config_url);
  g_test_add_func ("/touchpoint/sync/config/token-file", test_token_file);
  g_test_add_func ("/touchpoint/sync/answer/web-page", test_web_page_answer);
  g_test_add_func ("/touchpoint/sync/mapping/split-name", test_split_name);
  g_test_add_func ("/touchpoint/sync/mapping/sources", test_mapping);
  g_test_add_func ("/touchpoint/sync/webhook/signature", test_signature);
  g_test_add_func ("/touchpoint/sync/json-scan", test_json_scan);
  g_test_add_func ("/touchpoint/sync/store/claim", test_store_claim);
  g_test_add_func ("/touchpoint/sync/store/erase", test_store_erase);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/touchpoint/sync/webhook/happy", test_webhook_happy);
  ADD ("/touchpoint/sync/webhook/bad-secret", test_webhook_bad_secret);
  ADD ("/touchpoint/sync/webhook/lost-answer", test_lost_answer);
  ADD ("/touchpoint/sync/hubspot/happy", test_hubspot_happy);
  ADD ("/touchpoint/sync/hubspot/retry-after", test_retry_after);
  ADD ("/touchpoint/sync/hubspot/same-email", test_hubspot_same_email);
  ADD ("/touchpoint/sync/salesforce/happy", test_salesforce_happy);
  ADD ("/touchpoint/sync/faults/each", test_each_fault);
  ADD ("/touchpoint/sync/faults/rejections", test_rejections);
  ADD ("/touchpoint/sync/faults/split-batch", test_split_batch);
  ADD ("/touchpoint/sync/faults/unreachable", test_unreachable);
  ADD ("/touchpoint/sync/faults/refused-everything", test_refused_everything);
  ADD ("/touchpoint/sync/faults/refused-400-everything", test_refused_400_everything);
  ADD ("/touchpoint/sync/faults/tls", test_tls_verified);
  ADD ("/touchpoint/sync/erase/reaches-crm", test_erase_reaches_crm);
  ADD ("/touchpoint/sync/erase/wrong-address", test_erase_wrong_address);
  ADD ("/touchpoint/sync/async", test_async);
  ADD ("/touchpoint/sync/two-in-the-air", test_two_in_the_air);
  ADD ("/touchpoint/sync/cli", test_cli);
#undef ADD
  return g_test_run ();
}
