/* test-store-threads.c: one store shared by threads: its lock, its transactions, its own thread. */
#include "tests/tp-test-util.h"

#include "tp-export.h"
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

/* ---- The store's thread ------------------------------------------------------------------- */

static void
capture_some (Fixture *f,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TpSubmission) s = tp_test_demo_submission ();
      g_autoptr(TpCapture) c = NULL;
      g_autoptr(GError) error = NULL;

      tp_submission_set_answer (s, "nps", tp_answer_new_number (i % 11));
      c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  /* Callbacks come back to the thread that asked, in its context. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
stats_json (TpStats *stats)
{
  g_autoptr(JsonNode) node = tp_stats_to_json (stats);

  return json_to_string (node, TRUE);
}

static void
test_stats_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) sync_stats = NULL;
  g_autoptr(TpStats) async_stats = NULL;
  g_autofree char *sync_json = NULL;
  g_autofree char *async_json = NULL;

  capture_some (f, 5);
  g_assert_true (tp_store_outbox_add_target (f->store, "webhook", FALSE, &error));
  sync_stats = tp_store_get_stats (f->store, &error);
  g_assert_no_error (error);

  tp_store_get_stats_async (f->store, NULL, store_result_cb, &result);
  g_assert_null (result);
  async_stats = tp_store_get_stats_finish (f->store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (async_stats);
  g_assert_cmpint (async_stats->leads, ==, 5);
  sync_json = stats_json (sync_stats);
  async_json = stats_json (async_stats);
  g_assert_cmpstr (async_json, ==, sync_json);
}

/* The kiosk's Finish: the capture runs on the store's thread and comes back as the sync one
 * would, once committed; a failure there stores nothing. */
static void
test_capture_async (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(GAsyncResult) result = NULL, failed = NULL;
  g_autoptr(TpCapture) capture = NULL, none = NULL;
  g_autoptr(GError) error = NULL;
  TpCapturePlan *plan;

  plan = tp_submission_prepare (submission, event, NULL, NULL, &error);
  g_assert_no_error (error);
  tp_store_capture_plan_async (f->store, plan, NULL, store_result_cb, &result);
  g_assert_null (result);
  capture = tp_store_capture_plan_finish (f->store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (capture->coupon_code);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);

  tp_store_set_fail_point (f->store, TP_STORE_FAIL_BEFORE_COMMIT);
  plan = tp_submission_prepare (submission, event, NULL, NULL, &error);
  tp_store_capture_plan_async (f->store, plan, NULL, store_result_cb, &failed);
  none = tp_store_capture_plan_finish (f->store, wait_for (&failed), &error);
  g_assert_null (none);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INJECTED);
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_NONE);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
}

static void
test_export_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GOutputStream) sync_out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) async_out = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GMemoryOutputStream *a, *b;

  capture_some (f, 30);
  g_assert_true (tp_export_csv (f->store, f->event, sync_out, &error));
  g_assert_no_error (error);
  tp_export_csv_async (f->store, f->event, async_out, NULL, store_result_cb, &result);
  g_assert_true (tp_export_csv_finish (f->store, wait_for (&result), &error));
  g_assert_no_error (error);

  a = G_MEMORY_OUTPUT_STREAM (sync_out);
  b = G_MEMORY_OUTPUT_STREAM (async_out);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (b), >, 1000);
  g_assert_cmpmem (g_memory_output_stream_get_data (b), g_memory_output_stream_get_data_size (b),
                   g_memory_output_stream_get_data (a), g_memory_output_stream_get_data_size (a));
}

/* A job that holds the store's thread until the test lets it go. */
typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  running;
  gboolean  release;
  GThread  *thread;     /* Where it ran. */
  GPtrArray *order;     /* Of the numbered jobs, as they ran (touched on the store's thread only). */
} Gate;

static void
gate_job (GTask        *task,
          gpointer      source,
          gpointer      data,
          GCancellable *cancellable)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->thread = g_thread_self ();
  gate->running = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->release)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
  g_task_return_boolean (task, TRUE);
}

static void
gate_wait_running (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  while (!gate->running)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->release = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static void
numbered_job (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  Gate *gate = g_object_get_data (G_OBJECT (task), "gate");

  g_assert_true (g_thread_self () == gate->thread);
  g_ptr_array_add (gate->order, data);
  g_task_return_boolean (task, TRUE);
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *done = user_data;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
  (*done)++;
}

/* Jobs run one at a time, in the order queued, on one thread that is not the caller's. */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  Gate gate = { 0 };
  g_autoptr(GTask) first = NULL;
  guint done = 0;

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  gate.order = g_ptr_array_new ();
  first = g_task_new (f->store, NULL, count_cb, &done);
  g_task_set_task_data (first, &gate, NULL);
  tp_store_run_task (f->store, first, gate_job);
  gate_wait_running (&gate);
  g_assert_true (gate.thread != g_thread_self ());
  for (guint i = 1; i <= 10; i++)
    {
      g_autoptr(GTask) task = g_task_new (f->store, NULL, count_cb, &done);

      g_object_set_data (G_OBJECT (task), "gate", &gate);
      g_task_set_task_data (task, GUINT_TO_POINTER (i), NULL);
      tp_store_run_task (f->store, task, numbered_job);
    }
  gate_open (&gate);
  while (done < 11)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (gate.order->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (gate.order->pdata[i]), ==, i + 1);
  g_ptr_array_unref (gate.order);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

/* A job cancelled before its turn does not run: it returns G_IO_ERROR_CANCELLED. */
static void
test_cancel_before_run (Fixture       *f,
                        gconstpointer  data)
{
  Gate gate = { 0 };
  g_autoptr(GTask) first = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autoptr(GAsyncResult) stats_result = NULL;
  g_autoptr(GAsyncResult) export_result = NULL;
  g_autoptr(GAsyncResult) early_result = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(TpStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  guint done = 0;

  capture_some (f, 2);
  /* Cancelled before it is even asked for. */
  g_cancellable_cancel (already);
  tp_store_get_stats_async (f->store, already, store_result_cb, &early_result);
  stats = tp_store_get_stats_finish (f->store, wait_for (&early_result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);
  g_clear_error (&error);

  /* Cancelled while it waits behind another job. */
  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  first = g_task_new (f->store, NULL, count_cb, &done);
  g_task_set_task_data (first, &gate, NULL);
  tp_store_run_task (f->store, first, gate_job);
  gate_wait_running (&gate);
  tp_store_get_stats_async (f->store, cancellable, store_result_cb, &stats_result);
  tp_export_csv_async (f->store, f->event, out, cancellable, store_result_cb, &export_result);
  g_cancellable_cancel (cancellable);
  gate_open (&gate);

  stats = tp_store_get_stats_finish (f->store, wait_for (&stats_result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);
  g_clear_error (&error);
  g_assert_false (tp_export_csv_finish (f->store, wait_for (&export_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The export never started: not even its header was written. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
  while (done < 1)
    g_main_context_iteration (NULL, TRUE);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

static void
stats_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint *done = user_data;
  g_autoptr(TpStats) stats = tp_store_get_stats_finish (TP_STORE (source), result, NULL);

  g_assert_nonnull (stats);
  g_assert_cmpint (stats->leads, ==, 3);
  (*done)++;
}

/* Dropping the store with jobs queued: they still run, then the store goes with its thread. */
static void
test_drop_with_jobs (Fixture       *f,
                     gconstpointer  data)
{
  TpStore *store = g_steal_pointer (&f->store);
  guint done = 0;

  capture_some (&(Fixture) { f->dir, store, f->event }, 3);
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  for (guint i = 0; i < 5; i++)
    tp_store_get_stats_async (store, NULL, stats_done_cb, &done);
  g_object_unref (store);
  g_assert_nonnull (store);   /* The jobs hold it. */
  while (done < 5)
    g_main_context_iteration (NULL, TRUE);
  /* The last job's task may let go of the store on its thread a moment after its callback. */
  for (guint i = 0; i < 500 && g_atomic_pointer_get (&store) != NULL; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (g_atomic_pointer_get (&store));
}

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean callback_ran;
  gboolean release;
  GThread *finalized_on;
  gint     finalized;   /* Atomic. */
} LastRef;

static void
hold_until_callback_job (GTask        *task,
                         gpointer      source,
                         gpointer      data,
                         GCancellable *cancellable)
{
  LastRef *last = data;

  g_task_return_boolean (task, TRUE);
  /* Wait until the caller's callback has run and let go of the task: the store's thread then
   * holds the last reference to the task, and so to the store. */
  g_mutex_lock (&last->mutex);
  while (!last->release)
    g_cond_wait (&last->cond, &last->mutex);
  g_mutex_unlock (&last->mutex);
}

static void
last_ref_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  LastRef *last = user_data;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), NULL));
  last->callback_ran = TRUE;
}

static void
store_finalized (gpointer  data,
                 GObject  *where_the_object_was)
{
  LastRef *last = data;

  last->finalized_on = g_thread_self ();
  g_atomic_int_set (&last->finalized, 1);
}

/* The store's last reference dropped on its own thread: it stops that thread without waiting
 * for itself (a join there would never return). */
static void
test_last_reference_on_thread (Fixture       *f,
                               gconstpointer  data)
{
  LastRef last = { 0 };
  TpStore *store = g_steal_pointer (&f->store);
  GTask *task;

  g_mutex_init (&last.mutex);
  g_cond_init (&last.cond);
  g_object_weak_ref (G_OBJECT (store), store_finalized, &last);
  task = g_task_new (store, NULL, last_ref_cb, &last);
  g_task_set_task_data (task, &last, NULL);
  tp_store_run_task (store, task, hold_until_callback_job);
  g_object_unref (task);
  g_object_unref (store);
  while (!last.callback_ran)
    g_main_context_iteration (NULL, TRUE);
  /* The callback is done and GTask let go of the task with it: now the job may end. */
  g_assert_false (g_atomic_int_get (&last.finalized));
  g_mutex_lock (&last.mutex);
  last.release = TRUE;
  g_cond_broadcast (&last.cond);
  g_mutex_unlock (&last.mutex);
  for (guint i = 0; i < 5000 && !g_atomic_int_get (&last.finalized); i++)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (&last.finalized));
  g_assert_true (last.finalized_on != g_thread_self ());
  g_mutex_clear (&last.mutex);
  g_cond_clear (&last.cond);
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
  ADD ("stats-async", test_stats_async);
  ADD ("export-async", test_export_async);
  ADD ("capture-async", test_capture_async);
  ADD ("order", test_order);
  ADD ("cancel-before-run", test_cancel_before_run);
  ADD ("drop-with-jobs", test_drop_with_jobs);
  ADD ("last-reference-on-thread", test_last_reference_on_thread);
  return g_test_run ();
}
