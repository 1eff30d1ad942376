/* tp-store-thread.c: the store's own thread, where its slow jobs run one at a time, in order. */
#define G_LOG_DOMAIN "tp-store-thread"

#include "tp-store-thread.h"

struct _TpStoreThread
{
  GThread     *thread;
  GAsyncQueue *queue;   /* Job; the thread holds a reference of its own. */
};

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;   /* NULL: stop. */
} Job;

static gpointer
run (gpointer data)
{
  GAsyncQueue *queue = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (queue);
      gboolean stop = job->func == NULL;

      if (!stop && !g_task_return_error_if_cancelled (job->task))
        job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
                   g_task_get_cancellable (job->task));
      /* This may drop the last reference to the store, which then frees this thread's
       * TpStoreThread (not waiting for it): nothing but the queue is touched afterwards. */
      g_clear_object (&job->task);
      g_free (job);
      if (stop)
        break;
    }
  g_async_queue_unref (queue);
  return NULL;
}

TpStoreThread *
tp_store_thread_new (const char *name)
{
  TpStoreThread *self = g_new0 (TpStoreThread, 1);

  self->queue = g_async_queue_new ();
  self->thread = g_thread_new (name, run, g_async_queue_ref (self->queue));
  return self;
}

void
tp_store_thread_push (TpStoreThread   *self,
                      GTask           *task,
                      GTaskThreadFunc  func)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  job->task = g_object_ref (task);
  job->func = func;
  g_async_queue_push (self->queue, job);
}

void
tp_store_thread_free (TpStoreThread *self)
{
  if (self == NULL)
    return;
  /* The stop comes after every job queued so far. */
  g_async_queue_push (self->queue, g_new0 (Job, 1));
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  g_async_queue_unref (self->queue);
  g_free (self);
}
