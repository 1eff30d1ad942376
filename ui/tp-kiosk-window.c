/* tp-kiosk-window.c: the kiosk's one window: the visit, idle reset, staff sign-in and menu. */
#define G_LOG_DOMAIN "tp-kiosk-window"

#include <glib/gi18n.h>

#include "tp-kiosk-window.h"
#include "tp-first-run-page.h"
#include "tp-sign-in-page.h"
#include "tp-staff-page.h"
#include "tp-still-there.h"
#include "tp-ui.h"

#include "tp-i18n.h"
#include "tp-staff.h"

#define DEFAULT_STILL_THERE_SECONDS 10

struct _TpKioskWindow
{
  AdwApplicationWindow  parent_instance;
  TpEvent              *event;
  TpStore              *store;
  gboolean              locked_down;
  gboolean              quitting;
  TpStaffAccount       *account;               /* Who signed in; NULL while locked. */
  guint                 still_there_seconds;
  guint                 countdown_left;
  guint                 idle_source;
  guint                 countdown_source;
  guint                 reset_source;
  guint                 staff_source;
  guint                 checkpoint_source;
  gboolean              staff_then_page;
  TpVisitView          *visit;
  GtkWidget            *focus_before_prompt;   /* Weak: where the visitor was typing. */

  AdwHeaderBar         *header_bar;
  GtkStack             *screen_stack;
  GtkStack             *mode_stack;
  AdwBin               *first_run_bin;
  AdwBin               *visit_bin;
  TpStillThere         *still_there;
  AdwBin               *staff_bin;
  GtkWidget            *corner;
};

G_DEFINE_FINAL_TYPE (TpKioskWindow, tp_kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

static void reset (TpKioskWindow *self);
static void restart_idle (TpKioskWindow *self);

/* ---- Idle reset ------------------------------------------------------------------------- */

static void
hide_still_there (TpKioskWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean had_focus = focus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->still_there));

  g_clear_handle_id (&self->countdown_source, g_source_remove);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->still_there)))
    return;
  /* The page comes back (mapped again) before the focus is given back to it. */
  gtk_stack_set_visible_child_name (self->screen_stack, "main");
  gtk_widget_set_visible (GTK_WIDGET (self->still_there), FALSE);
  /* The prompt took the focus (Enter keeps the visit): give it back to the field the visitor
   * was in, or their next keys (and an on-screen keyboard's text) go to another field. */
  if (had_focus && self->focus_before_prompt && gtk_widget_is_sensitive (self->focus_before_prompt) &&
      gtk_widget_get_mapped (self->focus_before_prompt))
    gtk_widget_grab_focus (self->focus_before_prompt);
  else if (had_focus && self->visit)
    tp_visit_view_focus (self->visit);
  g_clear_weak_pointer (&self->focus_before_prompt);
}

static gboolean
countdown_cb (gpointer data)
{
  TpKioskWindow *self = data;

  if (self->countdown_left > 0)
    self->countdown_left--;
  if (self->countdown_left == 0)
    {
      self->countdown_source = 0;
      g_debug ("Nobody answered: starting over");
      reset (self);
      return G_SOURCE_REMOVE;
    }
  tp_still_there_set_seconds (self->still_there, self->countdown_left);
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_cb (gpointer data)
{
  TpKioskWindow *self = data;
  gboolean staff = gtk_widget_get_visible (GTK_WIDGET (self->staff_bin));
  const char *page = tp_visit_view_get_page_name (self->visit);

  self->idle_source = 0;
  /* Nothing to protect on an untouched welcome page; the reward page counts down by itself. */
  if (!staff && (tp_visit_view_is_pristine (self->visit) || g_strcmp0 (page, "reward") == 0))
    return G_SOURCE_REMOVE;
  /* After declining nothing is kept and nothing is asked: the kiosk simply starts over. */
  if (!staff && g_strcmp0 (page, "declined") == 0)
    {
      reset (self);
      return G_SOURCE_REMOVE;
    }

  self->countdown_left = self->still_there_seconds;
  tp_still_there_set_seconds (self->still_there, self->countdown_left);
  g_set_weak_pointer (&self->focus_before_prompt, gtk_root_get_focus (GTK_ROOT (self)));
  /* The card takes the whole screen: the page behind it, with the visitor's name and email,
   * is unmapped, not dimmed. */
  gtk_widget_set_visible (GTK_WIDGET (self->still_there), TRUE);
  gtk_stack_set_visible_child (self->screen_stack, GTK_WIDGET (self->still_there));
  self->countdown_source = g_timeout_add (1000, countdown_cb, self);
  return G_SOURCE_REMOVE;
}

static void
restart_idle (TpKioskWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  hide_still_there (self);
  if (self->visit == NULL)
    return;
  self->idle_source = g_timeout_add (self->event->idle_reset_seconds * 1000, idle_cb, self);
}

void
tp_kiosk_window_note_activity (TpKioskWindow *self)
{
  g_return_if_fail (TP_IS_KIOSK_WINDOW (self));
  restart_idle (self);
}

/* Every touch, click, scroll or key press anywhere restarts the wait (capture phase: before
 * any widget can keep the event for itself). */
static gboolean
input_event_cb (TpKioskWindow *self,
                GdkEvent      *event)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
      restart_idle (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Badge scanners type like a keyboard: their keys are looked at before the focused widget
 * gets them, wherever focus is. */
static gboolean
key_pressed_cb (TpKioskWindow         *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  guint32 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));

  if (self->visit == NULL || gtk_widget_get_visible (GTK_WIDGET (self->staff_bin)))
    return GDK_EVENT_PROPAGATE;
  return tp_visit_view_handle_key (self->visit, keyval, keycode, state, time);
}

/* ---- Visits ----------------------------------------------------------------------------- */

/* Pages ask for a reset or another staff screen from inside their own signal handlers (a
 * button's action, the PIN pad's "submitted"): the widgets are replaced once that is over. */
static gboolean
reset_idle_cb (gpointer data)
{
  TpKioskWindow *self = data;

  self->reset_source = 0;
  reset (self);
  return G_SOURCE_REMOVE;
}

static void
defer_reset (TpKioskWindow *self)
{
  if (self->reset_source == 0)
    self->reset_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reset_idle_cb, self, NULL);
}

static void
visit_finished_cb (TpKioskWindow *self)
{
  defer_reset (self);
}

static void
visit_activity_cb (TpKioskWindow *self)
{
  restart_idle (self);
}

/* The window's own words (its title, the staff corner's name for screen readers) follow the
 * visitor's language like the pages do: the template translated them once, at start. */
static void
language_changed_cb (TpKioskWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Touchpoint"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->corner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Staff menu (press and hold)"), -1);
}

/* What a visitor may have copied must not be there for the next one. */
static void
clear_clipboards (TpKioskWindow *self)
{
  GdkClipboard *clipboards[] = { gtk_widget_get_clipboard (GTK_WIDGET (self)),
                                 gtk_widget_get_primary_clipboard (GTK_WIDGET (self)) };

  for (guint i = 0; i < G_N_ELEMENTS (clipboards); i++)
    if (gdk_clipboard_is_local (clipboards[i]))
      gdk_clipboard_set_content (clipboards[i], NULL);
}

/* Dialogs a visitor opened (printing) close with their visit. */
static void
close_transients (TpKioskWindow *self)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      gtk_window_destroy (l->data);
}

static void close_staff (TpKioskWindow *self);

/* Between visitors the write-ahead log is folded into the database, so that the next
 * visitor's capture never waits for it. */
static gboolean
checkpoint_cb (gpointer data)
{
  TpKioskWindow *self = data;
  g_autoptr(GError) error = NULL;

  self->checkpoint_source = 0;
  if (!tp_store_checkpoint (self->store, &error))
    g_warning ("Checkpointing the store failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* A new visitor: every page is built afresh and the last visitor's widgets, submission and
 * clipboard are gone. */
static void
reset (TpKioskWindow *self)
{
  hide_still_there (self);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->reset_source, g_source_remove);
  close_staff (self);
  close_transients (self);
  clear_clipboards (self);
  adw_bin_set_child (self->first_run_bin, NULL);

  if (self->visit)
    {
      g_signal_handlers_disconnect_by_data (self->visit, self);
      adw_bin_set_child (self->visit_bin, NULL);
      self->visit = NULL;
    }
  self->visit = tp_visit_view_new (self->event, self->store, self->event->default_locale);
  g_signal_connect_swapped (self->visit, "finished", G_CALLBACK (visit_finished_cb), self);
  g_signal_connect_swapped (self->visit, "activity", G_CALLBACK (visit_activity_cb), self);
  g_signal_connect_swapped (self->visit, "notify::language", G_CALLBACK (language_changed_cb), self);
  language_changed_cb (self);
  adw_bin_set_child (self->visit_bin, GTK_WIDGET (self->visit));
  gtk_stack_set_visible_child_name (self->mode_stack, "kiosk");
  tp_visit_view_focus (self->visit);
  restart_idle (self);
  /* At low priority: after the welcome page is laid out and drawn. */
  if (self->checkpoint_source == 0)
    self->checkpoint_source = g_idle_add_full (G_PRIORITY_LOW, checkpoint_cb, self, NULL);
}

static void
reset_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  reset (TP_KIOSK_WINDOW (widget));
}

static void
still_here_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  restart_idle (TP_KIOSK_WINDOW (widget));
}

/* ---- First start: the first admin ------------------------------------------------------ */

static void
first_run_done_cb (TpKioskWindow *self)
{
  defer_reset (self);
}

static void
show_first_run (TpKioskWindow *self)
{
  TpFirstRunPage *page = tp_first_run_page_new (self->store, NULL);

  tp_ui_keep_words (GTK_WIDGET (page));
  g_signal_connect_swapped (page, "done", G_CALLBACK (first_run_done_cb), self);
  adw_bin_set_child (self->first_run_bin, GTK_WIDGET (page));
  gtk_stack_set_visible_child_name (self->mode_stack, "first-run");
}

/* ---- Staff: signing in and the menu behind it ------------------------------------------ */

static void show_staff_page (TpKioskWindow *self);

static gboolean
staff_idle_cb (gpointer data)
{
  TpKioskWindow *self = data;

  self->staff_source = 0;
  if (self->staff_then_page)
    show_staff_page (self);
  else
    {
      close_staff (self);
      restart_idle (self);
    }
  return G_SOURCE_REMOVE;
}

/* The staff menu again (page) or the visitor's screen (!page), once the current handler ran. */
static void
defer_staff (TpKioskWindow *self,
             gboolean       page)
{
  self->staff_then_page = page;
  if (self->staff_source == 0)
    self->staff_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, staff_idle_cb, self, NULL);
}

static void
sign_in_cancelled_cb (TpKioskWindow *self)
{
  defer_staff (self, FALSE);
}

static void
signed_in_cb (TpKioskWindow        *self,
              const TpStaffAccount *account)
{
  g_clear_pointer (&self->account, tp_staff_account_free);
  self->account = tp_staff_account_copy (account);
  defer_staff (self, TRUE);
}

static void
close_staff (TpKioskWindow *self)
{
  gboolean was_open = gtk_widget_get_visible (GTK_WIDGET (self->staff_bin));

  g_clear_handle_id (&self->staff_source, g_source_remove);
  /* Signed out: the next one signs in again. */
  g_clear_pointer (&self->account, tp_staff_account_free);
  adw_bin_set_child (self->staff_bin, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_bin), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_stack), TRUE);
  /* Back to the visitor's page, where they left it. */
  if (was_open && self->visit)
    tp_visit_view_focus (self->visit);
}

static void
show_staff_layer (TpKioskWindow *self,
                  GtkWidget     *child)
{
  tp_ui_keep_words (child);
  adw_bin_set_child (self->staff_bin, child);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_bin), TRUE);
  /* The visitor's page underneath takes no focus or keys meanwhile. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_stack), FALSE);
  hide_still_there (self);
  gtk_widget_child_focus (child, GTK_DIR_TAB_FORWARD);
  restart_idle (self);
}

static void
unlock_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (widget);
  TpSignInPage *page;

  if (self->visit == NULL || gtk_widget_get_visible (GTK_WIDGET (self->staff_bin)))
    return;
  /* The account's name, then its PIN; a single account goes straight to its PIN. */
  page = tp_sign_in_page_new (self->store);
  gtk_widget_set_name (GTK_WIDGET (page), "staff-sign-in");
  g_signal_connect_swapped (page, "signed-in", G_CALLBACK (signed_in_cb), self);
  g_signal_connect_swapped (page, "cancelled", G_CALLBACK (sign_in_cancelled_cb), self);
  show_staff_layer (self, GTK_WIDGET (page));
}

static void
show_staff_page (TpKioskWindow *self)
{
  TpStaffPage *page;

  g_return_if_fail (self->account != NULL);
  page = tp_staff_page_new (self->event, self->store, self->account);
  g_debug ("Staff menu opened");
  gtk_widget_set_name (GTK_WIDGET (page), "staff-page");
  show_staff_layer (self, GTK_WIDGET (page));
}

static void
lock_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (widget);

  close_staff (self);
  restart_idle (self);
}

static void
quit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (self->account == NULL || !tp_staff_can (self->account, TP_STAFF_ACTION_QUIT_KIOSK))
    return;
  g_debug ("Staff quit the kiosk");
  self->quitting = TRUE;
  close_staff (self);
  if (app)
    g_application_quit (G_APPLICATION (app));
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
pin_changed_cb (TpKioskWindow *self)
{
  defer_staff (self, TRUE);
}

static void
change_pin_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (widget);
  TpFirstRunPage *page;

  if (self->account == NULL)
    return;
  page = tp_first_run_page_new (self->store, self->account);
  gtk_widget_set_name (GTK_WIDGET (page), "change-pin-page");
  g_signal_connect_swapped (page, "done", G_CALLBACK (pin_changed_cb), self);
  g_signal_connect_swapped (page, "cancelled", G_CALLBACK (pin_changed_cb), self);
  show_staff_layer (self, GTK_WIDGET (page));
}

/* A long press on the top left corner: staff know it, visitors do not stumble on it. */
static void
corner_pressed_cb (TpKioskWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "staff.unlock", NULL);
}

/* ---- The window ------------------------------------------------------------------------- */

static gboolean
tp_kiosk_window_close_request (GtkWindow *window)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (window);

  /* A locked-down kiosk closes only through the staff menu. */
  if (self->locked_down && !self->quitting)
    return TRUE;
  return GTK_WINDOW_CLASS (tp_kiosk_window_parent_class)->close_request (window);
}

static void
tp_kiosk_window_dispose (GObject *object)
{
  TpKioskWindow *self = TP_KIOSK_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  g_clear_handle_id (&self->reset_source, g_source_remove);
  g_clear_handle_id (&self->staff_source, g_source_remove);
  g_clear_handle_id (&self->checkpoint_source, g_source_remove);
  g_clear_pointer (&self->account, tp_staff_account_free);
  g_clear_weak_pointer (&self->focus_before_prompt);
  if (self->visit)
    g_signal_handlers_disconnect_by_data (self->visit, self);
  self->visit = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_KIOSK_WINDOW);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_kiosk_window_parent_class)->dispose (object);
}

static void
tp_kiosk_window_class_init (TpKioskWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_kiosk_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = tp_kiosk_window_close_request;

  g_type_ensure (TP_TYPE_STILL_THERE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, screen_stack);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, first_run_bin);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, visit_bin);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, still_there);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, staff_bin);
  gtk_widget_class_bind_template_child (widget_class, TpKioskWindow, corner);
  gtk_widget_class_bind_template_callback (widget_class, input_event_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, corner_pressed_cb);

  gtk_widget_class_install_action (widget_class, "kiosk.reset", NULL, reset_activated);
  gtk_widget_class_install_action (widget_class, "kiosk.still-here", NULL, still_here_activated);
  gtk_widget_class_install_action (widget_class, "staff.unlock", NULL, unlock_activated);
  gtk_widget_class_install_action (widget_class, "staff.lock", NULL, lock_activated);
  gtk_widget_class_install_action (widget_class, "staff.quit", NULL, quit_activated);
  gtk_widget_class_install_action (widget_class, "staff.change-pin", NULL, change_pin_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_ALT_MASK, "staff.unlock", NULL);
}

static void
tp_kiosk_window_init (TpKioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tp_ui_keep_words (GTK_WIDGET (self->still_there));
  self->locked_down = TRUE;
  self->still_there_seconds = DEFAULT_STILL_THERE_SECONDS;
}

TpKioskWindow *
tp_kiosk_window_new (GtkApplication *app,
                     TpEvent        *event,
                     TpStore        *store)
{
  TpKioskWindow *self = g_object_new (TP_TYPE_KIOSK_WINDOW, "application", app, NULL);
  g_autoptr(GError) error = NULL;
  gint64 accounts;

  self->event = tp_event_ref (event);
  self->store = g_object_ref (store);
  accounts = tp_staff_count (store, &error);
  if (accounts < 0)
    /* Creating the first admin will say whether the store can be written. */
    g_warning ("The staff accounts cannot be read: %s", error->message);
  if (accounts > 0)
    reset (self);
  else
    {
      tp_i18n_set_language (event->default_locale);
      show_first_run (self);
    }
  return self;
}

void
tp_kiosk_window_set_locked_down (TpKioskWindow *self,
                                 gboolean       locked_down)
{
  g_return_if_fail (TP_IS_KIOSK_WINDOW (self));

  self->locked_down = locked_down;
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !locked_down);
}

TpVisitView *
tp_kiosk_window_get_visit (TpKioskWindow *self)
{
  g_return_val_if_fail (TP_IS_KIOSK_WINDOW (self), NULL);
  return self->visit;
}

const char *
tp_kiosk_window_get_mode (TpKioskWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (TP_IS_KIOSK_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "first-run") == 0)
    return "first-run";
  if (!gtk_widget_get_visible (GTK_WIDGET (self->staff_bin)))
    return "visit";
  child = adw_bin_get_child (self->staff_bin);
  if (TP_IS_SIGN_IN_PAGE (child))
    return g_strcmp0 (tp_sign_in_page_get_step (TP_SIGN_IN_PAGE (child)), "pin") == 0 ? "pin" : "sign-in";
  if (TP_IS_STAFF_PAGE (child))
    return "staff";
  return "change-pin";
}

gboolean
tp_kiosk_window_is_still_there_shown (TpKioskWindow *self)
{
  g_return_val_if_fail (TP_IS_KIOSK_WINDOW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->still_there));
}

void
tp_kiosk_window_set_still_there_seconds (TpKioskWindow *self,
                                         guint          seconds)
{
  g_return_if_fail (TP_IS_KIOSK_WINDOW (self));
  self->still_there_seconds = MAX (seconds, 1);
}

const TpStaffAccount *
tp_kiosk_window_get_account (TpKioskWindow *self)
{
  g_return_val_if_fail (TP_IS_KIOSK_WINDOW (self), NULL);
  return self->account;
}
