/* tp-pin.c: the staff PIN: Argon2id hashing (libsodium) and the persistent, growing lock-out. */
#define G_LOG_DOMAIN "tp-pin"

#include "tp-pin.h"
#include "tp-i18n.h"
#include "tp-store-private.h"
#include "tp-store-settings.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (tp-pin-error-quark, tp_pin_error)

#define KEY_HASH "pin.hash"
/* "failures locks until seconds": wrong tries since the last lock, locks in a row, the end of
 * the current lock (seconds since 1970, 0 for none) and its length. One value, so that one
 * autocommit write keeps the four consistent. */
#define KEY_LOCK "pin.lock"

typedef struct
{
  guint  failures;
  guint  locks;
  gint64 until;
  guint  seconds;
} LockState;

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

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_FAILED, "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_lock (TpStore    *store,
           LockState  *lock,
           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = tp_store_get_setting (store, KEY_LOCK, &local_error);

  memset (lock, 0, sizeof *lock);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (value && sscanf (value, "%u %u %" G_GINT64_FORMAT " %u",
                       &lock->failures, &lock->locks, &lock->until, &lock->seconds) != 4)
    {
      /* A damaged value must not unlock the PIN: treat it as a fresh lock of the longest kind. */
      g_warning ("The PIN lock state in the store is damaged; locking for the longest time");
      lock->locks = G_N_ELEMENTS (lock_steps);
      lock->seconds = tp_pin_lock_seconds (lock->locks);
      lock->until = tp_pin_now () + lock->seconds;
    }
  return TRUE;
}

static gboolean
save_lock (TpStore          *store,
           const LockState  *lock,
           GError          **error)
{
  g_autofree char *value = NULL;

  if (lock->failures == 0 && lock->locks == 0 && lock->until == 0)
    return tp_store_set_setting (store, KEY_LOCK, NULL, error);
  value = g_strdup_printf ("%u %u %" G_GINT64_FORMAT " %u", lock->failures, lock->locks, lock->until,
                           lock->seconds);
  return tp_store_set_setting (store, KEY_LOCK, value, error);
}

/* Seconds left of the lock. A wall clock set back must not stretch a lock: a lock never has
 * more left than its own length (the caller then saves the shortened end). */
static gint64
lock_remaining (LockState *lock,
                gint64     now,
                gboolean  *clamped)
{
  gint64 left;

  *clamped = FALSE;
  if (lock->until == 0)
    return 0;
  left = lock->until - now;
  if (left <= 0)
    return 0;
  if (left > lock->seconds)
    {
      lock->until = now + lock->seconds;
      *clamped = TRUE;
      return lock->seconds;
    }
  return left;
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

gboolean
tp_pin_get_state (TpStore    *store,
                  gint64      now,
                  TpPinState *state,
                  GError    **error)
{
  TP_STORE_LOCKED (store);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = tp_store_get_setting (store, KEY_HASH, &local_error);
  LockState lock;
  gboolean clamped;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!load_lock (store, &lock, error))
    return FALSE;
  state->is_set = hash != NULL;
  state->lock_remaining = lock_remaining (&lock, now, &clamped);
  if (clamped && !save_lock (store, &lock, error))
    return FALSE;
  /* An expired lock gives a fresh set of tries. */
  state->tries_left = lock.until != 0 && state->lock_remaining == 0
                      ? TP_PIN_TRIES : TP_PIN_TRIES - MIN (lock.failures, TP_PIN_TRIES);
  state->locks = lock.locks;
  return TRUE;
}

/* Argon2id with interactive limits: a noticeable moment of CPU and 64 MiB. */
static gboolean
hash_pin (const char  *pin,
          char         hash[crypto_pwhash_STRBYTES],
          GError     **error)
{
  if (!tp_pin_is_valid (pin))
    {
      g_set_error (error, TP_PIN_ERROR, TP_PIN_ERROR_INVALID,
                   _("The PIN must be %d to %d digits."), TP_PIN_MIN_DIGITS, TP_PIN_MAX_DIGITS);
      return FALSE;
    }
  if (!ensure_sodium (error))
    return FALSE;
  if (crypto_pwhash_argon2id_str (hash, pin, strlen (pin), crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_FAILED,
                           "Hashing the PIN failed: not enough memory for Argon2id");
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_pin_set (TpStore     *store,
            const char  *pin,
            GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  static const LockState cleared = { 0 };

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);

  /* Hashed without the store's lock: other threads use the store meanwhile. */
  if (!hash_pin (pin, hash, error))
    return FALSE;

  /* The new hash and the cleared lock go in together or not at all. */
  if (!tp_store_begin (store, "Saving the PIN", error))
    return FALSE;
  if (!tp_store_set_setting (store, KEY_HASH, hash, error) ||
      !save_lock (store, &cleared, error))
    {
      tp_store_rollback (store);
      return FALSE;
    }
  if (!tp_store_commit (store, "Saving the PIN", error))
    return FALSE;
  g_debug ("A new staff PIN was set");
  return TRUE;
}

/* The check in three steps, so that the slow comparison holds no lock on the store:
 * begin_check gives the stored hash (or NULL with NOT_SET, LOCKED or a store error),
 * verify_hash touches no store, finish_check records the try. */
static char *
begin_check (TpStore  *store,
             gint64    now,
             GError  **error)
{
  TP_STORE_LOCKED (store);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *hash = NULL;
  TpPinState state;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  if (!tp_pin_get_state (store, now, &state, error))
    return NULL;
  if (!state.is_set)
    {
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET, _("No staff PIN has been set on this kiosk."));
      return NULL;
    }
  if (state.lock_remaining > 0)
    {
      g_autofree char *message = tp_pin_describe_lock (state.lock_remaining);

      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED, message);
      return NULL;
    }
  hash = tp_store_get_setting (store, KEY_HASH, &local_error);
  if (hash == NULL)
    {
      if (local_error)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET, _("No staff PIN has been set on this kiosk."));
      return NULL;
    }
  return g_steal_pointer (&hash);
}

static gboolean
verify_hash (const char *hash,
             const char *pin)
{
  if (hash == NULL || !tp_pin_is_valid (pin) || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

static gboolean
finish_check (TpStore   *store,
              gboolean   correct,
              gint64     now,
              GError   **error)
{
  /* The lock's state is read, changed and written back as one step. */
  TP_STORE_LOCKED (store);
  LockState lock;
  gboolean clamped;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);

  if (!load_lock (store, &lock, error))
    return FALSE;
  if (correct)
    {
      static const LockState cleared = { 0 };

      return save_lock (store, &cleared, error);
    }

  if (lock.until != 0 && lock_remaining (&lock, now, &clamped) == 0)
    {
      lock.failures = 0;
      lock.until = 0;
    }
  lock.failures++;
  if (lock.failures >= TP_PIN_TRIES)
    {
      g_autofree char *message = NULL;

      lock.failures = 0;
      lock.locks++;
      lock.seconds = tp_pin_lock_seconds (lock.locks);
      lock.until = now + lock.seconds;
      if (!save_lock (store, &lock, error))
        return FALSE;
      g_debug ("Staff PIN locked for %u s after %u wrong tries", lock.seconds, TP_PIN_TRIES);
      message = tp_pin_describe_lock (lock.seconds);
      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED, message);
      return FALSE;
    }
  if (!save_lock (store, &lock, error))
    return FALSE;
  g_set_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG,
               dngettext (GETTEXT_PACKAGE, "Wrong PIN. %u more try before a pause.",
                          "Wrong PIN. %u more tries before a pause.", TP_PIN_TRIES - lock.failures),
               TP_PIN_TRIES - lock.failures);
  return FALSE;
}

gboolean
tp_pin_check (TpStore     *store,
              const char  *pin,
              gint64       now,
              GError     **error)
{
  g_autofree char *hash = NULL;
  gboolean correct;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);

  hash = begin_check (store, now, error);
  if (hash == NULL)
    return FALSE;
  correct = verify_hash (hash, pin);
  return finish_check (store, correct, now, error);
}

/* ---- On the store's thread ------------------------------------------------------------- */

typedef struct
{
  char   *pin;
  gint64  now;
} PinJob;

static void
pin_job_free (PinJob *job)
{
  if (job->pin)
    sodium_memzero (job->pin, strlen (job->pin));
  g_free (job->pin);
  g_free (job);
}

static GTask *
pin_task_new (TpStore             *store,
              const char          *pin,
              gint64               now,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  PinJob *job = g_new0 (PinJob, 1);

  job->pin = g_strdup (pin);
  job->now = now;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) pin_job_free);
  return task;
}

static void
set_job (GTask        *task,
         gpointer      source,
         gpointer      data,
         GCancellable *cancellable)
{
  PinJob *job = data;
  GError *error = NULL;

  if (tp_pin_set (source, job->pin, &error))
    g_task_return_boolean (task, TRUE);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (pin != NULL);

  task = pin_task_new (store, pin, 0, cancellable, callback, user_data, tp_pin_set_async);
  tp_store_run_task (store, task, set_job);
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
check_job (GTask        *task,
           gpointer      source,
           gpointer      data,
           GCancellable *cancellable)
{
  PinJob *job = data;
  GError *error = NULL;

  /* Not cancellable from here on: a compared PIN is always recorded. */
  if (tp_pin_check (source, job->pin, job->now, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tp_pin_check_async (TpStore             *store,
                    const char          *pin,
                    gint64               now,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (pin != NULL);

  task = pin_task_new (store, pin, now, cancellable, callback, user_data, tp_pin_check_async);
  tp_store_run_task (store, task, check_job);
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
