/* tp-sync-run.c: one run: claim batches, keep requests in the air, record answers; the preview. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-run.h"

#include <string.h>
#include <time.h>

/* The settings key under which a wait the CRM asked for outlives the run. */
#define WAIT_KEY_FORMAT "sync.%s.wait"

gint64
tp_sync_now_ms (void)
{
  return g_get_real_time () / 1000;
}

gint64
tp_sync_mono_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

void
tp_sync_flight_free (TpSyncFlight *f)
{
  if (f == NULL)
    return;
  for (guint i = 0; f->items && i < f->batch->items->len; i++)
    tp_sync_item_result_clear (&f->items[i]);
  g_free (f->items);
  tp_outbox_batch_free (f->batch);
  tp_sync_request_free (f->request);
  g_clear_pointer (&f->headers, g_ptr_array_unref);
  g_free (f);
}

static void
rejection_free (TpSyncRejection *r)
{
  g_free (r->lead_id);
  g_free (r->kind);
  g_free (r->reason);
  g_free (r);
}

/* ---- Opening and closing ------------------------------------------------------------------- */

gboolean
tp_sync_run_open (TpSyncRun     *run,
                  TpStore       *store,
                  TpSyncConfig  *config,
                  gboolean       need_token,
                  GError       **error)
{
  run->config = config;
  run->store = g_object_ref (store);
  if (!tp_sync_config_validate (config, need_token, error))
    return FALSE;
  run->adapter = tp_sync_adapter_lookup (config->target);
  if (config->token_file)
    {
      run->secret = tp_sync_read_secret (config->token_file, error);
      if (run->secret == NULL)
        return FALSE;
      if (!run->adapter->signs_body)
        run->authorization = g_strconcat ("Bearer ", run->secret, NULL);
    }
  run->max_batch = config->batch_size ? MIN (config->batch_size, run->adapter->max_upserts)
                                      : run->adapter->max_upserts;
  run->cap = run->max_batch;
  run->max_in_flight = tp_sync_config_get_max_in_flight (config);
  run->window = 1;
  run->limiter = tp_sync_limiter_new ();
  run->summary = g_new0 (TpSyncSummary, 1);
  run->summary->target = g_strdup (config->target);
  run->summary->rejections = g_ptr_array_new_with_free_func ((GDestroyNotify) rejection_free);
  return TRUE;
}

void
tp_sync_run_clear (TpSyncRun *run)
{
  g_clear_object (&run->store);
  g_clear_pointer (&run->secret, tp_sync_secret_free);
  g_clear_pointer (&run->authorization, tp_sync_secret_free);
  g_clear_pointer (&run->summary, tp_sync_summary_free);
  g_clear_pointer (&run->limiter, tp_sync_limiter_free);
}

const char * const *
tp_sync_run_headers (TpSyncRun     *run,
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

/* ---- The CRM's wait, across runs ----------------------------------------------------------- */

/* "UNTIL_MS;KIND;SENTENCE": KIND "l" for a used-up API limit (the run ends at once, with the
 * sentence), "w" for a wait (Retry-After) that the next run honours too. */
static void
load_wait (TpSyncRun *run)
{
  g_autofree char *key = g_strdup_printf (WAIT_KEY_FORMAT, run->config->target);
  g_autofree char *value = tp_store_get_setting (run->store, key, NULL);
  g_auto(GStrv) parts = value ? g_strsplit (value, ";", 3) : NULL;
  gint64 until;

  if (parts == NULL || g_strv_length (parts) != 3)
    return;
  until = g_ascii_strtoll (parts[0], NULL, 10);
  if (until <= tp_sync_now_ms ())
    return;
  run->crm_wait = until;
  tp_sync_limiter_pause (run->limiter, tp_sync_mono_ms () + (until - tp_sync_now_ms ()));
  if (g_str_equal (parts[1], "l"))
    {
      run->stop = TRUE;
      run->summary->limited = TRUE;
      run->summary->stop_reason = g_strdup (parts[2]);
    }
}

static void
save_wait (TpSyncRun *run)
{
  g_autofree char *key = g_strdup_printf (WAIT_KEY_FORMAT, run->config->target);
  g_autofree char *old = tp_store_get_setting (run->store, key, NULL);
  g_autofree char *value = NULL;

  if (run->crm_wait > tp_sync_now_ms ())
    value = g_strdup_printf ("%" G_GINT64_FORMAT ";%s;%s", run->crm_wait, run->summary->limited ? "l" : "w",
                             run->summary->limited && run->summary->stop_reason ? run->summary->stop_reason : "");
  if (g_strcmp0 (old, value) != 0)
    tp_store_set_setting (run->store, key, value, NULL);
}

/* ---- Flights ------------------------------------------------------------------------------- */

/* Claims the next batch and builds its request. NULL without error when nothing is due now. */
static TpSyncFlight *
prepare (TpSyncRun *run,
         gboolean   in_transaction,
         GError   **error)
{
  g_autoptr(TpSyncFlight) f = g_new0 (TpSyncFlight, 1);
  gint64 t0 = cpu_us ();

  f->batch = tp_store_outbox_claim (run->store, run->config->target, run->cap, run->adapter->max_deletes,
                                    tp_sync_now_ms (), in_transaction, error);
  run->us_claim += cpu_us () - t0;
  if (f->batch == NULL)
    return NULL;
  f->items = g_new0 (TpSyncItemResult, f->batch->items->len);
  t0 = cpu_us ();
  f->request = run->adapter->build (run->config, f->batch, f->items, error);
  /* Only a bug gets here: what the store gave cannot be encoded. */
  if (f->request == NULL)
    return NULL;
  for (guint i = 0; i < f->batch->items->len; i++)
    if (f->items[i].outcome != TP_SYNC_ITEM_DEFER)
      f->sent++;
  f->headers = g_ptr_array_new_with_free_func (g_free);
  tp_sync_run_headers (run, f->request, f->headers);
  run->us_encode += cpu_us () - t0;
  return g_steal_pointer (&f);
}

/* When the next request may start: the backoff and the CRM's limits. */
static gint64
next_start (TpSyncRun *run,
            gint64     now)
{
  return MAX (run->gate, tp_sync_limiter_next_start (run->limiter, now));
}

/* How many requests to have in the air: one until the CRM has answered or after a failure;
 * then as many as its limits let go within one round trip, at most max_in_flight. */
static guint
target (TpSyncRun *run,
        guint      in_air,
        gint64     now)
{
  guint n = run->answered ? run->window : 1;

  if (run->answered && tp_sync_limiter_knows (run->limiter))
    n = MIN (n, in_air + (guint) MAX (0, tp_sync_limiter_room (run->limiter, now, (gint64) run->latency_ms)));
  return MAX (1, n);
}

static void
start (TpSyncRun    *run,
       TpSyncHttp   *http,
       TpSyncFlight *f)
{
  f->started_ms = tp_sync_mono_ms ();
  g_debug ("Request of %u records: %u in the air, %u at most now", f->sent, tp_sync_http_in_flight (http),
           target (run, tp_sync_http_in_flight (http), f->started_ms));
  tp_sync_limiter_start (run->limiter, f->started_ms);
  tp_sync_http_start (http, f->request->method, f->request->url, (const char * const *) f->headers->pdata,
                      run->authorization, f->request->body, f);
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

/* ---- The run ------------------------------------------------------------------------------- */

/* Batches claimed in one transaction at most. */
#define CLAIM_CHUNK 8

typedef struct
{
  TpSyncRun  *run;
  TpSyncHttp *http;
  GQueue      ready;            /* TpSyncFlight: claimed, not sent yet. */
  gboolean    deletion_in_air;  /* An erasure goes alone. */
  gint64      drained_until;    /* Monotonic ms: nothing to claim before this. */
  gboolean    failed;
} Loop;

/* How many more batches may be claimed to start now. */
static guint
room_now (Loop  *loop,
          gint64 now)
{
  TpSyncRun *run = loop->run;
  guint in_air = tp_sync_http_in_flight (loop->http);
  guint busy = in_air + g_queue_get_length (&loop->ready);
  TpSyncFlight *head = g_queue_peek_head (&loop->ready);
  guint n = target (run, in_air, now);

  if (run->stop || loop->failed || loop->deletion_in_air || now < loop->drained_until || next_start (run, now) > now)
    return 0;
  if (head && head->batch->kind == TP_OUTBOX_DELETE)
    return 0;
  return n > busy ? n - busy : 0;
}

/* How many batches to claim ahead while waiting for answers or for the window: up to as many
 * as may be in the air, so that when answers come or the window opens no claim stands between
 * it and the requests. Not after a failure (the CRM may be down), nor past an erasure. */
static guint
prefetch_room (Loop  *loop,
               gint64 now)
{
  TpSyncRun *run = loop->run;
  TpSyncFlight *tail = g_queue_peek_tail (&loop->ready);
  guint ahead = run->answered ? run->window : CLAIM_CHUNK;

  if (run->stop || loop->failed || run->streak > 0 || now < loop->drained_until ||
      (tail && tail->batch->kind == TP_OUTBOX_DELETE))
    return 0;
  return ahead > g_queue_get_length (&loop->ready) ? ahead - g_queue_get_length (&loop->ready) : 0;
}

/* Claims up to n batches into ready (stopping after an erasure, which must go alone), at most
 * CLAIM_CHUNK at a time: the first requests go while the next are being claimed. */

static gboolean
claim (Loop     *loop,
       guint     n,
       gboolean  in_transaction,
       GError  **error)
{
  for (guint i = 0; i < MIN (n, CLAIM_CHUNK); i++)
    {
      g_autoptr(GError) local_error = NULL;
      TpSyncFlight *f = prepare (loop->run, in_transaction, &local_error);

      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (f == NULL)
        {
          /* Nothing due now: look again in a second, or when the next retry is due. */
          gint64 next = tp_store_outbox_next_retry (loop->run->store, loop->run->config->target, NULL);
          gint64 wait = next ? CLAMP (next - tp_sync_now_ms (), 20, 1000) : 1000;

          loop->drained_until = tp_sync_mono_ms () + wait;
          return TRUE;
        }
      g_queue_push_tail (&loop->ready, f);
      if (f->batch->kind == TP_OUTBOX_DELETE)
        break;
    }
  return TRUE;
}

/* Starts the claimed batches that may go now. */
static void
launch (Loop  *loop,
        gint64 now)
{
  TpSyncRun *run = loop->run;
  TpSyncFlight *f;

  while (!run->stop && !loop->deletion_in_air && (f = g_queue_peek_head (&loop->ready)))
    {
      guint in_air = tp_sync_http_in_flight (loop->http);

      if (in_air >= target (run, in_air, now) || next_start (run, now) > now)
        break;
      if (f->batch->kind == TP_OUTBOX_DELETE && in_air > 0)
        break;
      g_queue_pop_head (&loop->ready);
      loop->deletion_in_air = f->batch->kind == TP_OUTBOX_DELETE;
      start (run, loop->http, f);
    }
}

/* Records every answer that came, and claims the next batches, in one commit. */
static gboolean
record (Loop    *loop,
        GError **error)
{
  TpSyncRun *run = loop->run;
  TpSyncTransfer *t;
  g_autoptr(GPtrArray) flights = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_sync_flight_free);
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_sync_transfer_free);

  while ((t = tp_sync_http_take_done (loop->http)))
    {
      g_ptr_array_add (transfers, t);
      g_ptr_array_add (flights, t->user_data);
    }
  if (transfers->len == 0)
    return TRUE;
  if (!tp_store_outbox_begin (run->store, error))
    return FALSE;
  for (guint i = 0; i < transfers->len; i++)
    {
      TpSyncFlight *f = flights->pdata[i];

      if (f->batch->kind == TP_OUTBOX_DELETE)
        loop->deletion_in_air = FALSE;
      if (!tp_sync_run_conclude (run, f, transfers->pdata[i], error))
        goto fail;
    }
  /* Answers may have made records due again. */
  loop->drained_until = 0;
  if (!claim (loop, room_now (loop, tp_sync_mono_ms ()), TRUE, error))
    goto fail;
  if (!tp_store_outbox_commit (run->store, error))
    {
      g_queue_clear_full (&loop->ready, (GDestroyNotify) tp_sync_flight_free);
      return FALSE;
    }
  if (run->report)
    run->report (run, run->report_data);
  return TRUE;

fail:
  tp_store_outbox_rollback (run->store);
  /* What was claimed in the transaction went with it. */
  g_queue_clear_full (&loop->ready, (GDestroyNotify) tp_sync_flight_free);
  return FALSE;
}

/* Nothing in the air: wait for what comes next, within max_wait without progress. FALSE when
 * the run should end. */
static gboolean
idle (Loop   *loop,
      gint64 *waited,
      gint64 *done_at_wait)
{
  TpSyncRun *run = loop->run;
  gint64 now = tp_sync_mono_ms ();
  gint64 wake, wait;

  /* Wait for retries that are due soon; stop when they are far off, or when waiting has gone
   * on for max_wait without a record getting anywhere. */
  if (run->done != *done_at_wait)
    {
      *waited = 0;
      *done_at_wait = run->done;
    }
  /* A wait longer than that (the CRM's window or Retry-After, the backoff) ends the run before
   * anything is claimed for nothing. */
  wait = MAX (0, next_start (run, now) - now);
  if (*waited + wait > (gint64) run->config->max_wait * 1000)
    {
      g_debug ("No request may go for %" G_GINT64_FORMAT " ms: stopping", wait);
      return FALSE;
    }
  /* Whether there is anything to send: claim it now, to send when it may go. */
  if (g_queue_is_empty (&loop->ready) && now >= loop->drained_until)
    {
      g_autoptr(GError) local_error = NULL;

      if (!claim (loop, 1, FALSE, &local_error))
        {
          loop->failed = TRUE;
          return FALSE;
        }
    }
  if (g_queue_is_empty (&loop->ready))
    {
      gint64 next_retry;
      g_autoptr(GError) local_error = NULL;

      next_retry = tp_store_outbox_next_retry (run->store, run->config->target, &local_error);
      if (local_error)
        {
          loop->failed = TRUE;
          return FALSE;
        }
      if (next_retry == 0)
        {
          g_debug ("Nothing left to send");
          return FALSE;
        }
      wake = MAX (now + MAX (0, next_retry - tp_sync_now_ms ()), next_start (run, now));
    }
  else
    wake = next_start (run, now);
  wake = MAX (wake, loop->drained_until);
  wait = MAX (0, wake - now);
  if (*waited + wait > (gint64) run->config->max_wait * 1000)
    {
      g_debug ("The next request could go in %" G_GINT64_FORMAT " ms, after waiting %" G_GINT64_FORMAT
               " ms already: stopping", wait, *waited);
      return FALSE;
    }
  if (!sleep_ms (wait, run->cancellable))
    return FALSE;
  *waited += wait;
  loop->drained_until = 0;
  return TRUE;
}

gboolean
tp_sync_run_execute (TpSyncRun  *run,
                     GError    **error)
{
  Loop loop = { run, NULL, G_QUEUE_INIT, FALSE, 0, FALSE };
  gint64 waited = 0, done_at_wait = -1;
  GError *local_error = NULL;

  load_wait (run);
  loop.http = tp_sync_http_new (run->config, run->max_in_flight, run->cancellable);
  for (;;)
    {
      gint64 now = tp_sync_mono_ms ();
      guint room = room_now (&loop, now);

      if (room > 0 && !claim (&loop, room, FALSE, &local_error))
        loop.failed = TRUE;
      if (!loop.failed)
        launch (&loop, now);

      if (tp_sync_http_in_flight (loop.http) == 0)
        {
          if (run->stop || loop.failed || g_cancellable_is_cancelled (run->cancellable))
            break;
          if (!idle (&loop, &waited, &done_at_wait))
            break;
          continue;
        }

      /* Claim ahead, a chunk at a time, looking at the answers in between. */
      if (!loop.failed && prefetch_room (&loop, now) > 0 && !claim (&loop, prefetch_room (&loop, now), FALSE,
                                                                      &local_error))
        loop.failed = TRUE;

      /* Wait for answers, or until another request may start. */
      {
        int timeout = 1000;

        if (!run->stop && tp_sync_http_in_flight (loop.http) < target (run, tp_sync_http_in_flight (loop.http), now))
          timeout = (int) CLAMP (MAX (next_start (run, now), loop.drained_until) - now, 0, 1000);
        if (prefetch_room (&loop, tp_sync_mono_ms ()) > 0)
          timeout = 0;
        tp_sync_http_wait (loop.http, timeout);
      }
      if (!loop.failed && !record (&loop, &local_error))
        loop.failed = TRUE;
      if (loop.failed)
        {
          /* Let what is in the air land (its answers cannot be recorded: the next run sends it
           * again under the same key), then stop. */
          TpSyncTransfer *lost;

          while ((lost = tp_sync_http_take_done (loop.http)))
            {
              tp_sync_flight_free (lost->user_data);
              tp_sync_transfer_free (lost);
            }
          run->stop = TRUE;
        }
    }

  /* Batches claimed but not sent go back, keeping their key when they were sent before. */
  while (!g_queue_is_empty (&loop.ready))
    {
      g_autoptr(TpSyncFlight) f = g_queue_pop_head (&loop.ready);

      if (!loop.failed)
        tp_sync_run_unclaim (run, f, NULL);
    }
  tp_sync_http_free (loop.http);
  save_wait (run);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---- Preview ------------------------------------------------------------------------------- */

gboolean
tp_sync_run_preview (TpSyncRun         *run,
                     TpSyncPreviewFunc  func,
                     gpointer           user_data,
                     GError           **error)
{
  const char *target = run->config->target;
  gboolean ok = FALSE;

  /* Everything happens in one transaction that is rolled back: nothing changes. */
  if (!tp_store_outbox_begin (run->store, error))
    return FALSE;
  if (!tp_store_outbox_add_target (run->store, target, TRUE, error) ||
      !tp_store_outbox_recover (run->store, target, tp_sync_now_ms (), TRUE, error))
    goto rollback;
  for (;;)
    {
      g_autoptr(TpOutboxBatch) batch = NULL;
      g_autoptr(TpSyncRequest) request = NULL;
      g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) local_error = NULL;
      g_autofree TpSyncItemResult *items = NULL;
      guint sent = 0;

      batch = tp_store_outbox_claim (run->store, target, run->cap, run->adapter->max_deletes, tp_sync_now_ms (), TRUE,
                                     &local_error);
      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto rollback;
        }
      if (batch == NULL)
        break;
      items = g_new0 (TpSyncItemResult, batch->items->len);
      request = run->adapter->build (run->config, batch, items, error);
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
      if (run->authorization)
        g_ptr_array_add (headers, g_strdup ("Authorization: Bearer <from the token file, not shown>"));
      else if (!run->adapter->signs_body)
        g_ptr_array_add (headers, g_strdup ("Authorization: Bearer <from --token-file>"));
      tp_sync_run_headers (run, request, headers);
      if (run->adapter->signs_body && run->secret == NULL)
        g_ptr_array_insert (headers, headers->len - 1,
                            g_strdup ("X-Touchpoint-Signature: sha256=<computed with the secret from --token-file>"));
      func (request, (const char * const *) headers->pdata, sent, batch->resend, user_data);
      /* Set aside what was shown (deferred records come again), inside the preview. */
      ok = tp_sync_run_apply (run, batch, items, TRUE, TRUE, error);
      for (guint i = 0; i < batch->items->len; i++)
        tp_sync_item_result_clear (&items[i]);
      if (!ok)
        goto rollback;
    }
  ok = TRUE;

rollback:
  tp_store_outbox_rollback (run->store);
  return ok;
}
