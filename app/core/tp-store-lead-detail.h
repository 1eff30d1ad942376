/* tp-store-lead-detail.h: everything about one lead for the console's detail view: its record,
 * every consent decision, its coupon and redemption, and its delivery to each CRM target. */
#pragma once

#include <gio/gio.h>

#include "tp-store-outbox.h"

G_BEGIN_DECLS

/* One outbox row of the lead and its state at one CRM target. */
typedef struct
{
  TpOutboxKind     kind;
  char            *target;       /* NULL before any target was synced to (the row waits). */
  TpDeliveryState  state;
  int              attempts;
  char            *remote_id;    /* The CRM's id for the record, once it has one. */
  char            *last_error;   /* Why the CRM refused it, or why it waits for a retry. */
  char            *updated_at;   /* UTC ISO 8601 */
} TpLeadDelivery;

typedef struct
{
  TpLeadRecord *record;          /* Fields, answers, tags, offer, coupon code and expiry. */
  char         *segment;         /* The segment that chose the offer; NULL if none did. */
  GPtrArray    *consents;        /* TpConsentRecord: every decision, oldest first. */
  char         *coupon_issued_at;
  char         *redeemed_at;     /* UTC ISO 8601; NULL unless the coupon was redeemed here. */
  char         *redeemed_by;     /* The redeeming kiosk's id (tp_store_describe_kiosk names it). */
  GPtrArray    *deliveries;      /* TpLeadDelivery, by outbox row, then target. */
} TpLeadDetail;

void          tp_lead_detail_free           (TpLeadDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLeadDetail, tp_lead_detail_free)

/* TP_STORE_ERROR_NOT_FOUND when no lead has the id. */
TpLeadDetail *tp_store_get_lead_detail      (TpStore             *self,
                                             const char          *lead_id,
                                             GError             **error);
/* The same on the store's thread; the callback runs in the caller's thread-default context. */
void          tp_store_get_lead_detail_async  (TpStore             *self,
                                               const char          *lead_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TpLeadDetail *tp_store_get_lead_detail_finish (TpStore             *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
