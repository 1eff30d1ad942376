/* tp-stats.h: the counts behind `touchpoint stats` and the staff page, as a plain struct. */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-store.h"
#include "tp-store-outbox.h"

G_BEGIN_DECLS

/* How many rows have one name (a consent purpose, an offer, a tag). */
typedef struct
{
  char   *name;
  gint64  count;
} TpStatsCount;

/* The outbox's rows per delivery state for one CRM target. */
typedef struct
{
  char   *target;                          /* NULL before any target was synced to. */
  gint64  states[TP_DELIVERY_N_STATES];    /* Indexed by TpDeliveryState. */
} TpStatsDelivery;

typedef struct
{
  char      *kiosk_id;
  guint      kiosk_number;
  gint64     leads;
  GArray    *consents_granted;   /* TpStatsCount per purpose, by name: each lead's latest decision. */
  GArray    *consents_refused;   /* TpStatsCount, likewise. */
  GArray    *offers;             /* TpStatsCount per offer id, by name. */
  GArray    *tags;               /* TpStatsCount per tag, by name. */
  gint64     coupons_issued;
  gint64     coupons_redeemed;
  /* TpStatsDelivery per target, by name; never empty: before any target was synced to, one
   * without a name holds every outbox row as pending. */
  GArray    *outbox;
} TpStats;

void      tp_stats_free              (TpStats       *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpStats, tp_stats_free)

/* The count for name in an array of TpStatsCount; 0 when it is not there. */
gint64    tp_stats_count_lookup      (GArray        *counts,
                                      const char    *name);
/* Outbox rows that some target has not received yet (every state but synced, summed over the
 * targets): what the staff page shows as waiting to sync. */
gint64    tp_stats_get_unsent        (const TpStats *stats);

/* The JSON object of `touchpoint stats --json` (a contract: docs/sync.md describes "outbox"). */
JsonNode *tp_stats_to_json           (const TpStats *stats);

/* Reads every count in one go, so that they agree with each other. */
TpStats  *tp_store_get_stats         (TpStore       *self,
                                      GError       **error);
/* The same on the store's thread; the callback runs in the caller's thread-default context. */
void      tp_store_get_stats_async   (TpStore             *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
TpStats  *tp_store_get_stats_finish  (TpStore       *self,
                                      GAsyncResult  *result,
                                      GError       **error);
G_END_DECLS
