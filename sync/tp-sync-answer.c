/* tp-sync-answer.c: what one answer does: each record's outcome, the backoff, the limits, stops. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-run.h"
#include "tp-sync-secret.h"

#include <string.h>
#include <time.h>

/* Connection failures in a row after which a run stops: the network is down. */
#define MAX_UNREACHABLE 3
/* Records refused one by one, for the whole request, before any record went through, after
 * which a run stops: the request itself is at fault (address, settings), not the records. */
#define MAX_REFUSED_UNPROVEN 3

/* CPU time of this thread, for the debug log's account of where the time goes. */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Exponential in the failures in a row, with jitter so that kiosks retrying together spread
 * out. It depends on this run only: it starts again from the base in every run, and a stop
 * for the token never makes it grow. */
static gint64
backoff_ms (TpSyncConfig *config,
            guint         streak)
{
  gint64 delay = config->backoff_base_ms;

  for (guint i = 1; i < streak && delay < config->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (gint64) config->backoff_max_ms);
  return delay / 2 + g_random_int_range (0, (gint32) MAX (1, delay / 2 + 1));
}

/* A request failed as a whole: one request at a time, after the backoff, until one succeeds. */
static void
failed (TpSyncRun *run)
{
  run->streak++;
  run->window = 1;
  run->gate = MAX (run->gate, tp_sync_mono_ms () + backoff_ms (run->config, run->streak));
}

/* A request got through: as many in the air as the CRM's limits and the latency call for. */
static void
succeeded (TpSyncRun *run)
{
  run->streak = 0;
  /* Without a limit told, one more for each answer: twice as many each round trip, as TCP
   * finds a network's capacity, until a 429 says where the limit is. */
  if (run->adapter->no_rate_limit || tp_sync_limiter_knows (run->limiter))
    run->window = run->max_in_flight;
  else
    run->window = MIN (run->window + 1, run->max_in_flight);
}

/* The CRM asked for a wait: no request goes before it, in this run or the next. */
static void
crm_wait (TpSyncRun *run,
          gint64     wait_ms)
{
  run->crm_wait = MAX (run->crm_wait, tp_sync_now_ms () + wait_ms);
  tp_sync_limiter_pause (run->limiter, tp_sync_mono_ms () + wait_ms);
}

static void
set_stop (TpSyncRun  *run,
          gboolean    unreachable,
          const char *reason)
{
  run->stop = TRUE;
  if (unreachable)
    run->summary->unreachable = TRUE;
  g_free (run->summary->stop_reason);
  run->summary->stop_reason = tp_sync_redact (reason, run->secret);
}

/* When records refused "for now" go again: all of them at once, so that they fill batches. */
static gint64
retry_time (TpSyncRun *run)
{
  gint64 now = tp_sync_now_ms ();

  if (run->retry_at <= now)
    run->retry_at = now + backoff_ms (run->config, MAX (1, run->streak));
  return run->retry_at;
}

gboolean
tp_sync_run_apply (TpSyncRun        *run,
                   TpOutboxBatch    *batch,
                   TpSyncItemResult *items,
                   gboolean          in_transaction,
                   gboolean          preview,
                   GError          **error)
{
  guint n = batch->items->len;
  g_autofree TpOutboxResult *results = g_new0 (TpOutboxResult, n);
  g_autofree char **messages = g_new0 (char *, n);
  gint64 now = tp_sync_now_ms ();
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
          out->message = messages[i] = tp_sync_redact (r->message, run->secret);
          break;
        case TP_SYNC_ITEM_RETRY:
          out->state = TP_DELIVERY_RETRY;
          out->message = messages[i] = tp_sync_redact (r->message, run->secret);
          out->retry_at = preview ? now : retry_time (run);
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
              out->retry_at = preview ? now : retry_time (run);
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
    }
  return ok;
}

/* The whole batch failed in a way that says nothing per record. keep_key: the CRM may have it,
 * so the same batch goes again under the same key. */
static gboolean
release (TpSyncRun        *run,
         TpOutboxBatch    *batch,
         TpSyncItemResult *items,
         const char       *message,
         gint64            retry_at,
         gboolean          keep_key,
         GError          **error)
{
  guint n = batch->items->len;
  g_autofree TpOutboxResult *results = g_new0 (TpOutboxResult, n);
  g_autofree char *redacted = tp_sync_redact (message, run->secret);
  gint64 now = tp_sync_now_ms ();

  message = redacted;
  for (guint i = 0; i < n; i++)
    {
      gboolean deferred = items[i].outcome == TP_SYNC_ITEM_DEFER;

      results[i].outbox_id = ((TpOutboxItem *) batch->items->pdata[i])->outbox_id;
      results[i].state = TP_DELIVERY_RETRY;
      results[i].message = deferred ? NULL : message;
      results[i].retry_at = deferred ? now : retry_at;
      results[i].keep_key = keep_key && !deferred;
    }
  if (message)
    {
      g_free (run->summary->last_error);
      run->summary->last_error = g_strdup (message);
    }
  return tp_store_outbox_apply (run->store, batch->target, batch->key, results, n, now, TRUE, error);
}

gboolean
tp_sync_run_unclaim (TpSyncRun    *run,
                     TpSyncFlight *f,
                     GError      **error)
{
  if (f->batch->resend)
    {
      guint n = f->batch->items->len;
      g_autofree TpOutboxResult *results = g_new0 (TpOutboxResult, n);

      for (guint i = 0; i < n; i++)
        {
          results[i].outbox_id = ((TpOutboxItem *) f->batch->items->pdata[i])->outbox_id;
          results[i].state = TP_DELIVERY_RETRY;
          results[i].retry_at = tp_sync_now_ms ();
          results[i].keep_key = TRUE;
        }
      return tp_store_outbox_apply (run->store, f->batch->target, f->batch->key, results, n, tp_sync_now_ms (),
                                    FALSE, error);
    }
  for (guint i = 0; i < f->batch->items->len; i++)
    tp_sync_item_result_set (&f->items[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
  return tp_sync_run_apply (run, f->batch, f->items, FALSE, FALSE, error);
}

/* Whether the answer carries per-record results for the adapter to read. */
static gboolean
answers_per_record (TpSyncFlight *f,
                    long          status)
{
  return (status >= 200 && status < 300) || (status == 404 && f->batch->kind == TP_OUTBOX_DELETE);
}

/* The transfer did not bring an answer. */
static gboolean
no_answer (TpSyncRun      *run,
           TpSyncFlight   *f,
           TpSyncTransfer *t,
           GError        **error)
{
  g_autofree char *message = NULL;
  gint64 now = tp_sync_now_ms ();
  gboolean ok;

  switch (t->error->code)
    {
    case TP_SYNC_ERROR_CANCELLED:
      run->stop = TRUE;
      return release (run, f->batch, f->items, "cancelled", now, TRUE, error);
    case TP_SYNC_ERROR_TLS:
      message = g_strdup_printf ("the CRM's certificate could not be verified: %s", t->error->message);
      set_stop (run, TRUE, message);
      return release (run, f->batch, f->items, message, now, TRUE, error);
    case TP_SYNC_ERROR_UNREACHABLE:
      message = g_strdup_printf ("could not reach the CRM: %s", t->error->message);
      ok = release (run, f->batch, f->items, message, now, TRUE, error);
      run->last_failed_to_connect = TRUE;
      failed (run);
      if (++run->unreachable_in_row >= MAX_UNREACHABLE)
        set_stop (run, TRUE, message);
      return ok;
    default:
      /* Timeout, reset, cut answer: the CRM may have stored the batch. */
      message = g_strdup_printf ("no complete answer from the CRM: %s", t->error->message);
      run->last_failed_to_connect = FALSE;
      failed (run);
      return release (run, f->batch, f->items, message, now, TRUE, error);
    }
}

/* A 429: the CRM's rate limit. Every request waits as long as the CRM says (Retry-After), else
 * for its window (X-HubSpot-RateLimit-Interval-Milliseconds), else for the backoff. */
static gboolean
rate_limited (TpSyncRun      *run,
              TpSyncFlight   *f,
              TpSyncTransfer *t,
              GError        **error)
{
  TpSyncResponse *response = &t->response;
  g_autofree char *reason = run->adapter->reason (response->status, response->body);
  gint64 wait = response->retry_after_ms;

  if (wait < 0 && response->limit_interval_ms > 0)
    wait = MIN (response->limit_interval_ms, 60 * 1000);
  if (wait < 0)
    wait = backoff_ms (run->config, run->streak + 1);
  g_debug ("HTTP 429: no request for %" G_GINT64_FORMAT " ms", wait);
  tp_sync_limiter_refused (run->limiter, response, f->started_ms, tp_sync_mono_ms (), wait);
  crm_wait (run, wait);
  run->window = 1;
  return release (run, f->batch, f->items, reason, tp_sync_now_ms () + wait, TRUE, error);
}

/* Any other answer that refuses the whole request. */
static gboolean
refused (TpSyncRun    *run,
         TpSyncFlight *f,
         long          status,
         GBytes       *body,
         GError      **error)
{
  g_autofree char *reason = run->adapter->reason (status, body);
  gint64 now = tp_sync_now_ms ();
  gboolean ok;

  if (status == 401 || status == 403)
    {
      g_autofree char *message = g_strdup_printf ("the CRM refused the token (%s); check the token file", reason);

      /* Nothing is wrong with the records, and waiting will not help: no backoff. */
      set_stop (run, TRUE, message);
      return release (run, f->batch, f->items, reason, now, TRUE, error);
    }
  /* With several records, one bad record may be the cause: halve the batches until it stands
   * alone, so that it never blocks the rest. */
  if (f->sent > 1)
    {
      g_debug ("HTTP %ld for %u records: splitting the batch", status, f->sent);
      run->cap = MAX (1, f->sent / 2);
      return release (run, f->batch, f->items, reason, now, FALSE, error);
    }
  /* A rejection is for good. Until a record has gone through in this run, a refusal of the
   * whole request may be about the request (a wrong address, a mapped property missing in
   * the CRM) rather than this record: keep it for later, and stop when it keeps happening. */
  if (!run->proven)
    {
      ok = release (run, f->batch, f->items, reason, now, FALSE, error);
      failed (run);
      if (++run->refused_unproven >= MAX_REFUSED_UNPROVEN)
        {
          g_autofree char *message =
            g_strdup_printf ("the CRM refused every request and took no record (%s); check the address, the "
                             "settings and that the mapped properties exist in the CRM; no record was rejected",
                             reason);

          set_stop (run, TRUE, message);
        }
      return ok;
    }
  for (guint i = 0; i < f->batch->items->len; i++)
    if (f->items[i].outcome != TP_SYNC_ITEM_DEFER)
      tp_sync_item_result_set (&f->items[i], TP_SYNC_ITEM_REJECTED, NULL, reason);
  return tp_sync_run_apply (run, f->batch, f->items, TRUE, FALSE, error);
}

gboolean
tp_sync_run_conclude (TpSyncRun      *run,
                      TpSyncFlight   *f,
                      TpSyncTransfer *t,
                      GError        **error)
{
  TpSyncResponse *response = &t->response;
  g_autofree char *limit_sentence = NULL;
  gint64 resume_ms = 0;
  gboolean used_up;
  gboolean ok = TRUE;
  gint64 t0 = cpu_us ();
  long status;

  /* libcurl's own resends reached the CRM too. A request that never left counts as one. */
  run->summary->requests += MAX (1, t->sends);
  run->answered = TRUE;
  tp_sync_limiter_finish (run->limiter, t->ok ? response : NULL, f->started_ms, tp_sync_mono_ms ());
  if (!t->ok)
    {
      ok = no_answer (run, f, t, error);
      goto out;
    }
  run->latency_ms = run->latency_ms > 0 ? 0.8 * run->latency_ms + 0.2 * (t->finished_us - t->started_us) / 1000.0
                                        : (t->finished_us - t->started_us) / 1000.0;
  run->unreachable_in_row = 0;
  run->last_failed_to_connect = FALSE;
  status = response->status;
  used_up = run->adapter->used_up && run->adapter->used_up (run->config, response, &limit_sentence, &resume_ms);

  if (status == 429 && !used_up)
    {
      ok = rate_limited (run, f, t, error);
      goto out;
    }
  if (run->adapter->requests_left)
    {
      gint64 left = run->adapter->requests_left (run->config, response);

      if (left >= 0)
        tp_sync_limiter_budget (run->limiter, left, f->started_ms);
    }
  if (used_up && !answers_per_record (f, status))
    {
      /* Refused for the daily limit: nothing of it was stored. */
      ok = release (run, f->batch, f->items, limit_sentence, resume_ms ? resume_ms : tp_sync_now_ms (), TRUE, error);
    }
  else if (answers_per_record (f, status))
    {
      g_autoptr(GError) parse_error = NULL;
      gint64 t1 = cpu_us ();
      gboolean parsed = run->adapter->parse (run->config, f->batch, status, response->body, f->items, &parse_error);

      run->us_decode += cpu_us () - t1;
      if (!parsed)
        {
          g_autofree char *message = g_strdup_printf ("unreadable answer (HTTP %ld): %s", status, parse_error->message);

          /* It may have been stored: the same batch goes again, under the same key. */
          failed (run);
          ok = release (run, f->batch, f->items, message, tp_sync_now_ms (), TRUE, error);
        }
      else
        {
          gint64 before = run->done;

          ok = tp_sync_run_apply (run, f->batch, f->items, TRUE, FALSE, error);
          run->cap = MIN (run->cap * 2, run->max_batch);
          /* A request in which no record got anywhere failed, whatever its status. */
          if (run->done > before || f->sent == 0)
            succeeded (run);
          else
            failed (run);
        }
    }
  else if (status == 423 || status == 408 || status >= 500)
    {
      g_autofree char *reason = run->adapter->reason (status, response->body);

      failed (run);
      if (response->retry_after_ms >= 0)
        crm_wait (run, response->retry_after_ms);
      ok = release (run, f->batch, f->items, reason, tp_sync_now_ms () + MAX (0, response->retry_after_ms), TRUE,
                    error);
    }
  else
    ok = refused (run, f, status, response->body, error);

  if (used_up)
    {
      /* Every request from now on would be refused: stop, and keep what is left for later. */
      set_stop (run, FALSE, limit_sentence);
      run->summary->limited = TRUE;
      if (resume_ms)
        run->crm_wait = MAX (run->crm_wait, resume_ms);
    }

out:
  run->us_apply += cpu_us () - t0;
  return ok;
}
