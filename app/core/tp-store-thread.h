/* tp-store-thread.h: the store's own thread, where its slow jobs run one at a time, in order. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TpStoreThread TpStoreThread;

TpStoreThread *tp_store_thread_new  (const char      *name);
/* Queues task: func runs on the thread after the jobs queued before it, unless the task's
 * cancellable is cancelled by then (the task then returns G_IO_ERROR_CANCELLED). */
void           tp_store_thread_push (TpStoreThread   *thread,
                                     GTask           *task,
                                     GTaskThreadFunc  func);
/* Lets the jobs already queued run, then stops the thread and frees it. Called on the thread
 * itself (a job dropped the last reference to the store), it does not wait for itself. */
void           tp_store_thread_free (TpStoreThread   *thread);

G_END_DECLS
