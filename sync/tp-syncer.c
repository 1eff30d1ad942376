/* tp-syncer.c: the sync loop: claim a batch, send it, record each record's result; retries. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-syncer.h"
#include "tp-sync-http.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* Connection failures in a row after which a run stops: the network is down. */
#define MAX_UNREACHABLE 3
/* Records refused one by one, for the whole request, before any record went through, after
 * which a run stops: the request itself is at fault (address, settings), not the records. */
#define MAX_REFUSED_UNPROVEN 3

struct _TpSyncer
{
  GObject             parent_instance;
  char               *data_dir;
  TpSyncConfig       *config;
  TpSyncProgressFunc  progress_func;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;
  GMainContext       *progress_context;   /* Set while an async run is going. */
};

G_DEFINE_FINAL_TYPE (TpSyncer, tp_syncer, G_TYPE_OBJECT)

/* What one run keeps while it goes. */
typedef struct _Workers Workers;

typedef struct
{
  TpSyncer            *syncer;
  TpSyncConfig        *config;
  const TpSyncAdapter *adapter;
  TpStore             *store;
  char                *secret;
  char                *authorization;
  GCancellable        *cancellable;
  TpSyncSummary       *summary;
  guint                cap;             /* Current batch size: halved to isolate a bad record. */
  guint                max_batch;
  gint64               not_before_ms;   /* Rate limit: no request before this. */
  guint                unreachable_in_row;
  gboolean             proven;          /* A record went through: the requests are right. */
  guint                refused_unproven;
  gboolean             last_failed_to_connect;
  gboolean             stop;
  gint64               done;
  gint64               us_claim;        /* Where the time goes (CPU, HTTP wall), for the debug log. */
  gint64               us_decode;
  gint64               us_http;
  gint64               us_apply;
  gint64               us_encode;
} Run;

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
rejection_free (TpSyncRejection *r)
{
  g_free (r->lead_id);
  g_free (r->kind);
  g_free (r->reason);
  g_free (r);
}

static void
tp_syncer_finalize (GObject *object)
{
  TpSyncer *self = TP_SYNCER (object);

  if (self->progress_destroy)
    self->progress_destroy (self->progress_data);
  g_free (self->data_dir);
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
tp_syncer_new (const char   *data_dir,
               TpSyncConfig *config)
{
  TpSyncer *self = g_object_new (TP_TYPE_SYNCER, NULL);

  self->data_dir = g_strdup (data_dir);
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

/* CPU time of this thread, for the debug log's account of where the time goes. */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Exponential, with jitter so that kiosks retrying together spread out. */
static gint64
backoff_ms (TpSyncConfig *config,
            int           attempts)
{
  gint64 delay = config->backoff_base_ms;

  for (int i = 1; i < attempts && delay < config->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (gint64) config->backoff_max_ms);
  return delay / 2 + g_random_int_range (0, (gint32) MAX (1, delay / 2 + 1));
}

static gboolean
sleep_ms (gint64        ms,
          GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint64 left = until - g_get_monotonic_time ();

      if (left <= 0)
        return TRUE;
      g_usleep (MIN (left, 50 * 1000));
    }
  return FALSE;
}

/* ---- Locking ------------------------------------------------------------------------------ */

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

/* ---- One batch ---------------------------------------------------------------------------- */

static void
report_progress (Run *run);

/* Turns per-record outcomes into store results, records them and counts them. */
static gboolean
apply (Run              *run,
       TpOutboxBatch    *batch,
       TpSyncItemResult *items,
       gboolean          in_transaction,
       gboolean          preview,
       GError          **error)
{
  guint n = batch->items->len;
  g_autofree TpOutboxResult *results = g_new0 (TpOutboxResult, n);
  g_autofree char **messages = g_new0 (char *, n);
  gint64 now = now_ms ();
  gint64 synced = 0;
  gboolean ok;

  for (guint i = 0; i < n; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      TpSyncItemResult *r = &items[i];
      TpOutboxResult *out = &results[i];

      out->outbox_id = item->outbox_id;
      switch (r->outcome)
        {
        case TP_SYNC_ITEM_SYNCED:
          out->state = TP_DELIVERY_SYNCED;
          out->remote_id = r->remote_id;
          synced++;
          break;
        case TP_SYNC_ITEM_REJECTED:
          out->state = TP_DELIVERY_REJECTED;
          out->message = r->message;
          break;
        case TP_SYNC_ITEM_RETRY:
          out->state = TP_DELIVERY_RETRY;
          out->message = r->message;
          out->retry_at = now + backoff_ms (run->config, item->attempts);
          break;
        case TP_SYNC_ITEM_DEFER:
          /* Not sent: it goes in the next batch, without counting as a failure. */
          out->state = TP_DELIVERY_RETRY;
          out->message = NULL;
          out->retry_at = now;
          break;
        case TP_SYNC_ITEM_UNREPORTED:
        default:
          if (item->attempts >= (int) run->config->max_attempts)
            {
              messages[i] = g_strdup_printf ("the CRM did not report on this record in %d attempts", item->attempts);
              out->state = TP_DELIVERY_REJECTED;
            }
          else
            {
              messages[i] = g_strdup ("the CRM's answer did not mention this record");
              out->state = TP_DELIVERY_RETRY;
              out->retry_at = now + backoff_ms (run->config, item->attempts);
            }
          out->message = messages[i];
          break;
        }
    }
  ok = tp_store_outbox_apply (run->store, batch->target, batch->key, results, n, now, in_transaction || preview,
                              error);
  for (guint i = 0; i < n; i++)
    {
      if (ok && !preview && results[i].state == TP_DELIVERY_REJECTED)
        {
          TpSyncRejection *rej = g_new0 (TpSyncRejection, 1);
          TpOutboxItem *item = batch->items->pdata[i];

          rej->lead_id = g_strdup (item->lead_id);
          rej->kind = g_strdup (item->kind == TP_OUTBOX_DELETE ? "delete" : "upsert");
          rej->reason = g_strdup (results[i].message);
          g_ptr_array_add (run->summary->rejections, rej);
          run->summary->rejected++;
          run->done++;
        }
      g_free (messages[i]);
    }
  if (ok && !preview)
    {
      if (synced > 0)
        run->proven = TRUE;
      run->summary->synced += synced;
      run->done += synced;
      report_progress (run);
    }
  return ok;
}

/* The whole batch failed in a way that says nothing per record. keep_key: the CRM may have it,
 * so the same batch goes again under the same key. */
static gboolean
release (Run              *run,
         TpOutboxBatch    *batch,
         TpSyncItemResult *items,
         const char       *message,
         gint64            retry_at,
         gboolean          keep_key,
         gboolean          in_transaction,
         GError          **error)
{
  guint n = batch->items->len;
  g_autofree TpOutboxResult *results = g_new0 (TpOutboxResult, n);

  for (guint i = 0; i < n; i++)
    {
      gboolean deferred = items[i].outcome == TP_SYNC_ITEM_DEFER;

      results[i].outbox_id = ((TpOutboxItem *) batch->items->pdata[i])->outbox_id;
      results[i].state = TP_DELIVERY_RETRY;
      results[i].message = deferred ? NULL : message;
      results[i].retry_at = deferred ? now_ms () : retry_at;
      results[i].keep_key = keep_key && !deferred;
    }
  if (message)
    {
      g_free (run->summary->last_error);
      run->summary->last_error = g_strdup (message);
    }
  return tp_store_outbox_apply (run->store, batch->target, batch->key, results, n, now_ms (), in_transaction, error);
}

static int
max_attempts_of (TpOutboxBatch *batch)
{
  int attempts = 1;

  for (guint i = 0; i < batch->items->len; i++)
    attempts = MAX (attempts, ((TpOutboxItem *) batch->items->pdata[i])->attempts);
  return attempts;
}

static const char * const *
request_headers (Run           *run,
                 TpSyncRequest *request,
                 GPtrArray     *out)
{
  for (guint i = 0; i < request->headers->len; i++)
    g_ptr_array_add (out, g_strdup (request->headers->pdata[i]));
  if (run->adapter->signs_body && run->secret)
    {
      g_autofree char *signature = tp_sync_sign (run->secret, request->body);

      g_ptr_array_add (out, g_strdup_printf ("X-Touchpoint-Signature: %s", signature));
    }
  g_ptr_array_add (out, NULL);
  return (const char * const *) out->pdata;
}

/* ---- Sending: workers that send and read the answers ---------------------------------------- */

/* One claimed batch on its way: the request, and what came back. */
typedef struct
{
  TpOutboxBatch    *batch;
  TpSyncItemResult *items;
  TpSyncRequest    *request;
  GPtrArray        *headers;
  guint             sent;      /* Items in the request (the others are deferred). */
  gboolean          started;
  gboolean          waited;
  gboolean          ok;
  TpSyncResponse    response;
  GError           *error;
  gint64            http_us;
  gboolean          parsed;      /* The worker read the answer into items already. */
  gboolean          parse_ok;
  GError           *parse_error;
  GError           *build_error;
  gint64            cpu_us;      /* The worker's, encoding and decoding. */
} Flight;

static void
flight_free (Flight *f)
{
  if (f == NULL)
    return;
  for (guint i = 0; f->items && i < f->batch->items->len; i++)
    tp_sync_item_result_clear (&f->items[i]);
  g_free (f->items);
  tp_outbox_batch_free (f->batch);
  tp_sync_request_free (f->request);
  g_clear_pointer (&f->headers, g_ptr_array_unref);
  tp_sync_response_clear (&f->response);
  g_clear_error (&f->error);
  g_clear_error (&f->parse_error);
  g_clear_error (&f->build_error);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Flight, flight_free)

/* The store is used by the run's thread only, which claims and encodes batches and records
 * their results. Two workers, each with its own connection, send them and read the answers
 * into per-record results, so that the CRM always has the next batch while the run records
 * the last one and claims the one after. (Encoding stays on the run's thread: measured, that
 * keeps the two cores busiest.) */
#define N_WORKERS 2

struct _Workers
{
  GMutex      lock;
  GCond       cond;
  GThread    *threads[N_WORKERS];
  TpSyncHttp *http[N_WORKERS];
  GQueue      jobs;
  GQueue      done;
  gboolean    quit;
  Run        *run;
};

typedef struct
{
  Workers *workers;
  guint    index;
} WorkerStart;

/* Whether the answer carries per-record results for the adapter to read. */
static gboolean
answers_per_record (Flight *f)
{
  long status = f->response.status;

  return (status >= 200 && status < 300) || (status == 404 && f->batch->kind == TP_OUTBOX_DELETE);
}

static gboolean
encode (Run    *run,
        Flight *f)
{
  f->request = run->adapter->build (run->config, f->batch, f->items, &f->build_error);
  if (f->request == NULL)
    return FALSE;
  for (guint i = 0; i < f->batch->items->len; i++)
    if (f->items[i].outcome != TP_SYNC_ITEM_DEFER)
      f->sent++;
  f->headers = g_ptr_array_new_with_free_func (g_free);
  request_headers (run, f->request, f->headers);
  return TRUE;
}

static void
fly (Run        *run,
     TpSyncHttp *http,
     Flight     *f)
{
  gint64 t0 = g_get_monotonic_time ();

  f->ok = tp_sync_http_send (http, f->request->method, f->request->url, (const char * const *) f->headers->pdata,
                             run->authorization, f->request->body, run->cancellable, &f->response, &f->error);
  f->http_us = g_get_monotonic_time () - t0;

  t0 = cpu_us ();
  if (f->ok && answers_per_record (f))
    {
      f->parse_ok = run->adapter->parse (run->config, f->batch, f->response.status, f->response.body,
                                         f->items, &f->parse_error);
      f->parsed = TRUE;
    }
  f->cpu_us += cpu_us () - t0;
}

static gpointer
worker_thread (gpointer data)
{
  WorkerStart *start = data;
  Workers *workers = start->workers;
  TpSyncHttp *http = workers->http[start->index];

  g_free (start);
  g_mutex_lock (&workers->lock);
  for (;;)
    {
      Flight *f;

      while (g_queue_is_empty (&workers->jobs) && !workers->quit)
        g_cond_wait (&workers->cond, &workers->lock);
      if (workers->quit)
        break;
      f = g_queue_pop_head (&workers->jobs);
      g_mutex_unlock (&workers->lock);

      fly (workers->run, http, f);

      g_mutex_lock (&workers->lock);
      g_queue_push_tail (&workers->done, f);
      g_cond_broadcast (&workers->cond);
    }
  g_mutex_unlock (&workers->lock);
  return NULL;
}

static void
workers_give (Workers *workers,
              Flight  *f)
{
  f->started = TRUE;
  g_mutex_lock (&workers->lock);
  g_queue_push_tail (&workers->jobs, f);
  g_cond_broadcast (&workers->cond);
  g_mutex_unlock (&workers->lock);
}

/* The next batch a worker has finished with. */
static Flight *
workers_take (Workers *workers)
{
  Flight *f;

  g_mutex_lock (&workers->lock);
  while (g_queue_is_empty (&workers->done))
    g_cond_wait (&workers->cond, &workers->lock);
  f = g_queue_pop_head (&workers->done);
  f->waited = TRUE;
  g_mutex_unlock (&workers->lock);
  return f;
}

static Workers *
workers_new (Run *run)
{
  Workers *workers = g_new0 (Workers, 1);

  g_mutex_init (&workers->lock);
  g_cond_init (&workers->cond);
  g_queue_init (&workers->jobs);
  g_queue_init (&workers->done);
  workers->run = run;
  for (guint i = 0; i < N_WORKERS; i++)
    {
      WorkerStart *start = g_new0 (WorkerStart, 1);

      start->workers = workers;
      start->index = i;
      workers->http[i] = tp_sync_http_new (run->config);
      workers->threads[i] = g_thread_new ("tp-sync-send", worker_thread, start);
    }
  return workers;
}

static void
workers_free (Workers *workers)
{
  if (workers == NULL)
    return;
  g_mutex_lock (&workers->lock);
  workers->quit = TRUE;
  g_cond_broadcast (&workers->cond);
  g_mutex_unlock (&workers->lock);
  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_thread_join (workers->threads[i]);
      tp_sync_http_free (workers->http[i]);
    }
  g_mutex_clear (&workers->lock);
  g_cond_clear (&workers->cond);
  g_free (workers);
}

/* ---- One batch ---------------------------------------------------------------------------- */

/* Claims the next batch (a worker encodes it). in_transaction: inside the caller's
 * transaction. NULL without error when nothing is due now. */
static Flight *
prepare (Run       *run,
         gboolean   in_transaction,
         GError   **error)
{
  g_autoptr(Flight) f = g_new0 (Flight, 1);
  gint64 t0 = cpu_us ();

  f->batch = tp_store_outbox_claim (run->store, run->config->target, run->cap, run->adapter->max_deletes,
                                    now_ms (), in_transaction, error);
  run->us_claim += cpu_us () - t0;
  if (f->batch == NULL)
    return NULL;
  f->items = g_new0 (TpSyncItemResult, f->batch->items->len);
  t0 = cpu_us ();
  if (!encode (run, f))
    {
      /* Only a bug gets here: what the store gave cannot be encoded. */
      g_propagate_error (error, g_steal_pointer (&f->build_error));
      return NULL;
    }
  run->us_encode += cpu_us () - t0;
  return g_steal_pointer (&f);
}

/* Whether an answer is a plain success, after which the next batch can go at once. */
static gboolean
healthy (Flight *f)
{
  return f->ok && f->response.status >= 200 && f->response.status < 300 &&
         f->response.ratelimit_remaining != 0 && f->response.ratelimit_secondly != 0;
}

/* Reads the answer to a batch and records each record's result (in the caller's transaction
 * when in_transaction). */
static gboolean
conclude (Run      *run,
          Flight   *f,
          gboolean  in_transaction,
          GError  **error)
{
  TpOutboxBatch *batch = f->batch;
  TpSyncItemResult *items = f->items;
  TpSyncResponse *response = &f->response;
  guint n = batch->items->len;
  gboolean ok = TRUE;
  gint64 t0 = cpu_us ();
  long status;

  if (f->build_error)
    {
      g_propagate_error (error, g_steal_pointer (&f->build_error));
      return FALSE;
    }
  run->summary->requests++;
  run->us_http += f->http_us;
  run->us_decode += f->cpu_us;
  if (!f->ok)
    {
      g_autofree char *message = NULL;
      gint64 retry_at = now_ms () + backoff_ms (run->config, max_attempts_of (batch));

      switch (f->error->code)
        {
        case TP_SYNC_ERROR_CANCELLED:
          ok = release (run, batch, items, "cancelled", now_ms (), TRUE, in_transaction, error);
          run->stop = TRUE;
          goto out;
        case TP_SYNC_ERROR_TLS:
          message = g_strdup_printf ("the CRM's certificate could not be verified: %s", f->error->message);
          ok = release (run, batch, items, message, now_ms (), TRUE, in_transaction, error);
          run->summary->unreachable = TRUE;
          g_free (run->summary->stop_reason);
          run->summary->stop_reason = g_steal_pointer (&message);
          run->stop = TRUE;
          goto out;
        case TP_SYNC_ERROR_UNREACHABLE:
          message = g_strdup_printf ("could not reach the CRM: %s", f->error->message);
          ok = release (run, batch, items, message, retry_at, TRUE, in_transaction, error);
          run->last_failed_to_connect = TRUE;
          if (++run->unreachable_in_row >= MAX_UNREACHABLE)
            {
              run->summary->unreachable = TRUE;
              g_free (run->summary->stop_reason);
              run->summary->stop_reason = g_steal_pointer (&message);
              run->stop = TRUE;
            }
          goto out;
        default:
          /* Timeout, reset, cut answer: the CRM may have stored the batch. */
          message = g_strdup_printf ("no complete answer from the CRM: %s", f->error->message);
          ok = release (run, batch, items, message, retry_at, TRUE, in_transaction, error);
          run->last_failed_to_connect = FALSE;
          goto out;
        }
    }

  run->unreachable_in_row = 0;
  run->last_failed_to_connect = FALSE;
  status = response->status;
  /* HubSpot says how much of its rate limit is left: pause before running into it. */
  if (response->ratelimit_remaining == 0 && response->ratelimit_interval_ms > 0)
    run->not_before_ms = now_ms () + MIN (response->ratelimit_interval_ms, 60 * 1000);
  else if (response->ratelimit_secondly == 0)
    run->not_before_ms = now_ms () + 1000;

  if (answers_per_record (f))
    {
      if (!f->parsed)
        {
          f->parse_ok = run->adapter->parse (run->config, batch, status, response->body, items, &f->parse_error);
          f->parsed = TRUE;
        }
      if (!f->parse_ok)
        {
          g_autofree char *message = g_strdup_printf ("unreadable answer (HTTP %ld): %s", status,
                                                      f->parse_error->message);

          /* It may have been stored: the same batch goes again, under the same key. */
          ok = release (run, batch, items, message,
                        now_ms () + backoff_ms (run->config, max_attempts_of (batch)), TRUE, in_transaction, error);
          goto out;
        }
      ok = apply (run, batch, items, in_transaction, FALSE, error);
      run->cap = MIN (run->cap * 2, run->max_batch);
      goto out;
    }

  if (status == 429 || status == 423 || status == 408 || status >= 500)
    {
      g_autofree char *reason = run->adapter->reason (status, response->body);
      gint64 delay = backoff_ms (run->config, max_attempts_of (batch));

      if (response->retry_after_ms >= 0)
        delay = MAX (delay, response->retry_after_ms);
      else if (status == 429 && response->ratelimit_interval_ms > 0)
        delay = MAX (delay, MIN (response->ratelimit_interval_ms, 60 * 1000));
      ok = release (run, batch, items, reason, now_ms () + delay, TRUE, in_transaction, error);
      goto out;
    }

  if (status == 401 || status == 403)
    {
      g_autofree char *reason = run->adapter->reason (status, response->body);

      ok = release (run, batch, items, reason, now_ms (), TRUE, in_transaction, error);
      run->summary->unreachable = TRUE;
      g_free (run->summary->stop_reason);
      run->summary->stop_reason = g_strdup_printf ("the CRM refused the token (%s); check the token file", reason);
      run->stop = TRUE;
      goto out;
    }

  /* Any other answer refuses the whole request. With several records, one bad record may be
   * the cause: halve the batches until it stands alone, so that it never blocks the rest. */
  {
    g_autofree char *reason = run->adapter->reason (status, response->body);

    if (f->sent > 1)
      {
        g_debug ("HTTP %ld for %u records: splitting the batch", status, f->sent);
        ok = release (run, batch, items, reason, now_ms (), FALSE, in_transaction, error);
        run->cap = MAX (1, f->sent / 2);
        goto out;
      }
    /* A rejection is for good. Until a record has gone through in this run, a refusal of the
     * whole request may be about the request (a wrong address, a mapped property missing in
     * the CRM) rather than this record: keep it for later, and stop when it keeps happening. */
    if (!run->proven)
      {
        ok = release (run, batch, items, reason, now_ms () + backoff_ms (run->config, max_attempts_of (batch)),
                      FALSE, in_transaction, error);
        if (++run->refused_unproven >= MAX_REFUSED_UNPROVEN)
          {
            run->summary->unreachable = TRUE;
            g_free (run->summary->stop_reason);
            run->summary->stop_reason =
              g_strdup_printf ("the CRM refused every request and took no record (%s); check the address, "
                               "the settings and that the mapped properties exist in the CRM; no record was "
                               "rejected", reason);
            run->stop = TRUE;
          }
        goto out;
      }
    for (guint i = 0; i < n; i++)
      if (items[i].outcome != TP_SYNC_ITEM_DEFER)
        tp_sync_item_result_set (&items[i], TP_SYNC_ITEM_REJECTED, NULL, reason);
    ok = apply (run, batch, items, in_transaction, FALSE, error);
  }

out:
  run->us_apply += cpu_us () - t0;
  return ok;
}

/* A batch that was claimed but not sent goes back. One that was sent before keeps its key:
 * the CRM may hold it under that key. */
static gboolean
unclaim (Run     *run,
         Flight  *f,
         GError **error)
{
  if (f->batch->resend)
    return release (run, f->batch, f->items, NULL, now_ms (), TRUE, FALSE, error);
  for (guint i = 0; i < f->batch->items->len; i++)
    tp_sync_item_result_set (&f->items[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
  return apply (run, f->batch, f->items, FALSE, FALSE, error);
}

/* ---- Progress ----------------------------------------------------------------------------- */

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
report_progress (Run *run)
{
  TpSyncer *self = run->syncer;
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

/* ---- The run ------------------------------------------------------------------------------ */

static void
run_clear (Run *run)
{
  g_clear_object (&run->store);
  g_clear_pointer (&run->secret, tp_sync_secret_free);
  g_clear_pointer (&run->authorization, tp_sync_secret_free);
  g_clear_pointer (&run->summary, tp_sync_summary_free);
}

static gboolean
run_open (Run           *run,
          TpSyncer      *self,
          gboolean       need_token,
          GError       **error)
{
  run->syncer = self;
  run->config = self->config;
  if (!tp_sync_config_validate (self->config, need_token, error))
    return FALSE;
  run->adapter = tp_sync_adapter_lookup (self->config->target);
  if (self->config->token_file)
    {
      run->secret = tp_sync_read_secret (self->config->token_file, error);
      if (run->secret == NULL)
        return FALSE;
      if (!run->adapter->signs_body)
        run->authorization = g_strconcat ("Bearer ", run->secret, NULL);
    }
  run->max_batch = self->config->batch_size ? MIN (self->config->batch_size, run->adapter->max_upserts)
                                            : run->adapter->max_upserts;
  run->cap = run->max_batch;
  run->store = tp_store_new (self->data_dir, error);
  if (run->store == NULL)
    return FALSE;
  run->summary = g_new0 (TpSyncSummary, 1);
  run->summary->target = g_strdup (self->config->target);
  run->summary->rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) rejection_free);
  return TRUE;
}

/* Puts back a batch that was claimed but not given to a worker. */
static void
land (Run    *run,
      Flight *f)
{
  if (f == NULL)
    return;
  if (!f->started)
    unclaim (run, f, NULL);
  flight_free (f);
}

TpSyncSummary *
tp_syncer_run (TpSyncer      *self,
               GCancellable  *cancellable,
               GError       **error)
{
  Run run = { 0 };
  gint64 counts[TP_DELIVERY_N_STATES];
  gint64 started = g_get_monotonic_time ();
  gint64 waited_ms = 0;
  gint64 done_at_wait = -1;
  const char *target;
  TpSyncSummary *summary = NULL;
  Workers *workers = NULL;
  Flight *ready = NULL;      /* Claimed, not yet given to a worker. */
  guint in_air = 0;
  gboolean cautious = FALSE; /* After a failure: one batch at a time until one succeeds. */
  gboolean failed = FALSE;
  gboolean deletion_in_air = FALSE;
  int lock = -1;

  g_return_val_if_fail (TP_IS_SYNCER (self), NULL);

  if (!run_open (&run, self, TRUE, error))
    goto out;
  target = self->config->target;
  if ((lock = take_lock (self->data_dir, error)) < 0)
    goto out;
  run.cancellable = cancellable;
  if (!tp_store_outbox_add_target (run.store, target, FALSE, error) ||
      !tp_store_outbox_recover (run.store, target, now_ms (), FALSE, error) ||
      !tp_store_outbox_count (run.store, target, counts, error))
    goto out;
  run.summary->total = counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY];
  workers = workers_new (&run);
  report_progress (&run);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      Flight *f;

      /* Keep the workers busy: up to one batch each, one only after a failure. A deletion goes
       * alone, so that it can never overtake the upsert of the same lead. */
      while (!run.stop && !failed && !deletion_in_air && in_air < (cautious ? 1u : N_WORKERS))
        {
          if (ready == NULL)
            {
              ready = prepare (&run, FALSE, &local_error);
              if (local_error)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  failed = TRUE;
                  break;
                }
              if (ready == NULL)
                break;
            }
          if (in_air > 0 && ready->batch->kind == TP_OUTBOX_DELETE)
            break;
          if (run.not_before_ms > now_ms ())
            {
              if (in_air > 0)
                break;
              if (!sleep_ms (run.not_before_ms - now_ms (), cancellable))
                break;
            }
          deletion_in_air = ready->batch->kind == TP_OUTBOX_DELETE;
          workers_give (workers, g_steal_pointer (&ready));
          in_air++;
        }

      if (in_air == 0)
        {
          gint64 next_retry, wait;

          if (run.stop || failed || g_cancellable_is_cancelled (cancellable))
            break;
          if (ready)
            continue;
          next_retry = tp_store_outbox_next_retry (run.store, target, &local_error);
          if (local_error)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              failed = TRUE;
              break;
            }
          if (next_retry == 0)
            break;
          /* Wait for retries that are due soon; stop when they are far off, or when waiting
           * has gone on for max_wait without a record getting anywhere. */
          if (run.done != done_at_wait)
            {
              waited_ms = 0;
              done_at_wait = run.done;
            }
          wait = MAX (0, next_retry - now_ms ());
          if (waited_ms + wait > (gint64) self->config->max_wait * 1000)
            break;
          if (sleep_ms (wait, cancellable))
            waited_ms += wait;
          continue;
        }

      /* A batch came back: its results, and the next claim, share one commit. */
      f = workers_take (workers);
      in_air--;
      if (f->batch->kind == TP_OUTBOX_DELETE)
        deletion_in_air = FALSE;
      if (failed)
        {
          flight_free (f);
          continue;
        }
      cautious = !healthy (f);
      if (!tp_store_outbox_begin (run.store, error))
        {
          flight_free (f);
          failed = TRUE;
          continue;
        }
      if (!conclude (&run, f, TRUE, error))
        {
          tp_store_outbox_rollback (run.store);
          flight_free (f);
          failed = TRUE;
          continue;
        }
      if (ready == NULL && !run.stop && !cautious)
        {
          ready = prepare (&run, TRUE, &local_error);
          if (local_error)
            {
              tp_store_outbox_rollback (run.store);
              g_propagate_error (error, g_steal_pointer (&local_error));
              flight_free (f);
              failed = TRUE;
              continue;
            }
        }
      if (!tp_store_outbox_commit (run.store, error))
        {
          g_clear_pointer (&ready, flight_free);
          failed = TRUE;
        }
      flight_free (f);
      report_progress (&run);
    }
  land (&run, g_steal_pointer (&ready));
  if (failed)
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  if (!tp_store_outbox_count (run.store, target, counts, error))
    goto out;
  run.summary->left = counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY];
  run.summary->rejected_earlier = MAX (0, counts[TP_DELIVERY_REJECTED] - run.summary->rejected);
  run.summary->next_retry_ms = tp_store_outbox_next_retry (run.store, target, NULL);
  if (run.summary->left > 0 && run.last_failed_to_connect && !run.summary->unreachable)
    {
      run.summary->unreachable = TRUE;
      run.summary->stop_reason = g_strdup (run.summary->last_error);
    }
  run.summary->seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_debug ("Run took %.0f ms; CPU ms: claims %.0f, encoding %.0f, decoding %.0f, recording %.0f; HTTP wall %.0f ms",
           run.summary->seconds * 1000, run.us_claim / 1e3, run.us_encode / 1e3, run.us_decode / 1e3,
           run.us_apply / 1e3, run.us_http / 1e3);
  summary = g_steal_pointer (&run.summary);

out:
  land (&run, ready);
  workers_free (workers);
  if (lock >= 0)
    close (lock);
  run_clear (&run);
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

/* ---- Preview ------------------------------------------------------------------------------ */

gboolean
tp_syncer_preview (TpSyncer           *self,
                   TpSyncPreviewFunc   func,
                   gpointer            user_data,
                   GError            **error)
{
  Run run = { 0 };
  const char *target;
  gboolean ok = FALSE;

  if (!run_open (&run, self, FALSE, error))
    goto out;
  target = self->config->target;
  /* Everything happens in one transaction that is rolled back: nothing changes. */
  if (!tp_store_outbox_begin (run.store, error))
    goto out;
  if (!tp_store_outbox_add_target (run.store, target, TRUE, error) ||
      !tp_store_outbox_recover (run.store, target, now_ms (), TRUE, error))
    goto rollback;
  for (;;)
    {
      g_autoptr(TpOutboxBatch) batch = NULL;
      g_autoptr(TpSyncRequest) request = NULL;
      g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) local_error = NULL;
      g_autofree TpSyncItemResult *items = NULL;
      guint sent = 0;

      batch = tp_store_outbox_claim (run.store, target, run.cap, run.adapter->max_deletes, now_ms (), TRUE,
                                     &local_error);
      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto rollback;
        }
      if (batch == NULL)
        break;
      items = g_new0 (TpSyncItemResult, batch->items->len);
      request = run.adapter->build (run.config, batch, items, error);
      if (request == NULL)
        goto rollback;
      for (guint i = 0; i < batch->items->len; i++)
        {
          if (items[i].outcome != TP_SYNC_ITEM_DEFER)
            {
              sent++;
              tp_sync_item_result_set (&items[i], TP_SYNC_ITEM_SYNCED, NULL, NULL);
            }
        }
      if (run.authorization)
        g_ptr_array_add (headers, g_strdup ("Authorization: Bearer <from the token file, not shown>"));
      else if (!run.adapter->signs_body)
        g_ptr_array_add (headers, g_strdup ("Authorization: Bearer <from --token-file>"));
      request_headers (&run, request, headers);
      if (run.adapter->signs_body && run.secret == NULL)
        g_ptr_array_insert (headers, headers->len - 1,
                            g_strdup ("X-Touchpoint-Signature: sha256=<computed with the secret from --token-file>"));
      func (request, (const char * const *) headers->pdata, sent, batch->resend, user_data);
      /* Set aside what was shown (deferred records come again), inside the preview. */
      ok = apply (&run, batch, items, TRUE, TRUE, error);
      for (guint i = 0; i < batch->items->len; i++)
        tp_sync_item_result_clear (&items[i]);
      if (!ok)
        goto rollback;
    }
  ok = TRUE;

rollback:
  tp_store_outbox_rollback (run.store);
out:
  run_clear (&run);
  return ok;
}
