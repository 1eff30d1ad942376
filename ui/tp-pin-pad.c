/* tp-pin-pad.c: a numeric pad for the staff PIN, by touch or keyboard; the digits never show. */
#define G_LOG_DOMAIN "tp-pin-pad"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-pin-pad.h"

#include "tp-pin.h"

struct _TpPinPad
{
  AdwBin      parent_instance;
  char        digits[TP_PIN_MAX_DIGITS + 1];
  guint       length;
  gboolean    busy;
  gboolean    cancellable;
  GtkLabel   *title_label;
  GtkLabel   *message_label;
  GtkLabel   *dots_label;
  GtkGrid    *keypad;
  GtkSpinner *spinner;
  GtkButton  *cancel_button;
};

G_DEFINE_FINAL_TYPE (TpPinPad, tp_pin_pad, ADW_TYPE_BIN)

enum
{
  SUBMITTED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_dots (TpPinPad *self)
{
  GString *dots = g_string_new (NULL);
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < MAX (self->length, TP_PIN_MIN_DIGITS); i++)
    g_string_append (dots, i < self->length ? "●" : "○");
  gtk_label_set_label (self->dots_label, dots->str);
  g_string_free (dots, TRUE);
  accessible = g_strdup_printf (dngettext (GETTEXT_PACKAGE, "%u digit entered", "%u digits entered",
                                           self->length), self->length);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dots_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.submit", !self->busy && self->length >= TP_PIN_MIN_DIGITS);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.delete", !self->busy && self->length > 0);
}

void
tp_pin_pad_clear (TpPinPad *self)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));

  explicit_bzero (self->digits, sizeof self->digits);
  self->length = 0;
  update_dots (self);
}

void
tp_pin_pad_type (TpPinPad   *self,
                 const char *digits)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));

  for (const char *c = digits; *c; c++)
    if (g_ascii_isdigit (*c) && !self->busy && self->length < TP_PIN_MAX_DIGITS)
      self->digits[self->length++] = *c;
  update_dots (self);
}

static void
submit (TpPinPad *self)
{
  if (self->busy || self->length < TP_PIN_MIN_DIGITS)
    return;
  /* A handler may take the pad off screen: keep it alive to wipe the digits. */
  g_object_ref (self);
  g_signal_emit (self, signals[SUBMITTED], 0, self->digits);
  /* Whatever the outcome, the digits go: a new try starts from nothing. */
  explicit_bzero (self->digits, sizeof self->digits);
  self->length = 0;
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    update_dots (self);
  g_object_unref (self);
}

static void
digit_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  tp_pin_pad_type (TP_PIN_PAD (widget), g_variant_get_string (parameter, NULL));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TpPinPad *self = TP_PIN_PAD (widget);

  if (self->length > 0)
    self->digits[--self->length] = '\0';
  update_dots (self);
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  submit (TP_PIN_PAD (widget));
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TpPinPad *self = TP_PIN_PAD (widget);

  tp_pin_pad_clear (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* Digits, Backspace, Enter and Escape work from a keyboard wherever focus is in the pad. */
static gboolean
key_pressed_cb (TpPinPad        *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  if (c >= '0' && c <= '9')
    {
      char digit[2] = { (char) c, '\0' };

      tp_pin_pad_type (self, digit);
      return TRUE;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      delete_activated (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    case GDK_KEY_Escape:
      if (self->cancellable && !self->busy)
        cancel_activated (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      /* Enter on the Cancel button cancels, as it says. */
      if (root && gtk_root_get_focus (root) == GTK_WIDGET (self->cancel_button))
        return FALSE;
      submit (self);
      return TRUE;
    default:
      return FALSE;
    }
}

void
tp_pin_pad_set_title (TpPinPad   *self,
                      const char *title)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));
  gtk_label_set_label (self->title_label, title);
}

void
tp_pin_pad_set_message (TpPinPad   *self,
                        const char *message,
                        gboolean    is_error)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));

  gtk_label_set_label (self->message_label, message ? message : "");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "field-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "field-error");
}

void
tp_pin_pad_set_busy (TpPinPad *self,
                     gboolean  busy)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));

  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* A PIN being saved cannot be taken back halfway: Cancel waits for the answer. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.cancel", self->cancellable && !busy);
  update_dots (self);
}

void
tp_pin_pad_set_cancellable (TpPinPad *self,
                            gboolean  cancellable)
{
  g_return_if_fail (TP_IS_PIN_PAD (self));

  self->cancellable = cancellable;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.cancel", cancellable && !self->busy);
}

static void
tp_pin_pad_dispose (GObject *object)
{
  TpPinPad *self = TP_PIN_PAD (object);

  explicit_bzero (self->digits, sizeof self->digits);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_PIN_PAD);
  G_OBJECT_CLASS (tp_pin_pad_parent_class)->dispose (object);
}

static void
tp_pin_pad_class_init (TpPinPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_pin_pad_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, title_label);
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, message_label);
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, dots_label);
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, keypad);
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, spinner);
  gtk_widget_class_bind_template_child (widget_class, TpPinPad, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed_cb);

  gtk_widget_class_install_action (widget_class, "pin.digit", "s", digit_activated);
  gtk_widget_class_install_action (widget_class, "pin.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "pin.submit", NULL, submit_activated);
  gtk_widget_class_install_action (widget_class, "pin.cancel", NULL, cancel_activated);

  /* The digits typed; valid only during the emission (they are wiped right after). */
  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                     G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_pin_pad_init (TpPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = TRUE;

  /* Phone-pad order, each key at least 72 pixels square for a finger. */
  for (guint i = 0; i < 12; i++)
    {
      GtkWidget *button;
      g_autofree char *name = NULL;

      if (i == 9)
        {
          button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pin.delete");
          gtk_widget_set_tooltip_text (button, _("Delete the last digit"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Delete the last digit"), -1);
          gtk_widget_set_name (button, "pin-delete");
        }
      else if (i == 11)
        {
          button = gtk_button_new_with_label (_("OK"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pin.submit");
          gtk_widget_add_css_class (button, "suggested-action");
          gtk_widget_set_name (button, "pin-ok");
        }
      else
        {
          char digit[2] = { i == 10 ? '0' : (char) ('1' + i), '\0' };

          button = gtk_button_new_with_label (digit);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pin.digit");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", digit);
          name = g_strdup_printf ("pin-key-%s", digit);
          gtk_widget_set_name (button, name);
        }
      gtk_widget_add_css_class (button, "pin-key");
      gtk_grid_attach (self->keypad, button, i % 3, i / 3, 1, 1);
    }
  update_dots (self);
}

TpPinPad *
tp_pin_pad_new (void)
{
  return g_object_new (TP_TYPE_PIN_PAD, NULL);
}
