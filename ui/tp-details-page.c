/* tp-details-page.c: the visitor's details (the event's fields), typed or read from a badge. */
#define G_LOG_DOMAIN "tp-details-page"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-details-page.h"
#include "tp-field-row.h"
#include "tp-scan-detector.h"
#include "tp-ui.h"

#include "tp-badge.h"

struct _TpDetailsPage
{
  AdwBin          parent_instance;
  TpEvent        *event;
  char           *locale;
  GPtrArray      *rows;            /* TpFieldRow, in the event's order */
  TpScanDetector *scanner;
  GPtrArray      *before_scan;     /* The fields' texts when the last burst of keys began. */
  GtkWidget      *focus_before_scan;
  GtkBox         *fields_box;
  GtkRevealer    *scan_revealer;
  GtkLabel       *scan_note;
};

G_DEFINE_FINAL_TYPE (TpDetailsPage, tp_details_page, ADW_TYPE_BIN)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe_string (gpointer data)
{
  if (data)
    explicit_bzero (data, strlen (data));
  g_free (data);
}

static void
show_note (TpDetailsPage *self,
           const char    *text,
           gboolean       problem)
{
  gtk_label_set_label (self->scan_note, text);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->scan_note), "scan-problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->scan_note), "scan-problem");
  gtk_revealer_set_reveal_child (self->scan_revealer, TRUE);
}

static void
burst_started_cb (TpDetailsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_ptr_array_set_size (self->before_scan, 0);
  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (self->before_scan, g_strdup (tp_field_row_get_text (self->rows->pdata[i])));
  g_clear_weak_pointer (&self->focus_before_scan);
  if (root)
    g_set_weak_pointer (&self->focus_before_scan, gtk_root_get_focus (root));
}

gboolean
tp_details_page_apply_scan (TpDetailsPage *self,
                            const char    *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpBadge) badge = NULL;
  guint filled = 0;

  g_return_val_if_fail (TP_IS_DETAILS_PAGE (self), FALSE);

  badge = tp_badge_parse (payload, &error);
  if (badge == NULL)
    {
      /* The message names the format problem only: the payload itself is personal data. */
      g_debug ("A scan was not read as a badge: %s", error->message);
      show_note (self, _("That code is not a badge we can read. Please type your details instead."), TRUE);
      return FALSE;
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      TpFieldRow *row = self->rows->pdata[i];
      const char *value = tp_badge_value_for_field (badge, tp_field_row_get_field (row));

      if (value == NULL)
        continue;
      tp_field_row_set_text (row, value);
      tp_field_row_check (row, FALSE);
      filled++;
    }
  if (filled == 0)
    {
      show_note (self, _("Your badge has none of the details asked for here. Please type them."), TRUE);
      return FALSE;
    }
  show_note (self, _("We filled in the details from your badge. Please check them."), FALSE);
  return TRUE;
}

static void
scanned_cb (TpDetailsPage *self,
            const char    *payload)
{
  /* The first keys of the scan went into whatever had focus: put the fields back first. */
  if (self->before_scan->len == self->rows->len)
    for (guint i = 0; i < self->rows->len; i++)
      tp_field_row_set_text (self->rows->pdata[i], self->before_scan->pdata[i]);
  g_ptr_array_set_size (self->before_scan, 0);
  tp_details_page_apply_scan (self, payload);
  if (self->focus_before_scan)
    gtk_widget_grab_focus (self->focus_before_scan);
}

gboolean
tp_details_page_handle_key (TpDetailsPage   *self,
                            guint            keyval,
                            guint            keycode,
                            GdkModifierType  state,
                            guint32          time)
{
  g_return_val_if_fail (TP_IS_DETAILS_PAGE (self), FALSE);
  return tp_scan_detector_feed (self->scanner, keyval, keycode, state, time);
}

/* Enter moves on to the next field, and from the last one to the next page. */
static void
entry_activate_cb (GtkEntry      *entry,
                   TpDetailsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (tp_field_row_get_entry (self->rows->pdata[i]) == entry)
      {
        if (i + 1 < self->rows->len)
          gtk_widget_grab_focus (GTK_WIDGET (tp_field_row_get_entry (self->rows->pdata[i + 1])));
        else
          gtk_widget_activate_action (GTK_WIDGET (self), "visit.next", NULL);
        return;
      }
}

/* Text arrives from on-screen keyboards as input-method commits, not key presses: a change of
 * text is what tells the kiosk that someone is there. */
static void
entry_changed_cb (TpDetailsPage *self)
{
  /* "Please type your details instead": once they do, the note has been answered. (A scan
   * putting the fields back and filling them changes them too, and shows its own note after.)
   * The fields are emptied as the page goes, after the note. */
  if (self->scan_note && gtk_widget_has_css_class (GTK_WIDGET (self->scan_note), "scan-problem"))
    gtk_revealer_set_reveal_child (self->scan_revealer, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tp_details_page_dispose (GObject *object)
{
  TpDetailsPage *self = TP_DETAILS_PAGE (object);

  if (self->scanner)
    tp_scan_detector_reset (self->scanner);
  g_clear_object (&self->scanner);
  g_clear_pointer (&self->before_scan, g_ptr_array_unref);
  g_clear_weak_pointer (&self->focus_before_scan);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_DETAILS_PAGE);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->locale, g_free);
  G_OBJECT_CLASS (tp_details_page_parent_class)->dispose (object);
}

static void
tp_details_page_class_init (TpDetailsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_details_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpDetailsPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, TpDetailsPage, scan_revealer);
  gtk_widget_class_bind_template_child (widget_class, TpDetailsPage, scan_note);

  /* The text of a field changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_details_page_init (TpDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->before_scan = g_ptr_array_new_with_free_func (wipe_string);
  self->scanner = tp_scan_detector_new ();
  g_signal_connect_swapped (self->scanner, "burst-started", G_CALLBACK (burst_started_cb), self);
  g_signal_connect_swapped (self->scanner, "scanned", G_CALLBACK (scanned_cb), self);
}

TpDetailsPage *
tp_details_page_new (TpEvent    *event,
                     const char *locale)
{
  TpDetailsPage *self = g_object_new (TP_TYPE_DETAILS_PAGE, NULL);

  self->event = tp_event_ref (event);
  self->locale = g_strdup (locale);
  for (guint i = 0; i < event->fields->len; i++)
    {
      TpFieldRow *row = tp_field_row_new (event, event->fields->pdata[i], locale);

      g_signal_connect (tp_field_row_get_entry (row), "activate", G_CALLBACK (entry_activate_cb), self);
      g_signal_connect_swapped (tp_field_row_get_entry (row), "changed", G_CALLBACK (entry_changed_cb), self);
      g_ptr_array_add (self->rows, row);
      gtk_box_append (self->fields_box, GTK_WIDGET (row));
    }
  return self;
}

void
tp_details_page_focus (TpDetailsPage *self)
{
  g_return_if_fail (TP_IS_DETAILS_PAGE (self));

  /* Without selecting: back on the page, typing must not replace the name already there. */
  if (self->rows->len > 0)
    gtk_entry_grab_focus_without_selecting (tp_field_row_get_entry (self->rows->pdata[0]));
}

void
tp_details_page_apply (TpDetailsPage *self,
                       TpSubmission  *submission)
{
  g_return_if_fail (TP_IS_DETAILS_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      TpFieldRow *row = self->rows->pdata[i];
      const char *text = tp_field_row_get_text (row);

      tp_submission_set_field (submission, tp_field_row_get_field (row)->id, *text ? text : NULL);
    }
}

gboolean
tp_details_page_show_problems (TpDetailsPage *self,
                               TpValidation  *validation)
{
  GtkWidget *first = NULL;

  g_return_val_if_fail (TP_IS_DETAILS_PAGE (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      TpFieldRow *row = self->rows->pdata[i];
      const TpProblem *problem = tp_validation_find (validation, TP_PROBLEM_KIND_FIELD,
                                                     tp_field_row_get_field (row)->id);

      tp_field_row_show_problem (row, problem);
      if (problem && first == NULL)
        {
          first = GTK_WIDGET (tp_field_row_get_entry (row));
          /* The whole row: its label above the entry, its message under it. */
          tp_ui_scroll_into_view (GTK_WIDGET (row), NULL);
        }
    }
  if (first)
    gtk_widget_grab_focus (first);
  return first != NULL;
}
