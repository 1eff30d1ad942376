/* tp-still-there.c: the "still there?" prompt with the countdown before a visitor's reset. */
#define G_LOG_DOMAIN "tp-still-there"

#include <glib/gi18n.h>

#include "tp-still-there.h"

struct _TpStillThere
{
  AdwBin     parent_instance;
  GtkLabel  *countdown_label;
  GtkButton *here_button;
};

G_DEFINE_FINAL_TYPE (TpStillThere, tp_still_there, ADW_TYPE_BIN)

void
tp_still_there_set_seconds (TpStillThere *self,
                            guint         seconds)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TP_IS_STILL_THERE (self));

  text = g_strdup_printf (dngettext (GETTEXT_PACKAGE,
                                     "To keep your details private, the kiosk starts over in %u second.",
                                     "To keep your details private, the kiosk starts over in %u seconds.",
                                     seconds),
                          seconds);
  gtk_label_set_label (self->countdown_label, text);
}

static void
tp_still_there_map (GtkWidget *widget)
{
  TpStillThere *self = TP_STILL_THERE (widget);

  GTK_WIDGET_CLASS (tp_still_there_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->here_button));
}

static void
tp_still_there_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_STILL_THERE);
  G_OBJECT_CLASS (tp_still_there_parent_class)->dispose (object);
}

static void
tp_still_there_class_init (TpStillThereClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_still_there_dispose;
  widget_class->map = tp_still_there_map;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-still-there.ui");
  gtk_widget_class_bind_template_child (widget_class, TpStillThere, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TpStillThere, here_button);
}

static void
tp_still_there_init (TpStillThere *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpStillThere *
tp_still_there_new (void)
{
  return g_object_new (TP_TYPE_STILL_THERE, NULL);
}
