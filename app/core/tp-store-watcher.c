/* tp-store-watcher.c: notices that something was committed to the store, cheaply and often. */
#define G_LOG_DOMAIN "tp-store-watcher"

#include "tp-store-watcher.h"
#include "tp-store-private.h"

struct _TpStoreWatcher
{
  GObject       parent_instance;
  TpStore      *store;
  guint         interval_ms;
  guint         timer;
  GCancellable *reading;    /* While the store's thread reads the version. */
  gint64        version;    /* The last one read; 0 before the first. */
};

G_DEFINE_FINAL_TYPE (TpStoreWatcher, tp_store_watcher, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
version_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 version = tp_store_get_data_version (source, &error);

  if (version < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, version);
}

static void
version_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TpStoreWatcher *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = g_task_propagate_int (G_TASK (result), &error);
  gboolean first;

  /* Cancelled: the watcher is gone; touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  if (error)
    {
      g_warning ("Watching the store failed: %s", error->message);
      return;
    }
  first = self->version == 0;
  if (version == self->version)
    return;
  self->version = version;
  if (!first)
    g_signal_emit (self, signals[CHANGED], 0);
}

void
tp_store_watcher_check (TpStoreWatcher *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE_WATCHER (self));

  /* One read at a time: a slow job ahead on the store's thread must not pile ticks up. */
  if (self->reading)
    return;
  self->reading = g_cancellable_new ();
  task = g_task_new (self->store, self->reading, version_ready_cb, self);
  g_task_set_source_tag (task, tp_store_watcher_check);
  tp_store_run_task (self->store, task, version_thread);
}

static gboolean
tick_cb (gpointer data)
{
  tp_store_watcher_check (data);
  return G_SOURCE_CONTINUE;
}

static void
tp_store_watcher_dispose (GObject *object)
{
  TpStoreWatcher *self = TP_STORE_WATCHER (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_store_watcher_parent_class)->dispose (object);
}

static void
tp_store_watcher_class_init (TpStoreWatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tp_store_watcher_dispose;

  /* Something was committed since the last look: read what the view needs (only what is new,
   * where it can). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
tp_store_watcher_init (TpStoreWatcher *self)
{
}

TpStoreWatcher *
tp_store_watcher_new (TpStore *store,
                      guint    interval_ms)
{
  TpStoreWatcher *self;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (interval_ms > 0, NULL);

  self = g_object_new (TP_TYPE_STORE_WATCHER, NULL);
  self->store = g_object_ref (store);
  self->interval_ms = interval_ms;
  self->timer = g_timeout_add (interval_ms, tick_cb, self);
  tp_store_watcher_check (self);
  return self;
}

TpStore *
tp_store_watcher_get_store (TpStoreWatcher *self)
{
  g_return_val_if_fail (TP_IS_STORE_WATCHER (self), NULL);
  return self->store;
}
