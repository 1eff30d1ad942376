/* tp-staff-page.c: what staff see once signed in: who is signed in, live counts, change their
 * PIN, sign out, quit. */
#define G_LOG_DOMAIN "tp-staff-page"

#include <glib/gi18n.h>

#include "tp-staff-page.h"
#include "tp-printer-row.h"

#include "tp-i18n.h"
#include "tp-stats.h"

#define REFRESH_SECONDS 5

struct _TpStaffPage
{
  AdwBin          parent_instance;
  TpEvent        *event;
  TpStore        *store;
  TpStaffAccount *account;         /* Who signed in. */
  guint           refresh_source;
  GCancellable   *reading;         /* While the store's thread counts. */
  GtkLabel       *event_label;
  GtkLabel       *signed_in_label;
  GtkLabel       *leads_count;
  GtkLabel       *optional_count;
  GtkLabel       *coupons_count;
  GtkLabel       *redeemed_count;
  GtkLabel       *outbox_count;
  GtkLabel       *problem_label;
  TpPrinterRow   *printer_row;
};

G_DEFINE_FINAL_TYPE (TpStaffPage, tp_staff_page, ADW_TYPE_BIN)

static void
set_count (GtkLabel *label,
           gint64    n)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, n);

  gtk_label_set_label (label, text);
}

static void
show_stats (TpStaffPage   *self,
            const TpStats *stats)
{
  gint64 optional = 0;

  for (guint i = 0; i < self->event->consents->len; i++)
    {
      const TpConsent *consent = self->event->consents->pdata[i];

      if (!consent->required)
        optional += tp_stats_count_lookup (stats->consents_granted, consent->id);
    }
  set_count (self->leads_count, stats->leads);
  set_count (self->optional_count, optional);
  set_count (self->coupons_count, stats->coupons_issued);
  set_count (self->redeemed_count, stats->coupons_redeemed);
  /* Everything in the outbox but what the CRM already has is still to be sent. */
  set_count (self->outbox_count, tp_stats_get_unsent (stats));
}

static void
stats_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TpStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = tp_store_get_stats_finish (TP_STORE (source), result, &error);

  /* Cancelled by a newer refresh or by dispose: touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reading);
  if (stats == NULL)
    {
      g_warning ("Reading the counts failed: %s", error->message);
      gtk_label_set_label (self->problem_label, _("The counts cannot be read from the store. Check the disk."));
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  show_stats (self, stats);
}

void
tp_staff_page_refresh (TpStaffPage *self)
{
  g_return_if_fail (TP_IS_STAFF_PAGE (self));

  /* The store's thread counts; a refresh asked for meanwhile replaces the one under way. */
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  self->reading = g_cancellable_new ();
  tp_store_get_stats_async (self->store, self->reading, stats_ready_cb, self);
}

static gboolean
refresh_cb (gpointer data)
{
  tp_staff_page_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
tp_staff_page_map (GtkWidget *widget)
{
  TpStaffPage *self = TP_STAFF_PAGE (widget);

  GTK_WIDGET_CLASS (tp_staff_page_parent_class)->map (widget);
  tp_staff_page_refresh (self);
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
tp_staff_page_unmap (GtkWidget *widget)
{
  TpStaffPage *self = TP_STAFF_PAGE (widget);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  GTK_WIDGET_CLASS (tp_staff_page_parent_class)->unmap (widget);
}

static void
tp_staff_page_dispose (GObject *object)
{
  TpStaffPage *self = TP_STAFF_PAGE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_STAFF_PAGE);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->account, tp_staff_account_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_staff_page_parent_class)->dispose (object);
}

static void
tp_staff_page_class_init (TpStaffPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_staff_page_dispose;
  widget_class->map = tp_staff_page_map;
  widget_class->unmap = tp_staff_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, event_label);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, signed_in_label);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, leads_count);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, optional_count);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, coupons_count);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, redeemed_count);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, outbox_count);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, problem_label);
  g_type_ensure (TP_TYPE_PRINTER_ROW);
  gtk_widget_class_bind_template_child (widget_class, TpStaffPage, printer_row);
}

static void
tp_staff_page_init (TpStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpStaffPage *
tp_staff_page_new (TpEvent              *event,
                   TpStore              *store,
                   const TpStaffAccount *account)
{
  TpStaffPage *self = g_object_new (TP_TYPE_STAFF_PAGE, NULL);
  g_autofree char *signed_in = NULL;

  g_return_val_if_fail (account != NULL, NULL);

  self->event = tp_event_ref (event);
  self->store = g_object_ref (store);
  self->account = tp_staff_account_copy (account);
  gtk_label_set_label (self->event_label, tp_text_get (event->name, tp_i18n_get_language ()));
  /* TRANSLATORS: "Signed in as Kim (Admin)". */
  signed_in = g_strdup_printf (_("Signed in as %s (%s)"), account->name, tp_staff_role_describe (account->role));
  gtk_label_set_label (self->signed_in_label, signed_in);
  tp_printer_row_set_store (self->printer_row, store);
  tp_staff_page_refresh (self);
  return self;
}
