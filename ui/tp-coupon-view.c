/* tp-coupon-view.c: the coupon a visitor gets the moment their registration is stored. */
#define G_LOG_DOMAIN "tp-coupon-view"

#include <glib/gi18n.h>

#include "tp-coupon-view.h"
#include "tp-ui.h"

#include "tp-coupon.h"
#include "tp-i18n.h"

struct _TpCouponView
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *title_label;
  GtkLabel      *description_label;
  GtkPicture    *qr_picture;
  GtkLabel      *code_label;
  GtkLabel      *expiry_label;
  GtkLabel      *event_label;
  GtkButton     *print_button;
  GtkLabel      *print_status;

  TpQrPaintable *qr;
  TpEvent       *event;
  char          *locale;
  char          *code;
  char          *offer_id;
  char          *expires_at;
  char          *printer;     /* Staff's choice; NULL: no printing. */
  TpReceiptWidth width;
  gboolean       printable;   /* A coupon is shown, with its offer and expiry. */
  gboolean       printing;
  gboolean       printed;     /* One printed coupon a visitor. */
};

G_DEFINE_FINAL_TYPE (TpCouponView, tp_coupon_view, GTK_TYPE_WIDGET)

enum
{
  PRINTING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_print (TpCouponView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), self->printer != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "coupon.print",
                                 self->printer && self->printable && !self->printing && !self->printed);
}

static void
show_print_status (TpCouponView *self,
                   const char   *text)
{
  gtk_label_set_label (self->print_status, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->print_status), text != NULL);
  /* Under the button, at the foot of a tall coupon: the page scrolls to it. */
  if (text)
    tp_ui_scroll_into_view (GTK_WIDGET (self->print_button), GTK_WIDGET (self->print_status));
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  /* First: whoever shows the coupon may give the visitor time to take the printout. */
  g_signal_emit (widget, signals[PRINTING], 0);
  tp_coupon_view_print (TP_COUPON_VIEW (widget));
}

static void
scale_factor_changed_cb (TpCouponView *self)
{
  tp_qr_paintable_set_scale_factor (self->qr, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static void
tp_coupon_view_dispose (GObject *object)
{
  TpCouponView *self = TP_COUPON_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_COUPON_VIEW);
  g_clear_object (&self->qr);
  g_clear_pointer (&self->event, tp_event_unref);
  G_OBJECT_CLASS (tp_coupon_view_parent_class)->dispose (object);
}

static void
tp_coupon_view_finalize (GObject *object)
{
  TpCouponView *self = TP_COUPON_VIEW (object);

  g_free (self->locale);
  g_free (self->code);
  g_free (self->offer_id);
  g_free (self->expires_at);
  g_free (self->printer);
  G_OBJECT_CLASS (tp_coupon_view_parent_class)->finalize (object);
}

static void
tp_coupon_view_class_init (TpCouponViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_coupon_view_dispose;
  object_class->finalize = tp_coupon_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-coupon-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, box);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, title_label);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, description_label);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, code_label);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, event_label);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, print_button);
  gtk_widget_class_bind_template_child (widget_class, TpCouponView, print_status);
  gtk_widget_class_install_action (widget_class, "coupon.print", NULL, print_activated);

  /* The visitor asked to print: the coupon is about to be sent to the printer. */
  signals[PRINTING] = g_signal_new ("printing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "couponview");
}

static void
tp_coupon_view_init (TpCouponView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->qr = tp_qr_paintable_new ();
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (self->qr));
  scale_factor_changed_cb (self);
  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), self);
  self->width = TP_RECEIPT_80MM;
  update_print (self);
}

GtkWidget *
tp_coupon_view_new (void)
{
  return g_object_new (TP_TYPE_COUPON_VIEW, NULL);
}

void
tp_coupon_view_clear (TpCouponView *self)
{
  g_return_if_fail (TP_IS_COUPON_VIEW (self));

  g_clear_object (&self->qr);
  self->qr = tp_qr_paintable_new ();
  scale_factor_changed_cb (self);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (self->qr));
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->locale, g_free);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->offer_id, g_free);
  g_clear_pointer (&self->expires_at, g_free);
  gtk_label_set_label (self->title_label, "");
  gtk_label_set_label (self->description_label, "");
  gtk_label_set_label (self->code_label, "");
  gtk_label_set_label (self->expiry_label, "");
  gtk_label_set_label (self->event_label, "");
  self->printable = FALSE;
  self->printed = FALSE;
  show_print_status (self, NULL);
  update_print (self);
}

void
tp_coupon_view_set_coupon (TpCouponView *self,
                           TpEvent      *event,
                           const char   *locale,
                           const char   *code,
                           const char   *offer_id,
                           const char   *expires_at_iso)
{
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *code_lines = NULL;
  const TpOffer *offer;

  g_return_if_fail (TP_IS_COUPON_VIEW (self));
  g_return_if_fail (event != NULL && locale != NULL && code != NULL);
  g_return_if_fail (offer_id != NULL && expires_at_iso != NULL);

  tp_coupon_view_clear (self);
  self->event = tp_event_ref (event);
  self->locale = g_strdup (locale);
  self->code = g_strdup (code);
  self->offer_id = g_strdup (offer_id);
  self->expires_at = g_strdup (expires_at_iso);

  offer = tp_event_get_offer (event, offer_id);
  if (offer)
    {
      const char *description = offer->description ? tp_text_get (offer->description, locale) : NULL;

      gtk_label_set_label (self->title_label, tp_text_get (offer->title, locale));
      gtk_label_set_label (self->description_label, description ? description : "");
    }
  else
    g_warning ("The coupon's offer is not in event %s", event->id);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          *gtk_label_get_label (self->description_label) != '\0');

  payload = tp_coupon_payload (event, code);
  /* The store only issues codes that fit; a failure here is a programming error. */
  if (!tp_qr_paintable_set_text (self->qr, payload, &error))
    g_warning ("Cannot draw the coupon's QR code: %s", error->message);
  code_lines = tp_coupon_format_lines (code);
  gtk_label_set_label (self->code_label, code_lines);

  expires_at = g_date_time_new_from_iso8601 (expires_at_iso, NULL);
  if (expires_at)
    expiry = tp_coupon_describe_expiry (event, expires_at);
  else
    g_warning ("The coupon's expiry is not ISO 8601");
  gtk_label_set_label (self->expiry_label, expiry ? expiry : "");
  gtk_label_set_label (self->event_label, tp_text_get (event->name, locale));
  /* Set here rather than in the template: the kiosk changes language between visitors. */
  gtk_button_set_label (self->print_button, _("Print"));
  /* A coupon that cannot be laid out is not offered for printing. */
  self->printable = offer != NULL && expires_at != NULL;
  update_print (self);
}

void
tp_coupon_view_set_printer (TpCouponView   *self,
                            const char     *printer,
                            TpReceiptWidth  width)
{
  g_return_if_fail (TP_IS_COUPON_VIEW (self));

  g_free (self->printer);
  self->printer = printer && *printer ? g_strdup (printer) : NULL;
  self->width = width;
  update_print (self);
}

const char *
tp_coupon_view_get_code (TpCouponView *self)
{
  g_return_val_if_fail (TP_IS_COUPON_VIEW (self), NULL);

  return self->code;
}

TpQrPaintable *
tp_coupon_view_get_qr (TpCouponView *self)
{
  g_return_val_if_fail (TP_IS_COUPON_VIEW (self), NULL);

  return self->qr;
}

static void
printed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(TpCouponView) self = data;
  g_autoptr(GError) error = NULL;
  gboolean printed = tp_coupon_printer_print_finish (TP_COUPON_PRINTER (source), result, &error);

  self->printing = FALSE;
  if (self->print_status == NULL)
    return;  /* The visit ended meanwhile. */
  if (printed)
    {
      self->printed = TRUE;
      show_print_status (self, _("Printed. Please take your coupon from the printer."));
    }
  else
    {
      /* The message names the printer and what failed, never the coupon's code. */
      g_warning ("%s", error->message);
      show_print_status (self, _("The coupon could not be printed. Please show it on this screen at the counter, or "
                                 "take a photo of it."));
    }
  update_print (self);
}

void
tp_coupon_view_print (TpCouponView *self)
{
  g_autoptr(TpCouponPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TP_IS_COUPON_VIEW (self));

  if (!self->printable || self->printer == NULL || self->printing || self->printed)
    return;
  printer = tp_coupon_printer_new (self->event, self->locale, self->code, self->offer_id,
                                   self->expires_at, &error);
  if (printer == NULL)
    {
      g_warning ("Cannot print the coupon: %s", error->message);
      return;
    }
  tp_coupon_printer_set_width (printer, self->width);
  self->printing = TRUE;
  show_print_status (self, _("Printing…"));
  update_print (self);
  tp_coupon_printer_print_async (printer, self->printer, printed_cb, g_object_ref (self));
}
