/* tp-coupon-printer.c: lays a coupon out on a receipt roll (58 or 80 mm) and prints it through
 * GtkPrintOperation, or exports it to PDF. The QR is drawn as one filled path of whole printer
 * dots per module, so that a thermal printer's 203 dpi does not smear it. */
#define G_LOG_DOMAIN "tp-coupon-printer"

#include "tp-coupon-printer.h"
#include "tp-qr-paintable.h"
#include "tp-ui.h"

#include "tp-coupon.h"
#include "tp-i18n.h"

#include <math.h>

G_DEFINE_QUARK (tp-coupon-printer-error-quark, tp_coupon_printer_error)

#define MM_TO_PT(mm) ((mm) * 72.0 / 25.4)
/* Thermal receipt heads print 48 mm of a 58 mm roll and 72 mm of an 80 mm one. */
#define SIDE_MARGIN_MM(width) ((width) == TP_RECEIPT_58MM ? 5.0 : 4.0)
#define END_MARGIN_MM 4.0
#define GAP_PT 6.0
/* Larger than this the QR only wastes paper. */
#define QR_MAX_MM 46.0

struct _TpCouponPrinter
{
  GObject         parent_instance;
  TpEvent        *event;
  char           *locale;
  char           *code;
  char           *offer_id;
  GDateTime      *expires_at;
  TpQrPaintable  *qr;
  TpReceiptWidth  width;
  GtkWidget      *width_58;   /* The dialog's custom tab. */
};

G_DEFINE_FINAL_TYPE (TpCouponPrinter, tp_coupon_printer, G_TYPE_OBJECT)

/* The staff choose the printer and the roll once, not for every visitor. */
static GtkPrintSettings *last_settings;
static TpReceiptWidth last_width = TP_RECEIPT_80MM;

static void
tp_coupon_printer_finalize (GObject *object)
{
  TpCouponPrinter *self = TP_COUPON_PRINTER (object);

  g_clear_pointer (&self->event, tp_event_unref);
  g_free (self->locale);
  g_free (self->code);
  g_free (self->offer_id);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_object (&self->qr);
  G_OBJECT_CLASS (tp_coupon_printer_parent_class)->finalize (object);
}

static void
tp_coupon_printer_class_init (TpCouponPrinterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_coupon_printer_finalize;
}

static void
tp_coupon_printer_init (TpCouponPrinter *self)
{
  self->width = last_width;
}

TpCouponPrinter *
tp_coupon_printer_new (TpEvent     *event,
                       const char  *locale,
                       const char  *code,
                       const char  *offer_id,
                       const char  *expires_at_iso,
                       GError     **error)
{
  g_autoptr(TpCouponPrinter) self = NULL;
  g_autofree char *payload = NULL;

  g_return_val_if_fail (event != NULL && locale != NULL && code != NULL, NULL);
  g_return_val_if_fail (offer_id != NULL && expires_at_iso != NULL, NULL);

  self = g_object_new (TP_TYPE_COUPON_PRINTER, NULL);
  if (tp_event_get_offer (event, offer_id) == NULL)
    {
      g_set_error (error, TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_INVALID,
                   "The offer \"%s\" is not in event %s", offer_id, event->id);
      return NULL;
    }
  self->expires_at = g_date_time_new_from_iso8601 (expires_at_iso, NULL);
  if (self->expires_at == NULL)
    {
      g_set_error (error, TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_INVALID,
                   "The coupon's expiry \"%s\" is not an ISO 8601 time", expires_at_iso);
      return NULL;
    }
  self->qr = tp_qr_paintable_new ();
  payload = tp_coupon_payload (event, code);
  if (!tp_qr_paintable_set_text (self->qr, payload, error))
    return NULL;
  self->event = tp_event_ref (event);
  self->locale = g_strdup (locale);
  self->code = g_strdup (code);
  self->offer_id = g_strdup (offer_id);
  return g_steal_pointer (&self);
}

void
tp_coupon_printer_set_width (TpCouponPrinter *self,
                             TpReceiptWidth   width)
{
  g_return_if_fail (TP_IS_COUPON_PRINTER (self));
  g_return_if_fail (width == TP_RECEIPT_58MM || width == TP_RECEIPT_80MM);

  self->width = width;
}

TpReceiptWidth
tp_coupon_printer_get_width (TpCouponPrinter *self)
{
  g_return_val_if_fail (TP_IS_COUPON_PRINTER (self), TP_RECEIPT_80MM);

  return self->width;
}

/* ---- Layout ----------------------------------------------------------------------------- */

/* A block of text across the printable width, centred. */
static PangoLayout *
make_layout (PangoContext *pango,
             const char   *text,
             const char   *family,
             double        size_pt,
             gboolean      bold,
             double        width_pt)
{
  PangoLayout *layout = pango_layout_new (pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  g_autoptr(PangoAttrList) keep_words = tp_ui_keep_words_attributes (text);

  pango_font_description_set_family (font, family);
  pango_font_description_set_size (font, (int) (size_pt * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width_pt * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_attributes (layout, keep_words);
  return layout;
}

/* Draws the coupon from the top of the printable area (or only measures it when cr is NULL)
 * and returns its height in points. dots_per_pt snaps the QR modules to whole printer dots;
 * 0 for a vector target. */
static double
layout_coupon (TpCouponPrinter *self,
               cairo_t         *cr,
               PangoContext    *pango,
               double           width_pt,
               double           dots_per_pt)
{
  const TpOffer *offer = tp_event_get_offer (self->event, self->offer_id);
  const char *description = offer->description ? tp_text_get (offer->description, self->locale) : NULL;
  g_autofree char *expiry = tp_coupon_describe_expiry (self->event, self->expires_at);
  g_autofree char *code = tp_coupon_format_lines (self->code);
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  double y = 0, qr_pt, module_pt;
  int n = tp_qr_paintable_get_size (self->qr);
  guint i = 0;

  g_ptr_array_add (layouts, make_layout (pango, tp_text_get (self->event->name, self->locale), "Sans", 8, FALSE,
                                        width_pt));
  g_ptr_array_add (layouts, make_layout (pango, tp_text_get (offer->title, self->locale), "Sans", 12, TRUE,
                                        width_pt));
  if (description)
    g_ptr_array_add (layouts, make_layout (pango, description, "Sans", 8, FALSE, width_pt));

  for (; i < layouts->len; i++)
    {
      int h;

      pango_layout_get_size (layouts->pdata[i], NULL, &h);
      if (cr)
        {
          cairo_move_to (cr, 0, y);
          pango_cairo_show_layout (cr, layouts->pdata[i]);
        }
      y += (double) h / PANGO_SCALE + GAP_PT;
    }

  /* The QR with its quiet zone, on whole printer dots a module. A vector target (PDF) has no
   * dots: there the modules keep their exact size. */
  qr_pt = MIN (width_pt, MM_TO_PT (QR_MAX_MM));
  if (dots_per_pt > 0)
    {
      int module_dots = MAX (1, (int) floor (qr_pt / n * dots_per_pt));

      module_pt = module_dots / dots_per_pt;
    }
  else
    module_pt = qr_pt / n;
  qr_pt = module_pt * n;
  if (cr)
    {
      double x0 = (width_pt - qr_pt) / 2, y0 = y;

      if (dots_per_pt > 0)
        {
          x0 = floor (x0 * dots_per_pt) / dots_per_pt;
          y0 = ceil (y0 * dots_per_pt) / dots_per_pt;
        }

      cairo_save (cr);
      cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
      cairo_set_source_rgb (cr, 0, 0, 0);
      for (int my = 0; my < n; my++)
        for (int mx = 0; mx < n; mx++)
          if (tp_qr_paintable_get_module (self->qr, mx, my))
            cairo_rectangle (cr, x0 + mx * module_pt, y0 + my * module_pt, module_pt, module_pt);
      cairo_fill (cr);
      cairo_restore (cr);
    }
  y += qr_pt + GAP_PT;

  g_ptr_array_add (layouts, make_layout (pango, code, "Monospace", 11, TRUE, width_pt));
  g_ptr_array_add (layouts, make_layout (pango, expiry, "Sans", 9, TRUE, width_pt));
  for (; i < layouts->len; i++)
    {
      int h;

      pango_layout_get_size (layouts->pdata[i], NULL, &h);
      if (cr)
        {
          cairo_move_to (cr, 0, y);
          pango_cairo_show_layout (cr, layouts->pdata[i]);
        }
      y += (double) h / PANGO_SCALE + (i + 1 < layouts->len ? GAP_PT : 0);
    }
  return y;
}

static double
printable_width_pt (TpReceiptWidth width)
{
  return MM_TO_PT (width - 2 * SIDE_MARGIN_MM (width));
}

GtkPageSetup *
tp_coupon_printer_get_page_setup (TpCouponPrinter *self)
{
  g_autoptr(GtkPaperSize) paper = NULL;
  PangoContext *pango;
  g_autofree char *name = NULL;
  cairo_font_options_t *options;
  GtkPageSetup *setup;
  double height_pt;

  g_return_val_if_fail (TP_IS_COUPON_PRINTER (self), NULL);

  /* Measured at 72 dpi without hinting, as the print context lays text out. */
  pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (pango, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  height_pt = layout_coupon (self, NULL, pango, printable_width_pt (self->width), 0);
  g_object_unref (pango);
  /* Some slack for a printer's fonts being a little taller than ours. */
  height_pt += MM_TO_PT (2 * END_MARGIN_MM + 6);

  name = g_strdup_printf ("custom_receipt_%dmm", self->width);
  paper = gtk_paper_size_new_custom (name, self->width == TP_RECEIPT_58MM ? _("Receipt 58 mm") : _("Receipt 80 mm"),
                                     self->width, height_pt * 25.4 / 72.0, GTK_UNIT_MM);
  setup = gtk_page_setup_new ();
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_left_margin (setup, SIDE_MARGIN_MM (self->width), GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, SIDE_MARGIN_MM (self->width), GTK_UNIT_MM);
  gtk_page_setup_set_top_margin (setup, END_MARGIN_MM, GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, END_MARGIN_MM, GTK_UNIT_MM);
  return setup;
}

/* ---- The print operation ---------------------------------------------------------------- */

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              TpCouponPrinter   *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  PangoContext *pango = gtk_print_context_create_pango_context (context);
  double width_pt = gtk_print_context_get_width (context);
  double dpi = gtk_print_context_get_dpi_x (context);
  double content_pt = MIN (width_pt, printable_width_pt (TP_RECEIPT_80MM));

  /* On a wider sheet (A4 "Print to File"), a receipt-wide column in the middle. */
  cairo_translate (cr, (width_pt - content_pt) / 2, 0);
  /* Export to PDF reports 72 dpi: a vector page, nothing to snap to. */
  layout_coupon (self, cr, pango, content_pt, dpi > 72 ? dpi / 72.0 : 0);
  g_object_unref (pango);
}

/* The roll chosen on the dialog's Receipt tab decides the page, whatever paper the dialog
 * started with: the default page set-up is fixed before the tab is applied. */
static void
request_page_setup_cb (GtkPrintOperation *operation,
                       GtkPrintContext   *context,
                       int                page_nr,
                       GtkPageSetup      *setup,
                       TpCouponPrinter   *self)
{
  g_autoptr(GtkPageSetup) receipt = tp_coupon_printer_get_page_setup (self);

  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_paper_size (setup, gtk_page_setup_get_paper_size (receipt));
  gtk_page_setup_set_left_margin (setup, gtk_page_setup_get_left_margin (receipt, GTK_UNIT_MM), GTK_UNIT_MM);
  gtk_page_setup_set_right_margin (setup, gtk_page_setup_get_right_margin (receipt, GTK_UNIT_MM), GTK_UNIT_MM);
  gtk_page_setup_set_top_margin (setup, gtk_page_setup_get_top_margin (receipt, GTK_UNIT_MM), GTK_UNIT_MM);
  gtk_page_setup_set_bottom_margin (setup, gtk_page_setup_get_bottom_margin (receipt, GTK_UNIT_MM), GTK_UNIT_MM);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                TpCouponPrinter   *self)
{
  gtk_print_operation_set_n_pages (operation, 1);
}

static GtkPrintOperation *
make_operation (TpCouponPrinter *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = tp_coupon_printer_get_page_setup (self);
  g_autofree char *job = g_strdup_printf ("Coupon %s", self->code);

  gtk_print_operation_set_job_name (operation, job);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_use_full_page (operation, FALSE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), self, 0);
  g_signal_connect_object (operation, "request-page-setup", G_CALLBACK (request_page_setup_cb), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  return operation;
}

gboolean
tp_coupon_printer_export_pdf (TpCouponPrinter  *self,
                              const char       *path,
                              GError          **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) local_error = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (TP_IS_COUPON_PRINTER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  operation = make_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &local_error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_set_error (error, TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_FAILED,
                   "Cannot write the coupon to %s: %s", path,
                   local_error ? local_error->message : "unknown error");
      return FALSE;
    }
  return TRUE;
}

/* The dialog's own tab: which roll is in the printer. */
static GObject *
create_custom_widget_cb (GtkPrintOperation *operation,
                         TpCouponPrinter   *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *width_80;

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Paper roll width")));
  self->width_58 = gtk_check_button_new_with_label (_("58 mm"));
  width_80 = gtk_check_button_new_with_label (_("80 mm"));
  gtk_check_button_set_group (GTK_CHECK_BUTTON (width_80), GTK_CHECK_BUTTON (self->width_58));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->width == TP_RECEIPT_58MM ? self->width_58 : width_80), TRUE);
  gtk_box_append (GTK_BOX (box), self->width_58);
  gtk_box_append (GTK_BOX (box), width_80);
  return G_OBJECT (box);
}

static void
custom_widget_apply_cb (GtkPrintOperation *operation,
                        GtkWidget         *widget,
                        TpCouponPrinter   *self)
{
  self->width = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->width_58)) ? TP_RECEIPT_58MM : TP_RECEIPT_80MM;
  last_width = self->width;
  self->width_58 = NULL;
}

void
tp_coupon_printer_set_default_settings (GtkPrintSettings *settings)
{
  g_return_if_fail (settings == NULL || GTK_IS_PRINT_SETTINGS (settings));

  g_set_object (&last_settings, settings);
}

GtkPrintSettings *
tp_coupon_printer_get_default_settings (void)
{
  return last_settings;
}

static void
done_cb (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         TpCouponPrinter         *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    g_set_object (&last_settings, gtk_print_operation_get_print_settings (operation));
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      g_warning ("Printing the coupon failed: %s", error ? error->message : "unknown error");
    }
  /* An operation that outlived gtk_print_operation_run () holds its own last reference. */
  if (g_object_get_data (G_OBJECT (operation), "tp-async"))
    g_object_unref (operation);
}

void
tp_coupon_printer_run_dialog (TpCouponPrinter *self,
                              GtkWindow       *parent)
{
  GtkPrintOperation *operation;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (TP_IS_COUPON_PRINTER (self));

  operation = make_operation (self);
  g_object_set_data_full (G_OBJECT (operation), "tp-coupon-printer", g_object_ref (self), g_object_unref);
  if (last_settings)
    gtk_print_operation_set_print_settings (operation, last_settings);
  gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_set_custom_tab_label (operation, _("Receipt"));
  g_signal_connect_object (operation, "create-custom-widget", G_CALLBACK (create_custom_widget_cb), self, 0);
  g_signal_connect_object (operation, "custom-widget-apply", G_CALLBACK (custom_widget_apply_cb), self, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (done_cb), self, 0);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Cannot print the coupon: %s", error ? error->message : "unknown error");
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    g_object_set_data (G_OBJECT (operation), "tp-async", GINT_TO_POINTER (TRUE));
  else
    g_object_unref (operation);
}
