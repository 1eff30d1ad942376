/* test-kiosk-staff.c: the staff side of the kiosk under Xvfb: choosing the PIN on first
 * start, the PIN pad and its lock that survives a restart, the staff menu, quitting. */
#include "kiosk-test-util.h"

#include <string.h>

#include "tp-pin.h"
#include "ui/tp-coupon-printer.h"
#include "ui/tp-pin-pad.h"
#include "ui/tp-printer-row.h"
#include "ui/tp-first-run-page.h"

#define PIN "2580"

typedef KioskFixture Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  kiosk_fixture_set_up (f, data);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  kiosk_fixture_tear_down (f);
}

static const char *
mode (Fixture *f)
{
  return tp_kiosk_window_get_mode (f->window);
}

static TpPinPad *
pad (Fixture *f)
{
  GtkWidget *widget = kiosk_test_find_type (GTK_WIDGET (f->window), TP_TYPE_PIN_PAD);

  g_assert_nonnull (widget);
  return TP_PIN_PAD (widget);
}

static GtkLabel *
pad_message (Fixture *f)
{
  return GTK_LABEL (kiosk_test_get (GTK_WIDGET (pad (f)), "pin-message"));
}

static void
enter_pin (Fixture    *f,
           const char *pin)
{
  tp_pin_pad_type (pad (f), pin);
  kiosk_test_action (GTK_WIDGET (pad (f)), "pin.submit", NULL);
}

typedef struct
{
  Fixture *f;
} Waiter;

static gboolean
check_finished (gpointer data)
{
  Fixture *f = data;

  if (g_strcmp0 (mode (f), "pin") != 0)
    return TRUE;
  /* The message line is always there (the keys do not move): a message is text in it. */
  return *gtk_label_get_label (pad_message (f)) != '\0';
}

/* The check runs in a worker thread: wait for its answer (a message or the staff menu). */
static void
wait_for_check (Fixture *f)
{
  g_assert_true (kiosk_test_wait_until (check_finished, f, 10000));
  kiosk_test_spin ();
}

static void
test_first_run (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpPinState state;

  /* No PIN yet: the kiosk asks for one before any visitor, and cannot be skipped. */
  g_assert_cmpstr (mode (f), ==, "first-run");
  g_assert_null (tp_kiosk_window_get_visit (f->window));
  g_assert_false (gtk_widget_get_visible (kiosk_test_get (GTK_WIDGET (pad (f)), "pin-cancel")));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-first-run");
  /* The staff shortcut does nothing before a PIN exists. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  g_assert_cmpstr (mode (f), ==, "first-run");

  enter_pin (f, "1357");
  enter_pin (f, "1358");
  g_assert_cmpstr (mode (f), ==, "first-run");
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "서로 달라요"));
  g_assert_true (tp_pin_get_state (f->store, tp_pin_now (), &state, &error));
  g_assert_false (state.is_set);

  enter_pin (f, "1357");
  enter_pin (f, "1357");
  g_assert_cmpstr (mode (f), ==, "visit");
  g_assert_cmpstr (kiosk_test_page_name (f->window), ==, "welcome");
  g_assert_true (tp_pin_check (f->store, "1357", tp_pin_now (), &error));
  g_assert_no_error (error);
}

static void
test_unlock_and_quit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = tp_store_capture (f->store, f->event, submission, NULL, NULL, &error);
  GtkWidget *leads;

  g_assert_no_error (error);
  g_assert_cmpstr (mode (f), ==, "visit");
  /* Quitting needs the PIN first. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.quit", NULL);
  kiosk_test_spin ();
  g_assert_nonnull (f->window);

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  g_assert_cmpstr (mode (f), ==, "pin");
  /* The visitor's page underneath takes no keys while the pad is up. */
  g_assert_false (gtk_widget_is_sensitive (kiosk_test_page (f->window)));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-pin-pad");
  /* Cancel goes back to the visitor's page as it was. */
  kiosk_test_action (GTK_WIDGET (pad (f)), "pin.cancel", NULL);
  g_assert_cmpstr (mode (f), ==, "visit");
  g_assert_true (gtk_widget_is_sensitive (kiosk_test_page (f->window)));

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  leads = kiosk_test_get (GTK_WIDGET (f->window), "leads-count");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (leads)), ==, "1");
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-staff");

  kiosk_test_action (GTK_WIDGET (f->window), "staff.lock", NULL);
  g_assert_cmpstr (mode (f), ==, "visit");
  /* Locked again: quitting needs the PIN again. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.quit", NULL);
  kiosk_test_spin ();
  g_assert_nonnull (f->window);

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.quit", NULL);
  g_assert_null (f->window);
}

static void
test_lockout_persists (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpPinState state;

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  for (guint i = 0; i < TP_PIN_TRIES; i++)
    {
      enter_pin (f, "0000");
      wait_for_check (f);
      g_assert_cmpstr (mode (f), ==, "pin");
    }
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "너무 많습니다"));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-pin-locked");

  /* A restart does not lift the lock: it shows before anyone types, and even the right PIN
   * is refused until it ends. */
  kiosk_fixture_reopen (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (pad_message (f))));
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "너무 많습니다"));
  enter_pin (f, PIN);
  kiosk_test_spin ();
  g_assert_cmpstr (mode (f), ==, "pin");
  g_assert_true (tp_pin_get_state (f->store, tp_pin_now (), &state, &error));
  g_assert_cmpint (state.lock_remaining, >, 0);
  g_assert_cmpuint (state.locks, ==, 1);
}

static void
test_change_pin (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.change-pin", NULL);
  g_assert_cmpstr (mode (f), ==, "change-pin");
  enter_pin (f, "97531");
  enter_pin (f, "97531");
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_true (tp_pin_check (f->store, "97531", tp_pin_now (), &error));
  g_assert_no_error (error);
  g_assert_false (tp_pin_check (f->store, PIN, tp_pin_now (), &error));
}

static gboolean
back_to_visit (gpointer data)
{
  return g_strcmp0 (mode (data), "visit") == 0;
}

static void
test_idle_locks_staff (Fixture       *f,
                       gconstpointer  data)
{
  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 1);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  /* Staff walked away from the open menu: it closes by itself. */
  g_assert_true (kiosk_test_wait_until (back_to_visit, f, 5000));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.quit", NULL);
  kiosk_test_spin ();
  g_assert_nonnull (f->window);
}

static gboolean
still_there_shown (gpointer data)
{
  return tp_kiosk_window_is_still_there_shown (data);
}

/* Regression: the "still there?" prompt lay under the staff layer's opaque background, so
 * staff in the menu (or changing the PIN) were thrown out without the warning, and the hidden
 * prompt's button took their keys. The prompt must be on top, where a tap reaches it. */
static void
test_idle_warns_staff (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *button;
  GtkWidget *picked;
  graphene_point_t centre;

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 30);
  tp_kiosk_window_note_activity (f->window);

  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  button = kiosk_test_get (GTK_WIDGET (f->window), "still-here-button");
  kiosk_test_wait_for_frame (button);
  g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (button) / 2.f,
                                                                 gtk_widget_get_height (button) / 2.f),
                                           &centre));
  picked = gtk_widget_pick (GTK_WIDGET (f->window), centre.x, centre.y, GTK_PICK_DEFAULT);
  g_assert_nonnull (picked);
  g_assert_true (picked == button || gtk_widget_is_ancestor (picked, button));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-staff-still-there");

  /* Staff say they are there: the menu stays. */
  gtk_widget_activate (button);
  kiosk_test_wait (500);
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));
  g_assert_cmpstr (mode (f), ==, "staff");
}

static gboolean
printers_listed (gpointer data)
{
  return tp_printer_row_get_printers (data)->len > 1;
}

static char *
configured_printer (Fixture        *f,
                    TpReceiptWidth *width)
{
  g_autoptr(GError) error = NULL;
  char *printer = tp_coupon_printer_get_configured (f->store, width, &error);

  g_assert_no_error (error);
  return printer;
}

/* Staff choose the coupon printer and its roll behind the PIN, from the printers GTK lists;
 * the choice is kept in the store (and "no printer" takes the Print button away). */
static void
test_printer_choice (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *chosen = NULL, *none = NULL;
  GtkWidget *row, *printers, *rolls;
  TpReceiptWidth width;

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  row = kiosk_test_find_type (GTK_WIDGET (f->window), TP_TYPE_PRINTER_ROW);
  g_assert_nonnull (row);
  printers = kiosk_test_get (row, "printer-choice");
  rolls = kiosk_test_get (row, "roll-choice");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (printers)), ==, 0);
  /* "Print to File" at least, as GTK's file backend reports it. */
  g_assert_true (kiosk_test_wait_until (printers_listed, row, 10000));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (printers), 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (rolls), 1);
  kiosk_test_spin ();
  chosen = configured_printer (f, &width);
  g_assert_cmpstr (chosen, ==, tp_printer_row_get_printers (TP_PRINTER_ROW (row))->pdata[1]);
  g_assert_cmpint (width, ==, TP_RECEIPT_58MM);
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-staff-printer");

  /* Shown again as chosen, the next time the menu opens. */
  kiosk_test_action (GTK_WIDGET (f->window), "staff.lock", NULL);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  row = kiosk_test_find_type (GTK_WIDGET (f->window), TP_TYPE_PRINTER_ROW);
  printers = kiosk_test_get (row, "printer-choice");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (printers)), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (kiosk_test_get (row, "roll-choice"))), ==, 1);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (printers), 0);
  kiosk_test_spin ();
  none = configured_printer (f, NULL);
  g_assert_null (none);
}

/* Tab goes from button to control on the staff page: the count tiles are read, not used. */
static void
test_staff_tab_stops (Fixture       *f,
                      gconstpointer  data)
{
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  /* The printer's two choices, Back, Change the PIN and Quit. */
  g_assert_cmpuint (kiosk_test_assert_tab_stops (GTK_WINDOW (f->window), 30), >=, 5);
}

static void
test_close_refused (Fixture       *f,
                    gconstpointer  data)
{
  /* Alt+F4 or a compositor's close button: a locked-down kiosk stays. */
  gtk_window_close (GTK_WINDOW (f->window));
  kiosk_test_spin ();
  g_assert_nonnull (f->window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  /* In development (--windowed) it closes. */
  tp_kiosk_window_set_locked_down (f->window, FALSE);
  gtk_window_close (GTK_WINDOW (f->window));
  kiosk_test_spin ();
  g_assert_null (f->window);
}

int
main (int    argc,
      char **argv)
{
  kiosk_test_init (&argc, &argv);

#define ADD(path, pin, func) g_test_add ("/touchpoint/kiosk/staff/" path, Fixture, pin, set_up, func, tear_down)
  ADD ("first-run", NULL, test_first_run);
  ADD ("unlock-and-quit", PIN, test_unlock_and_quit);
  ADD ("lockout-persists", PIN, test_lockout_persists);
  ADD ("change-pin", PIN, test_change_pin);
  ADD ("idle-locks-staff", PIN, test_idle_locks_staff);
  ADD ("idle-warns-staff", PIN, test_idle_warns_staff);
  ADD ("close-refused", PIN, test_close_refused);
  ADD ("printer-choice", PIN, test_printer_choice);
  ADD ("tab-stops", PIN, test_staff_tab_stops);
#undef ADD
  return kiosk_test_run ();
}
