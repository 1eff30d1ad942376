/* test-sync-limits.c: the CRMs' real limits: rate limits, daily limits, retries, concurrency. */
#include "tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "sync/tp-sync-limiter.h"
#include "tests/tp-test-util.h"

#include <string.h>

typedef TpSyncFixture Fixture;

#define fixture_set_up tp_sync_fixture_set_up
#define fixture_tear_down tp_sync_fixture_tear_down

static TpSyncConfig *
config_for (Fixture    *f,
            const char *target,
            guint       batch_size)
{
  TpSyncConfig *config = tp_sync_test_config (f->crm, target, f->token_file);

  config->batch_size = batch_size;
  return config;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* ---- The limiter alone --------------------------------------------------------------------- */

static TpSyncResponse
limits (gint64 max,
        gint64 interval,
        gint64 remaining)
{
  TpSyncResponse r = { 0 };

  tp_sync_response_clear (&r);
  r.status = 200;
  r.limit_max = max;
  r.limit_interval_ms = interval;
  r.limit_remaining = remaining;
  return r;
}

/* HubSpot's headers size the window. A request holds its place from its start until an interval
 * (and 50 ms) after its answer: it arrived at the CRM somewhere in between. */
static void
test_limiter_window (void)
{
  g_autoptr(TpSyncLimiter) l = tp_sync_limiter_new ();
  TpSyncResponse r = limits (3, 1000, 2);

  g_assert_false (tp_sync_limiter_knows (l));
  g_assert_cmpint (tp_sync_limiter_next_start (l, 0), ==, 0);
  tp_sync_limiter_start (l, 0);
  tp_sync_limiter_finish (l, &r, 0, 100);
  g_assert_true (tp_sync_limiter_knows (l));
  g_assert_cmpint (tp_sync_limiter_next_start (l, 100), ==, 100);
  g_assert_cmpint (tp_sync_limiter_room (l, 100, 0), ==, 2);
  tp_sync_limiter_start (l, 100);
  tp_sync_limiter_start (l, 100);
  g_assert_cmpint (tp_sync_limiter_room (l, 100, 0), ==, 0);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 100), ==, 100 + 1000 + 50 + 1);
  /* Within 1,100 ms, the first place frees up again. */
  g_assert_cmpint (tp_sync_limiter_room (l, 100, 1100), ==, 1);
}

/* A request in the air keeps its place until its answer comes, however late. */
static void
test_limiter_in_air (void)
{
  g_autoptr(TpSyncLimiter) l = tp_sync_limiter_new ();
  TpSyncResponse r = limits (1, 1000, 0);

  tp_sync_limiter_start (l, 0);
  tp_sync_limiter_finish (l, &r, 0, 500);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 600), ==, 500 + 1051);
  tp_sync_limiter_start (l, 1551);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 1600), ==, G_MAXINT64);
  tp_sync_limiter_finish (l, &r, 1551, 3000);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 3000), ==, 3000 + 1051);
}

/* The CRM counts more than this run sent (another run, another app): the rest is taken as
 * used when the answer came, and waited out. */
static void
test_limiter_foreign (void)
{
  g_autoptr(TpSyncLimiter) l = tp_sync_limiter_new ();
  TpSyncResponse r = limits (10, 1000, 1);

  tp_sync_limiter_start (l, 0);
  tp_sync_limiter_finish (l, &r, 0, 100);
  g_assert_cmpint (tp_sync_limiter_room (l, 100, 0), ==, 1);
  tp_sync_limiter_start (l, 100);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 100), ==, 1151);
}

/* Only Retry-After: what went through before the refusal is taken as the window. */
static void
test_limiter_inferred (void)
{
  g_autoptr(TpSyncLimiter) l = tp_sync_limiter_new ();
  TpSyncResponse r = limits (-1, -1, -1);

  for (gint64 t = 0; t < 30; t += 10)
    tp_sync_limiter_start (l, t);
  tp_sync_limiter_finish (l, &r, 0, 40);
  tp_sync_limiter_finish (l, &r, 10, 45);
  r.status = 429;
  r.retry_after_ms = 2000;
  tp_sync_limiter_finish (l, &r, 20, 50);
  tp_sync_limiter_refused (l, &r, 20, 50, 2000);
  g_assert_true (tp_sync_limiter_knows (l));
  /* Two in 2,010 ms (from the first answer to the end of the wait): the next may go once the
   * second answer has left the window. */
  g_assert_cmpint (tp_sync_limiter_next_start (l, 60), ==, 45 + 2010 + 50 + 1);
  /* A refusal under a second is a hiccup, not a window. */
  {
    g_autoptr(TpSyncLimiter) m = tp_sync_limiter_new ();
    TpSyncResponse ok = limits (-1, -1, -1);

    tp_sync_limiter_start (m, 0);
    tp_sync_limiter_finish (m, &ok, 0, 5);
    tp_sync_limiter_start (m, 10);
    tp_sync_limiter_finish (m, &r, 10, 20);
    tp_sync_limiter_refused (m, &r, 10, 20, 0);
    g_assert_false (tp_sync_limiter_knows (m));
    g_assert_cmpint (tp_sync_limiter_next_start (m, 20), ==, 20);
  }
}

/* A daily budget: no more than that many requests start, for the rest of the run. */
static void
test_limiter_budget (void)
{
  g_autoptr(TpSyncLimiter) l = tp_sync_limiter_new ();
  TpSyncResponse r = limits (-1, -1, -1);

  tp_sync_limiter_start (l, 0);
  tp_sync_limiter_finish (l, &r, 0, 5);
  tp_sync_limiter_budget (l, 2, 0);
  g_assert_cmpint (tp_sync_limiter_room (l, 10, 0), ==, 2);
  tp_sync_limiter_start (l, 10);
  tp_sync_limiter_start (l, 10);
  g_assert_cmpint (tp_sync_limiter_room (l, 10, 1000), ==, 0);
  g_assert_cmpint (tp_sync_limiter_next_start (l, 10), ==, G_MAXINT64);
}

/* ---- HubSpot's results --------------------------------------------------------------------- */

/* An answer valid by HubSpot's schema that repeats none of the properties sent: each result is
 * matched by the objectWriteTraceId its input carried, and nothing the CRM stored is rejected. */
static void
test_hubspot_no_echo (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autoptr(TpSyncSummary) summary = NULL;

  tp_fake_crm_set_hubspot_echo (f->crm, FALSE, TRUE);
  summary = tp_sync_test_sync (f->dir, config_for (f, "hubspot", 0));
  g_assert_cmpint (summary->synced, ==, 20);
  g_assert_cmpint (summary->rejected, ==, 0);
  g_assert_cmpint (summary->requests, ==, 1);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "hubspot", ids);
}

/* Every input carries an objectWriteTraceId, "<lead id>:<attempt>": unique per record and per
 * attempt. Without it in the answer, the id property, then the email, still match. */
static void
test_hubspot_trace_ids (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 30);
  g_autoptr(TpSyncSummary) summary = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  tp_fake_crm_set_keep_bodies (f->crm, TRUE);
  tp_fake_crm_set_hubspot_echo (f->crm, TRUE, FALSE);
  tp_fake_crm_set_retry_after (f->crm, 0);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_500, 1);
  summary = tp_sync_test_sync (f->dir, config_for (f, "hubspot", 0));
  g_assert_cmpint (summary->synced, ==, 30);
  bodies = tp_fake_crm_take_bodies (f->crm);
  g_assert_cmpuint (bodies->len, ==, 2);
  for (guint i = 0; i < bodies->len; i++)
    {
      gsize size = 0;
      const char *text = g_bytes_get_data (bodies->pdata[i], &size);
      g_autofree char *copy = g_strndup (text, size);
      g_autoptr(JsonNode) root = json_from_string (copy, NULL);
      JsonArray *inputs = json_object_get_array_member (json_node_get_object (root), "inputs");

      g_assert_cmpuint (json_array_get_length (inputs), ==, 30);
      for (guint j = 0; j < json_array_get_length (inputs); j++)
        {
          JsonObject *in = json_array_get_object_element (inputs, j);
          const char *trace = json_object_get_string_member_with_default (in, "objectWriteTraceId", NULL);
          g_autofree char *expect = g_strdup_printf ("%s:%u", (char *) ids->pdata[j], i + 1);

          g_assert_cmpstr (trace, ==, expect);
          g_assert_true (g_hash_table_add (seen, g_strdup (trace)));
        }
    }
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "hubspot", ids);
}

/* ---- Rate limits --------------------------------------------------------------------------- */

/* HubSpot's headers on every answer say how much of the window is left: paced by them, a run
 * draws no 429 at all. */
static void
test_burst_headers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 24);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  tp_fake_crm_set_rate_limit (f->crm, 6, 1000, TP_FAKE_LIMIT_HEADERS | TP_FAKE_LIMIT_ENFORCE);
  tp_fake_crm_set_latency_range (f->crm, 20, 60);
  summary = tp_sync_test_sync (f->dir, config_for (f, "hubspot", 1));
  g_test_message ("%" G_GINT64_FORMAT " requests, %u refused, %.1f s", summary->requests,
                  tp_fake_crm_n_rate_limited (f->crm), seconds_since (start));
  g_assert_cmpuint (tp_fake_crm_n_rate_limited (f->crm), ==, 0);
  g_assert_cmpint (summary->synced, ==, 24);
  /* Four windows' worth: the limit is used, not left idle (the fourth window's six go once
   * three seconds have passed since the first). */
  g_assert_cmpfloat (seconds_since (start), <, 6.0);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "hubspot", ids);
}

/* A CRM that says only Retry-After: a 429 pauses every request, not just the one refused. */
static void
test_retry_after_only (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 30);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();
  guint refused;

  tp_fake_crm_set_rate_limit (f->crm, 10, 2000, TP_FAKE_LIMIT_ENFORCE | TP_FAKE_LIMIT_RETRY_AFTER);
  tp_fake_crm_set_latency_range (f->crm, 20, 60);
  summary = tp_sync_test_sync (f->dir, config_for (f, "hubspot", 1));
  refused = tp_fake_crm_n_rate_limited (f->crm);
  g_test_message ("%" G_GINT64_FORMAT " requests, %u refused, %.1f s", summary->requests, refused,
                  seconds_since (start));
  g_assert_cmpint (summary->synced, ==, 30);
  /* Thirty accepted in windows of ten: at most a few refusals for each full window. */
  g_assert_cmpuint (refused, <=, 10);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "hubspot", ids);
}

/* A wait the CRM asked for outlives the run: the next run does not send before it either. */
static void
test_wait_next_run (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  g_autoptr(TpSyncSummary) first = NULL;
  g_autoptr(TpSyncSummary) second = NULL;
  TpSyncConfig *config = config_for (f, "hubspot", 0);
  gint64 before = g_get_real_time () / 1000;

  tp_fake_crm_set_retry_after (f->crm, 30);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_429, 1);
  config->max_wait = 1;
  first = tp_sync_test_sync (f->dir, config);
  g_assert_cmpint (first->requests, ==, 1);
  g_assert_cmpint (first->left, ==, 10);
  g_assert_cmpint (first->next_retry_ms, >=, before + 30 * 1000);
  config = config_for (f, "hubspot", 0);
  config->max_wait = 1;
  second = tp_sync_test_sync (f->dir, config);
  g_assert_cmpint (second->requests, ==, 0);
  g_assert_cmpint (second->left, ==, 10);
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 1);
  /* Nothing was claimed for nothing: the records count one attempt, the one that was sent. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpStore) store = tp_store_new (f->dir, &error);
    g_autoptr(JsonNode) status = tp_store_outbox_lead_status (store, ids->pdata[0], &error);
    JsonObject *row;

    g_assert_no_error (error);
    row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status), "outbox"), 0);
    g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 1);
  }
}

static const char *fast_settings =
  "{\"backoff_base_ms\": 5, \"backoff_max_ms\": 100, \"low_speed_time\": 1, \"connect_timeout\": 2, "
  "\"max_wait\": 5, \"batch_size\": 2}";

/* HubSpot's daily limit: the run ends at once, says when to come back, and keeps every record;
 * the next run before then sends nothing. */
static void
test_daily_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autofree char *url = tp_fake_crm_get_url (f->crm, "hubspot");
  const char *args[] = { "--target", "hubspot", "--url", url, "--token-file", f->token_file, "--json", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) summary = NULL;
  gint64 counts[5];
  guint sent;

  tp_sync_test_settings (f->dir, fast_settings);
  tp_fake_crm_set_daily_limit (f->crm, 3);
  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "HubSpot's daily API limit is used up; run again after "));
  g_assert_null (strstr (err, "token"));
  summary = json_from_string (out, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "synced"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "rejected"), ==, 0);
  /* X-HubSpot-RateLimit-Daily-Remaining said when to stop: nothing was refused. */
  sent = tp_fake_crm_n_requests (f->crm);
  g_assert_cmpuint (sent, ==, 3);
  g_assert_cmpuint (tp_fake_crm_n_rate_limited (f->crm), ==, 0);
  tp_sync_test_counts (f->dir, "hubspot", counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 6);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "HubSpot's daily API limit is used up; run again after "));
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, sent);
}

/* The same with only the 429's body to say it (policyName DAILY): the requests in the air when
 * it came are refused too, no more. */
static void
test_daily_limit_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 40);
  g_autofree char *url = tp_fake_crm_get_url (f->crm, "hubspot");
  const char *args[] = { "--target", "hubspot", "--url", url, "--token-file", f->token_file, NULL };
  g_autofree char *out = NULL, *err = NULL;
  gint64 counts[5];

  tp_sync_test_settings (f->dir, fast_settings);
  tp_fake_crm_set_rate_limit (f->crm, 100, 10000, 0);
  tp_fake_crm_set_daily_limit (f->crm, 3);
  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_test_message ("%s%u requests, %u refused", err, tp_fake_crm_n_requests (f->crm),
                  tp_fake_crm_n_rate_limited (f->crm));
  g_assert_nonnull (strstr (err, "HubSpot's daily API limit is used up; run again after "));
  g_assert_cmpuint (tp_fake_crm_n_rate_limited (f->crm), <=, 4);
  tp_sync_test_counts (f->dir, "hubspot", counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 6);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
}

/* Salesforce's org-wide API limit is not a token problem: exit 1, records kept, no "token".
 * Sforce-Limit-Info says when it runs out, so that no request is refused for it; a 403
 * REQUEST_LIMIT_EXCEEDED (another integration took the last ones) ends the run all the same. */
static void
test_salesforce_request_limit (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autofree char *url = tp_fake_crm_get_url (f->crm, "salesforce");
  const char *args[] = { "--target", "salesforce", "--url", url, "--token-file", f->token_file, NULL };
  g_autofree char *out = NULL, *err = NULL;
  gint64 counts[5];

  tp_sync_test_settings (f->dir, fast_settings);
  tp_fake_crm_set_api_usage (f->crm, 0, 3);
  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "Salesforce's API request limit for the org is used up"));
  g_assert_null (strstr (err, "token"));
  tp_sync_test_counts (f->dir, "salesforce", counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 6);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  tp_fake_crm_set_api_usage (f->crm, 5, 5);
  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Salesforce's API request limit for the org is used up"));
  g_assert_null (strstr (err, "token"));
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 4);
  tp_sync_test_counts (f->dir, "salesforce", counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 6);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
}

/* Sforce-Limit-Info near its maximum: the run stops before using the org's last requests. */
static void
test_salesforce_limit_info (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autofree char *url = tp_fake_crm_get_url (f->crm, "salesforce");
  const char *args[] = { "--target", "salesforce", "--url", url, "--token-file", f->token_file, NULL };
  g_autofree char *out = NULL, *err = NULL;

  tp_sync_test_settings (f->dir, fast_settings);
  /* 5 % of the org's limit is left for its other integrations. */
  tp_fake_crm_set_api_usage (f->crm, 9500, 10000);
  g_assert_cmpint (tp_sync_test_cli (f->dir, args, &out, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "Salesforce's API request limit for the org is nearly used up"));
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 1);
}

/* ---- Retries ------------------------------------------------------------------------------- */

/* Records refused for now go out again together, in full batches, not one request each. */
static void
test_full_batches (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 400);
  g_autoptr(TpSyncSummary) summary = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GArray) sizes = NULL;
  TpSyncConfig *config = config_for (f, "salesforce", 0);
  g_autoptr(GString) list = g_string_new (NULL);
  guint small = 0;

  config->backoff_base_ms = 200;
  config->backoff_max_ms = 2000;
  tp_fake_crm_set_keep_bodies (f->crm, TRUE);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_PARTIAL, 2);
  summary = tp_sync_test_sync (f->dir, config);
  bodies = tp_fake_crm_take_bodies (f->crm);
  sizes = tp_sync_test_batch_sizes (bodies);
  for (guint i = 0; i < sizes->len; i++)
    {
      g_string_append_printf (list, "%u ", g_array_index (sizes, guint, i));
      if (g_array_index (sizes, guint, i) < 20)
        small++;
    }
  g_test_message ("request sizes: %s", list->str);
  g_assert_cmpint (summary->synced, ==, 400);
  /* 400 records, a third of the first 400 refused for now: three or four requests. */
  g_assert_cmpuint (sizes->len, <=, 4);
  g_assert_cmpuint (small, ==, 0);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "salesforce", ids);
}

/* A stop for the token does not make later retries wait longer, in this run or the next. */
static void
test_backoff_resets (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  g_autoptr(TpSyncSummary) summary = NULL;
  TpSyncConfig *config;
  gint64 start;

  tp_fake_crm_set_token (f->crm, "another-token");
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TpSyncSummary) refused = NULL;

      config = config_for (f, "hubspot", 0);
      config->backoff_base_ms = 400;
      config->backoff_max_ms = 60000;
      refused = tp_sync_test_sync (f->dir, config);
      g_assert_true (refused->unreachable);
    }
  tp_fake_crm_set_token (f->crm, "test-token");
  tp_fake_crm_set_retry_after (f->crm, 0);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_500, 1);
  config = config_for (f, "hubspot", 0);
  config->backoff_base_ms = 400;
  config->backoff_max_ms = 60000;
  start = g_get_monotonic_time ();
  summary = tp_sync_test_sync (f->dir, config);
  g_test_message ("%.2f s", seconds_since (start));
  g_assert_cmpint (summary->synced, ==, 10);
  /* One failure: one base delay (200 to 400 ms), not 400 ms doubled for every earlier stop. */
  g_assert_cmpfloat (seconds_since (start), <, 1.5);
}

/* ---- Requests ------------------------------------------------------------------------------ */

/* A request libcurl sends again by itself (the kept-alive connection had been closed) is a
 * request the CRM received: the count says so. */
static void
test_count_resends (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 4);
  g_autoptr(TpSyncSummary) summary = NULL;

  tp_fake_crm_drop_on_reuse (f->crm, 1);
  summary = tp_sync_test_sync (f->dir, config_for (f, "webhook", 1));
  g_assert_cmpint (summary->synced, ==, 4);
  g_assert_cmpuint (tp_fake_crm_n_requests (f->crm), ==, 5);
  g_assert_cmpint (summary->requests, ==, 5);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "webhook", ids);
}

/* With a CRM 200 ms away, requests overlap: the connections are not the limit, and they are
 * reused rather than opened for each request. */
static void
test_concurrency (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 48);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  tp_fake_crm_set_latency_ms (f->crm, 200);
  summary = tp_sync_test_sync (f->dir, config_for (f, "webhook", 1));
  g_test_message ("%.2f s, %u connections, at most %u at once", seconds_since (start),
                  tp_fake_crm_n_connections (f->crm), tp_fake_crm_max_concurrent (f->crm));
  g_assert_cmpint (summary->requests, ==, 48);
  /* One at a time would take 9.6 s, two at a time 4.8 s. */
  g_assert_cmpfloat (seconds_since (start), <, 2.5);
  g_assert_cmpuint (tp_fake_crm_max_concurrent (f->crm), >=, 4);
  g_assert_cmpuint (tp_fake_crm_n_connections (f->crm), <=, tp_fake_crm_max_concurrent (f->crm) + 1);
  tp_sync_test_assert_exactly_once (f->crm, f->dir, "webhook", ids);
}

/* ---- Salesforce: one Lead per person -------------------------------------------------------- */

/* The same visitor on two kiosks (any case of the email) is one Lead. */
static void
test_salesforce_one_lead (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *kiosk_b = tp_test_mkdtemp ();
  g_autofree char *a = tp_sync_test_capture (f->dir, "same@example.com");
  g_autofree char *b = tp_sync_test_capture (kiosk_b, "Same@EXAMPLE.com");
  g_autofree char *other = tp_sync_test_capture (kiosk_b, "other@example.com");
  g_autoptr(TpSyncSummary) first = tp_sync_test_sync (f->dir, config_for (f, "salesforce", 0));
  g_autoptr(TpSyncSummary) second = tp_sync_test_sync (kiosk_b, config_for (f, "salesforce", 0));

  g_assert_cmpint (first->synced, ==, 1);
  g_assert_cmpint (second->synced, ==, 2);
  g_assert_cmpint (second->rejected, ==, 0);
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 2);
  g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, "same@example.com"), ==, 1);
  g_assert_cmpuint (tp_fake_crm_n_duplicates (f->crm), ==, 0);
  tp_test_rmdir (kiosk_b);
}

/* An alerting duplicate rule lets the Lead be saved (the header says so); a blocking one
 * refuses it, and the refusal names the Lead it matches. */
static void
test_salesforce_duplicates (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *kiosk_b = tp_test_mkdtemp ();
  g_autofree char *match = tp_fake_crm_add_salesforce_lead (f->crm, "dup@example.com");
  g_autofree char *match_b = tp_fake_crm_add_salesforce_lead (f->crm, "dup-b@example.com");
  g_autofree char *a = tp_sync_test_capture (f->dir, "dup@example.com");
  g_autofree char *b = tp_sync_test_capture (kiosk_b, "dup-b@example.com");
  g_autoptr(TpSyncSummary) alert = NULL;
  g_autoptr(TpSyncSummary) block = NULL;
  g_autofree char *header = NULL;
  TpSyncRejection *r;

  tp_fake_crm_set_duplicate_rule (f->crm, TP_FAKE_DUPLICATES_ALERT);
  alert = tp_sync_test_sync (f->dir, config_for (f, "salesforce", 0));
  header = tp_fake_crm_last_header (f->crm, "Sforce-Duplicate-Rule-Header");
  g_assert_cmpstr (header, ==, "allowSave=true; includeRecordDetails=true; runAsCurrentUser=true");
  g_assert_cmpint (alert->synced, ==, 1);

  tp_fake_crm_set_duplicate_rule (f->crm, TP_FAKE_DUPLICATES_BLOCK);
  block = tp_sync_test_sync (kiosk_b, config_for (f, "salesforce", 0));
  g_assert_cmpint (block->rejected, ==, 1);
  r = block->rejections->pdata[0];
  g_test_message ("%s", r->reason);
  g_assert_cmpstr (r->lead_id, ==, b);
  g_assert_nonnull (strstr (r->reason, "DUPLICATES_DETECTED"));
  g_assert_nonnull (strstr (r->reason, match_b));
  tp_test_rmdir (kiosk_b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/touchpoint/sync/limiter/window", test_limiter_window);
  g_test_add_func ("/touchpoint/sync/limiter/foreign", test_limiter_foreign);
  g_test_add_func ("/touchpoint/sync/limiter/in-air", test_limiter_in_air);
  g_test_add_func ("/touchpoint/sync/limiter/inferred", test_limiter_inferred);
  g_test_add_func ("/touchpoint/sync/limiter/budget", test_limiter_budget);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/touchpoint/sync/hubspot/no-echo", test_hubspot_no_echo);
  ADD ("/touchpoint/sync/hubspot/trace-ids", test_hubspot_trace_ids);
  ADD ("/touchpoint/sync/limits/burst-headers", test_burst_headers);
  ADD ("/touchpoint/sync/limits/retry-after-only", test_retry_after_only);
  ADD ("/touchpoint/sync/limits/wait-next-run", test_wait_next_run);
  ADD ("/touchpoint/sync/limits/hubspot-daily", test_daily_limit);
  ADD ("/touchpoint/sync/limits/hubspot-daily-body", test_daily_limit_body);
  ADD ("/touchpoint/sync/limits/salesforce-request-limit", test_salesforce_request_limit);
  ADD ("/touchpoint/sync/limits/salesforce-limit-info", test_salesforce_limit_info);
  ADD ("/touchpoint/sync/retries/full-batches", test_full_batches);
  ADD ("/touchpoint/sync/retries/backoff-resets", test_backoff_resets);
  ADD ("/touchpoint/sync/requests/count-resends", test_count_resends);
  ADD ("/touchpoint/sync/requests/concurrency", test_concurrency);
  ADD ("/touchpoint/sync/salesforce/one-lead-per-person", test_salesforce_one_lead);
  ADD ("/touchpoint/sync/salesforce/duplicates", test_salesforce_duplicates);
#undef ADD
  return g_test_run ();
}
