/* tp-coupon.h: signed, typeable coupon codes that any kiosk holding the event's key verifies offline. */
#pragma once

#include <glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

#define TP_COUPON_ERROR (tp_coupon_error_quark ())
GQuark tp_coupon_error_quark (void);

typedef enum
{
  TP_COUPON_ERROR_INVALID,   /* Not a code, altered, forged, or for another event/key. */
  TP_COUPON_ERROR_NO_OFFER,  /* The offer is not in the event (or past its 256th offer). */
  TP_COUPON_ERROR_OUT_OF_RANGE, /* Sequence number or expiry too large for a code (or the clock is wrong). */
} TpCouponError;

typedef struct
{
  char      *code;          /* Canonical form: Crockford base32, groups of four joined by '-'. */
  char      *offer;         /* Offer id. */
  guint      kiosk_number;  /* 1..65535 */
  guint64    seq;           /* The kiosk's sequence number of the lead. */
  GDateTime *expires_at;    /* UTC */
} TpCoupon;

void      tp_coupon_free        (TpCoupon   *coupon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpCoupon, tp_coupon_free)

/* Computes the expiry of offer issued at issued_at, then encodes and signs the code with the
 * event's key. valid_hours: issued_at + N hours of real time. valid_days: through the end of
 * the issue day and N more days by the event's clock (event->tz), that is until the first
 * instant of day issue + N + 1 there. The expiry is rounded up to a whole minute. */
TpCoupon *tp_coupon_issue       (TpEvent    *event,
                                 const char *offer_id,
                                 guint       kiosk_number,
                                 guint64     seq,
                                 GDateTime  *issued_at,
                                 GError    **error);
/* Reads a typed or scanned code (lower case, O for 0, I/L for 1, hyphens, dashes or blanks
 * anywhere or nowhere, full-width characters, or a coupon URL) and checks its tag against the
 * event's key, id and offers. Does not look at expiry or redemption (see tp-store-coupon.h). */
TpCoupon *tp_coupon_verify      (TpEvent    *event,
                                 const char *typed,
                                 GError    **error);
/* The canonical form of a typed code, or NULL when it cannot be one. */
char     *tp_coupon_normalize   (const char *typed);
/* What the QR code holds: the code, or the event's URL template filled with it. */
char     *tp_coupon_payload     (TpEvent    *event,
                                 const char *code);
/* The expiry as a visitor reads it, by the event's clock, in the current message language:
 * "Valid through 18 Dec 2026" when it ends at midnight, else "Valid until 18 Dec 2026, 19:30". */
char     *tp_coupon_describe_expiry (TpEvent   *event,
                                 GDateTime  *expires_at);
/* The code in two lines of four groups, for a screen or a narrow receipt. */
char     *tp_coupon_format_lines (const char *code);
/* Formats a UTC time as ISO 8601 with "Z". */
char     *tp_format_utc         (GDateTime  *time);

G_END_DECLS
