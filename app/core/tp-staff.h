/* tp-staff.h: staff accounts: a name, a role and a PIN each (Argon2id, with its own lock-out),
 * and what each role may do. Who is acting is a TpActor (tp-actor.h). */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

#define TP_STAFF_ERROR (tp_staff_error_quark ())
GQuark tp_staff_error_quark (void);

/* Problems with the PIN itself (not 4 to 8 digits, wrong, locked, hashing failed) are
 * TP_PIN_ERROR (tp-pin.h), with the messages the PIN pad shows. */
typedef enum
{
  TP_STAFF_ERROR_INVALID_NAME,  /* Not 1 to 40 characters of text. */
  TP_STAFF_ERROR_EXISTS,        /* Another account has this name (case does not count). */
  TP_STAFF_ERROR_NOT_FOUND,     /* No account has this name. */
  TP_STAFF_ERROR_LAST_ADMIN,    /* The change would leave the kiosk without an admin. */
  TP_STAFF_ERROR_FORBIDDEN,     /* The actor's role does not allow it. */
  TP_STAFF_ERROR_CHANGED,       /* The account changed while its PIN was compared: try again. */
} TpStaffError;

typedef enum
{
  TP_STAFF_ROLE_STAFF,
  TP_STAFF_ROLE_ADMIN,
} TpStaffRole;

/* What staff do at the booth; tp_staff_role_can says which role may. */
typedef enum
{
  /* Every role. */
  TP_STAFF_ACTION_DASHBOARD,
  TP_STAFF_ACTION_LEADS,        /* The lead list and details. */
  TP_STAFF_ACTION_QUALIFY,      /* Rating and notes. */
  TP_STAFF_ACTION_REDEEM,
  TP_STAFF_ACTION_DRAW,
  TP_STAFF_ACTION_QUIT_KIOSK,
  TP_STAFF_ACTION_CHANGE_OWN_PIN,
  /* Admins only. */
  TP_STAFF_ACTION_EXPORT,
  TP_STAFF_ACTION_SYNC,
  TP_STAFF_ACTION_ERASE,
  TP_STAFF_ACTION_PURGE,
  TP_STAFF_ACTION_SETTINGS,
  TP_STAFF_ACTION_ACCOUNTS,     /* Add, remove, set roles, set others' PINs. */
} TpStaffAction;

#define TP_STAFF_NAME_MAX 40
/* The account older kiosks' single PIN became, and that `touchpoint pin set` sets. */
#define TP_STAFF_DEFAULT_ADMIN "admin"

/* "staff" or "admin". */
const char *tp_staff_role_to_string   (TpStaffRole    role);
/* FALSE for anything but "staff" and "admin". */
gboolean    tp_staff_role_from_string (const char    *text,
                                       TpStaffRole   *role);
/* The role's name for people ("Staff", "Admin"), translated. */
const char *tp_staff_role_describe    (TpStaffRole    role);
gboolean    tp_staff_role_can         (TpStaffRole    role,
                                       TpStaffAction  action);

/* An account as read from the store: a value, never the PIN or its hash. */
typedef struct
{
  char        *name;
  TpStaffRole  role;
  guint        tries_left;      /* Wrong tries left before the next lock. */
  gint64       lock_remaining;  /* Seconds until the next try is allowed; 0 when not locked. */
  gint64       locked_until;    /* Seconds since 1970 when locked, else 0. */
  guint        locks;           /* Locks in a row so far. */
  char        *created_at;      /* UTC ISO 8601. */
  char        *created_by;      /* tp_actor_describe of who added it. */
} TpStaffAccount;

#define TP_TYPE_STAFF_ACCOUNT (tp_staff_account_get_type ())
GType           tp_staff_account_get_type (void) G_GNUC_CONST;
TpStaffAccount *tp_staff_account_copy     (const TpStaffAccount *account);
void            tp_staff_account_free     (TpStaffAccount       *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpStaffAccount, tp_staff_account_free)

/* What the UI and the command line ask before offering an action. */
gboolean    tp_staff_can              (const TpStaffAccount *account,
                                       TpStaffAction         action);

/* The name as it is stored: NFC, outer white space removed, inner runs of it one space; NULL
 * with TP_STAFF_ERROR_INVALID_NAME (a message for people, translated) unless that is 1 to 40
 * characters with no control or invisible ones. */
char       *tp_staff_normalize_name   (const char  *name,
                                       GError     **error);

/* Who acts (tp-actor.h). */
typedef struct _TpActor TpActor;

/* Every account, by name (case-insensitively); lock states as at now. */
GPtrArray      *tp_staff_list         (TpStore       *store,
                                       gint64         now,
                                       GError       **error);
/* How many accounts there are (0 on a new kiosk: the first run creates an admin), or -1. */
gint64          tp_staff_count        (TpStore       *store,
                                       GError       **error);
/* One account by name (case-insensitively), or NULL with TP_STAFF_ERROR_NOT_FOUND. */
TpStaffAccount *tp_staff_get_account  (TpStore       *store,
                                       const char    *name,
                                       gint64         now,
                                       GError       **error);

/* Adds an account. actor must be allowed TP_STAFF_ACTION_ACCOUNTS, except for the first
 * account of a kiosk, which anyone (NULL: nobody signed in yet) may add and which must be an
 * admin. Hashes the PIN (Argon2id: not on the main thread; see the async form). */
TpStaffAccount *tp_staff_add          (TpStore       *store,
                                       const TpActor *actor,
                                       const char    *name,
                                       TpStaffRole    role,
                                       const char    *pin,
                                       GError       **error);
void            tp_staff_add_async    (TpStore             *store,
                                       const TpActor       *actor,
                                       const char          *name,
                                       TpStaffRole          role,
                                       const char          *pin,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
TpStaffAccount *tp_staff_add_finish   (TpStore       *store,
                                       GAsyncResult  *result,
                                       GError       **error);
/* Removes an account; refuses (TP_STAFF_ERROR_LAST_ADMIN) to remove the last admin. */
gboolean        tp_staff_remove       (TpStore       *store,
                                       const TpActor *actor,
                                       const char    *name,
                                       GError       **error);
/* Changes an account's role; refuses to demote the last admin. */
gboolean        tp_staff_set_role     (TpStore       *store,
                                       const TpActor *actor,
                                       const char    *name,
                                       TpStaffRole    role,
                                       GError       **error);
/* Sets an account's PIN and clears its lock. Anyone may change their own PIN; an admin (or the
 * OS user) anyone's. Hashes the PIN: see the async form. */
TpStaffAccount *tp_staff_set_pin      (TpStore       *store,
                                       const TpActor *actor,
                                       const char    *name,
                                       const char    *pin,
                                       GError       **error);
void            tp_staff_set_pin_async (TpStore             *store,
                                        const TpActor       *actor,
                                        const char          *name,
                                        const char          *pin,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
TpStaffAccount *tp_staff_set_pin_finish (TpStore       *store,
                                         GAsyncResult  *result,
                                         GError       **error);
/* `touchpoint pin set`: the PIN of the account named "admin", which is created (an admin)
 * when the kiosk has no account yet. TP_STAFF_ERROR_NOT_FOUND when accounts exist but none has
 * that name. */
TpStaffAccount *tp_staff_set_default_admin_pin        (TpStore       *store,
                                                       const TpActor *actor,
                                                       const char    *pin,
                                                       GError       **error);
void            tp_staff_set_default_admin_pin_async  (TpStore             *store,
                                                       const TpActor       *actor,
                                                       const char          *pin,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
TpStaffAccount *tp_staff_set_default_admin_pin_finish (TpStore       *store,
                                                       GAsyncResult  *result,
                                                       GError       **error);

/* Signs in: the account when pin is its PIN, recording the try against that account only.
 * Otherwise NULL with TP_PIN_ERROR_WRONG (the message says how many tries are left),
 * TP_PIN_ERROR_LOCKED (also when locked before the try, which is then not counted; the
 * message says how long to wait), TP_STAFF_ERROR_NOT_FOUND or a store error. The messages
 * are the PIN pad's, in the catalogue's language. */
TpStaffAccount *tp_staff_check        (TpStore       *store,
                                       const char    *name,
                                       const char    *pin,
                                       gint64         now,
                                       GError       **error);
/* The same on the store's thread (the comparison is slow): the callback runs in the caller's
 * thread-default context. Once the PIN has been compared the try is recorded even if
 * cancellable is cancelled meanwhile (a lock must not be dodged by closing the pad); cancelled
 * before its turn, nothing is compared or recorded. */
void            tp_staff_check_async  (TpStore             *store,
                                       const char          *name,
                                       const char          *pin,
                                       gint64               now,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
TpStaffAccount *tp_staff_check_finish (TpStore       *store,
                                       GAsyncResult  *result,
                                       GError       **error);

G_END_DECLS

/* TpActor, with the functions that make one from an account. */
#include "tp-actor.h"
