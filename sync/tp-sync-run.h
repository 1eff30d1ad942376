/* tp-sync-run.h: what one run of the syncer keeps while it goes (private to sync/). */
#pragma once

#include "tp-store-outbox.h"
#include "tp-sync-http.h"
#include "tp-sync-limiter.h"
#include "tp-syncer.h"

G_BEGIN_DECLS

typedef struct _TpSyncRun TpSyncRun;

/* Called when records have been finished, to report progress. */
typedef void (*TpSyncRunReport) (TpSyncRun *run,
                                 gpointer   data);

struct _TpSyncRun
{
  TpSyncConfig        *config;
  const TpSyncAdapter *adapter;
  TpStore             *store;
  char                *secret;
  char                *authorization;
  GCancellable        *cancellable;
  TpSyncSummary       *summary;
  TpSyncLimiter       *limiter;
  TpSyncRunReport      report;
  gpointer             report_data;

  guint                cap;              /* Current batch size: halved to isolate a bad record. */
  guint                max_batch;
  guint                max_in_flight;    /* sync.json's bound on requests in the air. */
  guint                window;           /* Requests that may be in the air now: one to start
                                          * with and after a failure, more as answers come. */
  guint                streak;           /* Failed requests in a row: the backoff's exponent. */
  gint64               gate;             /* Monotonic ms: the backoff; no request before it. */
  gint64               retry_at;         /* Unix ms: when records refused "for now" go again. */
  gint64               crm_wait;         /* Unix ms: the CRM asked not to be sent to before. */
  double               latency_ms;       /* Measured, smoothed. */
  gboolean             answered;         /* Some answer came: the first request went alone. */
  guint                unreachable_in_row;
  gboolean             proven;           /* A record went through: the requests are right. */
  guint                refused_unproven;
  gboolean             last_failed_to_connect;
  gboolean             stop;
  gint64               done;
  gint64               us_claim;         /* Where the time goes (CPU), for the debug log. */
  gint64               us_encode;
  gint64               us_decode;
  gint64               us_apply;
};

/* One claimed batch: its request, and when it went. */
typedef struct
{
  TpOutboxBatch    *batch;
  TpSyncItemResult *items;
  TpSyncRequest    *request;
  GPtrArray        *headers;
  guint             sent;        /* Items in the request (the others are deferred). */
  gint64            started_ms;  /* Monotonic. */
} TpSyncFlight;

void          tp_sync_flight_free   (TpSyncFlight *flight);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncFlight, tp_sync_flight_free)

gint64        tp_sync_now_ms        (void);    /* Unix ms */
gint64        tp_sync_mono_ms       (void);    /* Monotonic ms */

/* tp-sync-run.c */
gboolean      tp_sync_run_open      (TpSyncRun     *run,
                                     TpStore       *store,
                                     TpSyncConfig  *config,
                                     gboolean       need_token,
                                     GError       **error);
void          tp_sync_run_clear     (TpSyncRun     *run);
/* Sends until nothing is left, the CRM stops the run, or waiting would take too long. */
gboolean      tp_sync_run_execute   (TpSyncRun     *run,
                                     GError       **error);
gboolean      tp_sync_run_preview   (TpSyncRun     *run,
                                     TpSyncPreviewFunc func,
                                     gpointer       user_data,
                                     GError       **error);
/* Adds the request's headers, and the webhook's signature, to out (NULL-terminated). */
const char * const *tp_sync_run_headers (TpSyncRun     *run,
                                         TpSyncRequest *request,
                                         GPtrArray     *out);

/* tp-sync-answer.c: what an answer does to the records of its batch and to the run. */
/* Records per-record outcomes in the store (in the caller's transaction when in_transaction;
 * in a preview, nothing is counted). */
gboolean      tp_sync_run_apply     (TpSyncRun        *run,
                                     TpOutboxBatch    *batch,
                                     TpSyncItemResult *items,
                                     gboolean          in_transaction,
                                     gboolean          preview,
                                     GError          **error);
/* Reads the outcome of a flight's transfer and records it, in the caller's transaction. */
gboolean      tp_sync_run_conclude  (TpSyncRun        *run,
                                     TpSyncFlight     *flight,
                                     TpSyncTransfer   *transfer,
                                     GError          **error);
/* Puts a claimed batch that was never sent back; keeps its key if it was sent before. */
gboolean      tp_sync_run_unclaim   (TpSyncRun        *run,
                                     TpSyncFlight     *flight,
                                     GError          **error);

G_END_DECLS
