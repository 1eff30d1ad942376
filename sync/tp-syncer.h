/* tp-syncer.h: sends the outbox to one CRM target, exactly once per record, through faults. */
#pragma once

#include <gio/gio.h>

#include "tp-store.h"
#include "tp-sync-adapter.h"
#include "tp-sync-config.h"
#include "tp-sync-secret.h"

G_BEGIN_DECLS

typedef struct
{
  char *lead_id;
  char *kind;      /* "upsert" or "delete" */
  char *reason;    /* The CRM's words. */
} TpSyncRejection;

typedef struct
{
  char      *target;
  gint64     total;          /* Records to send when the run started. */
  gint64     synced;         /* Confirmed by the CRM in this run. */
  gint64     rejected;       /* Refused for good in this run (see rejections). */
  gint64     rejected_earlier; /* Refused for good in earlier runs (or erased before being sent). */
  gint64     left;           /* Still to send when the run ended (pending, to retry). */
  gint64     next_retry_ms;  /* When to run again for those (Unix ms); 0 if none. */
  gint64     requests;       /* HTTP requests sent, libcurl's own resends included. */
  double     seconds;
  GPtrArray *rejections;     /* TpSyncRejection, this run's */
  char      *last_error;     /* The last temporary failure, for the summary; NULL if none. */
  gboolean   unreachable;    /* The run stopped because the CRM could not be reached or used. */
  gboolean   limited;        /* The run stopped because the CRM's daily (or org-wide) API limit is used
                              * up, or nearly: every record not sent is kept for a later run. */
  char      *stop_reason;    /* Why, when unreachable or limited: one sentence for a person. */
} TpSyncSummary;

void tp_sync_summary_free (TpSyncSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncSummary, tp_sync_summary_free)

/* Called after each batch with the records finished (synced or rejected) in this run. */
typedef void (*TpSyncProgressFunc) (gint64   done,
                                    gint64   total,
                                    gpointer user_data);
/* Called by a preview for each request a run would send; the token is never in it. */
typedef void (*TpSyncPreviewFunc)  (const TpSyncRequest *request,
                                    const char * const  *headers,
                                    guint                n_records,
                                    gboolean             resend,
                                    gpointer             user_data);

#define TP_TYPE_SYNCER (tp_syncer_get_type ())
G_DECLARE_FINAL_TYPE (TpSyncer, tp_syncer, TP, SYNCER, GObject)

/* Sends the outbox of store (referenced) with the settings in config (taken). The syncer opens
 * no connection to the database of its own: with run_async the store is used from the sync
 * thread, and its other users must not use it at the same time unless TpStore locks. */
TpSyncer      *tp_syncer_new               (TpStore             *store,
                                            TpSyncConfig        *config);
TpSyncConfig  *tp_syncer_get_config        (TpSyncer            *self);
/* With run_async, func is called in the thread-default main context of the caller. */
void           tp_syncer_set_progress_func (TpSyncer            *self,
                                            TpSyncProgressFunc   func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);
/* Fails only for local problems (settings, token file, the store, another sync running,
 * cancelled); a CRM that cannot be reached ends the run with summary->unreachable, a used-up
 * API limit with summary->limited. */
TpSyncSummary *tp_syncer_run               (TpSyncer            *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
void           tp_syncer_run_async         (TpSyncer            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
TpSyncSummary *tp_syncer_run_finish        (TpSyncer            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Shows every request a run would send now, in order, without sending or changing anything.
 * The token file is optional here: without it the webhook signature is left out. */
gboolean       tp_syncer_preview           (TpSyncer            *self,
                                            TpSyncPreviewFunc    func,
                                            gpointer             user_data,
                                            GError             **error);

G_END_DECLS
