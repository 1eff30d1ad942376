/* tp-store-outbox.h: delivery of the outbox to each CRM target: claims, results, per-lead state. */
#pragma once

#include "tp-store-leads.h"

G_BEGIN_DECLS

/* One outbox row's state for one target (docs/sync.md draws the transitions). */
typedef enum
{
  TP_DELIVERY_PENDING,
  TP_DELIVERY_IN_FLIGHT,
  TP_DELIVERY_SYNCED,
  TP_DELIVERY_RETRY,
  TP_DELIVERY_REJECTED,
} TpDeliveryState;

#define TP_DELIVERY_N_STATES 5

const char *tp_delivery_state_to_string (TpDeliveryState state);

typedef enum
{
  TP_OUTBOX_UPSERT,
  TP_OUTBOX_DELETE,
} TpOutboxKind;

typedef struct
{
  gint64        outbox_id;
  TpOutboxKind  kind;
  char         *lead_id;     /* The lead's UUID. */
  int           attempts;    /* Sends so far, this one included. */
  char         *remote_id;   /* Deletes: the CRM's id from this lead's synced upsert, if known. */
  TpLeadRecord *record;      /* Upserts: the lead as stored now. NULL for deletes. */
} TpOutboxItem;

typedef struct
{
  char         *target;
  char         *key;         /* The idempotency key: the same for every resend of this batch. */
  TpOutboxKind  kind;
  gboolean      resend;      /* Sent before under this key (a stopped run, or a lost answer). */
  GPtrArray    *items;       /* TpOutboxItem, oldest first */
} TpOutboxBatch;

void           tp_outbox_batch_free           (TpOutboxBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpOutboxBatch, tp_outbox_batch_free)

/* Makes target known (idempotent): every outbox row, old and new, gets a delivery row for it. */
gboolean       tp_store_outbox_add_target     (TpStore      *self,
                                               const char   *target,
                                               gboolean      in_transaction,
                                               GError      **error);

/* Rows left in flight by a run that stopped (killed, crashed) may have reached the CRM: they
 * become due again, keeping their key. Only while no run is sending (the sync lock). */
gboolean       tp_store_outbox_recover        (TpStore      *self,
                                               const char   *target,
                                               gint64        now_ms,
                                               gboolean      in_transaction,
                                               GError      **error);

/* Claims the next batch for target and marks it in flight, in one transaction. A batch that
 * was sent before and may have reached the CRM (recovered after a stopped run, or whose
 * answer was lost) comes first, whole and under its old key; otherwise up to max_upserts or
 * max_deletes rows that are pending or due for a retry, of one kind, oldest first, under a
 * new key. Upserts of erased leads are rejected on the way. now_ms is Unix time in
 * milliseconds. Returns NULL without error when nothing is due.
 *
 * With in_transaction, the caller holds a transaction (tp_store_outbox_begin): to record one
 * batch's results and claim the next in one commit, or to preview what a run would send in a
 * transaction that is rolled back. */
TpOutboxBatch *tp_store_outbox_claim          (TpStore      *self,
                                               const char   *target,
                                               guint         max_upserts,
                                               guint         max_deletes,
                                               gint64        now_ms,
                                               gboolean      in_transaction,
                                               GError      **error);
gboolean       tp_store_outbox_begin          (TpStore      *self,
                                               GError      **error);
gboolean       tp_store_outbox_commit         (TpStore      *self,
                                               GError      **error);
void           tp_store_outbox_rollback       (TpStore      *self);

typedef struct
{
  gint64           outbox_id;
  TpDeliveryState  state;      /* SYNCED, RETRY or REJECTED. */
  const char      *remote_id;  /* SYNCED: the CRM's record id (may be NULL for deletions). */
  const char      *message;    /* RETRY: the error; REJECTED: the CRM's reason. */
  gint64           retry_at;   /* RETRY: when to try again, Unix ms. */
  gboolean         keep_key;   /* RETRY: the CRM may have it: resend the same batch, same key. */
} TpOutboxResult;

/* Records the results of one batch in one transaction. Only rows still in flight under key
 * change, so a late answer can never undo what happened since. With in_transaction, inside
 * the caller's transaction. */
gboolean       tp_store_outbox_apply          (TpStore              *self,
                                               const char           *target,
                                               const char           *key,
                                               const TpOutboxResult *results,
                                               guint                 n_results,
                                               gint64                now_ms,
                                               gboolean              in_transaction,
                                               GError              **error);

/* Unix ms ↔ the store's UTC ISO 8601 timestamps. */
char          *tp_store_format_ms             (gint64        ms);
gint64         tp_store_parse_ms              (const char   *timestamp);

G_END_DECLS

/* Reading the delivery states back, declared apart; sync finds it here too. */
#include "tp-store-outbox-status.h"
