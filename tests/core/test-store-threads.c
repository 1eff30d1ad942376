/* test-store-threads.c: one store shared by threads: its lock, its transactions, its own thread. */
#include "tests/tp-test-util.h"

#include "tp-stats.h"
#include "tp-store-private.h"

#include <string.h>

typedef TpStoreFixture Fixture;

#define N_WRITES 200
#define N_CAPTURES 20

typedef struct
{
  Fixture  *f;
  gint      writer_done;    /* Atomic. */
  guint     stats_read;
  gint64    last_leads;
} Shared;

static gpointer
write_settings_thread (gpointer data)
{
  Shared *shared = data;

  for (guint i = 0; i < N_WRITES; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = g_strdup_printf ("value %u", i);
      g_autofree char *back = NULL;

      if (!tp_store_set_setting (shared->f->store, "test.counter", value, &error))
        g_error ("Write %u failed: %s", i, error->message);
      back = tp_store_get_setting (shared->f->store, "test.counter", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, value);
    }
  g_atomic_int_set (&shared->writer_done, 1);
  return NULL;
}

static gint64
leads_in_stats (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = tp_store_get_stats (store, &error);

  if (stats == NULL)
    g_error ("Reading the stats failed: %s", error->message);
  return stats->leads;
}

static gpointer
read_stats_thread (gpointer data)
{
  Shared *shared = data;

  /* At least as long as the writer writes, and a few reads in any case. */
  while (!g_atomic_int_get (&shared->writer_done) || shared->stats_read < 10)
    {
      gint64 leads = leads_in_stats (shared->f->store);

      /* Captures only add: a count that goes back means a read saw half a transaction. */
      g_assert_cmpint (leads, >=, shared->last_leads);
      shared->last_leads = leads;
      shared->stats_read++;
    }
  return NULL;
}

/* A thread writing settings, another reading the counts and this one capturing, all on one
 * store (one connection): nothing fails, nothing is lost, the database stays whole. */
static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  Shared shared = { f, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  GThread *writer, *reader;
  sqlite3_stmt *stmt;

  writer = g_thread_new ("settings", write_settings_thread, &shared);
  reader = g_thread_new ("stats", read_stats_thread, &shared);
  for (guint i = 0; i < N_CAPTURES; i++)
    {
      g_autoptr(TpSubmission) s = tp_test_demo_submission ();
      g_autoptr(TpCapture) c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (c);
    }
  g_thread_join (writer);
  g_thread_join (reader);

  last = tp_store_get_setting (f->store, "test.counter", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last, ==, "value 199");
  g_assert_cmpint (leads_in_stats (f->store), ==, N_CAPTURES);
  g_assert_cmpint (tp_store_count_leads (f->store, &error), ==, N_CAPTURES);
  g_assert_cmpuint (shared.stats_read, >=, 10);

  stmt = tp_store_prepare (f->store, "PRAGMA integrity_check", &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);
}

typedef struct
{
  TpStore *store;
  GMutex   mutex;
  GCond    cond;
  gboolean begun;
  gboolean wrote;
} TransactionTest;

static gpointer
write_outside_thread (gpointer data)
{
  TransactionTest *t = data;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&t->mutex);
  while (!t->begun)
    g_cond_wait (&t->cond, &t->mutex);
  g_mutex_unlock (&t->mutex);

  /* The other thread's transaction is open on the one connection: this write waits for it
   * to end instead of landing inside it. */
  g_assert_true (tp_store_set_setting (t->store, "test.outside", "kept", &error));
  g_assert_no_error (error);
  g_atomic_int_set (&t->wrote, TRUE);
  return NULL;
}

static void
test_transaction_is_the_threads (Fixture       *f,
                                 gconstpointer  data)
{
  TransactionTest t = { f->store };
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;
  GThread *thread;

  g_mutex_init (&t.mutex);
  g_cond_init (&t.cond);
  thread = g_thread_new ("outside", write_outside_thread, &t);

  g_assert_true (tp_store_begin (f->store, "Testing", &error));
  g_assert_true (tp_store_set_setting (f->store, "test.inside", "rolled back", &error));
  g_mutex_lock (&t.mutex);
  t.begun = TRUE;
  g_cond_signal (&t.cond);
  g_mutex_unlock (&t.mutex);
  g_usleep (100 * 1000);
  g_assert_false (g_atomic_int_get (&t.wrote));
  tp_store_rollback (f->store);
  g_thread_join (thread);
  g_assert_true (t.wrote);

  inside = tp_store_get_setting (f->store, "test.inside", &error);
  g_assert_no_error (error);
  g_assert_null (inside);
  outside = tp_store_get_setting (f->store, "test.outside", &error);
  g_assert_cmpstr (outside, ==, "kept");

  /* A rollback with nothing open does nothing (and does not give up a lock it does not hold). */
  tp_store_rollback (f->store);
  g_assert_true (tp_store_set_setting (f->store, "test.after", "1", &error));
  g_mutex_clear (&t.mutex);
  g_cond_clear (&t.cond);
}

#define ADD(path, func) g_test_add ("/touchpoint/store/threads/" path, Fixture, NULL, tp_store_fixture_set_up, func, \
                                    tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("shared", test_shared);
  ADD ("transaction-is-the-threads", test_transaction_is_the_threads);
  return g_test_run ();
}
