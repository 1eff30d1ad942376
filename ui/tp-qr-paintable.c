/* tp-qr-paintable.c: draws a QR code (libqrencode, level M) one rectangle per module, snapped to
 * whole device pixels so that scanners see sharp edges, always black on white: a QR code in
 * the dark theme's colours (light on dark) is refused by many phone scanners. */
#define G_LOG_DOMAIN "tp-qr-paintable"

#include "tp-qr-paintable.h"

#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

G_DEFINE_QUARK (tp-qr-error-quark, tp_qr_error)

struct _TpQrPaintable
{
  GObject  parent_instance;
  char    *text;
  guint8  *modules;       /* size × size, 1 = dark, quiet zone included. */
  int      size;
  int      scale_factor;
};

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_SCALE_FACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void tp_qr_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TpQrPaintable, tp_qr_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, tp_qr_paintable_iface_init))

double
tp_qr_paintable_get_drawn_size (TpQrPaintable *self,
                                double         width,
                                double         height)
{
  double side_device;
  int module_device;

  g_return_val_if_fail (TP_IS_QR_PAINTABLE (self), 0);

  if (self->size == 0)
    return 0;
  side_device = floor (MIN (width, height) * self->scale_factor);
  /* Never less than one device pixel a module: smaller would blur into grey. */
  module_device = MAX (1, (int) side_device / self->size);
  return (double) module_device * self->size / self->scale_factor;
}

static void
tp_qr_paintable_snapshot (GdkPaintable *paintable,
                          GdkSnapshot  *snapshot,
                          double        width,
                          double        height)
{
  TpQrPaintable *self = TP_QR_PAINTABLE (paintable);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA black = { 0, 0, 0, 1 };
  double side, module, x0, y0;
  int scale = self->scale_factor;

  if (self->size == 0)
    return;
  side = tp_qr_paintable_get_drawn_size (self, width, height);
  module = side / self->size;
  /* Centred, with the corner on a device pixel too. */
  x0 = floor ((width - side) / 2 * scale) / scale;
  y0 = floor ((height - side) / 2 * scale) / scale;

  gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &white, &GRAPHENE_RECT_INIT (x0, y0, side, side));
  for (int y = 0; y < self->size; y++)
    for (int x = 0; x < self->size; x++)
      if (self->modules[y * self->size + x])
        gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &black,
                                   &GRAPHENE_RECT_INIT (x0 + x * module, y0 + y * module, module, module));
}

static void
tp_qr_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = tp_qr_paintable_snapshot;
  /* No intrinsic size or aspect ratio: the symbol fills the square that fits whatever it is
   * given, and a GtkPicture showing it takes the size its container asks for, instead of
   * growing with the width of the page (height-for-width of a square). */
}

static void
tp_qr_paintable_finalize (GObject *object)
{
  TpQrPaintable *self = TP_QR_PAINTABLE (object);

  g_free (self->text);
  g_free (self->modules);
  G_OBJECT_CLASS (tp_qr_paintable_parent_class)->finalize (object);
}

static void
tp_qr_paintable_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TpQrPaintable *self = TP_QR_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SCALE_FACTOR:
      g_value_set_int (value, self->scale_factor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_qr_paintable_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TpQrPaintable *self = TP_QR_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_SCALE_FACTOR:
      tp_qr_paintable_set_scale_factor (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_qr_paintable_class_init (TpQrPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tp_qr_paintable_finalize;
  object_class->get_property = tp_qr_paintable_get_property;
  object_class->set_property = tp_qr_paintable_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_FACTOR] =
    g_param_spec_int ("scale-factor", NULL, NULL, 1, 16, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_qr_paintable_init (TpQrPaintable *self)
{
  self->scale_factor = 1;
}

TpQrPaintable *
tp_qr_paintable_new (void)
{
  return g_object_new (TP_TYPE_QR_PAINTABLE, NULL);
}

gboolean
tp_qr_paintable_set_text (TpQrPaintable  *self,
                          const char     *text,
                          GError        **error)
{
  g_autoptr(QRcode) qr = NULL;
  int size;
  guint8 *modules;

  g_return_val_if_fail (TP_IS_QR_PAINTABLE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_strcmp0 (self->text, text) == 0)
    return TRUE;
  errno = 0;
  /* Version 0: the smallest that fits. Case-sensitive: URLs must survive as typed, and a code
   * in capitals still goes into the compact alphanumeric mode. */
  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      int saved = errno;

      if (saved == ERANGE)
        g_set_error (error, TP_QR_ERROR, TP_QR_ERROR_TOO_LONG,
                     "The text (%zu bytes) is too long for a QR code", strlen (text));
      else
        g_set_error (error, TP_QR_ERROR, TP_QR_ERROR_FAILED, "Cannot make a QR code: %s",
                     g_strerror (saved ? saved : ENOMEM));
      return FALSE;
    }

  size = qr->width + 2 * TP_QR_QUIET_ZONE;
  modules = g_malloc0 ((gsize) size * size);
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      /* Bit 0 of each byte is the colour; the others say what the module is for. */
      modules[(y + TP_QR_QUIET_ZONE) * size + x + TP_QR_QUIET_ZONE] = qr->data[y * qr->width + x] & 1;

  g_free (self->modules);
  self->modules = modules;
  g_free (self->text);
  self->text = g_strdup (text);
  if (size != self->size)
    {
      self->size = size;
      gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
    }
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  return TRUE;
}

const char *
tp_qr_paintable_get_text (TpQrPaintable *self)
{
  g_return_val_if_fail (TP_IS_QR_PAINTABLE (self), NULL);

  return self->text;
}

int
tp_qr_paintable_get_size (TpQrPaintable *self)
{
  g_return_val_if_fail (TP_IS_QR_PAINTABLE (self), 0);

  return self->size;
}

gboolean
tp_qr_paintable_get_module (TpQrPaintable *self,
                            int            x,
                            int            y)
{
  g_return_val_if_fail (TP_IS_QR_PAINTABLE (self), FALSE);
  g_return_val_if_fail (x >= 0 && x < self->size && y >= 0 && y < self->size, FALSE);

  return self->modules[y * self->size + x];
}

void
tp_qr_paintable_set_scale_factor (TpQrPaintable *self,
                                  int            scale_factor)
{
  g_return_if_fail (TP_IS_QR_PAINTABLE (self));
  g_return_if_fail (scale_factor >= 1);

  if (self->scale_factor == scale_factor)
    return;
  self->scale_factor = scale_factor;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_FACTOR]);
}
