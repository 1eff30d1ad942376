/* tp-coupon-printer.h: prints a coupon (QR, code, offer, expiry, event) on a receipt roll or to PDF. */
#pragma once

#include <gtk/gtk.h>

#include "tp-event.h"

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
/* The settings the next print dialog starts with (printer, output file...): by default those
 * of the last coupon printed in this process, so that staff choose the printer once. */
void              tp_coupon_printer_set_default_settings (GtkPrintSettings *settings);
GtkPrintSettings *tp_coupon_printer_get_default_settings (void);
/* Shows the print dialog (receipt printer, or "Print to File" for PDF); does not block. */
void             tp_coupon_printer_run_dialog      (TpCouponPrinter *self,
                                                    GtkWindow       *parent);
/* Writes the coupon to a PDF file without a dialog (tests, "save as PDF"). */
gboolean         tp_coupon_printer_export_pdf      (TpCouponPrinter *self,
                                                    const char      *path,
                                                    GError         **error);

G_END_DECLS
