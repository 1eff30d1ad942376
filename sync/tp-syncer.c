/* tp-syncer.c: TpSyncer: one sync of the outbox to a target, blocking or in a thread; the lock. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-syncer.h"
#include "tp-sync-run.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

struct _TpSyncer
{
  GObject             parent_instance;
  TpStore            *store;
  TpSyncConfig       *config;
  TpSyncProgressFunc  progress_func;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;
  GMainContext       *progress_context;   /* Set while an async run is going. */
};

G_DEFINE_FINAL_TYPE (TpSyncer, tp_syncer, G_TYPE_OBJECT)

void
tp_sync_summary_free (TpSyncSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->target);
  g_clear_pointer (&summary->rejections, g_ptr_array_unref);
  g_free (summary->last_error);
  g_free (summary->stop_reason);
  g_free (summary);
}

static void
tp_syncer_finalize (GObject *object)
{
  TpSyncer *self = TP_SYNCER (object);

  if (self->progress_destroy)
    self->progress_destroy (self->progress_data);
  g_clear_object (&self->store);
  tp_sync_config_free (self->config);
  G_OBJECT_CLASS (tp_syncer_parent_class)->finalize (object);
}

static void
tp_syncer_class_init (TpSyncerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_syncer_finalize;
}

static void
tp_syncer_init (TpSyncer *self)
{
}

TpSyncer *
tp_syncer_new (TpStore      *store,
               TpSyncConfig *config)
{
  TpSyncer *self;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (TP_TYPE_SYNCER, NULL);
  self->store = g_object_ref (store);
  self->config = config;
  return self;
}

TpSyncConfig *
tp_syncer_get_config (TpSyncer *self)
{
  return self->config;
}

void
tp_syncer_set_progress_func (TpSyncer           *self,
                             TpSyncProgressFunc  func,
                             gpointer            user_data,
                             GDestroyNotify      destroy)
{
  if (self->progress_destroy)
    self->progress_destroy (self->progress_data);
  self->progress_func = func;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

/* ---- Progress ------------------------------------------------------------------------------ */

typedef struct
{
  TpSyncer *syncer;
  gint64    done;
  gint64    total;
} Progress;

static gboolean
progress_in_context (gpointer data)
{
  Progress *p = data;

  if (p->syncer->progress_func)
    p->syncer->progress_func (p->done, p->total, p->syncer->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_object_unref (p->syncer);
  g_free (p);
}

static void
report_progress (TpSyncRun *run,
                 gpointer   data)
{
  TpSyncer *self = data;
  Progress *p;

  if (self->progress_func == NULL)
    return;
  if (self->progress_context == NULL)
    {
      self->progress_func (run->done, run->summary->total, self->progress_data);
      return;
    }
  p = g_new0 (Progress, 1);
  p->syncer = g_object_ref (self);
  p->done = run->done;
  p->total = run->summary->total;
  g_main_context_invoke_full (self->progress_context, G_PRIORITY_DEFAULT, progress_in_context, p, progress_free);
}

/* ---- Locking ------------------------------------------------------------------------------- */

static int
take_lock (const char  *dir,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "sync.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "cannot open %s: %s", path, g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_BUSY,
                   "another `touchpoint sync` is running on %s; wait for it to finish", dir);
      return -1;
    }
  return fd;
}

/* ---- Running ------------------------------------------------------------------------------- */

static gint64
left_of (const gint64 *counts)
{
  return counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY];
}

TpSyncSummary *
tp_syncer_run (TpSyncer      *self,
               GCancellable  *cancellable,
               GError       **error)
{
  TpSyncRun run = { 0 };
  gint64 counts[TP_DELIVERY_N_STATES];
  gint64 started = g_get_monotonic_time ();
  const char *target;
  TpSyncSummary *summary = NULL;
  int lock = -1;

  g_return_val_if_fail (TP_IS_SYNCER (self), NULL);

  if (!tp_sync_run_open (&run, self->store, self->config, TRUE, error))
    goto out;
  target = self->config->target;
  if ((lock = take_lock (tp_store_get_dir (self->store), error)) < 0)
    goto out;
  run.cancellable = cancellable;
  run.report = report_progress;
  run.report_data = self;
  if (!tp_store_outbox_add_target (run.store, target, FALSE, error) ||
      !tp_store_outbox_recover (run.store, target, tp_sync_now_ms (), FALSE, error) ||
      !tp_store_outbox_count (run.store, target, counts, error))
    goto out;
  run.summary->total = left_of (counts);
  report_progress (&run, self);

  if (!tp_sync_run_execute (&run, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  if (!tp_store_outbox_count (run.store, target, counts, error))
    goto out;
  run.summary->left = left_of (counts);
  run.summary->rejected_earlier = MAX (0, counts[TP_DELIVERY_REJECTED] - run.summary->rejected);
  if (run.summary->left > 0)
    {
      /* When to run again: when the records are due, and not before the backoff or a wait the
       * CRM asked for would have let this run send them. */
      gint64 due = tp_store_outbox_next_retry (run.store, target, NULL);
      gint64 gate = tp_sync_now_ms () + MAX (0, run.gate - tp_sync_mono_ms ());

      run.summary->next_retry_ms = MAX (MAX (due, run.crm_wait), gate);
    }
  if (run.summary->left > 0 && run.last_failed_to_connect && !run.summary->unreachable)
    {
      run.summary->unreachable = TRUE;
      g_free (run.summary->stop_reason);
      run.summary->stop_reason = g_strdup (run.summary->last_error);
    }
  run.summary->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_debug ("Run took %.0f ms; CPU ms: claims %.0f, encoding %.0f, decoding %.0f, recording %.0f",
           run.summary->seconds * 1000, run.us_claim / 1e3, run.us_encode / 1e3, run.us_decode / 1e3,
           run.us_apply / 1e3);
  summary = g_steal_pointer (&run.summary);

out:
  if (lock >= 0)
    close (lock);
  tp_sync_run_clear (&run);
  return summary;
}

static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  TpSyncSummary *summary = tp_syncer_run (TP_SYNCER (source), cancellable, &error);

  if (summary)
    g_task_return_pointer (task, summary, (GDestroyNotify) tp_sync_summary_free);
  else
    g_task_return_error (task, error);
}

void
tp_syncer_run_async (TpSyncer            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (TP_IS_SYNCER (self));
  g_task_set_source_tag (task, tp_syncer_run_async);
  self->progress_context = g_main_context_ref_thread_default ();
  g_task_run_in_thread (task, run_thread);
}

TpSyncSummary *
tp_syncer_run_finish (TpSyncer      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_clear_pointer (&self->progress_context, g_main_context_unref);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
tp_syncer_preview (TpSyncer           *self,
                   TpSyncPreviewFunc   func,
                   gpointer            user_data,
                   GError            **error)
{
  TpSyncRun run = { 0 };
  gboolean ok;

  g_return_val_if_fail (TP_IS_SYNCER (self), FALSE);

  ok = tp_sync_run_open (&run, self->store, self->config, FALSE, error) &&
       tp_sync_run_preview (&run, func, user_data, error);
  tp_sync_run_clear (&run);
  return ok;
}
