/* tp-first-run-page.c: the first start's first admin (a name, then a PIN typed twice), or a new
 * PIN for the account signed in. */
#define G_LOG_DOMAIN "tp-first-run-page"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-first-run-page.h"
#include "tp-pin-pad.h"

#include "tp-pin.h"

struct _TpFirstRunPage
{
  AdwBin          parent_instance;
  TpStore        *store;
  TpStaffAccount *account;  /* Whose PIN changes; NULL on the first start. */
  char           *name;     /* The first admin's name, once chosen. */
  GCancellable   *saving;   /* While the new PIN is hashed and stored. */
  char           *first;    /* The PIN typed the first time, until it is repeated. */
  GtkLabel       *intro_label;
  GtkStack       *steps;
  GtkEntry       *name_entry;
  GtkLabel       *name_message;
  TpPinPad       *pad;
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
ask_name (TpFirstRunPage *self,
          const char     *message)
{
  forget_first (self);
  gtk_label_set_label (self->name_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_message), message != NULL);
  gtk_stack_set_visible_child_name (self->steps, "name");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
continue_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TpFirstRunPage *self = TP_FIRST_RUN_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = tp_staff_normalize_name (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)), &error);

  if (name == NULL)
    {
      ask_name (self, error->message);
      return;
    }
  g_free (self->name);
  self->name = g_steal_pointer (&name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), self->name);
  gtk_widget_set_visible (GTK_WIDGET (self->name_message), FALSE);
  ask_first (self, NULL);
  gtk_stack_set_visible_child_name (self->steps, "pin");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_child_focus (GTK_WIDGET (self->pad), GTK_DIR_TAB_FORWARD);
}

static void
name_activated_cb (TpFirstRunPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "first-run.continue", NULL);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TpFirstRunPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) account = NULL;

  account = self->account ? tp_staff_set_pin_finish (TP_STORE (source), result, &error)
                          : tp_staff_add_finish (TP_STORE (source), result, &error);
  /* Cancelled by dispose: the page is gone, touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->saving);
  tp_pin_pad_set_busy (self->pad, FALSE);
  if (account == NULL)
    {
      g_warning ("Saving the staff PIN failed: %s", error->message);
      /* A name refused (taken meanwhile by the command line, say) is chosen again. */
      if (g_error_matches (error, TP_STAFF_ERROR, TP_STAFF_ERROR_EXISTS) ||
          g_error_matches (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME))
        ask_name (self, error->message);
      else
        ask_first (self, error->domain == TP_PIN_ERROR || error->domain == TP_STAFF_ERROR
                           ? error->message : _("The PIN could not be saved. Check the disk and try again."));
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
  if (self->account)
    {
      g_autoptr(TpActor) actor = tp_actor_new_for_account (self->account);

      tp_staff_set_pin_async (self->store, actor, self->account->name, pin, self->saving, saved_cb, self);
    }
  else
    tp_staff_add_async (self->store, NULL, self->name, TP_STAFF_ROLE_ADMIN, pin, self->saving, saved_cb, self);
}

static void
cancelled_cb (TpFirstRunPage *self)
{
  /* On the first start, Cancel goes back to the name; a change of PIN is given up. */
  if (self->account == NULL)
    {
      ask_name (self, NULL);
      return;
    }
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
  g_clear_pointer (&self->account, tp_staff_account_free);
  g_clear_pointer (&self->name, g_free);
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
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, steps);
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, name_message);
  gtk_widget_class_bind_template_child (widget_class, TpFirstRunPage, pad);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, submitted_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancelled_cb);

  gtk_widget_class_install_action (widget_class, "first-run.continue", NULL, continue_activated);

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
tp_first_run_page_new (TpStore              *store,
                       const TpStaffAccount *account)
{
  TpFirstRunPage *self = g_object_new (TP_TYPE_FIRST_RUN_PAGE, NULL);

  self->store = g_object_ref (store);
  if (account)
    {
      g_autofree char *intro = g_strdup_printf (_("Choose the new PIN for %s. The old one stops working at once."),
                                                account->name);

      self->account = tp_staff_account_copy (account);
      gtk_label_set_label (self->intro_label, intro);
      gtk_stack_set_visible_child_name (self->steps, "pin");
    }
  else
    {
      gtk_label_set_label (self->intro_label,
                           _("Welcome to Touchpoint. Before the first visitor, create the first admin account: "
                             "your name, then a PIN. It is needed to open the staff menu and to quit the kiosk. "
                             "Keep it from visitors."));
      gtk_stack_set_visible_child_name (self->steps, "name");
    }
  /* A change of PIN can be given up; the first start cannot be skipped (Cancel goes back to
   * the name). */
  tp_pin_pad_set_cancellable (self->pad, TRUE);
  ask_first (self, NULL);
  return self;
}

const char *
tp_first_run_page_get_step (TpFirstRunPage *self)
{
  g_return_val_if_fail (TP_IS_FIRST_RUN_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->steps);
}
