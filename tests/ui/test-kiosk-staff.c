/* test-kiosk-staff.c: the staff side of the kiosk under Xvfb: the first admin on first start,
 * signing in with an account and its PIN, each account's lock (which survives a restart), the
 * staff menu naming who signed in, the idle relock, quitting. */
#include "kiosk-test-util.h"

#include <string.h>

#include "tp-i18n.h"
#include "tp-pin.h"
#include "tp-staff.h"
#include "ui/tp-coupon-printer.h"
#include "ui/tp-pin-pad.h"
#include "ui/tp-printer-row.h"
#include "ui/tp-first-run-page.h"
#include "ui/tp-sign-in-page.h"

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

/* The check runs on the store's thread: wait for its answer (a message or the staff menu). */
static void
wait_for_check (Fixture *f)
{
  g_assert_true (kiosk_test_wait_until (check_finished, f, 10000));
  kiosk_test_spin ();
}

typedef struct
{
  Fixture    *f;
  const char *mode;
} ModeWait;

static gboolean
mode_is (gpointer data)
{
  ModeWait *wait = data;

  return g_strcmp0 (mode (wait->f), wait->mode) == 0;
}

/* A new PIN is hashed and saved on the store's thread: wait for the page that follows. */
static void
wait_for_mode (Fixture    *f,
               const char *name)
{
  ModeWait wait = { f, name };

  g_assert_true (kiosk_test_wait_until (mode_is, &wait, 10000));
}

/* Counts the frames the window paints while the pad's spinner turns. */
typedef struct
{
  GtkWidget *spinner;
  guint      frames;
  gulong     handler;
} SpinnerFrames;

static void
spinner_after_paint_cb (GdkFrameClock *clock,
                        SpinnerFrames *counter)
{
  if (gtk_widget_get_mapped (counter->spinner) && gtk_spinner_get_spinning (GTK_SPINNER (counter->spinner)))
    counter->frames++;
}

/* Right after a PIN is submitted, the pad is busy: its spinner shows and turns (the answer
 * never comes back within the submit), and the window keeps painting frames. */
static void
start_counting_frames (Fixture       *f,
                       SpinnerFrames *counter)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));

  /* Held: the pad may go (with the page) before the counting stops. */
  counter->spinner = g_object_ref (kiosk_test_get (GTK_WIDGET (pad (f)), "pin-spinner"));
  g_assert_true (gtk_widget_get_visible (counter->spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (counter->spinner)));
  /* Busy: no digits and no Cancel until the answer. */
  g_assert_false (gtk_widget_is_sensitive (kiosk_test_get (GTK_WIDGET (pad (f)), "pin-cancel")));
  counter->frames = 0;
  counter->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (spinner_after_paint_cb), counter);
}

static void
stop_counting_frames (Fixture       *f,
                      SpinnerFrames *counter)
{
  g_clear_signal_handler (&counter->handler, gtk_widget_get_frame_clock (GTK_WIDGET (f->window)));
  g_clear_object (&counter->spinner);
}

static TpFirstRunPage *
first_run_page (Fixture *f)
{
  GtkWidget *widget = kiosk_test_find_type (GTK_WIDGET (f->window), TP_TYPE_FIRST_RUN_PAGE);

  g_assert_nonnull (widget);
  return TP_FIRST_RUN_PAGE (widget);
}

/* The first start's name step: the name typed, then Continue. */
static void
enter_first_name (Fixture    *f,
                  const char *name)
{
  kiosk_test_type (GTK_WIDGET (f->window), "first-run-name", name);
  kiosk_test_action (GTK_WIDGET (first_run_page (f)), "first-run.continue", NULL);
}

static void
test_first_run (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TpStaffAccount) admin = NULL;
  GtkWidget *name_message;

  /* No account yet: the kiosk asks for the first admin before any visitor. */
  g_assert_cmpstr (mode (f), ==, "first-run");
  g_assert_cmpstr (tp_first_run_page_get_step (first_run_page (f)), ==, "name");
  g_assert_null (tp_kiosk_window_get_visit (f->window));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-first-run");
  /* The staff shortcut does nothing before an account exists. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  g_assert_cmpstr (mode (f), ==, "first-run");

  /* A name is needed, in the kiosk's language. */
  enter_first_name (f, "   ");
  g_assert_cmpstr (tp_first_run_page_get_step (first_run_page (f)), ==, "name");
  name_message = kiosk_test_get (GTK_WIDGET (f->window), "first-run-name-message");
  g_assert_true (gtk_widget_get_visible (name_message));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (name_message)), "이름"));

  enter_first_name (f, "  김하늘 ");
  g_assert_cmpstr (tp_first_run_page_get_step (first_run_page (f)), ==, "pin");
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-first-run-pin");
  enter_pin (f, "1357");
  enter_pin (f, "1358");
  g_assert_cmpstr (mode (f), ==, "first-run");
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "서로 달라요"));
  g_assert_cmpint (tp_staff_count (f->store, &error), ==, 0);

  /* Cancel goes back to the name, never past the first start. */
  kiosk_test_action (GTK_WIDGET (pad (f)), "pin.cancel", NULL);
  g_assert_cmpstr (mode (f), ==, "first-run");
  g_assert_cmpstr (tp_first_run_page_get_step (first_run_page (f)), ==, "name");
  kiosk_test_action (GTK_WIDGET (first_run_page (f)), "first-run.continue", NULL);
  g_assert_cmpstr (tp_first_run_page_get_step (first_run_page (f)), ==, "pin");

  enter_pin (f, "1357");
  enter_pin (f, "1357");
  wait_for_mode (f, "visit");
  g_assert_cmpstr (kiosk_test_page_name (f->window), ==, "welcome");
  /* One account: an admin, by the name typed. */
  accounts = tp_staff_list (f->store, tp_pin_now (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (((TpStaffAccount *) accounts->pdata[0])->name, ==, "김하늘");
  g_assert_cmpint (((TpStaffAccount *) accounts->pdata[0])->role, ==, TP_STAFF_ROLE_ADMIN);
  admin = tp_staff_check (f->store, "김하늘", "1357", tp_pin_now (), &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin);
}

static gboolean
leads_counted (gpointer data)
{
  return *gtk_label_get_label (GTK_LABEL (data)) != '\0' && g_strcmp0 (gtk_label_get_label (GTK_LABEL (data)), "0") != 0;
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
  /* The counts come from the store's thread. */
  g_assert_true (kiosk_test_wait_until (leads_counted, leads, 10000));
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
  g_assert_true (kiosk_test_label_shows (GTK_WIDGET (pad_message (f))));
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
  wait_for_mode (f, "staff");
  g_assert_true (tp_pin_check (f->store, "97531", tp_pin_now (), &error));
  g_assert_no_error (error);
  g_assert_false (tp_pin_check (f->store, PIN, tp_pin_now (), &error));
}

/* Regression: the first PIN was hashed (Argon2id) on the main thread, so the pad's spinner
 * never painted and the window froze. Now the frames go on while the store's thread works. */
static void
test_first_run_spinner_paints (Fixture       *f,
                               gconstpointer  data)
{
  SpinnerFrames counter = { 0 };

  g_assert_cmpstr (mode (f), ==, "first-run");
  enter_first_name (f, "Kim");
  kiosk_test_wait_for_frame (GTK_WIDGET (pad (f)));
  enter_pin (f, "2468");
  enter_pin (f, "2468");
  g_assert_cmpstr (mode (f), ==, "first-run");
  start_counting_frames (f, &counter);
  wait_for_mode (f, "visit");
  stop_counting_frames (f, &counter);
  g_assert_cmpuint (counter.frames, >, 0);
}

/* The PIN pad's check: the same, for the lock's bookkeeping and the comparison. */
static void
test_check_spinner_paints (Fixture       *f,
                           gconstpointer  data)
{
  SpinnerFrames counter = { 0 };

  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  kiosk_test_wait_for_frame (GTK_WIDGET (pad (f)));
  enter_pin (f, PIN);
  g_assert_cmpstr (mode (f), ==, "pin");
  start_counting_frames (f, &counter);
  wait_for_check (f);
  stop_counting_frames (f, &counter);
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_cmpuint (counter.frames, >, 0);

  /* Changing the PIN: the new one is hashed while the spinner turns. */
  kiosk_test_action (GTK_WIDGET (f->window), "staff.change-pin", NULL);
  kiosk_test_wait_for_frame (GTK_WIDGET (pad (f)));
  enter_pin (f, "8642");
  enter_pin (f, "8642");
  g_assert_cmpstr (mode (f), ==, "change-pin");
  start_counting_frames (f, &counter);
  wait_for_mode (f, "staff");
  stop_counting_frames (f, &counter);
  g_assert_cmpuint (counter.frames, >, 0);
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

/* ---- Accounts ------------------------------------------------------------------------------ */

#define LEE_PIN "13579"

/* A second account beside the fixture's "admin": staff sign in by picking their name first. */
static void
add_lee (Fixture *f)
{
  g_autoptr(TpActor) os = tp_actor_new_os_user ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) lee = tp_staff_add (f->store, os, "Lee", TP_STAFF_ROLE_STAFF, LEE_PIN, &error);

  g_assert_no_error (error);
}

static TpSignInPage *
sign_in_page (Fixture *f)
{
  GtkWidget *widget = kiosk_test_find_type (GTK_WIDGET (f->window), TP_TYPE_SIGN_IN_PAGE);

  g_assert_nonnull (widget);
  return TP_SIGN_IN_PAGE (widget);
}

static void
choose_account (Fixture    *f,
                const char *name)
{
  kiosk_test_action (GTK_WIDGET (sign_in_page (f)), "sign-in.choose", g_variant_new_string (name));
}

static const char *
signed_in_text (Fixture *f)
{
  return gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (f->window), "staff-signed-in")));
}

static void
test_unlock_with_account (Fixture       *f,
                          gconstpointer  data)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *message;

  add_lee (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  /* Two accounts: first who, then the PIN. Both names are there to pick. */
  g_assert_cmpstr (mode (f), ==, "sign-in");
  g_assert_false (gtk_widget_is_sensitive (kiosk_test_page (f->window)));
  kiosk_test_collect_texts (kiosk_test_get (GTK_WIDGET (f->window), "sign-in-accounts"), texts);
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "admin", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Lee", g_str_equal, NULL));
  g_ptr_array_unref (texts);
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-sign-in");

  /* A name typed that no account has is refused on the spot; any case of a real one works. */
  kiosk_test_type (GTK_WIDGET (f->window), "sign-in-name", "Park");
  kiosk_test_action (GTK_WIDGET (sign_in_page (f)), "sign-in.next", NULL);
  g_assert_cmpstr (mode (f), ==, "sign-in");
  message = kiosk_test_get (GTK_WIDGET (f->window), "sign-in-message");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (message)), "Park"));
  kiosk_test_type (GTK_WIDGET (f->window), "sign-in-name", "LEE");
  kiosk_test_action (GTK_WIDGET (sign_in_page (f)), "sign-in.next", NULL);
  g_assert_cmpstr (mode (f), ==, "pin");
  g_assert_cmpstr (tp_sign_in_page_get_account_name (sign_in_page (f)), ==, "Lee");

  /* The other account's PIN does not open Lee's. */
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "pin");
  g_assert_null (tp_kiosk_window_get_account (f->window));

  enter_pin (f, LEE_PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_cmpstr (tp_kiosk_window_get_account (f->window)->name, ==, "Lee");
  g_assert_cmpint (tp_kiosk_window_get_account (f->window)->role, ==, TP_STAFF_ROLE_STAFF);
  /* The staff page names who is signed in, and their role. */
  g_assert_nonnull (strstr (signed_in_text (f), "Lee"));
  g_assert_nonnull (strstr (signed_in_text (f), "직원"));
  kiosk_test_screenshot (GTK_WIDGET (f->window), "ko-staff-signed-in");

  /* Signed out: the next one signs in again, and may be someone else. */
  kiosk_test_action (GTK_WIDGET (f->window), "staff.lock", NULL);
  g_assert_cmpstr (mode (f), ==, "visit");
  g_assert_null (tp_kiosk_window_get_account (f->window));
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  choose_account (f, "admin");
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_nonnull (strstr (signed_in_text (f), "admin"));
  g_assert_nonnull (strstr (signed_in_text (f), "관리자"));

  /* Escape on the list gives up, back to the visitor's page. */
  kiosk_test_action (GTK_WIDGET (f->window), "staff.lock", NULL);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  kiosk_test_action (GTK_WIDGET (sign_in_page (f)), "sign-in.cancel", NULL);
  g_assert_cmpstr (mode (f), ==, "visit");
  g_assert_true (gtk_widget_is_sensitive (kiosk_test_page (f->window)));

  /* In English as well. */
  tp_i18n_set_language ("en");
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  texts = g_ptr_array_new_with_free_func (g_free);
  kiosk_test_collect_texts (GTK_WIDGET (sign_in_page (f)), texts);
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Who is signing in?", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (texts, "Admin", g_str_equal, NULL));
  g_ptr_array_unref (texts);
  kiosk_test_screenshot (GTK_WIDGET (f->window), "en-sign-in");
  choose_account (f, "Lee");
  enter_pin (f, LEE_PIN);
  wait_for_check (f);
  g_assert_cmpstr (signed_in_text (f), ==, "Signed in as Lee (Staff)");
  kiosk_test_screenshot (GTK_WIDGET (f->window), "en-staff-signed-in");
}

static void
test_wrong_pin_locks_one_account (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) lee = NULL;
  g_autoptr(TpStaffAccount) admin = NULL;

  add_lee (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  choose_account (f, "Lee");
  for (guint i = 0; i < TP_PIN_TRIES; i++)
    {
      enter_pin (f, "0000");
      wait_for_check (f);
      g_assert_cmpstr (mode (f), ==, "pin");
    }
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "너무 많습니다"));

  /* Lee is locked, in the store too; the admin is not, and signs in. */
  lee = tp_staff_get_account (f->store, "Lee", tp_pin_now (), &error);
  g_assert_cmpint (lee->lock_remaining, >, 0);
  admin = tp_staff_get_account (f->store, "admin", tp_pin_now (), &error);
  g_assert_cmpint (admin->lock_remaining, ==, 0);
  g_assert_cmpuint (admin->tries_left, ==, TP_PIN_TRIES);

  kiosk_test_action (GTK_WIDGET (sign_in_page (f)), "sign-in.back", NULL);
  g_assert_cmpstr (mode (f), ==, "sign-in");
  choose_account (f, "admin");
  g_assert_false (kiosk_test_label_shows (GTK_WIDGET (pad_message (f))));
  enter_pin (f, PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_cmpstr (tp_kiosk_window_get_account (f->window)->name, ==, "admin");

  /* Lee's lock shows before anyone types, after a restart as well. */
  kiosk_fixture_reopen (f);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  choose_account (f, "lee");
  g_assert_true (kiosk_test_label_shows (GTK_WIDGET (pad_message (f))));
  g_assert_nonnull (strstr (gtk_label_get_label (pad_message (f)), "너무 많습니다"));
  enter_pin (f, LEE_PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "pin");
  g_assert_null (tp_kiosk_window_get_account (f->window));
}

/* The staff menu of an account locks by itself after the idle time: the account is forgotten,
 * and the next one signs in again. */
static void
test_idle_relocks_account (Fixture       *f,
                           gconstpointer  data)
{
  add_lee (f);
  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 1);
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  choose_account (f, "Lee");
  enter_pin (f, LEE_PIN);
  wait_for_check (f);
  g_assert_cmpstr (mode (f), ==, "staff");
  g_assert_nonnull (tp_kiosk_window_get_account (f->window));
  g_assert_true (kiosk_test_wait_until (back_to_visit, f, 5000));
  g_assert_null (tp_kiosk_window_get_account (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "staff.quit", NULL);
  kiosk_test_spin ();
  g_assert_nonnull (f->window);
  f->event->idle_reset_seconds = 60;
  kiosk_test_action (GTK_WIDGET (f->window), "staff.unlock", NULL);
  g_assert_cmpstr (mode (f), ==, "sign-in");
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
  ADD ("first-run-spinner-paints", NULL, test_first_run_spinner_paints);
  ADD ("check-spinner-paints", PIN, test_check_spinner_paints);
  ADD ("unlock-and-quit", PIN, test_unlock_and_quit);
  ADD ("lockout-persists", PIN, test_lockout_persists);
  ADD ("change-pin", PIN, test_change_pin);
  ADD ("idle-locks-staff", PIN, test_idle_locks_staff);
  ADD ("idle-warns-staff", PIN, test_idle_warns_staff);
  ADD ("close-refused", PIN, test_close_refused);
  ADD ("unlock-with-account", PIN, test_unlock_with_account);
  ADD ("wrong-pin-locks-one-account", PIN, test_wrong_pin_locks_one_account);
  ADD ("idle-relocks-account", PIN, test_idle_relocks_account);
  ADD ("printer-choice", PIN, test_printer_choice);
  ADD ("tab-stops", PIN, test_staff_tab_stops);
#undef ADD
  return kiosk_test_run ();
}
