/* bench-capture.c: capture latency on a store of 100,000 leads against the floor of a bare
 * single-row INSERT + COMMIT with the same pragmas on the same disk. */
#include "tests/tp-test-util.h"

#include "tp-store-private.h"

#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#define DEFAULT_PRELOAD 100000
#define DEFAULT_SAMPLES 2000

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
vary (TpSubmission *s,
      guint         i)
{
  g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);
  g_autofree char *phone = g_strdup_printf ("010-%04u-%04u", (i / 10000) % 10000, i % 10000);

  tp_submission_set_field (s, "email", email);
  tp_submission_set_field (s, "phone", phone);
  tp_submission_set_answer (s, "nps", tp_answer_new_number (i % 11));
}

int
main (int    argc,
      char **argv)
{
  const char *env_dir = g_getenv ("TOUCHPOINT_BENCH_DIR");
  guint preload = g_getenv ("BENCH_PRELOAD") ? atoi (g_getenv ("BENCH_PRELOAD")) : DEFAULT_PRELOAD;
  guint samples = g_getenv ("BENCH_SAMPLES") ? atoi (g_getenv ("BENCH_SAMPLES")) : DEFAULT_SAMPLES;
  g_autofree char *dir = NULL;
  g_autofree char *floor_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *wal_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(GArray) capture_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) floor_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *floor_db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 start;
  double capture_p50, capture_p99, floor_p50, floor_p99;

  /* On the build tree's disk by default: the disk the kiosk's data would be on. */
  dir = env_dir ? g_strdup (env_dir) : g_build_filename (g_get_current_dir (), "bench-capture-data", NULL);
  tp_test_rmdir (dir);
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  db_path = g_strdup (tp_store_get_path (store));
  wal_path = g_strconcat (db_path, "-wal", NULL);

  /* Preloading with synchronous=OFF only saves time; the measured captures run with FULL. */
  g_print ("Preloading %u leads into %s ...\n", preload, db_path);
  start = g_get_monotonic_time ();
  exec_or_die (tp_store_get_db (store), "PRAGMA synchronous = OFF");
  for (guint i = 0; i < preload; i++)
    {
      g_autoptr(TpCapture) c = NULL;

      vary (s, i);
      c = tp_store_capture (store, event, s, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  exec_or_die (tp_store_get_db (store), "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE)");
  g_print ("Preloaded in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  floor_path = g_build_filename (dir, "floor.db", NULL);
  g_assert_cmpint (sqlite3_open (floor_path, &floor_db), ==, SQLITE_OK);
  exec_or_die (floor_db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                         "PRAGMA wal_autocheckpoint = 8000;"
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  g_assert_cmpint (sqlite3_prepare_v2 (floor_db, "INSERT INTO t (v) VALUES (?1)", -1, &insert, NULL), ==, SQLITE_OK);

  /* Interleaved, so that both see the same disk and machine noise. */
  for (guint i = 0; i < samples + 50; i++)
    {
      g_autoptr(TpCapture) c = NULL;
      gint64 t0, t1, t2;

      vary (s, preload + i);
      t0 = g_get_monotonic_time ();
      c = tp_store_capture (store, event, s, NULL, NULL, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);

      exec_or_die (floor_db, "BEGIN IMMEDIATE");
      sqlite3_bind_text (insert, 1, c->lead_id, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      exec_or_die (floor_db, "COMMIT");
      t2 = g_get_monotonic_time ();

      /* The kiosk checkpoints between visitors; both sides get the same, outside the timing. */
      g_assert_true (tp_store_checkpoint (store, NULL));
      g_assert_cmpint (sqlite3_wal_checkpoint_v2 (floor_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL), ==, SQLITE_OK);

      if (i < 50)
        continue;  /* warm-up */
      t1 -= t0;
      t2 -= t0 + t1;
      g_array_append_val (capture_us, t1);
      g_array_append_val (floor_us, t2);
    }
  sqlite3_finalize (insert);
  sqlite3_close (floor_db);

  tp_bench_sort (capture_us);
  tp_bench_sort (floor_us);
  capture_p50 = tp_bench_percentile_ms (capture_us, 0.50);
  capture_p99 = tp_bench_percentile_ms (capture_us, 0.99);
  floor_p50 = tp_bench_percentile_ms (floor_us, 0.50);
  floor_p99 = tp_bench_percentile_ms (floor_us, 0.99);

  g_print ("\nCapture on a store of %u leads, %u samples (synchronous=FULL, WAL):\n", preload, samples);
  g_print ("  capture      p50 %7.3f ms   p99 %7.3f ms\n", capture_p50, capture_p99);
  g_print ("  bare insert  p50 %7.3f ms   p99 %7.3f ms   (the floor)\n", floor_p50, floor_p99);
  g_print ("  ratio        p50 %7.2f      p99 %7.2f      (target p99 <= 2.0: %s)\n",
           capture_p50 / floor_p50, capture_p99 / floor_p99, capture_p99 / floor_p99 <= 2.0 ? "met" : "NOT met");
  g_print ("  database     %.1f MiB (+ WAL %.1f MiB) for %u leads, %.0f bytes per lead\n",
           file_size (db_path) / 1048576.0, file_size (wal_path) / 1048576.0, preload + samples,
           (double) file_size (db_path) / (preload + samples));

  g_clear_object (&store);
  if (!g_getenv ("BENCH_KEEP"))
    tp_test_rmdir (dir);
  return 0;
}
