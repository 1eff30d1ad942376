/* tp-kiosk-window.c: the kiosk window; for now the welcome screen of the event. */
#define G_LOG_DOMAIN "tp-kiosk-window"

#include "tp-kiosk-window.h"

#include "app/tp-i18n.h"

struct _TpKioskWindow
{
  AdwApplicationWindow  parent_instance;
  TpEvent              *event;
  TpStore              *store;
  GtkLabel             *title_label;
};

G_DEFINE_FINAL_TYPE (TpKioskWindow, tp_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
tp_kiosk_window_dispose (GObject *object)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_KIOSK_WINDOW);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_kiosk_window_parent_class)->dispose (object);
}

static void
tp_kiosk_window_class_init (TpKioskWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_kiosk_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, title_label);
}

static void
tp_kiosk_window_init (TpKioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpKioskWindow *
tp_kiosk_window_new (GtkApplication *app,
                     TpEvent        *event,
                     TpStore        *store)
{
  TpKioskWindow *self = g_object_new (TP_TYPE_KIOSK_WINDOW, "application", app, NULL);

  self->event = tp_event_ref (event);
  self->store = g_object_ref (store);
  gtk_label_set_label (self->title_label, tp_text_get (event->name, event->default_locale));
  return self;
}
