/* tp-staff.c: staff accounts in the store: adding, listing, removing, roles, each account's
 * PIN hash and lock-out, signing in, and the schema step that made them. Roles and names are in
 * tp-staff-values.c, the async pairs in tp-staff-async.c. */
#define G_LOG_DOMAIN "tp-staff"

#include "tp-staff.h"
#include "tp-staff-private.h"
#include "tp-audit.h"
#include "tp-i18n.h"
#include "tp-pin.h"
#include "tp-store-private.h"

#include <string.h>

/* The error for a name no account has, naming it as typed. */
static void
set_not_found (GError     **error,
               const char  *name)
{
  g_set_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND,
               _("There is no staff account named “%s”."), name);
}

/* ---- The schema step --------------------------------------------------------------------- */

#define OLD_KEY_HASH "pin.hash"
#define OLD_KEY_LOCK "pin.lock"
#define MIGRATED_BY "migration:single-pin"

gboolean
tp_staff_upgrade_store (TpStore  *store,
                        GError  **error)
{
  static const char create[] =
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    /* The name as it is looked up: the same whatever its case or width. */
    "  name_key TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('staff', 'admin')),"
    "  pin_hash TEXT NOT NULL,"
    /* The lock-out (tp-pin.h's TpPinLock): wrong tries since the last lock, locks in a row,
     * the end of the current lock (seconds since 1970, 0 for none) and its length. */
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  locks INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0,"
    "  lock_seconds INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  created_by TEXT NOT NULL);";
  g_autofree char *hash = NULL;
  g_autofree char *lock_value = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = tp_store_timestamp (now);
  g_autofree char *key = tp_staff_name_key (TP_STAFF_DEFAULT_ADMIN);
  sqlite3_stmt *stmt;
  TpPinLock lock;
  int rc;

  rc = sqlite3_exec (tp_store_get_db (store), create, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      tp_store_set_error (store, error, rc, "Creating the staff table");
      return FALSE;
    }

  /* The single PIN of older kiosks becomes the admin account "admin", with its lock. */
  hash = tp_store_get_setting (store, OLD_KEY_HASH, error);
  if (hash == NULL)
    return error == NULL || *error == NULL;
  lock_value = tp_store_get_setting (store, OLD_KEY_LOCK, error);
  if (lock_value == NULL && error && *error)
    return FALSE;
  tp_pin_lock_parse (lock_value, g_date_time_to_unix (now), &lock);

  stmt = tp_store_prepare (store, "INSERT INTO staff (name, name_key, role, pin_hash, failures, locks, "
                                  "locked_until, lock_seconds, created_at, created_by) "
                                  "VALUES (?1, ?2, 'admin', ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, TP_STAFF_DEFAULT_ADMIN, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, lock.failures);
  sqlite3_bind_int64 (stmt, 5, lock.locks);
  sqlite3_bind_int64 (stmt, 6, lock.until);
  sqlite3_bind_int64 (stmt, 7, lock.seconds);
  sqlite3_bind_text (stmt, 8, created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, MIGRATED_BY, -1, SQLITE_STATIC);
  if (!tp_store_step_done (store, stmt, "Moving the staff PIN into an account", error))
    return FALSE;
  /* The hash lives in one place only. */
  if (!tp_store_set_setting (store, OLD_KEY_HASH, NULL, error) ||
      !tp_store_set_setting (store, OLD_KEY_LOCK, NULL, error))
    return FALSE;
  g_debug ("The staff PIN became the admin account");
  return TRUE;
}

/* ---- Reading ----------------------------------------------------------------------------- */

#define ACCOUNT_COLUMNS "id, name, role, failures, locks, locked_until, lock_seconds, created_at, created_by"

/* A row of ACCOUNT_COLUMNS: the account with its lock state at now, its id and its lock (which
 * may have been shortened for a clock set back: *changed says so). */
static TpStaffAccount *
account_from_row (sqlite3_stmt *stmt,
                  gint64        now,
                  gint64       *id,
                  TpPinLock    *lock,
                  gboolean     *changed)
{
  TpStaffAccount *account = g_new0 (TpStaffAccount, 1);

  if (id)
    *id = sqlite3_column_int64 (stmt, 0);
  account->name = tp_store_column_dup (stmt, 1);
  if (!tp_staff_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &account->role))
    account->role = TP_STAFF_ROLE_STAFF;
  lock->failures = sqlite3_column_int64 (stmt, 3);
  lock->locks = sqlite3_column_int64 (stmt, 4);
  lock->until = sqlite3_column_int64 (stmt, 5);
  lock->seconds = sqlite3_column_int64 (stmt, 6);
  account->created_at = tp_store_column_dup (stmt, 7);
  account->created_by = tp_store_column_dup (stmt, 8);
  account->lock_remaining = tp_pin_lock_remaining (lock, now, changed);
  account->locked_until = account->lock_remaining > 0 ? lock->until : 0;
  account->tries_left = tp_pin_lock_tries_left (lock, now);
  account->locks = lock->locks;
  return account;
}

static gboolean
save_lock (TpStore          *store,
           gint64            id,
           const TpPinLock  *lock,
           GError          **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (store, "UPDATE staff SET failures = ?2, locks = ?3, locked_until = ?4, "
                                                "lock_seconds = ?5 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, lock->failures);
  sqlite3_bind_int64 (stmt, 3, lock->locks);
  sqlite3_bind_int64 (stmt, 4, lock->until);
  sqlite3_bind_int64 (stmt, 5, lock->seconds);
  return tp_store_step_done (store, stmt, "Saving a staff account's lock", error);
}

/* The account named name (case-insensitively), or NULL: with TP_STAFF_ERROR_NOT_FOUND, or a
 * store error. A lock shortened for a clock set back is saved. */
static TpStaffAccount *
find_account (TpStore     *store,
              const char  *name,
              gint64       now,
              gint64      *id,
              TpPinLock   *lock,
              GError     **error)
{
  TP_STORE_LOCKED (store);
  g_autofree char *key = tp_staff_name_key (name);
  g_autoptr(TpStaffAccount) account = NULL;
  sqlite3_stmt *stmt;
  gint64 row_id = 0;
  TpPinLock row_lock;
  gboolean changed = FALSE;
  int rc;

  if (key == NULL)
    {
      set_not_found (error, name ? name : "");
      return NULL;
    }
  stmt = tp_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM staff WHERE name_key = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt, now, &row_id, &row_lock, &changed);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tp_store_set_error (store, error, rc, "Reading a staff account");
      return NULL;
    }
  if (account == NULL)
    {
      set_not_found (error, name);
      return NULL;
    }
  if (changed && !save_lock (store, row_id, &row_lock, error))
    return NULL;
  if (id)
    *id = row_id;
  if (lock)
    *lock = row_lock;
  return g_steal_pointer (&account);
}

TpStaffAccount *
tp_staff_get_account (TpStore     *store,
                      const char  *name,
                      gint64       now,
                      GError     **error)
{
  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  return find_account (store, name, now, NULL, NULL, error);
}

GPtrArray *
tp_staff_list (TpStore  *store,
               gint64    now,
               GError  **error)
{
  TP_STORE_LOCKED (store);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_staff_account_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  stmt = tp_store_prepare (store, "SELECT " ACCOUNT_COLUMNS " FROM staff ORDER BY name_key", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpPinLock lock;

      g_ptr_array_add (accounts, account_from_row (stmt, now, NULL, &lock, NULL));
    }
  if (!tp_store_end_rows (store, stmt, rc, "Listing the staff accounts", error))
    return NULL;
  return g_steal_pointer (&accounts);
}

gint64
tp_staff_count (TpStore  *store,
                GError  **error)
{
  TP_STORE_LOCKED (store);

  g_return_val_if_fail (TP_IS_STORE (store), -1);
  return tp_store_count (store, "SELECT count(*) FROM staff", error);
}

/* ---- Changes ----------------------------------------------------------------------------- */

/* Whether actor may do action now: an account as its stored role allows (it may have changed
 * since it signed in), the OS user always. */
static gboolean
check_allowed (TpStore        *store,
               const TpActor  *actor,
               TpStaffAction   action,
               GError        **error)
{
  g_autoptr(TpStaffAccount) account = NULL;

  if (actor && actor->kind == TP_ACTOR_OS_USER)
    return TRUE;
  if (actor)
    account = find_account (store, actor->name, tp_pin_now (), NULL, NULL, NULL);
  if (account == NULL || !tp_staff_can (account, action))
    {
      g_set_error_literal (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN,
                           action == TP_STAFF_ACTION_ACCOUNTS ? _("Only an admin can manage staff accounts.")
                                                              : _("Your role does not allow this."));
      return FALSE;
    }
  return TRUE;
}

static gint64
count_admins (TpStore  *store,
              GError  **error)
{
  return tp_store_count (store, "SELECT count(*) FROM staff WHERE role = 'admin'", error);
}

/* A change that would leave no admin is refused. */
static gboolean
check_not_last_admin (TpStore               *store,
                      const TpStaffAccount  *account,
                      GError               **error)
{
  gint64 admins;

  if (account->role != TP_STAFF_ROLE_ADMIN)
    return TRUE;
  admins = count_admins (store, error);
  if (admins < 0)
    return FALSE;
  if (admins <= 1)
    {
      g_set_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN,
                   _("“%s” is the last admin: make another account an admin first."), account->name);
      return FALSE;
    }
  return TRUE;
}

/* A quick look before the slow hashing: the name is valid and, for a new account, free. The
 * transaction looks again. */
static char *
precheck_new_name (TpStore     *store,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *normal = tp_staff_normalize_name (name, error);
  g_autoptr(TpStaffAccount) existing = NULL;
  g_autoptr(GError) local = NULL;

  if (normal == NULL)
    return NULL;
  existing = find_account (store, normal, tp_pin_now (), NULL, NULL, &local);
  if (existing)
    {
      g_set_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_EXISTS,
                   _("There is already a staff account named “%s”."), existing->name);
      return NULL;
    }
  if (!g_error_matches (local, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&normal);
}

static gboolean
insert_account (TpStore        *store,
                const TpActor  *actor,
                const char     *name,
                TpStaffRole     role,
                const char     *hash,
                GError        **error)
{
  g_autofree char *key = tp_staff_name_key (name);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = tp_store_timestamp (now);
  g_autofree char *by = actor ? tp_actor_describe (actor) : g_strdup ("first-run");
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (store, "INSERT INTO staff (name, name_key, role, pin_hash, created_at, created_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tp_staff_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, by, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_EXISTS,
                   _("There is already a staff account named “%s”."), name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (store, error, rc, "Adding a staff account");
      return FALSE;
    }
  return TRUE;
}

/* Wipes and frees a PIN hash (not secret, but no need to leave it in memory either). */
static void
hash_free (char *hash)
{
  if (hash)
    memset (hash, 0, strlen (hash));
  g_free (hash);
}

typedef char HashString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HashString, hash_free)

/* Account changes go to the audit log, in the change's own transaction. */
static gboolean
log_account (TpStore        *store,
             const TpActor  *actor,
             const char     *detail,
             GError        **error)
{
  g_autofree char *who = actor ? tp_actor_describe (actor) : g_strdup ("kiosk");

  return tp_audit_append (store, who, TP_AUDIT_ACCOUNT, NULL, detail, error);
}

TpStaffAccount *
tp_staff_add (TpStore        *store,
              const TpActor  *actor,
              const char     *name,
              TpStaffRole     role,
              const char     *pin,
              GError        **error)
{
  g_autofree char *detail = NULL;
  g_autofree char *normal = NULL;
  g_autoptr(HashString) hash = NULL;
  gint64 count;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  if (!(normal = precheck_new_name (store, name, error)))
    return NULL;
  /* Hashed without the store's lock: other threads use the store meanwhile. */
  if (!(hash = tp_pin_hash (pin, error)))
    return NULL;

  if (!tp_store_begin (store, "Adding a staff account", error))
    return NULL;
  count = tp_staff_count (store, error);
  if (count < 0)
    goto failed;
  if (count == 0 && role != TP_STAFF_ROLE_ADMIN)
    {
      g_set_error_literal (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN, _("The first account must be an admin."));
      goto failed;
    }
  if (count > 0 && !check_allowed (store, actor, TP_STAFF_ACTION_ACCOUNTS, error))
    goto failed;
  if (!insert_account (store, actor, normal, role, hash, error))
    goto failed;
  detail = g_strdup_printf ("added %s (%s)", normal, tp_staff_role_to_string (role));
  if (!log_account (store, actor, detail, error))
    goto failed;
  if (!tp_store_commit (store, "Adding a staff account", error))
    return NULL;
  g_debug ("A %s account was added", tp_staff_role_to_string (role));
  return tp_staff_get_account (store, normal, tp_pin_now (), error);

failed:
  tp_store_rollback (store);
  return NULL;
}

gboolean
tp_staff_remove (TpStore        *store,
                 const TpActor  *actor,
                 const char     *name,
                 GError        **error)
{
  g_autofree char *detail = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!tp_store_begin (store, "Removing a staff account", error))
    return FALSE;
  if (!check_allowed (store, actor, TP_STAFF_ACTION_ACCOUNTS, error) ||
      !(account = find_account (store, name, tp_pin_now (), &id, NULL, error)) ||
      !check_not_last_admin (store, account, error) ||
      !(stmt = tp_store_prepare (store, "DELETE FROM staff WHERE id = ?1", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  detail = g_strdup_printf ("removed %s", account->name);
  if (!tp_store_step_done (store, stmt, "Removing a staff account", error) || !log_account (store, actor, detail, error))
    goto failed;
  if (!tp_store_commit (store, "Removing a staff account", error))
    return FALSE;
  g_debug ("A %s account was removed", tp_staff_role_to_string (account->role));
  return TRUE;

failed:
  tp_store_rollback (store);
  return FALSE;
}

gboolean
tp_staff_set_role (TpStore        *store,
                   const TpActor  *actor,
                   const char     *name,
                   TpStaffRole     role,
                   GError        **error)
{
  g_autofree char *detail = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!tp_store_begin (store, "Changing a staff account's role", error))
    return FALSE;
  if (!check_allowed (store, actor, TP_STAFF_ACTION_ACCOUNTS, error) ||
      !(account = find_account (store, name, tp_pin_now (), &id, NULL, error)))
    goto failed;
  if (account->role == role)
    {
      tp_store_rollback (store);
      return TRUE;
    }
  if (!check_not_last_admin (store, account, error) ||
      !(stmt = tp_store_prepare (store, "UPDATE staff SET role = ?2 WHERE id = ?1", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, tp_staff_role_to_string (role), -1, SQLITE_STATIC);
  detail = g_strdup_printf ("%s became %s", account->name, tp_staff_role_to_string (role));
  if (!tp_store_step_done (store, stmt, "Changing a staff account's role", error) ||
      !log_account (store, actor, detail, error))
    goto failed;
  if (!tp_store_commit (store, "Changing a staff account's role", error))
    return FALSE;
  g_debug ("An account became %s", tp_staff_role_to_string (role));
  return TRUE;

failed:
  tp_store_rollback (store);
  return FALSE;
}

/* Sets the hash and clears the lock of the account named name, inside the caller's
 * transaction. */
static gboolean
update_pin (TpStore     *store,
            const char  *name,
            const char  *hash,
            GError     **error)
{
  static const TpPinLock cleared = { 0 };
  g_autoptr(TpStaffAccount) account = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!(account = find_account (store, name, tp_pin_now (), &id, NULL, error)) ||
      !(stmt = tp_store_prepare (store, "UPDATE staff SET pin_hash = ?2 WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  return tp_store_step_done (store, stmt, "Saving a staff PIN", error) && save_lock (store, id, &cleared, error);
}

TpStaffAccount *
tp_staff_set_pin (TpStore        *store,
                  const TpActor  *actor,
                  const char     *name,
                  const char     *pin,
                  GError        **error)
{
  g_autofree char *detail = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  g_autoptr(HashString) hash = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  /* The account must exist before the slow hashing; the transaction looks again. */
  if (!(account = tp_staff_get_account (store, name, tp_pin_now (), error)))
    return NULL;
  if (!(hash = tp_pin_hash (pin, error)))
    return NULL;

  detail = g_strdup_printf ("new PIN for %s", account->name);
  if (!tp_store_begin (store, "Saving a staff PIN", error))
    return NULL;
  if ((!tp_actor_is_account (actor, account->name) &&
       !check_allowed (store, actor, TP_STAFF_ACTION_ACCOUNTS, error)) ||
      !update_pin (store, account->name, hash, error) ||
      !log_account (store, actor, detail, error))
    {
      tp_store_rollback (store);
      return NULL;
    }
  if (!tp_store_commit (store, "Saving a staff PIN", error))
    return NULL;
  g_debug ("A staff PIN was changed");
  return tp_staff_get_account (store, account->name, tp_pin_now (), error);
}

TpStaffAccount *
tp_staff_set_default_admin_pin (TpStore        *store,
                                const TpActor  *actor,
                                const char     *pin,
                                GError        **error)
{
  g_autoptr(HashString) hash = NULL;
  gint64 count;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  if (!(hash = tp_pin_hash (pin, error)))
    return NULL;
  if (!tp_store_begin (store, "Saving the staff PIN", error))
    return NULL;
  count = tp_staff_count (store, error);
  if (count < 0 ||
      !(count == 0 ? insert_account (store, actor, TP_STAFF_DEFAULT_ADMIN, TP_STAFF_ROLE_ADMIN, hash, error)
                   : (check_allowed (store, actor, TP_STAFF_ACTION_ACCOUNTS, error) &&
                      update_pin (store, TP_STAFF_DEFAULT_ADMIN, hash, error))))
    {
      tp_store_rollback (store);
      return NULL;
    }
  if (!tp_store_commit (store, "Saving the staff PIN", error))
    return NULL;
  return tp_staff_get_account (store, TP_STAFF_DEFAULT_ADMIN, tp_pin_now (), error);
}

/* ---- Signing in -------------------------------------------------------------------------- */

/* The check in three steps, so that the slow comparison holds no lock on the store:
 * begin_check gives the stored hash (or NULL: unknown account, locked, store error),
 * tp_pin_verify touches no store, finish_check records the try. */
static char *
begin_check (TpStore     *store,
             const char  *name,
             gint64       now,
             gint64      *id,
             GError     **error)
{
  TP_STORE_LOCKED (store);
  g_autoptr(TpStaffAccount) account = find_account (store, name, now, id, NULL, error);
  sqlite3_stmt *stmt;
  char *hash = NULL;
  int rc;

  if (account == NULL)
    return NULL;
  if (account->lock_remaining > 0)
    {
      g_autofree char *message = tp_pin_describe_lock (account->lock_remaining);

      g_set_error_literal (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED, message);
      return NULL;
    }
  stmt = tp_store_prepare (store, "SELECT pin_hash FROM staff WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, *id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    hash = tp_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (hash == NULL)
    {
      if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        set_not_found (error, name);
      else
        tp_store_set_error (store, error, rc, "Reading a staff PIN");
    }
  return hash;
}

static TpStaffAccount *
finish_check (TpStore     *store,
              gint64       id,
              const char  *name,
              const char  *hash,
              gboolean     correct,
              gint64       now,
              GError     **error)
{
  /* The lock's state is read, changed and written back as one step. */
  TP_STORE_LOCKED (store);
  g_autoptr(TpStaffAccount) account = NULL;
  g_autofree char *stored = NULL;
  sqlite3_stmt *stmt;
  gint64 found_id = 0;
  TpPinLock lock;

  account = find_account (store, name, now, &found_id, &lock, error);
  if (account == NULL)
    return NULL;
  stmt = tp_store_prepare (store, "SELECT pin_hash FROM staff WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, found_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    stored = tp_store_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  /* Removed and added again, or its PIN changed (by another process) while this one was
   * compared: the answer is about a PIN that no longer counts. */
  if (found_id != id || g_strcmp0 (stored, hash) != 0)
    {
      g_set_error_literal (error, TP_STAFF_ERROR, TP_STAFF_ERROR_CHANGED,
                           _("The account changed while its PIN was checked. Please try again."));
      return NULL;
    }
  {
    g_autofree char *who = g_strdup_printf ("%s:%s", tp_staff_role_to_string (account->role), account->name);

    /* Every unlock and every failed one is logged, without the PIN. */
    if (!tp_audit_append (store, who, correct ? TP_AUDIT_UNLOCK : TP_AUDIT_UNLOCK_FAILED, NULL, "", error))
      return NULL;
  }
  if (!tp_pin_lock_record (&lock, correct, now, error))
    {
      g_autoptr(GError) save_error = NULL;

      if (!save_lock (store, id, &lock, &save_error))
        {
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&save_error));
        }
      return NULL;
    }
  if (!save_lock (store, id, &lock, error))
    return NULL;
  return find_account (store, name, now, NULL, NULL, error);
}

TpStaffAccount *
tp_staff_check (TpStore     *store,
                const char  *name,
                const char  *pin,
                gint64       now,
                GError     **error)
{
  g_autofree char *hash = NULL;
  gint64 id = 0;
  gboolean correct;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  hash = begin_check (store, name, now, &id, error);
  if (hash == NULL)
    return NULL;
  correct = tp_pin_verify (hash, pin);
  return finish_check (store, id, name, hash, correct, now, error);
}
