/* tp-ui.c: registers the UI resources and the kiosk's style sheet. */
#define G_LOG_DOMAIN "tp-ui"

#include "tp-ui.h"
#include "tp-ui-resources.h"

void
tp_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      /* A static library drops the resource's constructor: register it by hand. */
      g_resources_register (tp_ui_get_resource ());
      gtk_css_provider_load_from_resource (css, "/io/github/touchpoint/Kiosk/ui/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&initialized, 1);
    }
}
