/* tp-coupon-printer.h: prints a coupon (QR, code, offer, expiry, event) on a receipt roll or to PDF. */
#pragma once

#include <gtk/gtk.h>

#include "tp-event.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_COUPON_PRINTER_ERROR (tp_coupon_printer_error_quark ())
GQuark tp_coupon_printer_error_quark (void);

typedef enum
{
  TP_COUPON_PRINTER_ERROR_INVALID,  /* The coupon cannot be printed (bad expiry, unknown offer, ...). */
  TP_COUPON_PRINTER_ERROR_FAILED,   /* The print system failed. */
} TpCouponPrinterError;

/* Receipt rolls: 58 mm and 80 mm wide. */
typedef enum
{
  TP_RECEIPT_58MM = 58,
  TP_RECEIPT_80MM = 80,
} TpReceiptWidth;

#define TP_TYPE_COUPON_PRINTER (tp_coupon_printer_get_type ())
G_DECLARE_FINAL_TYPE (TpCouponPrinter, tp_coupon_printer, TP, COUPON_PRINTER, GObject)

/* expires_at_iso as stored (ISO 8601); texts in locale. NULL with error when the coupon
 * cannot be printed. */
TpCouponPrinter *tp_coupon_printer_new             (TpEvent         *event,
                                                    const char      *locale,
                                                    const char      *code,
                                                    const char      *offer_id,
                                                    const char      *expires_at_iso,
                                                    GError         **error);
void             tp_coupon_printer_set_width       (TpCouponPrinter *self,
                                                    TpReceiptWidth   width);
TpReceiptWidth   tp_coupon_printer_get_width       (TpCouponPrinter *self);
/* The page set-up: the roll's width, and a length that fits the coupon. */
GtkPageSetup    *tp_coupon_printer_get_page_setup  (TpCouponPrinter *self);
/* The print settings every job starts from (NULL: none), before the printer is set: an output
 * file for "Print to File", a printer's own options. */
void              tp_coupon_printer_set_default_settings (GtkPrintSettings *settings);
GtkPrintSettings *tp_coupon_printer_get_default_settings (void);
/* Prints one copy on the printer named (as GTK lists it), without any dialog: at the booth
 * nobody chooses a printer or a paper. Does not block; an unknown or failing printer is an
 * error. */
void             tp_coupon_printer_print_async     (TpCouponPrinter     *self,
                                                    const char          *printer,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean         tp_coupon_printer_print_finish    (TpCouponPrinter     *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* Writes the coupon to a PDF file without a dialog (tests, "save as PDF"). */
gboolean         tp_coupon_printer_export_pdf      (TpCouponPrinter *self,
                                                    const char      *path,
                                                    GError         **error);

/* The printer staff chose on the staff page and the roll in it, kept in the store's settings
 * ("print.printer", "print.roll"): NULL (and 80 mm) when none was chosen, and then the kiosk
 * offers no Print button. */
char            *tp_coupon_printer_get_configured  (TpStore         *store,
                                                    TpReceiptWidth  *width,
                                                    GError         **error);
/* printer NULL: none. */
gboolean         tp_coupon_printer_set_configured  (TpStore         *store,
                                                    const char      *printer,
                                                    TpReceiptWidth   width,
                                                    GError         **error);

G_END_DECLS
