/* tp-reward-page.c: the thank-you screen with the stored coupon and a countdown to the start. */
#define G_LOG_DOMAIN "tp-reward-page"

#include <glib/gi18n.h>

#include "tp-reward-page.h"
#include "tp-coupon-view.h"

struct _TpRewardPage
{
  AdwBin     parent_instance;
  guint      seconds_left;
  guint      print_seconds;
  guint      tick_source;
  GtkWidget *coupon_view;
  GtkBox    *coupon_box;
  GtkLabel  *countdown_label;
  GtkLabel  *hint_label;
  GtkButton *done_button;
};

G_DEFINE_FINAL_TYPE (TpRewardPage, tp_reward_page, ADW_TYPE_BIN)

static void
update_countdown (TpRewardPage *self)
{
  g_autofree char *text = g_strdup_printf (dngettext (GETTEXT_PACKAGE, "Back to the start in %u second",
                                                      "Back to the start in %u seconds", self->seconds_left),
                                           self->seconds_left);

  gtk_label_set_label (self->countdown_label, text);
}

static gboolean
tick_cb (gpointer data)
{
  TpRewardPage *self = data;

  if (self->seconds_left > 0)
    self->seconds_left--;
  update_countdown (self);
  if (self->seconds_left > 0)
    return G_SOURCE_CONTINUE;
  self->tick_source = 0;
  gtk_widget_activate_action (GTK_WIDGET (self), "visit.done", NULL);
  return G_SOURCE_REMOVE;
}

guint
tp_reward_page_get_seconds_left (TpRewardPage *self)
{
  g_return_val_if_fail (TP_IS_REWARD_PAGE (self), 0);
  return self->seconds_left;
}

void
tp_reward_page_set_printer (TpRewardPage   *self,
                            const char     *printer,
                            TpReceiptWidth  width)
{
  g_return_if_fail (TP_IS_REWARD_PAGE (self));
  tp_coupon_view_set_printer (TP_COUPON_VIEW (self->coupon_view), printer, width);
  /* Printing is offered only where there is a printer. */
  gtk_label_set_label (self->hint_label,
                       printer ? _("Here is your coupon. Show it at the counter, take a photo of it, or print it.")
                               : _("Here is your coupon. Show it at the counter or take a photo of it."));
}

void
tp_reward_page_focus (TpRewardPage *self)
{
  g_return_if_fail (TP_IS_REWARD_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

/* The countdown runs while the page is on screen. */
static void
tp_reward_page_map (GtkWidget *widget)
{
  TpRewardPage *self = TP_REWARD_PAGE (widget);

  GTK_WIDGET_CLASS (tp_reward_page_parent_class)->map (widget);
  if (self->tick_source == 0 && self->seconds_left > 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

static void
tp_reward_page_unmap (GtkWidget *widget)
{
  TpRewardPage *self = TP_REWARD_PAGE (widget);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  GTK_WIDGET_CLASS (tp_reward_page_parent_class)->unmap (widget);
}

static void
tp_reward_page_dispose (GObject *object)
{
  TpRewardPage *self = TP_REWARD_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->coupon_view)
    tp_coupon_view_clear (TP_COUPON_VIEW (self->coupon_view));
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_REWARD_PAGE);
  G_OBJECT_CLASS (tp_reward_page_parent_class)->dispose (object);
}

static void
tp_reward_page_class_init (TpRewardPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_reward_page_dispose;
  widget_class->map = tp_reward_page_map;
  widget_class->unmap = tp_reward_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-reward-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpRewardPage, coupon_box);
  gtk_widget_class_bind_template_child (widget_class, TpRewardPage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TpRewardPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, TpRewardPage, hint_label);
}

static void
tp_reward_page_init (TpRewardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Waiting for the printout takes longer than reading a coupon: the countdown gets at least the
 * event's idle time again. */
static void
printing_cb (TpRewardPage *self)
{
  self->seconds_left = MAX (self->seconds_left, self->print_seconds);
  update_countdown (self);
}

TpRewardPage *
tp_reward_page_new (TpEvent    *event,
                    const char *locale,
                    TpCapture  *capture)
{
  TpRewardPage *self = g_object_new (TP_TYPE_REWARD_PAGE, NULL);

  self->coupon_view = tp_coupon_view_new ();
  gtk_widget_set_name (self->coupon_view, "coupon-view");
  tp_coupon_view_set_coupon (TP_COUPON_VIEW (self->coupon_view), event, locale, capture->coupon_code,
                             capture->offer, capture->coupon_expires_at);
  gtk_box_append (self->coupon_box, self->coupon_view);
  g_signal_connect_swapped (self->coupon_view, "printing", G_CALLBACK (printing_cb), self);
  self->seconds_left = event->coupon_seconds;
  self->print_seconds = event->idle_reset_seconds;
  update_countdown (self);
  return self;
}
