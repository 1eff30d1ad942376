/* tp-coupon-printer.c: lays a coupon out on a receipt roll (58 or 80 mm) and prints it through
 * GtkPrintOperation on the printer staff chose, without a dialog, or exports it to PDF. The QR
 * is drawn as one filled path of whole printer dots per module, so that a thermal printer's
 * 203 dpi does not smear it. */
#define G_LOG_DOMAIN "tp-coupon-printer"

#include "tp-coupon-printer.h"
#include <gtk/gtkunixprint.h>
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
};

G_DEFINE_FINAL_TYPE (TpCouponPrinter, tp_coupon_printer, G_TYPE_OBJECT)

/* What every print job starts from (tests point "Print to File" at a file with it). */
static GtkPrintSettings *base_settings;

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
  self->width = TP_RECEIPT_80MM;
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

/* The roll decides the page, whatever paper the printer's own settings start with. */
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

void
tp_coupon_printer_set_default_settings (GtkPrintSettings *settings)
{
  g_return_if_fail (settings == NULL || GTK_IS_PRINT_SETTINGS (settings));

  g_set_object (&base_settings, settings);
}

GtkPrintSettings *
tp_coupon_printer_get_default_settings (void)
{
  return base_settings;
}

/* ---- Printing at the booth: no dialog --------------------------------------------------- */

/* Printers are listed by GTK's backends, asynchronously; one that never finishes listing (a
 * CUPS server that does not answer) must not leave the visitor waiting for ever. */
#define LOOKUP_SECONDS 15

typedef struct
{
  char        *name;
  GtkPrinter  *printer;
  GtkPrintJob *job;
  guint        timeout;
  gboolean     returned;
} PrintData;

static void
print_data_free (PrintData *data)
{
  g_clear_handle_id (&data->timeout, g_source_remove);
  g_free (data->name);
  g_clear_object (&data->printer);
  g_clear_object (&data->job);
  g_free (data);
}

static void
print_return (GTask  *task,
              GError *error)
{
  PrintData *data = g_task_get_task_data (task);

  if (data->returned)
    {
      g_clear_error (&error);
      return;
    }
  data->returned = TRUE;
  g_clear_handle_id (&data->timeout, g_source_remove);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
job_sent_cb (GtkPrintJob  *job,
             gpointer      user_data,
             const GError *error)
{
  GTask *task = user_data;
  PrintData *data = g_task_get_task_data (task);

  if (error)
    print_return (task, g_error_new (TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_FAILED,
                                     "The coupon could not be printed on %s: %s", data->name, error->message));
  else
    print_return (task, NULL);
}

/* The receipt on the job's page: the printable area starts at the page set-up's margins. */
static void
send_job (GTask *task)
{
  TpCouponPrinter *self = g_task_get_source_object (task);
  PrintData *data = g_task_get_task_data (task);
  g_autoptr(GtkPrintSettings) settings = base_settings ? gtk_print_settings_copy (base_settings)
                                                       : gtk_print_settings_new ();
  g_autoptr(GtkPageSetup) setup = tp_coupon_printer_get_page_setup (self);
  g_autofree char *job_name = g_strdup_printf ("Coupon %s", self->code);
  g_autoptr(GError) error = NULL;
  cairo_font_options_t *options;
  cairo_surface_t *surface;
  PangoContext *pango;
  double dots_per_pt = 0;
  cairo_t *cr;

  gtk_print_settings_set_printer (settings, data->name);
  gtk_print_settings_set_n_copies (settings, 1);
  data->job = gtk_print_job_new (job_name, data->printer, settings, setup);
  surface = gtk_print_job_get_surface (data->job, &error);
  if (surface == NULL)
    {
      print_return (task, g_error_new (TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_FAILED,
                                       "The coupon could not be printed on %s: %s", data->name,
                                       error ? error->message : "no page to draw on"));
      return;
    }
  /* A printer whose resolution is set gets the QR on whole dots; otherwise a vector page. */
  if (gtk_print_settings_has_key (settings, GTK_PRINT_SETTINGS_RESOLUTION))
    dots_per_pt = gtk_print_settings_get_resolution_x (settings) / 72.0;

  cr = cairo_create (surface);
  pango = pango_cairo_create_context (cr);
  pango_cairo_context_set_resolution (pango, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango, options);
  cairo_font_options_destroy (options);
  cairo_translate (cr, gtk_page_setup_get_left_margin (setup, GTK_UNIT_POINTS),
                   gtk_page_setup_get_top_margin (setup, GTK_UNIT_POINTS));
  layout_coupon (self, cr, pango, printable_width_pt (self->width), dots_per_pt > 1 ? dots_per_pt : 0);
  cairo_show_page (cr);
  g_object_unref (pango);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  gtk_print_job_send (data->job, job_sent_cb, g_object_ref (task), g_object_unref);
}

static gboolean
printer_found_cb (GtkPrinter *printer,
                  gpointer    user_data)
{
  GTask *task = user_data;
  PrintData *data = g_task_get_task_data (task);

  if (data->returned || data->printer)
    return TRUE;
  if (!g_str_equal (gtk_printer_get_name (printer), data->name))
    return FALSE;
  data->printer = g_object_ref (printer);
  send_job (task);
  return TRUE;
}

/* Every backend has listed its printers (or the lookup was stopped). */
static void
lookup_done (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintData *data = g_task_get_task_data (task);

  if (data->printer == NULL)
    print_return (task, g_error_new (TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_FAILED,
                                     "The coupon could not be printed on %s: there is no such printer", data->name));
}

static gboolean
lookup_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  PrintData *data = g_task_get_task_data (task);

  data->timeout = 0;
  if (data->printer == NULL)
    print_return (task, g_error_new (TP_COUPON_PRINTER_ERROR, TP_COUPON_PRINTER_ERROR_FAILED,
                                     "The coupon could not be printed on %s: the printer was not found in %d "
                                     "seconds", data->name, LOOKUP_SECONDS));
  return G_SOURCE_REMOVE;
}

void
tp_coupon_printer_print_async (TpCouponPrinter     *self,
                               const char          *printer,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrintData *data;

  g_return_if_fail (TP_IS_COUPON_PRINTER (self));
  g_return_if_fail (printer != NULL && *printer != '\0');

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tp_coupon_printer_print_async);
  data = g_new0 (PrintData, 1);
  data->name = g_strdup (printer);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);
  /* A print job of our own rather than GtkPrintOperation: without its dialog, the operation
   * finds neither a virtual printer ("Print to File") nor, while a backend is still listing,
   * any other. */
  data->timeout = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, LOOKUP_SECONDS, lookup_timeout_cb,
                                              g_object_ref (task), g_object_unref);
  gtk_enumerate_printers (printer_found_cb, g_object_ref (task), lookup_done, FALSE);
}

gboolean
tp_coupon_printer_print_finish (TpCouponPrinter  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_coupon_printer_print_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- The printer staff chose ------------------------------------------------------------ */

#define SETTING_PRINTER "print.printer"
#define SETTING_ROLL "print.roll"

char *
tp_coupon_printer_get_configured (TpStore         *store,
                                  TpReceiptWidth  *width,
                                  GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *printer = NULL;
  g_autofree char *roll = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  if (width)
    *width = TP_RECEIPT_80MM;
  printer = tp_store_get_setting (store, SETTING_PRINTER, &local_error);
  if (local_error == NULL)
    roll = tp_store_get_setting (store, SETTING_ROLL, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (width && g_strcmp0 (roll, "58") == 0)
    *width = TP_RECEIPT_58MM;
  if (printer && *printer == '\0')
    g_clear_pointer (&printer, g_free);
  return g_steal_pointer (&printer);
}

gboolean
tp_coupon_printer_set_configured (TpStore         *store,
                                  const char      *printer,
                                  TpReceiptWidth   width,
                                  GError         **error)
{
  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (width == TP_RECEIPT_58MM || width == TP_RECEIPT_80MM, FALSE);

  return tp_store_set_setting (store, SETTING_PRINTER, printer && *printer ? printer : NULL, error) &&
         tp_store_set_setting (store, SETTING_ROLL, width == TP_RECEIPT_58MM ? "58" : "80", error);
}
