/* tp-qr-paintable.h: a QR code as a GdkPaintable, drawn crisp at any size, black on white. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TP_QR_ERROR (tp_qr_error_quark ())
GQuark tp_qr_error_quark (void);

typedef enum
{
  TP_QR_ERROR_TOO_LONG,  /* The text does not fit in the largest QR code. */
  TP_QR_ERROR_FAILED,    /* libqrencode failed for another reason (out of memory, ...). */
} TpQrError;

/* Modules of white around the symbol; the QR specification asks for four. */
#define TP_QR_QUIET_ZONE 4

#define TP_TYPE_QR_PAINTABLE (tp_qr_paintable_get_type ())
G_DECLARE_FINAL_TYPE (TpQrPaintable, tp_qr_paintable, TP, QR_PAINTABLE, GObject)

/* An empty paintable (it draws nothing until it has a text). It has no intrinsic size: it
 * draws the largest crisp square that fits the area it is given, centred. */
TpQrPaintable *tp_qr_paintable_new              (void);
/* Encodes text (UTF-8) with error correction level M. On failure the old symbol stays. */
gboolean       tp_qr_paintable_set_text         (TpQrPaintable *self,
                                                 const char    *text,
                                                 GError       **error);
const char    *tp_qr_paintable_get_text         (TpQrPaintable *self);
/* Modules across, quiet zone included; 0 when empty. */
int            tp_qr_paintable_get_size         (TpQrPaintable *self);
/* Whether the module at (x, y), quiet zone included, is dark. */
gboolean       tp_qr_paintable_get_module       (TpQrPaintable *self,
                                                 int            x,
                                                 int            y);
/* Device pixels per logical pixel where it is drawn (the widget's scale factor), so that every
 * module edge falls on a whole device pixel. 1 by default. */
void           tp_qr_paintable_set_scale_factor (TpQrPaintable *self,
                                                 int            scale_factor);
/* The side, in logical pixels, that the symbol actually covers when asked to draw in a
 * width × height box: a whole number of device pixels per module. */
double         tp_qr_paintable_get_drawn_size   (TpQrPaintable *self,
                                                 double         width,
                                                 double         height);

G_END_DECLS
