/* tp-ui.c: registers the UI resources and the kiosk's style sheet. */
#define G_LOG_DOMAIN "tp-ui"

#include "tp-ui.h"
#include "tp-ui-resources.h"

static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

const char *
tp_ui_choose_renderer (void)
{
  const char *chosen = g_getenv ("GSK_RENDERER");

  if (chosen && *chosen)
    return chosen;
  if (has_render_node ())
    return NULL;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_debug ("No GPU render node: drawing with GTK's cairo renderer");
  return "cairo";
}

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
