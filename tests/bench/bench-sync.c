/* bench-sync.c: what an admin waits for: leads to a CRM with its real rate limit and latency. */
#include "tests/sync/tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "tp-store-private.h"
#include "tests/tp-test-util.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

/* Run as `TOUCHPOINT_BIN=_build/touchpoint _build/tests/bench/bench-sync [N]` (meson test
 * --benchmark does). BENCH_SYNC_SETTINGS='{"max_in_flight": 8}' gives `touchpoint sync` a
 * sync.json; BENCH_SYNC_LOG=PREFIX keeps each run's debug log (PREFIX-1-hubspot.log, ...). */

/* HubSpot's burst limit for a private app on a free account, and a CRM on the Internet. */
#define HUBSPOT_MAX         100
#define HUBSPOT_INTERVAL_MS 10000
#define LATENCY_MIN_MS      150
#define LATENCY_MAX_MS      400
/* The syncer's default max_in_flight for the CRMs (docs/sync.md). */
#define IN_FLIGHT           64

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Forgets every send, so that the next run sends everything again. */
static void
reset_outbox (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (tp_store_get_db (store), "DELETE FROM outbox_delivery; DELETE FROM sync_targets; "
                                 "DELETE FROM settings WHERE key LIKE 'sync.%';", NULL, NULL, NULL), ==, SQLITE_OK);
}

typedef struct
{
  double  seconds;
  gint64  requests;
  guint   refused;        /* 429s */
  double  decode_ms;      /* CPU spent reading answers (json-glib), from the debug log */
  double  run_ms;
} Run;

/* Syncs every lead in dir to target at crm with `touchpoint sync`, the program an admin runs
 * (in a process of its own, as the CRM is). */
static Run
run_syncer (const char *dir,
            TpFakeCrm  *crm,
            const char *target,
            const char *token,
            guint       n)
{
  g_autofree char *url = tp_fake_crm_get_url (crm, target);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *line;
  gint64 start = g_get_monotonic_time ();
  Run run = { 0 };

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "tp-sync", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TOUCHPOINT_BIN"), "sync", "--data-dir", dir,
                                      "--target", target, "--url", url, "--token-file", token, "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  run.seconds = seconds_since (start);
  g_assert_no_error (error);
  if (g_getenv ("BENCH_SYNC_LOG"))
    {
      static guint count;
      g_autofree char *path = g_strdup_printf ("%s-%u-%s.log", g_getenv ("BENCH_SYNC_LOG"), ++count, target);

      g_file_set_contents (path, err, -1, NULL);
    }
  if (g_subprocess_get_exit_status (proc) != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  summary = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (summary), "synced"), ==, n);
  g_assert_cmpuint (tp_fake_crm_n_duplicates (crm), ==, 0);
  run.requests = json_object_get_int_member (json_node_get_object (summary), "requests");
  run.refused = tp_fake_crm_n_rate_limited (crm);
  if (g_getenv ("BENCH_SYNC_LOG"))
    g_print ("  (the CRM received %u requests, %u connections, at most %u at once)\n", tp_fake_crm_n_requests (crm),
             tp_fake_crm_n_connections (crm), tp_fake_crm_max_concurrent (crm));
  if ((line = strstr (err, "Run took ")))
    sscanf (line, "Run took %lf ms; CPU ms: claims %*f, encoding %*f, decoding %lf", &run.run_ms, &run.decode_ms);
  return run;
}

static TpFakeCrm *
fresh_crm (guint latency_min,
           guint latency_max,
           gboolean enforce)
{
  TpFakeCrm *crm;

  /* A fresh CRM for each measurement; give the last one's memory back first. */
  malloc_trim (0);
  crm = tp_fake_crm_new ();
  tp_fake_crm_set_latency_range (crm, latency_min, latency_max);
  tp_fake_crm_set_rate_limit (crm, HUBSPOT_MAX, HUBSPOT_INTERVAL_MS,
                              TP_FAKE_LIMIT_HEADERS | (enforce ? TP_FAKE_LIMIT_ENFORCE : 0));
  return crm;
}

/* Posts bodies [from, to) of those the syncer sent, with curl --parallel, as many at once as
 * the syncer may have: what the same requests take with no local work at all. */
static double
run_curl (TpFakeCrm  *crm,
          const char *target,
          GPtrArray  *bodies,
          guint       from,
          guint       to,
          const char *work)
{
  g_autofree char *config_path = g_build_filename (work, "curl.conf", NULL);
  g_autofree char *url = tp_fake_crm_get_url (crm, target);
  g_autofree char *max = g_strdup_printf ("%d", IN_FLIGHT);
  gboolean hubspot = g_str_equal (target, "hubspot");
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  for (guint i = from; i < to; i++)
    {
      g_autofree char *name = g_strdup_printf ("batch-%04u.json", i);
      g_autofree char *path = g_build_filename (work, name, NULL);
      gsize size = 0;
      const char *data = g_bytes_get_data (bodies->pdata[i], &size);

      g_file_set_contents (path, data, size, &error);
      g_assert_no_error (error);
      g_string_append_printf (config, "%surl = \"%s%s\"\nrequest = \"%s\"\n"
                                      "header = \"Authorization: Bearer test-token\"\n"
                                      "header = \"Content-Type: application/json; charset=utf-8\"\n"
                                      "data-binary = \"@%s\"\noutput = \"/dev/null\"\nfail\n",
                              i > from ? "next\n" : "", url,
                              hubspot ? "/crm/v3/objects/contacts/batch/upsert"
                                      : "/services/data/v59.0/composite/sobjects/Lead/Touchpoint_Lead_Id__c",
                              hubspot ? "POST" : "PATCH", path);
    }
  g_file_set_contents (config_path, config->str, config->len, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  curl = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "curl", "-s", "-S", "--no-progress-meter", "--parallel",
                           "--parallel-max", max, "-K", config_path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (curl, NULL, &error));
  return seconds_since (start);
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  double latency = (LATENCY_MIN_MS + LATENCY_MAX_MS) / 2000.0;
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *work = tp_test_mkdtemp ();
  g_autofree char *token = tp_sync_test_token_file (work);
  g_autofree char *curl_path = g_find_program_in_path ("curl");
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) hs_bodies = NULL;
  TpFakeCrm *crm;
  guint hs_requests = (n + 99) / 100, sf_requests = (n + 199) / 200;
  double hs_floor, sf_floor, curl_seconds = 0;
  Run hs, sf, bare;
  gint64 start;

  if (g_getenv ("TOUCHPOINT_BIN") == NULL)
    {
      g_printerr ("Set TOUCHPOINT_BIN to the touchpoint program (meson test --benchmark does)\n");
      return 2;
    }
  if (g_getenv ("BENCH_SYNC_SETTINGS"))
    tp_sync_test_settings (dir, g_getenv ("BENCH_SYNC_SETTINGS"));
  start = g_get_monotonic_time ();
  ids = tp_sync_test_fill (dir, n);
  g_print ("Prepared %u leads in %.1f s\n\n", n, seconds_since (start));

  /* HubSpot: 100 requests in any 10 s, enforced; the headers on every answer. */
  crm = fresh_crm (LATENCY_MIN_MS, LATENCY_MAX_MS, TRUE);
  tp_fake_crm_set_keep_bodies (crm, TRUE);
  hs = run_syncer (dir, crm, "hubspot", token, n);
  hs_bodies = tp_fake_crm_take_bodies (crm);
  g_clear_pointer (&crm, tp_fake_crm_free);
  /* The (k·100+1)-th request may not arrive sooner than k·10 s after the first: the last of R
   * requests goes (ceil (R / 100) - 1) · 10 s after the first at best, and takes the latency. */
  hs_floor = ((hs_requests + HUBSPOT_MAX - 1) / HUBSPOT_MAX - 1) * (HUBSPOT_INTERVAL_MS / 1000.0) + latency;
  g_print ("HubSpot, %u leads in batches of 100 (%u requests), %d requests in any %d s enforced, "
           "%d-%d ms a request:\n", n, hs_requests, HUBSPOT_MAX, HUBSPOT_INTERVAL_MS / 1000, LATENCY_MIN_MS,
           LATENCY_MAX_MS);
  g_print ("  latency floor: (ceil (%u / %d) - 1) x %d s + %.3f s mean latency = %.2f s\n", hs_requests,
           HUBSPOT_MAX, HUBSPOT_INTERVAL_MS / 1000, latency, hs_floor);
  if (curl_path)
    {
      /* The fake CRM's own work on the last window's requests, on the same cores, adds to the
       * latency: curl sending them at once to a fresh fake measures both. */
      guint last = hs_bodies->len > HUBSPOT_MAX ? hs_bodies->len - HUBSPOT_MAX : 0;
      double window_seconds;

      crm = fresh_crm (LATENCY_MIN_MS, LATENCY_MAX_MS, FALSE);
      window_seconds = run_curl (crm, "hubspot", hs_bodies, last, hs_bodies->len, work);
      g_clear_pointer (&crm, tp_fake_crm_free);
      g_print ("  measured floor: (ceil (%u / %d) - 1) x %d s + %.2f s for curl --parallel-max %d to send the last "
               "window's %u bodies to a fresh fake CRM = %.2f s\n", hs_requests, HUBSPOT_MAX,
               HUBSPOT_INTERVAL_MS / 1000, window_seconds, IN_FLIGHT, hs_bodies->len - last,
               hs_floor - latency + window_seconds);
      hs_floor = MAX (hs_floor, hs_floor - latency + window_seconds);
    }
  g_print ("  touchpoint sync: %.2f s = %.3f x the %s floor (target <= 1.15)   %s; %" G_GINT64_FORMAT
           " requests, %u refused with 429 (target 0)   %s\n", hs.seconds, hs.seconds / hs_floor,
           curl_path ? "measured" : "latency", hs.seconds / hs_floor <= 1.15 ? "met" : "MISSED", hs.requests,
           hs.refused, hs.refused == 0 ? "met" : "MISSED");
  g_print ("  reading the answers (json-glib): %.0f ms of CPU in the %.0f ms run (%.1f %%)\n\n", hs.decode_ms,
           hs.run_ms, hs.run_ms > 0 ? 100 * hs.decode_ms / hs.run_ms : 0);

  /* Salesforce: no per-second limit; the same latency. */
  reset_outbox (dir);
  crm = fresh_crm (LATENCY_MIN_MS, LATENCY_MAX_MS, FALSE);
  tp_fake_crm_set_keep_bodies (crm, TRUE);
  sf = run_syncer (dir, crm, "salesforce", token, n);
  bodies = tp_fake_crm_take_bodies (crm);
  g_clear_pointer (&crm, tp_fake_crm_free);
  /* No rate limit: R requests, at most IN_FLIGHT in the air, each taking the latency; and the
   * fake CRM's own work, on the same two cores: curl sending the same bodies measures both. */
  sf_floor = ((sf_requests + IN_FLIGHT - 1) / IN_FLIGHT) * latency;
  g_print ("Salesforce, %u leads in batches of 200 (%u requests), no per-second limit, %d-%d ms a request:\n", n,
           sf_requests, LATENCY_MIN_MS, LATENCY_MAX_MS);
  g_print ("  latency floor: ceil (%u / %d in the air) x %.3f s mean latency = %.2f s\n", sf_requests, IN_FLIGHT,
           latency, sf_floor);
  if (curl_path)
    {
      crm = fresh_crm (LATENCY_MIN_MS, LATENCY_MAX_MS, FALSE);
      curl_seconds = run_curl (crm, "salesforce", bodies, 0, bodies->len, work);
      g_clear_pointer (&crm, tp_fake_crm_free);
      g_print ("  measured floor: curl --parallel-max %d sending the very %u bodies to a fresh fake CRM, with no "
               "local work: %.2f s\n", IN_FLIGHT, bodies->len, curl_seconds);
      sf_floor = MAX (sf_floor, curl_seconds);
    }
  g_print ("  touchpoint sync: %.2f s = %.3f x the %s floor (target <= 1.15)   %s; %" G_GINT64_FORMAT " requests\n",
           sf.seconds, sf.seconds / sf_floor, curl_path ? "measured" : "latency",
           sf.seconds / sf_floor <= 1.15 ? "met" : "MISSED", sf.requests);
  g_print ("\n");

  /* Secondary: the CRM answers at once and sets no limit that binds (bare loopback). */
  reset_outbox (dir);
  crm = fresh_crm (0, 0, FALSE);
  tp_fake_crm_set_rate_limit (crm, 1000000, HUBSPOT_INTERVAL_MS, TP_FAKE_LIMIT_HEADERS);
  bare = run_syncer (dir, crm, "hubspot", token, n);
  g_clear_pointer (&crm, tp_fake_crm_free);
  g_print ("Bare loopback (secondary: no CRM answers in microseconds): HubSpot shape, %.2f s, %.0f leads/s\n",
           bare.seconds, n / bare.seconds);

  tp_test_rmdir (dir);
  tp_test_rmdir (work);
  return 0;
}
