/* tp-pin.h: staff PINs: Argon2id hashes and the lock-out that grows after wrong tries. Each
 * staff account has its own (tp-staff.h); the functions on a store below are the single PIN of
 * older kiosks, now the PIN of the account named "admin". */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

#define TP_PIN_ERROR (tp_pin_error_quark ())
GQuark tp_pin_error_quark (void);

typedef enum
{
  TP_PIN_ERROR_INVALID,   /* Not 4 to 8 digits. */
  TP_PIN_ERROR_NOT_SET,   /* No PIN has been set on this kiosk yet. */
  TP_PIN_ERROR_WRONG,     /* A wrong PIN; tries remain before the lock. */
  TP_PIN_ERROR_LOCKED,    /* Too many wrong tries: wait, see tp_pin_get_lock_remaining. */
  TP_PIN_ERROR_FAILED,    /* Hashing failed (out of memory). */
} TpPinError;

#define TP_PIN_MIN_DIGITS 4
#define TP_PIN_MAX_DIGITS 8
/* Wrong tries allowed before each lock. */
#define TP_PIN_TRIES 5

/* 4 to 8 ASCII digits. */
gboolean  tp_pin_is_valid            (const char  *pin);
/* The Argon2id hash of pin (interactive limits: a noticeable moment of CPU and 64 MiB, so
 * never on the main thread), as libsodium's "$argon2id$..." string; NULL with
 * TP_PIN_ERROR_INVALID or TP_PIN_ERROR_FAILED. */
char     *tp_pin_hash                (const char  *pin,
                                      GError     **error);
/* Whether pin matches hash (as slow as hashing). FALSE for a missing hash or an invalid PIN. */
gboolean  tp_pin_verify              (const char  *hash,
                                      const char  *pin);

/* ---- The lock-out of one PIN ------------------------------------------------------------ */

typedef struct
{
  guint  failures;   /* Wrong tries since the last lock. */
  guint  locks;      /* Locks in a row so far (the next one lasts longer). */
  gint64 until;      /* The end of the current lock, seconds since 1970; 0 for none. */
  guint  seconds;    /* The current lock's length. */
} TpPinLock;

/* Seconds left of the lock at now (0 when not locked). A wall clock set back must not stretch a
 * lock: a lock never has more left than its own length. When that shortens it, lock->until
 * changes and *changed is set: the caller saves the lock. */
gint64    tp_pin_lock_remaining      (TpPinLock   *lock,
                                      gint64       now,
                                      gboolean    *changed);
/* Wrong tries left before the next lock (an expired lock gives a fresh set). */
guint     tp_pin_lock_tries_left     (TpPinLock   *lock,
                                      gint64       now);
/* Records a compared try in lock (the caller saves it): TRUE when correct (the lock is
 * cleared); FALSE with TP_PIN_ERROR_WRONG (the message says how many tries are left) or
 * TP_PIN_ERROR_LOCKED (this try started a lock; the message says how long to wait). */
gboolean  tp_pin_lock_record         (TpPinLock   *lock,
                                      gboolean     correct,
                                      gint64       now,
                                      GError     **error);
/* The lock as older kiosks kept it in one setting ("failures locks until seconds"); a damaged
 * value must not unlock the PIN, so it reads as a fresh lock of the longest kind from now. NULL
 * reads as no lock. */
void      tp_pin_lock_parse          (const char  *value,
                                      gint64       now,
                                      TpPinLock   *lock);

/* What the pad says while the PIN is locked for seconds more ("Too many wrong tries. Try again
 * in 30 seconds."). */
char     *tp_pin_describe_lock       (gint64       seconds);
/* The lock's length after the n-th lock in a row (n >= 1): 30 s, 1, 2, 5, 10, 30 min, 1 h. */
guint     tp_pin_lock_seconds        (guint        n);
/* Current wall-clock time in seconds, as the kiosk passes it. */
gint64    tp_pin_now                 (void);

/* ---- The PIN of the account named "admin" ----------------------------------------------- *
 * What `touchpoint pin set|status` and older callers use. New code names the account:
 * tp_staff_check, tp_staff_set_pin (tp-staff.h). */

/* Sets the PIN of the account named "admin" and clears its lock; creates that account (an
 * admin) when the kiosk has no account at all. TP_PIN_ERROR_NOT_SET when accounts exist but
 * none is named "admin". Argon2id takes a noticeable moment: the kiosk uses the async form. */
gboolean  tp_pin_set                 (TpStore     *store,
                                      const char  *pin,
                                      GError     **error);
/* The same on the store's thread; the callback runs in the caller's thread-default context. */
void      tp_pin_set_async           (TpStore             *store,
                                      const char          *pin,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  tp_pin_set_finish          (TpStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

typedef struct
{
  gboolean is_set;           /* The account named "admin" exists. */
  guint    tries_left;       /* Wrong tries left before the next lock. */
  gint64   lock_remaining;   /* Seconds until the next try is allowed; 0 when not locked. */
  guint    locks;            /* Locks in a row so far (the next one lasts longer). */
} TpPinState;

/* now is the wall clock in seconds since 1970 (tests pass their own). FALSE with error only
 * when the store cannot be read. */
gboolean  tp_pin_get_state           (TpStore     *store,
                                      gint64       now,
                                      TpPinState  *state,
                                      GError     **error);
/* Checks the PIN of the account named "admin" and records the try: TRUE when right; FALSE with
 * TP_PIN_ERROR_WRONG, TP_PIN_ERROR_LOCKED (also when locked before the try, which is then not
 * counted), TP_PIN_ERROR_NOT_SET or a store error. */
gboolean  tp_pin_check               (TpStore     *store,
                                      const char  *pin,
                                      gint64       now,
                                      GError     **error);
/* The same on the store's thread. Once the PIN has been compared, the try is recorded even if
 * cancellable is cancelled meanwhile; cancelled before its turn, nothing is compared. */
void      tp_pin_check_async         (TpStore             *store,
                                      const char          *pin,
                                      gint64               now,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  tp_pin_check_finish        (TpStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

G_END_DECLS
