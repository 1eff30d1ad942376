/* test-pin.c: the staff PIN: hashing, wrong tries, the growing lock that survives a restart, as
 * the single PIN of older kiosks (now the account "admin") and `touchpoint pin`. */
#include "tp-pin.h"
#include "tp-store-private.h"
#include "tests/tp-test-util.h"

#include <string.h>

typedef TpStoreFixture Fixture;

/* Closes and opens the store again, as a restarted kiosk would. */
static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
}

static void
test_valid (void)
{
  g_assert_true (tp_pin_is_valid ("1234"));
  g_assert_true (tp_pin_is_valid ("12345678"));
  g_assert_false (tp_pin_is_valid ("123"));
  g_assert_false (tp_pin_is_valid ("123456789"));
  g_assert_false (tp_pin_is_valid ("12a4"));
  g_assert_false (tp_pin_is_valid ("١٢٣٤"));  /* Arabic-Indic digits are not ASCII digits. */
  g_assert_false (tp_pin_is_valid (""));
  g_assert_false (tp_pin_is_valid (NULL));
}

static void
test_set_and_check (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  TpPinState state;

  g_assert_true (tp_pin_get_state (f->store, 1000, &state, &error));
  g_assert_false (state.is_set);
  g_assert_false (tp_pin_check (f->store, "1234", 1000, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET);
  g_clear_error (&error);

  g_assert_false (tp_pin_set (f->store, "12", &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (tp_pin_set (f->store, "2468", &error));
  g_assert_no_error (error);

  /* The store keeps an Argon2id hash, never the PIN: the one of the admin account "admin". */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (tp_store_get_db (f->store),
                                         "SELECT pin_hash, role FROM staff WHERE name = 'admin'", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "admin");
    sqlite3_finalize (stmt);
  }
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "2468"));

  reopen (f);
  g_assert_true (tp_pin_check (f->store, "2468", 1000, &error));
  g_assert_no_error (error);
  g_assert_false (tp_pin_check (f->store, "2469", 1000, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
  g_clear_error (&error);
  g_assert_true (tp_pin_get_state (f->store, 1000, &state, &error));
  g_assert_cmpuint (state.tries_left, ==, TP_PIN_TRIES - 1);
  /* A right PIN forgives the wrong tries before it. */
  g_assert_true (tp_pin_check (f->store, "2468", 1001, &error));
  g_assert_true (tp_pin_get_state (f->store, 1001, &state, &error));
  g_assert_cmpuint (state.tries_left, ==, TP_PIN_TRIES);
}

static void
wrong_tries (Fixture *f,
             gint64   now,
             guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      int expected = (i + 1 < n) ? TP_PIN_ERROR_WRONG : TP_PIN_ERROR_LOCKED;

      g_assert_false (tp_pin_check (f->store, "0000", now, &error));
      g_assert_error (error, TP_PIN_ERROR, expected);
    }
}

static void
test_lockout_persists (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpPinState state;
  const gint64 t0 = 1800000000;

  g_assert_true (tp_pin_set (f->store, "13579", &error));
  wrong_tries (f, t0, TP_PIN_TRIES);

  /* Locked, even for the right PIN, and still after a restart. */
  reopen (f);
  g_assert_true (tp_pin_get_state (f->store, t0 + 10, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, tp_pin_lock_seconds (1) - 10);
  g_assert_false (tp_pin_check (f->store, "13579", t0 + 10, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED);
  g_clear_error (&error);

  /* After the lock: five more tries, then a longer lock. */
  g_assert_true (tp_pin_get_state (f->store, t0 + 30, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, 0);
  g_assert_cmpuint (state.tries_left, ==, TP_PIN_TRIES);
  wrong_tries (f, t0 + 30, TP_PIN_TRIES);
  reopen (f);
  g_assert_true (tp_pin_get_state (f->store, t0 + 30, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, tp_pin_lock_seconds (2));
  g_assert_cmpuint (state.locks, ==, 2);
  g_assert_cmpuint (tp_pin_lock_seconds (2), >, tp_pin_lock_seconds (1));

  /* The right PIN after the lock opens and resets the count. */
  g_assert_true (tp_pin_check (f->store, "13579", t0 + 30 + tp_pin_lock_seconds (2), &error));
  g_assert_no_error (error);
  g_assert_true (tp_pin_get_state (f->store, t0 + 100000, &state, &error));
  g_assert_cmpuint (state.locks, ==, 0);
}

static void
test_clock_set_back (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpPinState state;
  const gint64 t0 = 1800000000;

  g_assert_true (tp_pin_set (f->store, "1234", &error));
  wrong_tries (f, t0, TP_PIN_TRIES);
  /* The clock jumps back a day: the lock still ends after its own length, not a day later. */
  g_assert_true (tp_pin_get_state (f->store, t0 - 86400, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, tp_pin_lock_seconds (1));
  g_assert_true (tp_pin_get_state (f->store, t0 - 86400 + tp_pin_lock_seconds (1), &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, 0);
}

static void
test_lock_steps (void)
{
  g_assert_cmpuint (tp_pin_lock_seconds (1), ==, 30);
  g_assert_cmpuint (tp_pin_lock_seconds (2), ==, 60);
  g_assert_cmpuint (tp_pin_lock_seconds (3), ==, 120);
  g_assert_cmpuint (tp_pin_lock_seconds (4), ==, 300);
  g_assert_cmpuint (tp_pin_lock_seconds (100), ==, 3600);
}

static void
test_set_clears_lock (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpPinState state;

  g_assert_true (tp_pin_set (f->store, "1234", &error));
  wrong_tries (f, 5000, TP_PIN_TRIES);
  g_assert_true (tp_pin_set (f->store, "5678", &error));
  g_assert_true (tp_pin_get_state (f->store, 5001, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, 0);
  g_assert_true (tp_pin_check (f->store, "5678", 5001, &error));
  g_assert_false (tp_pin_check (f->store, "1234", 5001, &error));
}

/* ---- The async pairs, on the store's thread ---------------------------------------------- */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
check_async (Fixture     *f,
             const char  *pin,
             gint64       now,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tp_pin_check_async (f->store, pin, now, NULL, result_cb, &result);
  /* The answer never comes back within the call: the caller's loop runs meanwhile. */
  g_assert_null (result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return tp_pin_check_finish (f->store, result, error);
}

static gboolean
set_async (Fixture     *f,
           const char  *pin,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tp_pin_set_async (f->store, pin, NULL, result_cb, &result);
  g_assert_null (result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return tp_pin_set_finish (f->store, result, error);
}

/* The async pairs answer as tp_pin_set and tp_pin_check do, with the same lock schedule and
 * messages. */
static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wait = NULL;
  TpPinState state;
  const gint64 t0 = 1800000000;

  g_assert_false (check_async (f, "1234", t0, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET);
  g_clear_error (&error);
  g_assert_false (set_async (f, "12", &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (set_async (f, "24680", &error));
  g_assert_no_error (error);
  g_assert_true (tp_pin_check (f->store, "24680", t0, &error));
  g_assert_true (check_async (f, "24680", t0, &error));
  g_assert_no_error (error);

  for (guint i = 1; i < TP_PIN_TRIES; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u more", TP_PIN_TRIES - i);

      g_assert_false (check_async (f, "0000", t0, &error));
      g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
      g_assert_nonnull (strstr (error->message, expected));
      g_clear_error (&error);
    }
  g_assert_false (check_async (f, "0000", t0, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED);
  wait = tp_pin_describe_lock (tp_pin_lock_seconds (1));
  g_assert_cmpstr (error->message, ==, wait);
  g_assert_cmpstr (wait, ==, "Too many wrong tries. Try again in 30 seconds.");
  g_clear_error (&error);

  /* Locked across a restart, even for the right PIN; the try is not counted. */
  reopen (f);
  g_assert_false (check_async (f, "24680", t0 + 10, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (tp_pin_get_state (f->store, t0 + 10, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, 20);
  g_assert_cmpuint (state.locks, ==, 1);
  /* A clock set back does not stretch it. */
  g_assert_true (tp_pin_get_state (f->store, t0 - 86400, &state, &error));
  g_assert_cmpint (state.lock_remaining, ==, tp_pin_lock_seconds (1));
  g_assert_true (check_async (f, "24680", t0 - 86400 + tp_pin_lock_seconds (1), &error));
  g_assert_no_error (error);
}

/* Cancelled before its turn, a check compares nothing and records nothing. */
static void
test_async_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) check = NULL;
  g_autoptr(GAsyncResult) set = NULL;
  g_autoptr(GError) error = NULL;
  TpPinState state;

  g_assert_true (tp_pin_set (f->store, "1357", &error));
  g_cancellable_cancel (cancellable);
  tp_pin_check_async (f->store, "0000", 1000, cancellable, result_cb, &check);
  tp_pin_set_async (f->store, "9999", cancellable, result_cb, &set);
  while (check == NULL || set == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tp_pin_check_finish (f->store, check, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (tp_pin_set_finish (f->store, set, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (tp_pin_get_state (f->store, 1000, &state, &error));
  g_assert_cmpuint (state.tries_left, ==, TP_PIN_TRIES);
  g_assert_true (tp_pin_check (f->store, "1357", 1000, &error));
}

static void
test_cli (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  const char *set_argv[] = { "pin", "set", "--data-dir", dir, NULL };
  const char *status_argv[] = { "pin", "status", "--data-dir", dir, NULL };
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_nonnull (g_getenv ("TOUCHPOINT_BIN"));
  {
    g_autofree char *out = NULL, *err = NULL;

    status = tp_test_run (status_argv, NULL, &out, &err);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (out, "No staff PIN"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    status = tp_test_run (set_argv, "12\n", &out, &err);
    g_assert_cmpint (status, ==, 65);
    g_assert_nonnull (strstr (err, "4 to 8 digits"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    status = tp_test_run (set_argv, "1234\n4321\n", &out, &err);
    g_assert_cmpint (status, ==, 65);
    g_assert_nonnull (strstr (err, "differ"));
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    status = tp_test_run (set_argv, "975310\n975310\n", &out, &err);
    g_assert_cmpint (status, ==, 0);
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    status = tp_test_run (status_argv, NULL, &out, &err);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "is set"));
  }

  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_true (tp_pin_check (store, "975310", tp_pin_now (), &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  tp_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/touchpoint/pin/valid", test_valid);
  g_test_add_func ("/touchpoint/pin/lock-steps", test_lock_steps);
  g_test_add ("/touchpoint/pin/set-and-check", Fixture, NULL, tp_store_fixture_set_up, test_set_and_check, tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/pin/lockout-persists", Fixture, NULL, tp_store_fixture_set_up, test_lockout_persists,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/pin/clock-set-back", Fixture, NULL, tp_store_fixture_set_up, test_clock_set_back,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/pin/set-clears-lock", Fixture, NULL, tp_store_fixture_set_up, test_set_clears_lock,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/pin/async", Fixture, NULL, tp_store_fixture_set_up, test_async, tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/pin/async-cancelled", Fixture, NULL, tp_store_fixture_set_up, test_async_cancelled,
              tp_store_fixture_tear_down);
  g_test_add_func ("/touchpoint/pin/cli", test_cli);
  return g_test_run ();
}
