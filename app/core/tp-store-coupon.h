/* tp-store-coupon.h: redeeming coupon codes, once, at any kiosk of the event, offline. */
#pragma once

#include "tp-coupon.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_REDEEM_ERROR (tp_redeem_error_quark ())
GQuark tp_redeem_error_quark (void);

typedef enum
{
  TP_REDEEM_ERROR_INVALID,           /* Not a code of this event: mistyped, altered or forged. */
  TP_REDEEM_ERROR_EXPIRED,           /* Signed, but past its expiry (the message says when). */
  TP_REDEEM_ERROR_ALREADY_REDEEMED,  /* Redeemed before (the message says when and where;
                                      * tp_store_get_redemption gives the record). */
} TpRedeemError;

/* A coupon and, once redeemed, when and where. */
typedef struct
{
  char      *code;            /* Canonical form. */
  char      *offer;           /* Offer id. */
  guint      issuing_kiosk;   /* The number of the kiosk that issued it. */
  guint64    seq;             /* That kiosk's sequence number of the lead. */
  GDateTime *expires_at;      /* UTC */
  GDateTime *redeemed_at;     /* UTC; NULL when not redeemed. */
  char      *redeemed_by;     /* The redeeming kiosk's id (UUID); NULL when not redeemed. */
} TpRedemption;

void          tp_redemption_free       (TpRedemption *redemption);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpRedemption, tp_redemption_free)

/* Verifies a typed or scanned code with the event's key and redeems it: recorded once, with
 * the time and this kiosk, in one BEGIN IMMEDIATE transaction, so that of two processes
 * redeeming one code exactly one succeeds. Codes issued by any kiosk of the event are
 * accepted. now may be NULL for the current time. Errors: TP_REDEEM_ERROR (refusals, with a
 * sentence for the staff) or TP_STORE_ERROR (storage; nothing recorded). */
TpRedemption *tp_store_redeem          (TpStore      *self,
                                        TpEvent      *event,
                                        const char   *typed_code,
                                        GDateTime    *now,
                                        GError      **error);
/* What tp_store_redeem would answer, without redeeming: the coupon, or the same refusal. */
TpRedemption *tp_store_check_coupon    (TpStore      *self,
                                        TpEvent      *event,
                                        const char   *typed_code,
                                        GDateTime    *now,
                                        GError      **error);
/* The redemption of a code (canonical form) recorded here; TP_STORE_ERROR_NOT_FOUND if none. */
TpRedemption *tp_store_get_redemption  (TpStore      *self,
                                        TpEvent      *event,
                                        const char   *code,
                                        GError      **error);
/* "this kiosk (number 4821)" or "kiosk <id>": where a redemption happened, for people.
 * Refusals and this are in the current message language (tp_i18n_set_language). */
char         *tp_store_describe_kiosk  (TpStore      *self,
                                        const char   *kiosk_id);

G_END_DECLS
