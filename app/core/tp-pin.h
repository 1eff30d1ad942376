/* tp-pin.h: the staff PIN: an Argon2id hash and a lock-out that grows, both kept in the store. */
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
/* Hashes and stores a new PIN; clears any lock. Argon2id takes a noticeable moment: the
 * kiosk uses tp_pin_set_async, the command line this. */
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
  gboolean is_set;
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
/* Checks a PIN and records the try: TRUE when right; FALSE with TP_PIN_ERROR_WRONG (the
 * message says how many tries are left), TP_PIN_ERROR_LOCKED (also when locked before the
 * try, which is then not counted; the message says how long to wait), TP_PIN_ERROR_NOT_SET or
 * a store error. The command line uses this; the kiosk tp_pin_check_async. */
gboolean  tp_pin_check               (TpStore     *store,
                                      const char  *pin,
                                      gint64       now,
                                      GError     **error);
/* The same on the store's thread: the lock's bookkeeping and the Argon2id comparison happen
 * there, and the callback runs in the caller's thread-default context. Once the PIN has been
 * compared, the try is recorded even if cancellable is cancelled meanwhile (a lock must not
 * be dodged by closing the pad); cancelled before its turn, nothing is compared or recorded. */
void      tp_pin_check_async         (TpStore             *store,
                                      const char          *pin,
                                      gint64               now,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  tp_pin_check_finish        (TpStore       *store,
                                      GAsyncResult  *result,
                                      GError       **error);

/* What the pad says while the PIN is locked for seconds more ("Too many wrong tries. Try again
 * in 30 seconds."). */
char     *tp_pin_describe_lock       (gint64       seconds);

/* The lock's length after the n-th lock in a row (n >= 1): 30 s, 1, 2, 5, 10, 30 min, 1 h. */
guint     tp_pin_lock_seconds        (guint        n);
/* Current wall-clock time in seconds, as the kiosk passes it. */
gint64    tp_pin_now                 (void);

G_END_DECLS
