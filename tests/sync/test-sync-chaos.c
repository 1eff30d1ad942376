/* test-sync-chaos.c: 10,000 leads through 20% injected faults: each lead once, every state final. */
#include "tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "tests/tp-test-util.h"

#define N_LEADS 10000

static void
chaos (const char *target,
       guint       batch_size)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *token = tp_sync_test_token_file (dir);
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, N_LEADS);
  TpFakeCrm *crm = tp_fake_crm_new ();
  guint32 seed = g_test_rand_int ();
  gint64 started = g_get_monotonic_time ();
  guint runs = 0;

  g_test_message ("%s: seed %u (rerun with --seed to repeat)", target, seed);
  tp_fake_crm_set_faults (crm, 0.20, TP_FAKE_FAULT_ALL, seed);
  tp_fake_crm_set_retry_after (crm, 0);
  tp_fake_crm_set_stall_ms (crm, 1300);
  /* Faults, not HubSpot's burst limit, are what this test is about. */
  tp_fake_crm_set_rate_limit (crm, 100000, 10000, TP_FAKE_LIMIT_HEADERS);

  /* A run stops when retries are far off or nothing moves for max_wait; the next run goes on,
   * as an admin would run it again. */
  for (;;)
    {
      TpSyncConfig *config = tp_sync_test_config (crm, target, token);
      g_autoptr(TpSyncSummary) summary = NULL;

      config->batch_size = batch_size;
      summary = tp_sync_test_sync (dir, config);
      runs++;
      g_test_message ("run %u: %" G_GINT64_FORMAT " synced, %" G_GINT64_FORMAT " left, %" G_GINT64_FORMAT
                      " requests; %s", runs, summary->synced, summary->left, summary->requests,
                      summary->stop_reason ? summary->stop_reason : "");
      g_assert_cmpint (summary->rejected, ==, 0);
      if (summary->left == 0)
        break;
      g_assert_cmpuint (runs, <, 5);
    }

  g_test_message ("%s: %u requests, %u faults, %.1f s", target, tp_fake_crm_n_requests (crm),
                  tp_fake_crm_n_faults (crm), (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (tp_fake_crm_n_faults (crm), >=, tp_fake_crm_n_requests (crm) / 10);
  g_assert_cmpuint (ids->len, ==, N_LEADS);
  tp_sync_test_assert_exactly_once (crm, dir, target, ids);
  tp_fake_crm_free (crm);
  tp_test_rmdir (dir);
}

static void
test_chaos_webhook (void)
{
  chaos ("webhook", 50);
}

static void
test_chaos_hubspot (void)
{
  chaos ("hubspot", 100);
}

static void
test_chaos_salesforce (void)
{
  chaos ("salesforce", 100);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/sync/chaos/webhook", test_chaos_webhook);
  g_test_add_func ("/touchpoint/sync/chaos/hubspot", test_chaos_hubspot);
  g_test_add_func ("/touchpoint/sync/chaos/salesforce", test_chaos_salesforce);
  return g_test_run ();
}
