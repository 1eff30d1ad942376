/* bench-privacy.c: what an admin waits for at the end of an event: a prize draw over 100,000
 * entries (fingerprint included; target <= 200 ms), and purging 100,000 leads past their
 * retention with the destruction record (and the log truncated after). Prints its figures. */
#include "tests/tp-test-util.h"
#include "tp-store-draw.h"
#include "tp-store-private.h"
#include "tp-store-purge.h"

#include <stdlib.h>

#define DEFAULT_LEADS 100000

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

int
main (int    argc,
      char **argv)
{
  guint leads = g_getenv ("BENCH_LEADS") ? atoi (g_getenv ("BENCH_LEADS")) : DEFAULT_LEADS;
  g_autofree char *dir = g_build_filename (g_get_current_dir (), "bench-privacy-data", NULL);
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  g_auto(TpPurgeReport) report = { 0 };
  gint64 start;

  tp_test_rmdir (dir);
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_print ("Preloading %u leads (each its own person) ...\n", leads);
  exec_or_die (tp_store_get_db (store), "PRAGMA synchronous = OFF");
  for (guint i = 0; i < leads; i++)
    {
      g_autoptr(TpCapture) c = NULL;
      g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);
      g_autofree char *phone = g_strdup_printf ("010-%04u-%04u", 1000 + i / 10000, i % 10000);

      tp_submission_set_field (s, "email", email);
      tp_submission_set_field (s, "phone", phone);
      c = tp_store_capture (store, event, s, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  exec_or_die (tp_store_get_db (store), "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE)");

  /* A draw: entries read, deduplicated, sorted and fingerprinted, seed, pick, record. */
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(TpDrawRound) r = NULL;

      start = g_get_monotonic_time ();
      r = tp_store_draw (store, event, "tea-set", 5, 0, "os-user:bench", &error);
      g_assert_no_error (error);
      g_print ("Draw round %u over %u entries: %.1f ms (target <= 200 ms)\n", round + 1, g_strv_length (r->entries),
               (g_get_monotonic_time () - start) / 1000.0);
    }

  /* Every lead past its retention, forced (none was synced): one transaction, a record, the
   * log truncated. */
  later = g_date_time_add_days (now, 1000);
  start = g_get_monotonic_time ();
  g_assert_true (tp_store_purge (store, event, later, FALSE, TRUE, "os-user:bench", &report, &error));
  g_assert_no_error (error);
  g_print ("Purge of %u expired leads: %.2f s (%u destroyed)\n", report.expired,
           (g_get_monotonic_time () - start) / 1e6, report.purged);
  g_clear_object (&store);
  tp_test_rmdir (dir);
  return 0;
}
