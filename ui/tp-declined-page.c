/* tp-declined-page.c: the polite end when a visitor refuses a required consent or is too young. */
#define G_LOG_DOMAIN "tp-declined-page"

#include <glib/gi18n.h>

#include "tp-declined-page.h"

struct _TpDeclinedPage
{
  AdwBin     parent_instance;
  GtkButton *done_button;
};

G_DEFINE_FINAL_TYPE (TpDeclinedPage, tp_declined_page, ADW_TYPE_BIN)

static void
tp_declined_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_DECLINED_PAGE);
  G_OBJECT_CLASS (tp_declined_page_parent_class)->dispose (object);
}

static void
tp_declined_page_class_init (TpDeclinedPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_declined_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-declined-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpDeclinedPage, done_button);
}

static void
tp_declined_page_init (TpDeclinedPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpDeclinedPage *
tp_declined_page_new (TpEvent          *event,
                      TpDeclinedReason  reason)
{
  TpDeclinedPage *self = g_object_new (TP_TYPE_DECLINED_PAGE, NULL);
  /* The status page is the bin's own child, not a bound template child: AdwBin unparents it
   * itself on dispose. */
  AdwStatusPage *status = ADW_STATUS_PAGE (adw_bin_get_child (ADW_BIN (self)));
  g_autofree char *text = NULL;

  if (reason == TP_DECLINED_AGE)
    {
      adw_status_page_set_title (status, _("Thank you for your interest"));
      text = g_strdup_printf (_("Registration here is for visitors aged %u or older. A member of staff will "
                                "be glad to help you. Nothing has been saved."), event->min_age);
    }
  else
    {
      adw_status_page_set_title (status, _("No problem"));
      text = g_strdup (_("Without this consent we cannot register you or give you a coupon. You are welcome "
                         "to look around all the same. Nothing has been saved."));
    }
  adw_status_page_set_description (status, text);
  return self;
}

void
tp_declined_page_focus (TpDeclinedPage *self)
{
  g_return_if_fail (TP_IS_DECLINED_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}
