/* test-coupon-view.c: the coupon on screen and on paper really scans: TpCouponView rendered
 * under Xvfb and the printed PDF rasterised, both decoded with zbarimg to the stored code. */
#include "tests/coupon-test-util.h"

#include "tp-coupon.h"
#include "tp-i18n.h"
#include "ui/tp-coupon-printer.h"
#include "ui/tp-coupon-view.h"
#include "ui/tp-qr-paintable.h"
#include "tests/ui/kiosk-test-util.h"
#include "ui/tp-ui.h"

#include <adwaita.h>
#include <gtk/gtkunixprint.h>
#include <glib/gstdio.h>
#include <math.h>

typedef TpStoreFixture Fixture;

/* Where the pictures go, to be looked at: beside the other screenshots in the build folder. */
static char *
output_path (const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "ui", "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static char *
zbar_decode (const char *png)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", png, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = coupon_test_spawn (argv, &out, &err);

  if (status != 0)
    {
      g_test_message ("zbarimg found nothing in %s (exit %d): %s", png, status, err);
      return NULL;
    }
  g_strchomp (out);
  return g_steal_pointer (&out);
}


static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

typedef struct
{
  guint8 *data;
  int     width;
  int     height;
  gsize   stride;
} Pixels;

static void
pixels_clear (Pixels *p)
{
  g_free (p->data);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pixels, pixels_clear)

static void
download (GdkTexture *texture,
          Pixels     *p)
{
  p->width = gdk_texture_get_width (texture);
  p->height = gdk_texture_get_height (texture);
  p->stride = (gsize) p->width * 4;
  p->data = g_malloc (p->stride * p->height);
  gdk_texture_download (texture, p->data, p->stride);
}

/* Grey level of a pixel (the format is B8G8R8A8 premultiplied, opaque here). */
static int
grey_at (Pixels *p,
         int     x,
         int     y)
{
  const guint8 *px = p->data + y * p->stride + x * 4;

  return (px[0] + px[1] + px[2]) / 3;
}

/* Every pixel of the drawn symbol is pure black or pure white, and each module has the colour
 * the paintable says: the sharp edges that a scanner needs. */
static void
assert_crisp (Pixels        *p,
              TpQrPaintable *qr,
              double         left,
              double         top,
              double         width,
              double         height)
{
  int n = tp_qr_paintable_get_size (qr);
  double side = tp_qr_paintable_get_drawn_size (qr, width, height);
  int x0 = left + floor ((width - side) / 2), y0 = top + floor ((height - side) / 2);
  int module = (int) (side / n);
  guint grey = 0;

  g_assert_cmpfloat (side, ==, module * n);
  g_assert_cmpint (module, >=, 2);
  for (int y = y0; y < y0 + side; y++)
    for (int x = x0; x < x0 + side; x++)
      {
        int v = grey_at (p, x, y);
        gboolean dark = tp_qr_paintable_get_module (qr, (x - x0) / module, (y - y0) / module);

        if (v != 0 && v != 255)
          grey++;
        else if ((v == 0) != dark)
          g_error ("Pixel (%d, %d) is %s but its module is %s", x, y, v ? "white" : "black",
                   dark ? "dark" : "light");
      }
  g_assert_cmpuint (grey, ==, 0);
}

static GtkWidget *
show_coupon (TpEvent    *event,
             const char *code,
             const char *offer,
             const char *expires_at,
             GtkWindow **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = tp_coupon_view_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  gtk_window_set_child (GTK_WINDOW (window), view);
  tp_coupon_view_set_coupon (TP_COUPON_VIEW (view), event, "ko", code, offer, expires_at);
  gtk_window_present (GTK_WINDOW (window));
  kiosk_test_wait_for_frame (view);
  *window_out = GTK_WINDOW (window);
  return view;
}

static void
check_view_scans (Fixture    *f,
                  TpEvent    *event,
                  const char *png_name,
                  gboolean    dark)
{
  g_autofree char *offer = NULL, *expires_at = NULL, *png = NULL, *decoded = NULL;
  g_autofree char *code = coupon_test_capture (f->store, event, NULL, NULL, &offer, &expires_at);
  g_autofree char *payload = tp_coupon_payload (event, code);
  g_autoptr(GdkTexture) texture = NULL;
  g_auto(Pixels) pixels = { 0 };
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *view, *picture;
  graphene_rect_t bounds;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  view = show_coupon (event, code, offer, expires_at, &window);
  g_assert_cmpstr (tp_coupon_view_get_code (TP_COUPON_VIEW (view)), ==, code);
  g_assert_true (gtk_widget_is_sensitive (view));
  texture = render (GTK_WIDGET (window));
  png = output_path (png_name);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("Coupon view saved to %s", png);

  decoded = zbar_decode (png);
  g_assert_cmpstr (decoded, ==, payload);
  /* What a scanner reads is what redemption accepts, URL or not. */
  {
    g_autoptr(TpCoupon) coupon = tp_coupon_verify (event, decoded, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (coupon->code, ==, code);
  }

  /* The symbol itself: pure black on pure white, on whole pixels, in either theme. */
  download (texture, &pixels);
  picture = gtk_widget_get_first_child (gtk_widget_get_first_child (view));
  while (picture && !GTK_IS_PICTURE (picture))
    picture = gtk_widget_get_next_sibling (picture);
  g_assert_nonnull (picture);
  g_assert_true (gtk_widget_compute_bounds (picture, GTK_WIDGET (window), &bounds));
  g_test_message ("QR picture at %g,%g size %gx%g", bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
  assert_crisp (&pixels, tp_coupon_view_get_qr (TP_COUPON_VIEW (view)), bounds.origin.x, bounds.origin.y,
                bounds.size.width, bounds.size.height);
  /* The window's corner shows which theme is in force, so that "dark" really was dark. */
  if (dark)
    g_assert_cmpint (grey_at (&pixels, 2, 2), <, 80);
  else
    g_assert_cmpint (grey_at (&pixels, 2, 2), >, 180);

  gtk_window_destroy (window);
}

static void
test_view_code (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();

  check_view_scans (f, event, "coupon-view-light.png", FALSE);
}

static void
test_view_dark (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();

  check_view_scans (f, event, "coupon-view-dark.png", TRUE);
}

static void
test_view_url (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TpEvent) event = coupon_test_event (NULL, "https://maru-tea.example/c/{code}?from=kiosk");

  check_view_scans (f, event, "coupon-view-url.png", FALSE);
}

/* Odd sizes and a scale factor of 2: still no grey pixel anywhere in the symbol. */
static void
test_paintable_crisp (void)
{
  const struct { double w, h; int scale; } cases[] = {
    { 301, 301, 1 }, { 257, 190, 1 }, { 123.5, 140.25, 1 }, { 200, 200, 2 }, { 151, 149, 3 },
  };
  g_autoptr(TpQrPaintable) qr = tp_qr_paintable_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GskRenderer *renderer;

  gtk_window_present (GTK_WINDOW (window));
  kiosk_test_wait_for_frame (window);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_true (tp_qr_paintable_set_text (qr, "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ", &error));
  g_assert_no_error (error);
  /* 29 modules (version 3) and the quiet zone on both sides. */
  g_assert_cmpint (tp_qr_paintable_get_size (qr), ==, 29 + 2 * TP_QR_QUIET_ZONE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int s = cases[i].scale;
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_auto(Pixels) pixels = { 0 };
      int pw = ceil (cases[i].w * s), ph = ceil (cases[i].h * s);

      tp_qr_paintable_set_scale_factor (qr, s);
      /* Drawn as a widget with that scale factor is: logical units scaled to device pixels. */
      gtk_snapshot_scale (snapshot, s, s);
      gdk_paintable_snapshot (GDK_PAINTABLE (qr), snapshot, cases[i].w, cases[i].h);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, pw, ph));
      download (texture, &pixels);
      {
        /* In device pixels: the paintable's layout times the scale. */
        double side = tp_qr_paintable_get_drawn_size (qr, cases[i].w, cases[i].h) * s;
        int n = tp_qr_paintable_get_size (qr);
        int x0 = floor ((cases[i].w - side / s) / 2 * s), y0 = floor ((cases[i].h - side / s) / 2 * s);
        int module = (int) (side / n);
        guint grey = 0;

        g_assert_cmpfloat (module * n, ==, side);
        g_assert_cmpfloat (side, <=, MIN (cases[i].w, cases[i].h) * s);
        for (int y = y0; y < y0 + side; y++)
          for (int x = x0; x < x0 + side; x++)
            {
              int v = grey_at (&pixels, x, y);

              if (v != 0 && v != 255)
                grey++;
              else
                g_assert_cmpint (v == 0, ==, tp_qr_paintable_get_module (qr, (x - x0) / module, (y - y0) / module));
            }
        g_assert_cmpuint (grey, ==, 0);
      }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_paintable_too_long (void)
{
  g_autoptr(TpQrPaintable) qr = tp_qr_paintable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (8000, 'x');

  g_assert_true (tp_qr_paintable_set_text (qr, "HELLO", &error));
  g_assert_false (tp_qr_paintable_set_text (qr, huge, &error));
  g_assert_error (error, TP_QR_ERROR, TP_QR_ERROR_TOO_LONG);
  /* The old symbol stays. */
  g_assert_cmpstr (tp_qr_paintable_get_text (qr), ==, "HELLO");
}

static void
check_pdf_scans (Fixture        *f,
                 TpReceiptWidth  width)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autofree char *offer = NULL, *expires_at = NULL, *decoded = NULL, *info = NULL;
  g_autofree char *code = coupon_test_capture (f->store, event, NULL, NULL, &offer, &expires_at);
  g_autofree char *name = g_strdup_printf ("coupon-%dmm", width);
  g_autofree char *pdf_name = g_strconcat (name, ".pdf", NULL);
  g_autofree char *pdf = output_path (pdf_name);
  g_autofree char *prefix = output_path (name);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  g_autoptr(TpCouponPrinter) printer = NULL;
  g_autoptr(GError) error = NULL;
  const char *raster[] = { "pdftoppm", "-r", "300", "-png", "-singlefile", pdf, prefix, NULL };
  const char *pdfinfo[] = { "pdfinfo", pdf, NULL };

  printer = tp_coupon_printer_new (event, "ko", code, offer, expires_at, &error);
  g_assert_no_error (error);
  tp_coupon_printer_set_width (printer, width);
  g_unlink (pdf);
  g_assert_true (tp_coupon_printer_export_pdf (printer, pdf, &error));
  g_assert_no_error (error);

  /* One page, as wide as the roll. */
  g_assert_cmpint (coupon_test_spawn (pdfinfo, &info, NULL), ==, 0);
  g_test_message ("%s", info);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));
  {
    g_autoptr(GRegex) size = g_regex_new ("^Page size: +([0-9.]+) x ([0-9.]+) pts", G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    g_autofree char *w = NULL, *h = NULL;

    g_assert_true (g_regex_match (size, info, 0, &match));
    w = g_match_info_fetch (match, 1);
    h = g_match_info_fetch (match, 2);
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (w, NULL), width * 72.0 / 25.4, 0.01);
    /* A receipt, not a sheet: about as long as it needs. */
    g_assert_cmpfloat (g_ascii_strtod (h, NULL), <, 130 * 72.0 / 25.4);
  }

  g_assert_cmpint (coupon_test_spawn (raster, NULL, NULL), ==, 0);
  g_test_message ("Printed coupon rasterised to %s", png);
  decoded = zbar_decode (png);
  g_assert_cmpstr (decoded, ==, code);
}

static void
test_print_pdf_58 (Fixture       *f,
                   gconstpointer  data)
{
  check_pdf_scans (f, TP_RECEIPT_58MM);
}

static void
test_print_pdf_80 (Fixture       *f,
                   gconstpointer  data)
{
  check_pdf_scans (f, TP_RECEIPT_80MM);
}

static GtkWidget *
find_print_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* Not ours. */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_PRINT_UNIX_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
file_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* "Print to File", whatever it is called in the current language. */
static gboolean
find_file_printer_cb (GtkPrinter *printer,
                      gpointer    data)
{
  char **name = data;

  if (g_str_equal (G_OBJECT_TYPE_NAME (gtk_printer_get_backend (printer)), "GtkPrintBackendFile"))
    {
      *name = g_strdup (gtk_printer_get_name (printer));
      return TRUE;
    }
  return FALSE;
}

static gboolean
status_says (gpointer data)
{
  GtkWidget *status = data;

  return gtk_widget_get_visible (status) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (status)), "인쇄 중…") != 0;
}

/* Runs the main loop until done, failing the test if a print dialog opens meanwhile. */
static void
iterate_without_dialog (gboolean (*done) (gpointer),
                        gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (find_print_dialog ())
        g_error ("A print dialog opened at the kiosk");
    }
  g_assert_true (done (data));
}

/* The view's "coupon.print" action at the booth. Without a printer chosen by staff there is no
 * Print button. With one ("Print to File" here, its output a file) Print sends the coupon
 * there at once, on the roll chosen: no print dialog, no other window; once a visitor. A
 * printer that is not there says so under the button. */
static void
test_print_action (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autofree char *offer = NULL, *expires_at = NULL;
  g_autofree char *code = coupon_test_capture (f->store, event, NULL, NULL, &offer, &expires_at);
  g_autofree char *pdf = output_path ("coupon-printed-58mm.pdf");
  g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
  g_autofree char *info = NULL;
  g_autofree char *file_printer = NULL;
  g_autoptr(GtkPrintSettings) settings = gtk_print_settings_new ();
  const char *pdfinfo[] = { "pdfinfo", pdf, NULL };
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *view = tp_coupon_view_new ();
  GtkWidget *button, *status;
  GtkWindow *window;
  guint windows;

  /* Nothing to print yet. */
  g_assert_false (gtk_widget_activate_action (view, "coupon.print", NULL) && find_print_dialog ());
  g_object_ref_sink (view);
  g_object_unref (view);

  /* No printer chosen: no button, nothing happens. */
  view = show_coupon (event, code, offer, expires_at, &window);
  button = kiosk_test_get (view, "print-button");
  status = kiosk_test_get (view, "print-status");
  g_assert_false (gtk_widget_get_visible (button));
  gtk_widget_activate_action (view, "coupon.print", NULL);
  kiosk_test_wait (300);
  g_assert_null (find_print_dialog ());
  g_assert_false (gtk_widget_get_visible (status));

  g_unlink (pdf);
  gtk_enumerate_printers (find_file_printer_cb, &file_printer, NULL, TRUE);
  g_assert_nonnull (file_printer);
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf");
  gtk_print_settings_set (settings, GTK_PRINT_SETTINGS_OUTPUT_URI, uri);
  tp_coupon_printer_set_default_settings (settings);
  tp_coupon_view_set_printer (TP_COUPON_VIEW (view), file_printer, TP_RECEIPT_58MM);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  windows = g_list_model_get_n_items (toplevels);
  g_assert_true (gtk_widget_activate_action (view, "coupon.print", NULL));
  iterate_without_dialog (file_written, pdf);
  iterate_without_dialog (status_says, status);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, windows);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, "인쇄했습니다. 프린터에서 쿠폰을 가져가세요.");
  kiosk_test_screenshot (view, "coupon-printed");
  /* One coupon a visitor: Print is done. */
  g_assert_false (gtk_widget_is_sensitive (button));

  g_assert_cmpint (coupon_test_spawn (pdfinfo, &info, NULL), ==, 0);
  g_test_message ("%s", info);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Page size: +164\\.4[0-9]* x ", info, G_REGEX_MULTILINE, 0));
  {
    g_autofree char *prefix = output_path ("coupon-printed-58mm");
    g_autofree char *png = g_strconcat (prefix, ".png", NULL);
    g_autofree char *decoded = NULL;
    const char *raster[] = { "pdftoppm", "-r", "300", "-png", "-singlefile", pdf, prefix, NULL };

    g_assert_cmpint (coupon_test_spawn (raster, NULL, NULL), ==, 0);
    decoded = zbar_decode (png);
    g_assert_cmpstr (decoded, ==, code);
  }

  /* A printer that has gone: a message for the visitor, a warning for staff, Print again. */
  tp_coupon_view_set_coupon (TP_COUPON_VIEW (view), event, "ko", code, offer, expires_at);
  tp_coupon_view_set_printer (TP_COUPON_VIEW (view), "Touchpoint Test Printer That Is Not There", TP_RECEIPT_80MM);
  g_assert_false (gtk_widget_get_visible (status));
  g_test_expect_message ("tp-coupon-view", G_LOG_LEVEL_WARNING, "*could not be printed on Touchpoint Test Printer*");
  g_assert_true (gtk_widget_activate_action (view, "coupon.print", NULL));
  iterate_without_dialog (status_says, status);
  g_test_assert_expected_messages ();
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (status)), "인쇄하지 못했습니다"));
  g_assert_true (gtk_widget_is_sensitive (button));

  tp_coupon_printer_set_default_settings (NULL);
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  GTestDBus *bus;
  g_autofree char *display = NULL;
  int status;

  tp_i18n_init ();
  tp_i18n_set_language ("ko");
  g_test_init (&argc, &argv, NULL);
  /* A private session bus: Xvfb brings none, and GTK warns (fatally, in a test) without one. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* GTestDBus unsets DISPLAY (against X11 autolaunching); Xvfb's display is wanted here. */
  if (display)
    g_setenv ("DISPLAY", display, TRUE);
  /* No accessibility bus in the private session: GTK would warn about it. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();
  tp_ui_init ();

  g_test_add ("/touchpoint/coupon/view/scans", Fixture, NULL, tp_store_fixture_set_up, test_view_code, tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/coupon/view/scans-dark", Fixture, NULL, tp_store_fixture_set_up, test_view_dark,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/coupon/view/scans-url", Fixture, NULL, tp_store_fixture_set_up, test_view_url, tp_store_fixture_tear_down);
  g_test_add_func ("/touchpoint/coupon/qr/crisp", test_paintable_crisp);
  g_test_add_func ("/touchpoint/coupon/qr/too-long", test_paintable_too_long);
  g_test_add ("/touchpoint/coupon/print/action", Fixture, NULL, tp_store_fixture_set_up, test_print_action,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/coupon/print/pdf-58mm", Fixture, NULL, tp_store_fixture_set_up, test_print_pdf_58,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/coupon/print/pdf-80mm", Fixture, NULL, tp_store_fixture_set_up, test_print_pdf_80,
              tp_store_fixture_tear_down);
  status = g_test_run ();
  /* GTK keeps its connection to the end, and unreffing the GTestDBus would wait for it to go:
   * stop the daemon and let the process end. */
  g_test_dbus_stop (bus);
  return status;
}
