/* test-sync.c: settings, mapping, secrets, answers, the outbox in the store, and the command line. */
#include "tp-sync-test-util.h"

#include "tp-stats.h"
#include "tp-store-outbox.h"
#include "sync/tp-sync-adapter.h"
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef TpSyncFixture Fixture;

#define fixture_set_up tp_sync_fixture_set_up
#define fixture_tear_down tp_sync_fixture_tear_down

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
    { "{\"max_in_flight\": 0}", "max_in_flight: must be a whole number from 1 to 100" },
    { "{\"salesforce\": {\"api_reserve_percent\": 80}}", "salesforce.api_reserve_percent: must be a whole number from 0 to 50" },
    { "{\"salesforce\": {\"duplicate_rule_header\": \"allowSave=true\\nX-Evil: 1\"}}", "salesforce.duplicate_rule_header: must be on one line" },
    { NULL, "nested deeper than 64 levels" },
    /* Ambiguous JSON: refused with its path, as in event files. */
    { "{\"target\": \"hubspot\", \"target\": \"webhook\"}", "target: this key appears twice" },
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

/* What the Salesforce duplicate rule header and the in-flight bound default to, and that the
 * header can be turned off. */
static void
test_config_defaults (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "sync.json", NULL);
  g_autoptr(TpSyncConfig) defaults = tp_sync_config_new ();
  g_autoptr(TpSyncConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (defaults->salesforce_duplicate_header, ==,
                   "allowSave=true; includeRecordDetails=true; runAsCurrentUser=true");
  defaults->target = g_strdup ("webhook");
  g_assert_cmpuint (tp_sync_config_get_max_in_flight (defaults), ==, 8);
  g_free (defaults->target);
  defaults->target = g_strdup ("hubspot");
  g_assert_cmpuint (tp_sync_config_get_max_in_flight (defaults), ==, 64);

  g_file_set_contents (path, "{\"max_in_flight\": 4, \"salesforce\": {\"duplicate_rule_header\": null, "
                             "\"api_reserve_percent\": 0}}", -1, NULL);
  loaded = tp_sync_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (loaded->salesforce_duplicate_header);
  g_assert_cmpuint (loaded->salesforce_api_reserve, ==, 0);
  g_assert_cmpuint (tp_sync_config_get_max_in_flight (loaded), ==, 4);
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
  {
    g_autoptr(GBytes) broken_body = g_bytes_new_static (broken, strlen (broken));
    g_autoptr(JsonNode) none = tp_sync_parse_json (broken_body, &error);

    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "not valid JSON"));
  }
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

/* The secret is the token file's bytes without its trailing whitespace (spaces, tabs, CR, LF):
 * `printf '%s\n' SECRET > FILE` signs with SECRET, as docs/sync.md says. Leading whitespace and
 * anything inside stay. */
static void
test_secret_bytes (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "hook.secret", NULL);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
  const struct { const char *file; const char *secret; } cases[] = {
    { "s3cr3t\n", "s3cr3t" },
    { "s3cr3t \t\r\n\n", "s3cr3t" },
    { " s3 cr3t", " s3 cr3t" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char *secret;
      g_autofree char *signed_with = NULL, *expected = NULL;

      g_file_set_contents (path, cases[i].file, -1, NULL);
      g_chmod (path, 0600);
      secret = tp_sync_read_secret (path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (secret, ==, cases[i].secret);
      signed_with = tp_sync_sign (secret, body);
      expected = tp_sync_sign (cases[i].secret, body);
      g_assert_cmpstr (signed_with, ==, expected);
      tp_sync_secret_free (secret);
    }
  tp_test_rmdir (dir);
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
  g_assert_cmpint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
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
  const char *dry_json[] = { "--target", "hubspot", "--url", url, "--dry-run", "--json", NULL };
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

  /* With --json, the same requests as JSON, bodies as JSON values, still without the token. */
  g_assert_cmpint (run_cli (f, dry_json, &out, &err), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) dry_run = json_from_string (out, &error);
    JsonArray *requests;
    JsonObject *first;

    g_assert_no_error (error);
    requests = json_object_get_array_member (json_node_get_object (dry_run), "requests");
    g_assert_cmpuint (json_array_get_length (requests), ==, 1);
    first = json_array_get_object_element (requests, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "method"), ==, "POST");
    g_assert_cmpint (json_object_get_int_member (first, "records"), ==, 13);
    g_assert_false (json_object_get_boolean_member (first, "resend"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (
                        first, "body"), "inputs")), ==, 13);
    g_assert_null (strstr (out, "test-token"));
  }
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

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
  g_test_add_func ("/touchpoint/sync/config/defaults", test_config_defaults);
  g_test_add_func ("/touchpoint/sync/config/token-file", test_token_file);
  g_test_add_func ("/touchpoint/sync/answer/web-page", test_web_page_answer);
  g_test_add_func ("/touchpoint/sync/mapping/split-name", test_split_name);
  g_test_add_func ("/touchpoint/sync/mapping/sources", test_mapping);
  g_test_add_func ("/touchpoint/sync/webhook/signature", test_signature);
  g_test_add_func ("/touchpoint/sync/webhook/secret-bytes", test_secret_bytes);
  g_test_add_func ("/touchpoint/sync/store/claim", test_store_claim);
  g_test_add_func ("/touchpoint/sync/store/erase", test_store_erase);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/touchpoint/sync/cli", test_cli);
#undef ADD
  return g_test_run ();
}
