/* tp-ui.c: registers the UI resources and the kiosk's style sheet; Korean line breaking. */
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

/* ---- Korean line breaking --------------------------------------------------------------- */

PangoAttrList *
tp_ui_keep_words_attributes (const char *text)
{
  PangoAttrList *list = pango_attr_list_new ();
  const char *p = text;

  g_return_val_if_fail (text != NULL, list);

  while (*p)
    {
      const char *start;
      gboolean hangul = FALSE;

      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
        {
          hangul |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
          p = g_utf8_next_char (p);
        }
      /* A word too long for the line stays whole too: the label asks for its width. */
      if (hangul)
        {
          PangoAttribute *keep = pango_attr_allow_breaks_new (FALSE);

          keep->start_index = start - text;
          keep->end_index = p - text;
          pango_attr_list_insert (list, keep);
        }
    }
  return list;
}

#define BASE_ATTRIBUTES "tp-keep-words-base"

static void
update_label (GtkLabel *label)
{
  PangoAttrList *base = g_object_get_data (G_OBJECT (label), BASE_ATTRIBUTES);
  g_autoptr(PangoAttrList) keep = tp_ui_keep_words_attributes (gtk_label_get_text (label));
  g_autoptr(PangoAttrList) list = base ? pango_attr_list_copy (base) : pango_attr_list_new ();

  pango_attr_list_splice (list, keep, 0, 0);
  gtk_label_set_attributes (label, list);
}

void
tp_ui_label_keep_words (GtkLabel *label)
{
  PangoAttrList *base;

  g_return_if_fail (GTK_IS_LABEL (label));

  if (g_object_get_data (G_OBJECT (label), "tp-keep-words"))
    return;
  g_object_set_data (G_OBJECT (label), "tp-keep-words", GINT_TO_POINTER (TRUE));
  base = gtk_label_get_attributes (label);
  if (base)
    g_object_set_data_full (G_OBJECT (label), BASE_ATTRIBUTES, pango_attr_list_ref (base),
                            (GDestroyNotify) pango_attr_list_unref);
  g_signal_connect (label, "notify::label", G_CALLBACK (update_label), NULL);
  update_label (label);
}

void
tp_ui_keep_words (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_LABEL (root))
    tp_ui_label_keep_words (GTK_LABEL (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    tp_ui_keep_words (child);
}

/* ---- Scrolling a message into view ------------------------------------------------------ */

/* Room left above and below, so that what is shown does not touch the edge. */
#define SCROLL_MARGIN 24

typedef struct
{
  GtkWidget *top;
  GtkWidget *bottom;
  guint      frames;
} Reveal;

static void
reveal_free (Reveal *reveal)
{
  g_object_unref (reveal->top);
  g_object_unref (reveal->bottom);
  g_free (reveal);
}

static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Reveal *reveal = data;
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (scroller);
  graphene_rect_t top, bottom;
  double value, page, start, end;

  /* A frame's ticks come before its layout: the widgets just shown have their place on the
   * next one. */
  if (++reveal->frames < 2)
    return G_SOURCE_CONTINUE;
  if (GTK_IS_VIEWPORT (content) && gtk_viewport_get_child (GTK_VIEWPORT (content)))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (!gtk_widget_compute_bounds (reveal->top, content, &top) ||
      !gtk_widget_compute_bounds (reveal->bottom, content, &bottom))
    return G_SOURCE_REMOVE;

  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  start = top.origin.y - SCROLL_MARGIN;
  end = bottom.origin.y + bottom.size.height + SCROLL_MARGIN;
  /* The end (the message) is what was hidden: it wins when both cannot fit. */
  if (end > value + page)
    value = end - page;
  if (start < value && end - start <= page)
    value = start;
  gtk_adjustment_set_value (adjustment, value);
  return G_SOURCE_REMOVE;
}

void
tp_ui_scroll_into_view (GtkWidget *top,
                        GtkWidget *bottom)
{
  GtkWidget *scroller;
  Reveal *reveal;

  g_return_if_fail (GTK_IS_WIDGET (top));
  g_return_if_fail (bottom == NULL || GTK_IS_WIDGET (bottom));

  scroller = gtk_widget_get_ancestor (top, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL)
    return;
  reveal = g_new0 (Reveal, 1);
  reveal->top = g_object_ref (top);
  reveal->bottom = g_object_ref (bottom ? bottom : top);
  gtk_widget_add_tick_callback (scroller, reveal_tick_cb, reveal, (GDestroyNotify) reveal_free);
}
