/* kiosk-test-util.c: driving the kiosk's widgets from tests under Xvfb. */
#include "kiosk-test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tp-i18n.h"
#include "tp-pin.h"
#include "ui/tp-ui.h"
#include "ui/tp-visit-view.h"

static GTestDBus *test_bus;

void
kiosk_test_init (int    *argc,
                 char ***argv)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  /* The catalogue is bound and the language set before anything is translated. */
  tp_i18n_init ();
  tp_i18n_set_language ("ko");
  g_test_init (argc, argv, NULL);
  /* A private session bus: Xvfb brings none, and GTK warns (fatally, in a test) without one.
   * GTestDBus unsets DISPLAY against X11 autolaunching; Xvfb's display is wanted here. */
  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
  if (display)
    g_setenv ("DISPLAY", display, TRUE);
  /* GTK's test accessibility backend: no bus needed, and the names can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  tp_ui_choose_renderer ();
  gtk_init ();
  adw_init ();
  tp_ui_init ();
  /* Screenshots in the default light style unless a test asks for dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
kiosk_test_run (void)
{
  int status = g_test_run ();

  /* GTK keeps its bus connection to the end, and unreffing the GTestDBus would wait for it
   * to go: stop the daemon and let the process end. */
  g_test_dbus_stop (test_bus);
  return status;
}

GtkWidget *
kiosk_test_find (GtkWidget  *root,
                 const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_test_find (child, name);

      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
kiosk_test_get (GtkWidget  *root,
                const char *name)
{
  GtkWidget *widget = kiosk_test_find (root, name);

  if (widget == NULL)
    g_error ("No widget named \"%s\" under %s", name, G_OBJECT_TYPE_NAME (root));
  return widget;
}

GtkWidget *
kiosk_test_find_type (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_test_find_type (child, type);

      if (found)
        return found;
    }
  return NULL;
}

void
kiosk_test_spin (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
kiosk_test_wait (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
kiosk_test_wait_until (gboolean (*done) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (source);
  return done (data);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

void
kiosk_test_wait_for_frame (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
  /* Two frames: the first may still be laying out or animating the page change. */
  for (int i = 0; i < 2; i++)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
      gboolean painted = FALSE;
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

      gtk_widget_queue_draw (widget);
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, id);
    }
}

void
kiosk_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "ui", "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int w, h;

  /* Let slides and fades end before the picture. */
  kiosk_test_wait (260);
  kiosk_test_wait_for_frame (widget);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static double
luminance (const guint8 *bgra)
{
  double channel[3];

  for (int i = 0; i < 3; i++)
    {
      double c = bgra[2 - i] / 255.0;

      channel[i] = c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

static double
contrast (double a,
          double b)
{
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}

double
kiosk_test_text_contrast (GtkWidget *widget)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autofree guint8 *pixels = NULL;
  graphene_rect_t bounds;
  GtkSnapshot *snapshot;
  guint32 background = 0;
  guint most = 0;
  double best = 1, back;
  int w, h, x0, y0, x1, y1;
  gsize stride;

  kiosk_test_wait_for_frame (widget);
  w = gtk_widget_get_width (root);
  h = gtk_widget_get_height (root);
  paintable = gtk_widget_paintable_new (root);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (root)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  stride = (gsize) w * 4;
  pixels = g_malloc (stride * h);
  gdk_texture_download (texture, pixels, stride);

  g_assert_true (gtk_widget_compute_bounds (widget, root, &bounds));
  x0 = CLAMP ((int) ceil (bounds.origin.x), 0, w);
  y0 = CLAMP ((int) ceil (bounds.origin.y), 0, h);
  x1 = CLAMP ((int) floor (bounds.origin.x + bounds.size.width), 0, w);
  y1 = CLAMP ((int) floor (bounds.origin.y + bounds.size.height), 0, h);
  g_assert_cmpint (x1, >, x0);
  g_assert_cmpint (y1, >, y0);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 colour;
        guint n;

        memcpy (&colour, pixels + y * stride + x * 4, 4);
        n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (colour))) + 1;
        g_hash_table_insert (counts, GUINT_TO_POINTER (colour), GUINT_TO_POINTER (n));
        if (n > most)
          {
            most = n;
            background = colour;
          }
      }
  back = luminance ((guint8 *) &background);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      best = MAX (best, contrast (luminance (pixels + y * stride + x * 4), back));
  return best;
}

guint
kiosk_test_assert_tab_stops (GtkWindow *window,
                             guint      n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        {
          /* The end of the chain: Tab wraps around to the start, as the window does. */
          gtk_root_set_focus (GTK_ROOT (window), NULL);
          gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
        }
      kiosk_test_spin ();
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == NULL)
        continue;
      if (GTK_IS_FLOW_BOX_CHILD (focus) || GTK_IS_FLOW_BOX (focus) || GTK_IS_BOX (focus) || GTK_IS_LABEL (focus))
        g_error ("Tab stops on a %s (\"%s\"), which does nothing", G_OBJECT_TYPE_NAME (focus),
                 gtk_widget_get_name (focus));
      g_hash_table_add (seen, focus);
    }
  return g_hash_table_size (seen);
}

void
kiosk_test_type (GtkWidget  *root,
                 const char *name,
                 const char *text)
{
  GtkWidget *entry = kiosk_test_get (root, name);

  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  kiosk_test_spin ();
}

/* A lead is stored on the store's thread: the visit view under widget's window, taken before
 * an action that may destroy widget, to wait on as a visitor waits for the reward. */
static TpVisitView *
visit_of (GtkWidget *widget)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  GtkWidget *visit = TP_IS_VISIT_VIEW (widget) ? widget : root ? kiosk_test_find_type (root, TP_TYPE_VISIT_VIEW) : NULL;

  return visit ? g_object_ref (TP_VISIT_VIEW (visit)) : NULL;
}

static void
wait_for_storing (TpVisitView *visit)
{
  while (visit && tp_visit_view_is_storing (visit))
    g_main_context_iteration (NULL, TRUE);
  kiosk_test_spin ();
  g_clear_object (&visit);
}

gboolean
kiosk_test_label_shows (GtkWidget *label)
{
  g_assert_true (GTK_IS_LABEL (label));
  return gtk_widget_get_visible (label) && *gtk_label_get_label (GTK_LABEL (label)) != '\0';
}

void
kiosk_test_click (GtkWidget  *root,
                  const char *name)
{
  GtkWidget *widget = kiosk_test_get (root, name);
  TpVisitView *visit = visit_of (widget);

  if (GTK_IS_CHECK_BUTTON (widget))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), !gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)));
  else if (GTK_IS_TOGGLE_BUTTON (widget))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget), TRUE);
  else
    g_signal_emit_by_name (widget, "clicked");
  kiosk_test_spin ();
  wait_for_storing (visit);
}

void
kiosk_test_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  TpVisitView *visit = visit_of (widget);

  g_assert_true (gtk_widget_activate_action_variant (widget, action, parameter));
  kiosk_test_spin ();
  wait_for_storing (visit);
}

GtkWidget *
kiosk_test_page (TpKioskWindow *window)
{
  return tp_visit_view_get_page (tp_kiosk_window_get_visit (window));
}

const char *
kiosk_test_page_name (TpKioskWindow *window)
{
  return tp_visit_view_get_page_name (tp_kiosk_window_get_visit (window));
}

static void
collect_texts (GtkWidget *root,
               GPtrArray *texts,
               gboolean   shown_only)
{
  if (shown_only && !gtk_widget_get_mapped (root))
    return;
  if (GTK_IS_LABEL (root))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_label (GTK_LABEL (root))));
  else if (GTK_IS_EDITABLE (root))
    g_ptr_array_add (texts, g_strdup (gtk_editable_get_text (GTK_EDITABLE (root))));
  else if (GTK_IS_TEXT_VIEW (root))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (root));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      g_ptr_array_add (texts, gtk_text_buffer_get_text (buffer, &start, &end, TRUE));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts, shown_only);
}

void
kiosk_test_collect_texts (GtkWidget *root,
                          GPtrArray *texts)
{
  collect_texts (root, texts, FALSE);
}

void
kiosk_test_collect_shown_texts (GtkWidget *root,
                                GPtrArray *texts)
{
  collect_texts (root, texts, TRUE);
}

static void
open_window (KioskFixture *f)
{
  f->window = tp_kiosk_window_new (NULL, f->event, f->store);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
}

void
kiosk_fixture_set_up (KioskFixture *f,
                      const char   *pin)
{
  g_autoptr(GError) error = NULL;

  tp_i18n_set_language ("ko");
  f->dir = tp_test_mkdtemp ();
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  f->event = tp_event_new_demo ();
  if (pin)
    {
      g_assert_true (tp_pin_set (f->store, pin, &error));
      g_assert_no_error (error);
    }
  open_window (f);
}

void
kiosk_fixture_reopen (KioskFixture *f)
{
  if (f->window)
    {
      tp_kiosk_window_set_locked_down (f->window, FALSE);
      gtk_window_destroy (GTK_WINDOW (f->window));
    }
  kiosk_test_spin ();
  g_assert_null (f->window);
  open_window (f);
}

void
kiosk_fixture_tear_down (KioskFixture *f)
{
  if (f->window)
    {
      tp_kiosk_window_set_locked_down (f->window, FALSE);
      gtk_window_destroy (GTK_WINDOW (f->window));
    }
  kiosk_test_spin ();
  g_clear_pointer (&f->event, tp_event_unref);
  g_clear_object (&f->store);
  tp_test_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

/* ---- Walking a visitor through the demo event ------------------------------------------ */

GtkWidget *
kiosk_test_visit (KioskFixture *f)
{
  return GTK_WIDGET (tp_kiosk_window_get_visit (f->window));
}

void
kiosk_test_assert_page (KioskFixture *f,
                        const char   *name)
{
  g_assert_cmpstr (kiosk_test_page_name (f->window), ==, name);
}

void
kiosk_test_shot (KioskFixture *f,
                 const char   *name)
{
  if (name)
    kiosk_test_screenshot (GTK_WIDGET (f->window), name);
}

void
kiosk_test_fill_consent (KioskFixture *f,
                         gboolean      marketing)
{
  GtkWidget *page = kiosk_test_page (f->window);

  kiosk_test_click (page, "consent-privacy-check");
  if (marketing)
    kiosk_test_click (page, "consent-marketing-check");
  kiosk_test_click (page, "age-check");
}

void
kiosk_test_fill_details (KioskFixture *f)
{
  GtkWidget *page = kiosk_test_page (f->window);

  kiosk_test_type (page, "field-name", KIOSK_TEST_NAME);
  kiosk_test_type (page, "field-email", KIOSK_TEST_EMAIL);
  kiosk_test_type (page, "field-phone", KIOSK_TEST_PHONE);
  kiosk_test_type (page, "field-company", KIOSK_TEST_COMPANY);
}

/* Answers every question of the demo survey; shots get a prefix for screenshots. */
void
kiosk_test_answer_survey (KioskFixture *f,
                          const char   *shots)
{
  const char *steps[][3] = {
    { "option-visit_reason-gift", NULL, "survey-single" },
    { "option-interests-green", "option-interests-teaware", "survey-multi" },
    { "value-booth_rating-4", NULL, "survey-rating" },
    { "value-nps-9", NULL, "survey-nps" },
    { NULL, NULL, "survey-optional" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      GtkWidget *page = kiosk_test_page (f->window);

      kiosk_test_assert_page (f, "survey");
      for (guint j = 0; j < 2; j++)
        if (steps[i][j])
          kiosk_test_click (page, steps[i][j]);
      if (shots)
        {
          g_autofree char *name = g_strdup_printf ("%s-%s", shots, steps[i][2]);
          kiosk_test_shot (f, name);
        }
      kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
    }
  /* The last question: free text. */
  {
    GtkWidget *page = kiosk_test_page (f->window);
    GtkTextView *view = GTK_TEXT_VIEW (kiosk_test_get (page, "text-wish"));

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), KIOSK_TEST_WISH, -1);
    kiosk_test_spin ();
    if (shots)
      {
        g_autofree char *name = g_strdup_printf ("%s-survey-text", shots);
        kiosk_test_shot (f, name);
      }
  }
}

/* From the welcome page to the last survey question, ready to submit. */
void
kiosk_test_walk_to_last_question (KioskFixture *f,
                                  const char   *shots)
{
  g_autofree char *welcome = shots ? g_strdup_printf ("%s-welcome", shots) : NULL;
  g_autofree char *consent = shots ? g_strdup_printf ("%s-consent", shots) : NULL;
  g_autofree char *details = shots ? g_strdup_printf ("%s-details", shots) : NULL;

  kiosk_test_assert_page (f, "welcome");
  kiosk_test_shot (f, welcome);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_assert_page (f, "consent");
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_shot (f, consent);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "details");
  kiosk_test_fill_details (f);
  kiosk_test_shot (f, details);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_answer_survey (f, shots);
}

/* Whether all of widget is inside the visible part of the page's scrolled window. */
gboolean
kiosk_test_in_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_nonnull (scroller);
  g_assert_true (gtk_widget_compute_bounds (widget, scroller, &bounds));
  g_test_message ("%s \"%s\": %.0f to %.0f of %d", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                  bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (scroller));
  return gtk_widget_get_mapped (widget) && bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

void
kiosk_test_settle (KioskFixture *f)
{
  kiosk_test_wait (300);
  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
}
