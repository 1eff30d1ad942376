/* tp-welcome-page.c: the first screen: the event's name, a start button, the language switch. */
#define G_LOG_DOMAIN "tp-welcome-page"

#include "tp-welcome-page.h"

struct _TpWelcomePage
{
  AdwBin     parent_instance;
  GtkLabel  *title_label;
  GtkBox    *language_box;
  GtkButton *start_button;
};

G_DEFINE_FINAL_TYPE (TpWelcomePage, tp_welcome_page, ADW_TYPE_BIN)

/* Each language is named in itself, so that a visitor finds theirs whatever is on screen. */
static const char *
language_autonym (const char *locale)
{
  if (g_str_equal (locale, "ko"))
    return "한국어";
  if (g_str_equal (locale, "en"))
    return "English";
  return locale;
}

static void
tp_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_WELCOME_PAGE);
  G_OBJECT_CLASS (tp_welcome_page_parent_class)->dispose (object);
}

static void
tp_welcome_page_class_init (TpWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_welcome_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpWelcomePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TpWelcomePage, language_box);
  gtk_widget_class_bind_template_child (widget_class, TpWelcomePage, start_button);
}

static void
tp_welcome_page_init (TpWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpWelcomePage *
tp_welcome_page_new (TpEvent    *event,
                     const char *locale)
{
  TpWelcomePage *self = g_object_new (TP_TYPE_WELCOME_PAGE, NULL);

  gtk_label_set_label (self->title_label, tp_text_get (event->name, locale));

  /* A switch only when the event offers more than one language. */
  if (g_strv_length (event->locales) > 1)
    for (guint i = 0; event->locales[i]; i++)
      {
        GtkWidget *button = gtk_toggle_button_new_with_label (language_autonym (event->locales[i]));
        g_autofree char *name = g_strdup_printf ("language-%s", event->locales[i]);

        gtk_widget_set_name (button, name);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "visit.language");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", event->locales[i]);
        gtk_widget_add_css_class (button, "language-button");
        gtk_box_append (self->language_box, button);
      }
  return self;
}

void
tp_welcome_page_focus (TpWelcomePage *self)
{
  g_return_if_fail (TP_IS_WELCOME_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}
