/* test-sync-crash.c: `touchpoint sync` killed at random moments, then run again: each lead once. */
#include "tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "tests/tp-test-util.h"

#include <signal.h>

#define N_LEADS 3000
#define N_KILLS 8

static GSubprocess *
spawn_sync (const char *dir,
            const char *target,
            const char *url,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                        g_getenv ("TOUCHPOINT_BIN"), "sync", "--data-dir", dir, "--target", target,
                                        "--url", url, "--token-file", token, "--batch-size", "10", NULL);

  g_assert_no_error (error);
  return proc;
}

static void
crash (const char *target)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *token = tp_sync_test_token_file (dir);
  g_autofree char *settings = g_build_filename (dir, "sync.json", NULL);
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, N_LEADS);
  TpFakeCrm *crm = tp_fake_crm_new ();
  g_autofree char *url = tp_fake_crm_get_url (crm, target);
  gint64 counts[5];
  guint killed = 0;

  /* Two requests in the air, so that a run lasts long enough for every kill to land in it. */
  g_file_set_contents (settings, "{\"backoff_base_ms\": 5, \"backoff_max_ms\": 100, \"low_speed_time\": 1,"
                                 " \"connect_timeout\": 2, \"max_wait\": 30, \"max_in_flight\": 2}", -1, NULL);
  /* Slow enough that a kill lands mid-run: before, during and after requests and commits. */
  tp_fake_crm_set_latency_ms (crm, 20);
  tp_fake_crm_set_faults (crm, 0.10, TP_FAKE_FAULT_ALL & ~TP_FAKE_FAULT_TIMEOUT, g_test_rand_int ());
  tp_fake_crm_set_retry_after (crm, 0);

  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GSubprocess) proc = spawn_sync (dir, target, url, token);
      guint delay = g_test_rand_int_range (60, 500);

      g_usleep (delay * 1000);
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, NULL);
      if (g_subprocess_get_if_signaled (proc))
        killed++;
      tp_sync_test_counts (dir, target, counts);
      g_test_message ("round %u: killed after %u ms; synced %" G_GINT64_FORMAT ", in flight %" G_GINT64_FORMAT,
                      round, delay, counts[TP_DELIVERY_SYNCED], counts[TP_DELIVERY_IN_FLIGHT]);
    }
  /* Every kill landed in the middle of the work. */
  g_assert_cmpuint (killed, ==, N_KILLS);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], <, N_LEADS);

  /* Then it is left to finish. */
  for (guint run = 0;; run++)
    {
      g_autoptr(GSubprocess) proc = spawn_sync (dir, target, url, token);
      g_autoptr(GError) error = NULL;

      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (proc) == 0)
        break;
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
      g_assert_cmpuint (run, <, 5);
    }

  g_assert_cmpuint (ids->len, ==, N_LEADS);
  tp_sync_test_assert_exactly_once (crm, dir, target, ids);
  tp_fake_crm_free (crm);
  tp_test_rmdir (dir);
}

static void
test_crash_webhook (void)
{
  crash ("webhook");
}

static void
test_crash_hubspot (void)
{
  crash ("hubspot");
}

static void
test_crash_salesforce (void)
{
  crash ("salesforce");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/sync/crash/webhook", test_crash_webhook);
  g_test_add_func ("/touchpoint/sync/crash/hubspot", test_crash_hubspot);
  g_test_add_func ("/touchpoint/sync/crash/salesforce", test_crash_salesforce);
  return g_test_run ();
}
