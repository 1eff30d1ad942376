/* tp-sign-in-page.c: staff sign in: pick an account (or type its name), then its PIN, checked
 * on the store's thread, with that account's lock-out shown as it counts down. */
#define G_LOG_DOMAIN "tp-sign-in-page"

#include <glib/gi18n.h>

#include "tp-sign-in-page.h"
#include "tp-pin-pad.h"

#include "tp-pin.h"

struct _TpSignInPage
{
  AdwBin        parent_instance;
  TpStore      *store;
  char         *name;         /* The account whose PIN the pad asks for. */
  guint         n_accounts;
  GCancellable *checking;     /* While the store's thread compares a PIN. */
  guint         lock_source;

  GtkStack     *steps;        /* The bin's child. */
  GtkFlowBox   *accounts_box;
  GtkEntry     *name_entry;
  GtkLabel     *account_message;
  TpPinPad     *pad;
  GtkButton    *other_button;
};

G_DEFINE_FINAL_TYPE (TpSignInPage, tp_sign_in_page, ADW_TYPE_BIN)

enum
{
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_account_message (TpSignInPage *self,
                     const char   *message)
{
  gtk_label_set_label (self->account_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->account_message), message != NULL);
}

/* While the account is locked the pad says for how long, second by second. */
static gboolean
lock_tick_cb (gpointer data)
{
  TpSignInPage *self = data;
  g_autoptr(TpStaffAccount) account = NULL;

  if (self->name)
    account = tp_staff_get_account (self->store, self->name, tp_pin_now (), NULL);
  if (account && account->lock_remaining > 0)
    {
      g_autofree char *message = tp_pin_describe_lock (account->lock_remaining);

      tp_pin_pad_set_message (self->pad, message, TRUE);
      return G_SOURCE_CONTINUE;
    }
  tp_pin_pad_set_message (self->pad, NULL, FALSE);
  self->lock_source = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_checking (TpSignInPage *self)
{
  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->lock_source, g_source_remove);
  tp_pin_pad_set_busy (self->pad, FALSE);
  tp_pin_pad_clear (self->pad);
}

static void
show_pin_step (TpSignInPage *self,
               const char   *name)
{
  g_autofree char *title = g_strdup_printf (_("PIN for %s"), name);

  stop_checking (self);
  g_free (self->name);
  self->name = g_strdup (name);
  tp_pin_pad_set_title (self->pad, title);
  tp_pin_pad_set_message (self->pad, NULL, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->other_button), self->n_accounts > 1);
  gtk_stack_set_visible_child_name (self->steps, "pin");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_child_focus (GTK_WIDGET (self->pad), GTK_DIR_TAB_FORWARD);
  /* Locked already: say so (and for how long) before anyone types. */
  if (lock_tick_cb (self) == G_SOURCE_CONTINUE)
    self->lock_source = g_timeout_add_seconds (1, lock_tick_cb, self);
}

/* Finds the account (whatever the case of the name) and asks for its PIN. */
static void
choose (TpSignInPage *self,
        const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) account = tp_staff_get_account (self->store, name, tp_pin_now (), &error);

  if (account == NULL)
    {
      if (error->domain != TP_STAFF_ERROR)
        g_warning ("Reading a staff account failed: %s", error->message);
      set_account_message (self, error->domain == TP_STAFF_ERROR
                                   ? error->message : _("The accounts cannot be read: the store cannot be read."));
      return;
    }
  set_account_message (self, NULL);
  show_pin_step (self, account->name);
}

static void
choose_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  choose (TP_SIGN_IN_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpSignInPage *self = TP_SIGN_IN_PAGE (widget);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));

  if (*typed == '\0')
    {
      set_account_message (self, _("Pick your name, or type it."));
      return;
    }
  choose (self, typed);
}

static void
name_activated_cb (TpSignInPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.next", NULL);
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpSignInPage *self = TP_SIGN_IN_PAGE (widget);

  if (self->checking || self->n_accounts <= 1)
    return;
  stop_checking (self);
  g_clear_pointer (&self->name, g_free);
  gtk_stack_set_visible_child_name (self->steps, "account");
  gtk_widget_child_focus (GTK_WIDGET (self->accounts_box), GTK_DIR_TAB_FORWARD);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TpSignInPage *self = TP_SIGN_IN_PAGE (widget);

  if (self->checking)
    return;
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
pad_cancelled_cb (TpSignInPage *self)
{
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
show_problem (TpSignInPage *self,
              const GError *error)
{
  if (error->domain == TP_PIN_ERROR || error->domain == TP_STAFF_ERROR)
    tp_pin_pad_set_message (self->pad, error->message, TRUE);
  else
    {
      g_warning ("Checking a staff PIN failed: %s", error->message);
      tp_pin_pad_set_message (self->pad, _("The PIN cannot be checked: the store cannot be read."), TRUE);
    }
  if (g_error_matches (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED) && self->lock_source == 0)
    self->lock_source = g_timeout_add_seconds (1, lock_tick_cb, self);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TpSignInPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) account = tp_staff_check_finish (TP_STORE (source), result, &error);

  /* The page was closed or another account chosen meanwhile (both cancel): touch nothing. The
   * try was recorded all the same. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->checking);
  tp_pin_pad_set_busy (self->pad, FALSE);
  if (account)
    {
      g_debug ("A %s signed in", tp_staff_role_to_string (account->role));
      g_signal_emit (self, signals[SIGNED_IN], 0, account);
    }
  else
    show_problem (self, error);
}

/* The lock's bookkeeping and Argon2id run on the store's thread: meanwhile the pad's spinner
 * turns and the window keeps drawing. */
static void
pin_submitted_cb (TpSignInPage *self,
                  const char   *pin)
{
  if (self->checking || self->name == NULL)
    return;
  self->checking = g_cancellable_new ();
  tp_pin_pad_set_busy (self->pad, TRUE);
  tp_pin_pad_set_message (self->pad, NULL, FALSE);
  tp_staff_check_async (self->store, self->name, pin, tp_pin_now (), self->checking, checked_cb, self);
}

static void
tp_sign_in_page_dispose (GObject *object)
{
  TpSignInPage *self = TP_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->lock_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_SIGN_IN_PAGE);
  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_sign_in_page_parent_class)->dispose (object);
}

static void
tp_sign_in_page_class_init (TpSignInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_sign_in_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpSignInPage, accounts_box);
  gtk_widget_class_bind_template_child (widget_class, TpSignInPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TpSignInPage, account_message);
  gtk_widget_class_bind_template_child (widget_class, TpSignInPage, pad);
  gtk_widget_class_bind_template_child (widget_class, TpSignInPage, other_button);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_submitted_cb);
  gtk_widget_class_bind_template_callback (widget_class, pad_cancelled_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.choose", "s", choose_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-in.cancel", NULL);

  /* The account that signed in (a TpStaffAccount, valid during the emission). */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                     TP_TYPE_STAFF_ACCOUNT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_sign_in_page_init (TpSignInPage *self)
{
  g_type_ensure (TP_TYPE_PIN_PAD);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child: not a bound template child, which dispose would free under the bin. */
  self->steps = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

static void
add_account_button (TpSignInPage         *self,
                    const TpStaffAccount *account,
                    guint                 index)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (account->name);
  GtkWidget *role = gtk_label_new (tp_staff_role_describe (account->role));
  g_autofree char *widget_name = g_strdup_printf ("sign-in-account-%u", index);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (role, "dim-label");
  gtk_widget_add_css_class (role, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), role);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sign-in.choose");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", account->name);
  gtk_widget_set_name (button, widget_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, account->name, -1);
  gtk_widget_add_css_class (button, "card");
  gtk_flow_box_append (self->accounts_box, button);
}

TpSignInPage *
tp_sign_in_page_new (TpStore *store)
{
  TpSignInPage *self = g_object_new (TP_TYPE_SIGN_IN_PAGE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  self->store = g_object_ref (store);
  accounts = tp_staff_list (store, tp_pin_now (), &error);
  if (accounts == NULL)
    {
      g_warning ("Listing the staff accounts failed: %s", error->message);
      set_account_message (self, _("The accounts cannot be read: the store cannot be read."));
      return self;
    }
  self->n_accounts = accounts->len;
  for (guint i = 0; i < accounts->len; i++)
    add_account_button (self, accounts->pdata[i], i);
  /* One account: nothing to pick, its PIN at once (as the kiosk of a single PIN did). */
  if (accounts->len == 1)
    show_pin_step (self, ((TpStaffAccount *) accounts->pdata[0])->name);
  return self;
}

const char *
tp_sign_in_page_get_step (TpSignInPage *self)
{
  g_return_val_if_fail (TP_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->steps);
}

const char *
tp_sign_in_page_get_account_name (TpSignInPage *self)
{
  g_return_val_if_fail (TP_IS_SIGN_IN_PAGE (self), NULL);
  return self->name;
}
