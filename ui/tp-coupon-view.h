/* tp-coupon-view.h: the visitor's reward: offer, QR code, typeable code, expiry and printing. */
#pragma once

#include <gtk/gtk.h>

#include "tp-coupon-printer.h"
#include "tp-event.h"
#include "tp-qr-paintable.h"

G_BEGIN_DECLS

#define TP_TYPE_COUPON_VIEW (tp_coupon_view_get_type ())
G_DECLARE_FINAL_TYPE (TpCouponView, tp_coupon_view, TP, COUPON_VIEW, GtkWidget)

GtkWidget     *tp_coupon_view_new           (void);
/* Shows a stored coupon: the offer's title and description in locale ("ko", "en"), the QR
 * (the code, or the event's coupon URL with it), the code, and the expiry by the event's
 * clock. expires_at_iso is ISO 8601 as `touchpoint capture` prints it. The view's own words
 * follow the current message language (tp_i18n_set_language). */
void           tp_coupon_view_set_coupon    (TpCouponView *self,
                                             TpEvent      *event,
                                             const char   *locale,
                                             const char   *code,
                                             const char   *offer_id,
                                             const char   *expires_at_iso);
/* Empties the view (nothing of the last visitor stays on screen). */
void           tp_coupon_view_clear         (TpCouponView *self);
const char    *tp_coupon_view_get_code      (TpCouponView *self);
TpQrPaintable *tp_coupon_view_get_qr        (TpCouponView *self);
/* The printer the coupon is printed on (staff's choice, tp_coupon_printer_get_configured) and
 * its roll; NULL: none, and then there is no Print button. */
void           tp_coupon_view_set_printer   (TpCouponView   *self,
                                             const char     *printer,
                                             TpReceiptWidth  width);
/* Prints the coupon once on that printer, without a dialog, and says how it went under the
 * button (the "coupon.print" action does the same). */
void           tp_coupon_view_print         (TpCouponView *self);

G_END_DECLS
