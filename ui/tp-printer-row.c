/* tp-printer-row.c: on the staff page, the printer coupons are printed on and its roll. */
#define G_LOG_DOMAIN "tp-printer-row"

#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>

#include "tp-printer-row.h"
#include "tp-coupon-printer.h"

struct _TpPrinterRow
{
  AdwBin          parent_instance;
  TpStore        *store;
  GPtrArray      *printers;     /* Names, NULL first ("no printer"), in the drop-down's order. */
  GtkStringList  *model;
  gboolean        loading;      /* Showing the store's choice: nothing to save. */
  GtkDropDown    *printer_drop;
  GtkDropDown    *roll_drop;
  GtkLabel       *problem_label;
};

G_DEFINE_FINAL_TYPE (TpPrinterRow, tp_printer_row, ADW_TYPE_BIN)

/* The rolls, in the drop-down's order. */
static const TpReceiptWidth rolls[] = { TP_RECEIPT_80MM, TP_RECEIPT_58MM };

static void
save (TpPrinterRow *self)
{
  g_autoptr(GError) error = NULL;
  guint printer = gtk_drop_down_get_selected (self->printer_drop);
  guint roll = gtk_drop_down_get_selected (self->roll_drop);

  if (self->loading || self->store == NULL || printer >= self->printers->len || roll >= G_N_ELEMENTS (rolls))
    return;
  if (!tp_coupon_printer_set_configured (self->store, self->printers->pdata[printer], rolls[roll], &error))
    {
      g_warning ("Saving the coupon printer failed: %s", error->message);
      gtk_label_set_label (self->problem_label, _("The printer could not be saved. Check the disk and try again."));
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  g_debug ("Coupons are printed on %s", printer ? (char *) self->printers->pdata[printer] : "no printer");
}

static guint
add_printer (TpPrinterRow *self,
             const char   *name)
{
  for (guint i = 1; i < self->printers->len; i++)
    if (g_str_equal (self->printers->pdata[i], name))
      return i;
  g_ptr_array_add (self->printers, g_strdup (name));
  gtk_string_list_append (self->model, name);
  return self->printers->len - 1;
}

/* GTK's print backends report printers as they find them, after the row may be gone. */
static gboolean
printer_found_cb (GtkPrinter *printer,
                  gpointer    data)
{
  g_autoptr(TpPrinterRow) self = g_weak_ref_get (data);

  if (self == NULL)
    return TRUE;
  self->loading = TRUE;
  add_printer (self, gtk_printer_get_name (printer));
  self->loading = FALSE;
  return FALSE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
tp_printer_row_set_store (TpPrinterRow *self,
                          TpStore      *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *printer = NULL;
  TpReceiptWidth width;
  GWeakRef *ref;

  g_return_if_fail (TP_IS_PRINTER_ROW (self));
  g_return_if_fail (TP_IS_STORE (store));

  g_set_object (&self->store, store);
  printer = tp_coupon_printer_get_configured (store, &width, &error);
  if (error)
    g_warning ("The coupon printer setting cannot be read: %s", error->message);
  self->loading = TRUE;
  /* The printer chosen is shown even before (or if never) its backend reports it. */
  gtk_drop_down_set_selected (self->printer_drop, printer ? add_printer (self, printer) : 0);
  gtk_drop_down_set_selected (self->roll_drop, width == TP_RECEIPT_58MM ? 1 : 0);
  self->loading = FALSE;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  gtk_enumerate_printers (printer_found_cb, ref, weak_ref_free, FALSE);
}

GPtrArray *
tp_printer_row_get_printers (TpPrinterRow *self)
{
  g_return_val_if_fail (TP_IS_PRINTER_ROW (self), NULL);
  return self->printers;
}

static void
tp_printer_row_dispose (GObject *object)
{
  TpPrinterRow *self = TP_PRINTER_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_PRINTER_ROW);
  g_clear_object (&self->store);
  g_clear_object (&self->model);
  g_clear_pointer (&self->printers, g_ptr_array_unref);
  G_OBJECT_CLASS (tp_printer_row_parent_class)->dispose (object);
}

static void
tp_printer_row_class_init (TpPrinterRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_printer_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-printer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TpPrinterRow, printer_drop);
  gtk_widget_class_bind_template_child (widget_class, TpPrinterRow, roll_drop);
  gtk_widget_class_bind_template_child (widget_class, TpPrinterRow, problem_label);
}

static void
tp_printer_row_init (TpPrinterRow *self)
{
  const char *roll_names[] = { _("80 mm roll"), _("58 mm roll"), NULL };
  g_autoptr(GtkStringList) roll_model = gtk_string_list_new (roll_names);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->printers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->printers, NULL);
  self->model = gtk_string_list_new (NULL);
  gtk_string_list_append (self->model, _("No printer"));
  self->loading = TRUE;
  gtk_drop_down_set_model (self->printer_drop, G_LIST_MODEL (self->model));
  gtk_drop_down_set_model (self->roll_drop, G_LIST_MODEL (roll_model));
  self->loading = FALSE;
  g_signal_connect_swapped (self->printer_drop, "notify::selected", G_CALLBACK (save), self);
  g_signal_connect_swapped (self->roll_drop, "notify::selected", G_CALLBACK (save), self);
}

TpPrinterRow *
tp_printer_row_new (void)
{
  return g_object_new (TP_TYPE_PRINTER_ROW, NULL);
}
