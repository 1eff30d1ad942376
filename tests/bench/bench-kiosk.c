/* bench-kiosk.c: the kiosk as a visitor feels it, under a display (Xvfb): from the submit
 * action to the first frame of the reward page on a store of 100,000 leads, and from starting
 * `touchpoint --windowed` to its first drawn welcome page. */
#include "tests/ui/kiosk-test-util.h"

#include "tp-pin.h"
#include "tp-store-private.h"
#include "bench-util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define DEFAULT_PRELOAD 100000
#define DEFAULT_SUBMITS 200
#define DEFAULT_STARTS 10
#define PIN "2580"

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value ? (guint) atoi (value) : fallback;
}

static void
exec_or_die (TpStore    *store,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tp_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Fills the store through the core, as the kiosk would have, without waiting for the disk:
 * only the measured submissions run with synchronous=FULL. */
static void
preload (TpStore *store,
         TpEvent *event,
         guint    n)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  gint64 start = g_get_monotonic_time ();

  g_print ("Preloading %u leads into %s ...\n", n, tp_store_get_path (store));
  exec_or_die (store, "PRAGMA synchronous = OFF");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpCapture) c = NULL;
      g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);

      tp_submission_set_field (s, "email", email);
      tp_submission_set_answer (s, "nps", tp_answer_new_number (i % 11));
      c = tp_store_capture (store, event, s, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  exec_or_die (store, "PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE)");
  g_print ("Preloaded in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
}

/* One visitor, by the same widgets a person uses, up to the last question. */
static void
walk_visitor (TpKioskWindow *window,
              guint          i)
{
  GtkWidget *visit = GTK_WIDGET (tp_kiosk_window_get_visit (window));
  g_autofree char *email = g_strdup_printf ("bench%u@example.com", i);
  const char *reasons[] = { "option-visit_reason-tasting", "option-visit_reason-gift",
                            "option-visit_reason-brand", "option-visit_reason-passing" };
  g_autofree char *nps = g_strdup_printf ("value-nps-%u", i % 11);
  GtkWidget *page;

  kiosk_test_action (visit, "visit.start", NULL);
  page = kiosk_test_page (window);
  kiosk_test_click (page, "consent-privacy-check");
  if (i % 2)
    kiosk_test_click (page, "consent-marketing-check");
  kiosk_test_click (page, "age-check");
  kiosk_test_action (visit, "visit.next", NULL);
  page = kiosk_test_page (window);
  kiosk_test_type (page, "field-name", "홍길동");
  kiosk_test_type (page, "field-email", email);
  kiosk_test_type (page, "field-phone", "010-1234-5678");
  kiosk_test_action (visit, "visit.next", NULL);
  page = kiosk_test_page (window);
  kiosk_test_click (page, reasons[i % G_N_ELEMENTS (reasons)]);
  kiosk_test_action (visit, "visit.next", NULL);
  kiosk_test_click (page, "option-interests-green");
  kiosk_test_action (visit, "visit.next", NULL);
  kiosk_test_click (page, "value-booth_rating-5");
  kiosk_test_action (visit, "visit.next", NULL);
  kiosk_test_click (page, nps);
  kiosk_test_action (visit, "visit.next", NULL);
  kiosk_test_action (visit, "visit.next", NULL);
  g_assert_cmpstr (kiosk_test_page_name (window), ==, "survey");
}

typedef struct
{
  TpKioskWindow *window;
  gboolean       armed;
  gint64         painted;
} Probe;

static void
after_paint_cb (GdkFrameClock *clock,
                Probe         *probe)
{
  GtkWidget *page;

  if (!probe->armed || probe->painted)
    return;
  page = kiosk_test_page (probe->window);
  if (g_strcmp0 (kiosk_test_page_name (probe->window), "reward") == 0 && gtk_widget_get_mapped (page))
    probe->painted = g_get_monotonic_time ();
}

static void
bench_submit (TpStore *store,
              TpEvent *event,
              guint    preloaded,
              guint    submits,
              double  *p99_out)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) action_samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  TpKioskWindow *window;
  GdkFrameClock *clock;
  Probe probe = { 0 };
  gint64 before = tp_store_count_leads (store, NULL);
  double p50, p99;
  const char *renderer;

  window = tp_kiosk_window_new (NULL, event, store);
  tp_kiosk_window_set_locked_down (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  kiosk_test_wait_for_frame (GTK_WIDGET (window));
  renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  probe.window = window;
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &probe);

  for (guint i = 0; i < submits + 10; i++)
    {
      gint64 t0, t1;

      walk_visitor (window, i);
      kiosk_test_wait_for_frame (GTK_WIDGET (window));

      probe.armed = TRUE;
      probe.painted = 0;
      t0 = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp_kiosk_window_get_visit (window)), "visit.next", NULL));
      /* The action's own work on the main thread: checking the submission; the capture (one
       * fsync) runs on the store's thread and the reward page is built when it is done. */
      t1 = g_get_monotonic_time ();
      while (probe.painted == 0)
        g_main_context_iteration (NULL, TRUE);
      probe.armed = FALSE;
      if (i >= 10)  /* warm-up */
        {
          gint64 elapsed = probe.painted - t0;
          gint64 action = t1 - t0;

          g_array_append_val (samples, elapsed);
          g_array_append_val (action_samples, action);
        }

      /* The next visitor: the window resets and folds the log in between visitors. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp_kiosk_window_get_visit (window)), "visit.done", NULL));
      kiosk_test_spin ();
      kiosk_test_wait_for_frame (GTK_WIDGET (window));
      kiosk_test_spin ();
    }
  g_signal_handlers_disconnect_by_data (clock, &probe);
  gtk_window_destroy (GTK_WINDOW (window));
  kiosk_test_spin ();

  g_assert_cmpint (tp_store_count_leads (store, &error), ==, before + submits + 10);
  tp_bench_sort (samples);
  tp_bench_sort (action_samples);
  p50 = tp_bench_percentile_ms (samples, 0.50);
  p99 = tp_bench_percentile_ms (samples, 0.99);
  g_print ("\nSubmit to the first frame of the reward page, %u submissions on a store of %u leads\n"
           "(renderer %s, synchronous=FULL):\n", submits, preloaded, renderer);
  g_print ("  p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   (target p99 <= 50 ms: %s)\n",
           p50, p99, g_array_index (samples, gint64, samples->len - 1) / 1000.0, p99 <= 50 ? "met" : "NOT met");
  g_print ("  of which the action (capture + building the page): p50 %.2f ms   p99 %.2f ms;\n"
           "  the rest is layout, rendering and waiting for the frame clock\n",
           tp_bench_percentile_ms (action_samples, 0.50), tp_bench_percentile_ms (action_samples, 0.99));
  *p99_out = p99;
}

/* Starts the kiosk and waits for its "ready" (written after its first frame). */
static gint64
cold_start (const char *bin,
            const char *data_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];
  struct pollfd pfd;
  char buf[16];
  gint64 t0, t1;
  ssize_t n;

  g_assert_cmpint (pipe (fds), ==, 0);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_setenv (launcher, "TOUCHPOINT_READY_FD", "3", TRUE);
  t0 = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawn (launcher, &error, bin, "--windowed", "--data-dir", data_dir, NULL);
  g_assert_no_error (error);
  /* The launcher keeps its end of the pipe open until it goes. */
  g_clear_object (&launcher);

  pfd.fd = fds[0];
  pfd.events = POLLIN;
  if (poll (&pfd, 1, 30000) != 1)
    g_error ("touchpoint did not report ready within 30 s");
  n = read (fds[0], buf, sizeof buf);
  t1 = g_get_monotonic_time ();
  g_assert_cmpint (n, >, 0);
  close (fds[0]);

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
  return t1 - t0;
}

static void
bench_cold_start (const char *data_dir,
                  guint       starts,
                  double     *median_out)
{
  const char *bin = g_getenv ("TOUCHPOINT_BIN");
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  double median;

  g_assert_nonnull (bin);
  /* One start to warm the page cache, as a kiosk restarted mid-event would be. */
  cold_start (bin, data_dir);
  for (guint i = 0; i < starts; i++)
    {
      gint64 t = cold_start (bin, data_dir);

      g_array_append_val (samples, t);
    }
  tp_bench_sort (samples);
  median = tp_bench_percentile_ms (samples, 0.5);
  g_print ("\nCold start to an interactive welcome page (touchpoint --windowed, %u runs, same store):\n", starts);
  g_print ("  median %7.1f ms   min %7.1f ms   max %7.1f ms   (target median <= 500 ms: %s)\n",
           median, g_array_index (samples, gint64, 0) / 1000.0,
           g_array_index (samples, gint64, samples->len - 1) / 1000.0, median <= 500 ? "met" : "NOT met");
  *median_out = median;
}

int
main (int    argc,
      char **argv)
{
  const char *env_dir = g_getenv ("TOUCHPOINT_BENCH_DIR");
  guint preloaded = env_uint ("BENCH_PRELOAD", DEFAULT_PRELOAD);
  guint submits = env_uint ("BENCH_SUBMITS", DEFAULT_SUBMITS);
  guint starts = env_uint ("BENCH_STARTS", DEFAULT_STARTS);
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEvent) event = NULL;
  double p99 = 0, median = 0;

  kiosk_test_init (&argc, &argv);
  event = tp_event_new_demo ();
  dir = env_dir ? g_strdup (env_dir) : g_build_filename (g_get_current_dir (), "bench-kiosk-data", NULL);
  tp_test_rmdir (dir);
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_true (tp_pin_set (store, PIN, &error));
  preload (store, event, preloaded);

  bench_submit (store, event, preloaded, submits, &p99);
  g_clear_object (&store);
  bench_cold_start (dir, starts, &median);

  if (!g_getenv ("BENCH_KEEP"))
    tp_test_rmdir (dir);
  return kiosk_test_run ();
}
