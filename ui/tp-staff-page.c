/* tp-staff-page.c: what staff see behind the PIN: live counts, change the PIN, quit. */
#define G_LOG_DOMAIN "tp-staff-page"

#include <glib/gi18n.h>

#include "tp-staff-page.h"
#include "tp-printer-row.h"

#include "tp-i18n.h"

#define REFRESH_SECONDS 5

struct _TpStaffPage
{
  AdwBin    parent_instance;
  TpEvent  *event;
  TpStore  *store;
  guint     refresh_source;
  GtkLabel *event_label;
  GtkLabel *leads_count;
  GtkLabel *optional_count;
  GtkLabel *coupons_count;
  GtkLabel *redeemed_count;
  GtkLabel *outbox_count;
  GtkLabel *problem_label;
  TpPrinterRow *printer_row;
};

G_DEFINE_FINAL_TYPE (TpStaffPage, tp_staff_page, ADW_TYPE_BIN)

static void
set_count (GtkLabel *label,
           gint64    n)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, n);

  gtk_label_set_label (label, text);
}

static gint64
member_int (JsonObject *obj,
            const char *name)
{
  return obj && json_object_has_member (obj, name) ? json_object_get_int_member (obj, name) : 0;
}

static JsonObject *
member_object (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
tp_staff_page_refresh (TpStaffPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *root, *granted, *coupons, *outbox;
  gint64 optional = 0, waiting = 0;

  g_return_if_fail (TP_IS_STAFF_PAGE (self));

  stats = tp_store_stats (self->store, &error);
  if (stats == NULL)
    {
      g_warning ("Reading the counts failed: %s", error->message);
      gtk_label_set_label (self->problem_label, _("The counts cannot be read from the store. Check the disk."));
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), FALSE);
  root = json_node_get_object (stats);
  granted = member_object (member_object (root, "consents"), "granted");
  for (guint i = 0; i < self->event->consents->len; i++)
    {
      const TpConsent *consent = self->event->consents->pdata[i];

      if (!consent->required)
        optional += member_int (granted, consent->id);
    }
  coupons = member_object (root, "coupons");
  outbox = member_object (root, "outbox");
  /* Everything in the outbox but what the CRM already has is still to be sent. */
  if (outbox)
    {
      g_autoptr(GList) states = json_object_get_members (outbox);

      for (GList *l = states; l; l = l->next)
        if (!g_str_equal (l->data, "synced") && JSON_NODE_HOLDS_VALUE (json_object_get_member (outbox, l->data)))
          waiting += json_object_get_int_member (outbox, l->data);
    }

  set_count (self->leads_count, member_int (root, "leads"));
  set_count (self->optional_count, optional);
  set_count (self->coupons_count, member_int (coupons, "issued"));
  set_count (self->redeemed_count, member_int (coupons, "redeemed"));
  set_count (self->outbox_count, waiting);
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
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_STAFF_PAGE);
  g_clear_pointer (&self->event, tp_event_unref);
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
tp_staff_page_new (TpEvent *event,
                   TpStore *store)
{
  TpStaffPage *self = g_object_new (TP_TYPE_STAFF_PAGE, NULL);

  self->event = tp_event_ref (event);
  self->store = g_object_ref (store);
  gtk_label_set_label (self->event_label, tp_text_get (event->name, tp_i18n_get_language ()));
  tp_printer_row_set_store (self->printer_row, store);
  tp_staff_page_refresh (self);
  return self;
}
