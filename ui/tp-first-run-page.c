/* tp-first-run-page.c: choosing the staff PIN (on first start, or to change it), typed twice. */
#define G_LOG_DOMAIN "tp-first-run-page"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-first-run-page.h"
#include "tp-pin-pad.h"

#include "tp-pin.h"

struct _TpFirstRunPage
{
  AdwBin    parent_instance;
  TpStore      *store;
  gboolean      changing;
  GCancellable *saving;  /* While the new PIN is hashed and stored. */
  char         *first;   /* The PIN typed the first time, until it is repeated. */
  GtkLabel     *intro_label;
  TpPinPad     *pad;
};

G_DEFINE_FINAL_TYPE (TpFirstRunPage, tp_first_run_page, ADW_TYPE_BIN)

enum
{
  DONE,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
forget_first (TpFirstRunPage *self)
{
  if (self->first)
    explicit_bzero (self->first, strlen (self->first));
  g_clear_pointer (&self->first, g_free);
}

static void
ask_first (TpFirstRunPage *self,
           const char     *message)
{
  forget_first (self);
  tp_pin_pad_set_title (self->pad, _("Choose a staff PIN"));
  tp_pin_pad_set_message (self->pad, message ? message : _("4 to 8 digits"), message != NULL);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TpFirstRunPage *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Cancelled by dispose: the page is gone, touch nothing. */
  if (!tp_pin_set_finish (TP_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->saving);
  tp_pin_pad_set_busy (self->pad, FALSE);
  if (error)
    {
      g_warning ("Saving the staff PIN failed: %s", error->message);
      ask_first (self, error->domain == TP_PIN_ERROR ? error->message
                                                     : _("The PIN could not be saved. Check the disk and try again."));
      return;
    }
  g_signal_emit (self, signals[DONE], 0);
}

static void
submitted_cb (TpFirstRunPage *self,
              const char     *pin)
{
  if (self->saving)
    return;
  if (self->first == NULL)
    {
      self->first = g_strdup (pin);
      tp_pin_pad_set_title (self->pad, _("Type the PIN again"));
      tp_pin_pad_set_message (self->pad, NULL, FALSE);
      return;
    }
  if (strcmp (self->first, pin) != 0)
    {
      ask_first (self, _("The two PINs were not the same. Please start again."));
      return;
    }
  forget_first (self);
  /* Argon2id runs on the store's thread: the pad's spinner turns meanwhile. */
  tp_pin_pad_set_busy (self->pad, TRUE);
  tp_pin_pad_set_message (self->pad, NULL, FALSE);
  self->saving = g_cancellable_new ();
  tp_pin_set_async (self->store, pin, self->saving, saved_cb, self);
}

static void
cancelled_cb (TpFirstRunPage *self)
{
  forget_first (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
tp_first_run_page_dispose (GObject *object)
{
  TpFirstRunPage *self = TP_FIRST_RUN_PAGE (object);

  forget_first (self);
  g_cancellable_cancel (self->saving);
  g_clear_object (&self->saving);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_FIRST_RUN_PAGE);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_first_run_page_parent_class)->dispose (object);
}

static void
tp_first_run_page_class_init (TpFirstRunPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_first_run_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, pad);
  gtk_widget_class_bind_template_callback (widget_class, submitted_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancelled_cb);

  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_first_run_page_init (TpFirstRunPage *self)
{
  g_type_ensure (TP_TYPE_PIN_PAD);
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpFirstRunPage *
tp_first_run_page_new (TpStore  *store,
                       gboolean  changing)
{
  TpFirstRunPage *self = g_object_new (TP_TYPE_FIRST_RUN_PAGE, NULL);

  self->store = g_object_ref (store);
  self->changing = changing;
  gtk_label_set_label (self->intro_label,
                       changing ? _("Choose the new staff PIN. The old one stops working at once.")
                                : _("Welcome to Touchpoint. Before the first visitor, choose the staff PIN: "
                                    "it is needed to quit the kiosk and to open the staff menu. Keep it from "
                                    "visitors."));
  tp_pin_pad_set_cancellable (self->pad, changing);
  ask_first (self, NULL);
  return self;
}
