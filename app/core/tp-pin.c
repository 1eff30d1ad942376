/* tp-pin.c: staff PINs: Argon2id hashing (libsodium), the growing lock-out, and the single PIN
 * of older kiosks as the PIN of the account named "admin". */
#define G_LOG_DOMAIN "tp-pin"

#include "tp-pin.h"
#include "tp-i18n.h"
#include "tp-staff.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (tp-pin-error-quark, tp_pin_error)

static const guint lock_steps[] = { 30, 60, 120, 300, 600, 1800, 3600 };

guint
tp_pin_lock_seconds (guint n)
{
  if (n == 0)
    return 0;
  return lock_steps[MIN (n, G_N_ELEMENTS (lock_steps)) - 1];
}

gint64
tp_pin_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
tp_pin_is_valid (const char *pin)
{
  gsize n;

  if (pin == NULL)
    return FALSE;
  n = strlen (pin);
  if (n < TP_PIN_MIN_DIGITS || n > TP_PIN_MAX_DIGITS)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

/* Argon2id with interactive limits: a noticeable moment of CPU and 64 MiB. */
char *
tp_pin_hash (const char  *pin,
             GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (!tp_pin_is_valid (pin))
    {
      g_set_error (error, TP_PIN_ERROR, TP_PIN_ERROR_INVALID,
                   _("The PIN must be %d to %d digits."), TP_PIN_MIN_DIGITS, TP_PIN_MAX_DIGITS);
      return NULL;
    }
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_FAILED, "libsodium could not be initialised");
      return NULL;
    }
  if (crypto_pwhash_argon2id_str (hash, pin, strlen (pin), crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_FAILED,
                           "Hashing the PIN failed: not enough memory for Argon2id");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
tp_pin_verify (const char *hash,
               const char *pin)
{
  if (hash == NULL || !tp_pin_is_valid (pin) || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

/* ---- The lock-out ------------------------------------------------------------------------ */

gint64
tp_pin_lock_remaining (TpPinLock *lock,
                       gint64     now,
                       gboolean  *changed)
{
  gint64 left;

  if (changed)
    *changed = FALSE;
  if (lock->until == 0)
    return 0;
  left = lock->until - now;
  if (left <= 0)
    return 0;
  if (left > lock->seconds)
    {
      lock->until = now + lock->seconds;
      if (changed)
        *changed = TRUE;
      return lock->seconds;
    }
  return left;
}

guint
tp_pin_lock_tries_left (TpPinLock *lock,
                        gint64     now)
{
  /* An expired lock gives a fresh set of tries. */
  if (lock->until != 0 && tp_pin_lock_remaining (lock, now, NULL) == 0)
    return TP_PIN_TRIES;
  return TP_PIN_TRIES - MIN (lock->failures, TP_PIN_TRIES);
}

gboolean
tp_pin_lock_record (TpPinLock  *lock,
                    gboolean    correct,
                    gint64      now,
                    GError    **error)
{
  if (correct)
    {
      memset (lock, 0, sizeof *lock);
      return TRUE;
    }

  if (lock->until != 0 && tp_pin_lock_remaining (lock, now, NULL) == 0)
    {
      lock->failures = 0;
      lock->until = 0;
    }
  lock->failures++;
  if (lock->failures >= TP_PIN_TRIES)
    {
      g_autofree char *message = NULL;

      lock->failures = 0;
      lock->locks++;
      lock->seconds = tp_pin_lock_seconds (lock->locks);
      lock->until = now + lock->seconds;
      g_debug ("PIN locked for %u s after %u wrong tries", lock->seconds, TP_PIN_TRIES);
      message = tp_pin_describe_lock (lock->seconds);
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED, message);
      return FALSE;
    }
  g_set_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG,
               dngettext (GETTEXT_PACKAGE, "Wrong PIN. %u more try before a pause.",
                          "Wrong PIN. %u more tries before a pause.", TP_PIN_TRIES - lock->failures),
               TP_PIN_TRIES - lock->failures);
  return FALSE;
}

void
tp_pin_lock_parse (const char *value,
                   gint64      now,
                   TpPinLock  *lock)
{
  memset (lock, 0, sizeof *lock);
  if (value && sscanf (value, "%u %u %" G_GINT64_FORMAT " %u",
                       &lock->failures, &lock->locks, &lock->until, &lock->seconds) != 4)
    {
      g_warning ("A PIN lock state in the store is damaged; locking for the longest time");
      lock->failures = 0;
      lock->locks = G_N_ELEMENTS (lock_steps);
      lock->seconds = tp_pin_lock_seconds (lock->locks);
      lock->until = now + lock->seconds;
    }
}

char *
tp_pin_describe_lock (gint64 seconds)
{
  if (seconds <= 90)
    return g_strdup_printf (dngettext (GETTEXT_PACKAGE, "Too many wrong tries. Try again in %d second.",
                                       "Too many wrong tries. Try again in %d seconds.", seconds),
                            (int) seconds);
  else
    {
      gint64 minutes = (seconds + 59) / 60;

      return g_strdup_printf (dngettext (GETTEXT_PACKAGE, "Too many wrong tries. Try again in %d minute.",
                                         "Too many wrong tries. Try again in %d minutes.", minutes),
                              (int) minutes);
    }
}

/* ---- The PIN of the account named "admin" ------------------------------------------------ */

/* An unknown "admin" account is what older callers knew as "no PIN set". */
static gboolean
as_pin_error (GError  *local,
              GError **error)
{
  if (g_error_matches (local, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND))
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET, _("No staff PIN has been set on this kiosk."));
      g_error_free (local);
    }
  else
    g_propagate_error (error, local);
  return FALSE;
}

gboolean
tp_pin_set (TpStore     *store,
            const char  *pin,
            GError     **error)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  g_autoptr(TpStaffAccount) account = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);

  account = tp_staff_set_default_admin_pin (store, actor, pin, &local);
  if (account == NULL)
    {
      if (g_error_matches (local, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND))
        {
          g_clear_error (&local);
          g_set_error (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET,
                       _("There is no staff account named “%s”."), TP_STAFF_DEFAULT_ADMIN);
          return FALSE;
        }
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_pin_get_state (TpStore    *store,
                  gint64      now,
                  TpPinState *state,
                  GError    **error)
{
  g_autoptr(TpStaffAccount) account = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  account = tp_staff_get_account (store, TP_STAFF_DEFAULT_ADMIN, now, &local);
  if (account == NULL)
    {
      if (g_error_matches (local, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND))
        {
          g_error_free (local);
          state->tries_left = TP_PIN_TRIES;
          return TRUE;
        }
      g_propagate_error (error, local);
      return FALSE;
    }
  state->is_set = TRUE;
  state->tries_left = account->tries_left;
  state->lock_remaining = account->lock_remaining;
  state->locks = account->locks;
  return TRUE;
}

gboolean
tp_pin_check (TpStore     *store,
              const char  *pin,
              gint64       now,
              GError     **error)
{
  g_autoptr(TpStaffAccount) account = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);

  account = tp_staff_check (store, TP_STAFF_DEFAULT_ADMIN, pin, now, &local);
  if (account == NULL)
    return as_pin_error (local, error);
  return TRUE;
}

/* ---- On the store's thread ------------------------------------------------------------- */

static void
set_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TpStaffAccount) account = NULL;
  GError *error = NULL;

  account = tp_staff_set_default_admin_pin_finish (TP_STORE (source), result, &error);
  if (account)
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET,
                               _("There is no staff account named “%s”."), TP_STAFF_DEFAULT_ADMIN);
    }
  else
    g_task_return_error (task, error);
}

void
tp_pin_set_async (TpStore             *store,
                  const char          *pin,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  GTask *task;

  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (pin != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_pin_set_async);
  tp_staff_set_default_admin_pin_async (store, actor, pin, cancellable, set_done_cb, task);
}

gboolean
tp_pin_set_finish (TpStore       *store,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_pin_set_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TpStaffAccount) account = NULL;
  GError *error = NULL;

  account = tp_staff_check_finish (TP_STORE (source), result, &error);
  if (account)
    g_task_return_boolean (task, TRUE);
  else
    {
      GError *mapped = NULL;

      as_pin_error (error, &mapped);
      g_task_return_error (task, mapped);
    }
}

void
tp_pin_check_async (TpStore             *store,
                    const char          *pin,
                    gint64               now,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (pin != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_pin_check_async);
  tp_staff_check_async (store, TP_STAFF_DEFAULT_ADMIN, pin, now, cancellable, check_done_cb, task);
}

gboolean
tp_pin_check_finish (TpStore       *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_pin_check_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
