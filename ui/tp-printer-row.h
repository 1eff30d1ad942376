/* tp-printer-row.h: on the staff page, the printer coupons are printed on and its roll. */
#pragma once

#include <adwaita.h>

#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_PRINTER_ROW (tp_printer_row_get_type ())
G_DECLARE_FINAL_TYPE (TpPrinterRow, tp_printer_row, TP, PRINTER_ROW, AdwBin)

TpPrinterRow *tp_printer_row_new        (void);
/* Shows the store's choice and lists the printers GTK finds (as they are found); a choice
 * made here is saved in the store at once (tp_coupon_printer_set_configured). */
void          tp_printer_row_set_store  (TpPrinterRow *self,
                                         TpStore      *store);
/* The printers listed so far, "no printer" first as NULL. */
GPtrArray    *tp_printer_row_get_printers (TpPrinterRow *self);

G_END_DECLS
