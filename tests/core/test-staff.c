/* test-staff.c: staff accounts: names, roles, the last admin, each account's own PIN lock (kept
 * across a restart), the migration of the single PIN of older kiosks, the async pairs. */
#include "tp-staff.h"
#include "tp-pin.h"
#include "tp-store-private.h"
#include "tests/tp-test-util.h"

#include <string.h>

typedef TpStoreFixture Fixture;

#define T0 1800000000

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
}

/* Adds an account as the OS user (the command line) and checks it came back as asked. */
static void
add (Fixture     *f,
     const char  *name,
     TpStaffRole  role,
     const char  *pin)
{
  g_autoptr(TpActor) os = tp_actor_new_os_user ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) account = tp_staff_add (f->store, os, name, role, pin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpint (account->role, ==, role);
  g_assert_cmpuint (account->tries_left, ==, TP_PIN_TRIES);
}

static TpStaffAccount *
get (Fixture    *f,
     const char *name,
     gint64      now)
{
  g_autoptr(GError) error = NULL;
  TpStaffAccount *account = tp_staff_get_account (f->store, name, now, &error);

  g_assert_no_error (error);
  return account;
}

static void
test_names (void)
{
  struct { const char *in; const char *out; } good[] = {
    { "Kim", "Kim" },
    { "  Kim   Minji ", "Kim Minji" },
    { "김하늘", "김하늘" },
    { "1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890" },
    /* Decomposed Hangul is stored composed. */
    { "\xe1\x84\x80\xe1\x85\xa1", "가" },
  };
  const char *bad[] = {
    "", "   ", "12345678901234567890123456789012345678901",
    "Kim\tMinji", "Kim\nMinji", "Ki\xe2\x80\x8bm" /* zero-width space */, "\xe3\x85\xa4" /* Hangul filler */,
    "\xff\xfe", "a\xe2\x80\xae" "b" /* right-to-left override */,
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = tp_staff_normalize_name (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (normal, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = tp_staff_normalize_name (bad[i], &error);

      g_assert_null (normal);
      g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME);
    }
}

static void
test_roles (void)
{
  const TpStaffAction everyone[] = { TP_STAFF_ACTION_DASHBOARD, TP_STAFF_ACTION_LEADS, TP_STAFF_ACTION_QUALIFY,
                                     TP_STAFF_ACTION_REDEEM, TP_STAFF_ACTION_DRAW };
  const TpStaffAction admins[] = { TP_STAFF_ACTION_EXPORT, TP_STAFF_ACTION_SYNC, TP_STAFF_ACTION_ERASE,
                                   TP_STAFF_ACTION_PURGE, TP_STAFF_ACTION_SETTINGS, TP_STAFF_ACTION_ACCOUNTS };
  TpStaffAccount staff = { .name = (char *) "Lee", .role = TP_STAFF_ROLE_STAFF };
  TpStaffAccount admin = { .name = (char *) "Kim", .role = TP_STAFF_ROLE_ADMIN };
  g_autoptr(TpActor) os = tp_actor_new_os_user ();
  g_autoptr(TpActor) as_staff = tp_actor_new_for_account (&staff);
  g_autoptr(TpActor) as_admin = tp_actor_new_for_account (&admin);
  g_autofree char *described = tp_actor_describe (as_admin);
  g_autofree char *os_described = tp_actor_describe (os);
  TpStaffRole role;

  for (guint i = 0; i < G_N_ELEMENTS (everyone); i++)
    {
      g_assert_true (tp_staff_can (&staff, everyone[i]));
      g_assert_true (tp_staff_can (&admin, everyone[i]));
      g_assert_true (tp_actor_can (as_staff, everyone[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (admins); i++)
    {
      g_assert_false (tp_staff_can (&staff, admins[i]));
      g_assert_true (tp_staff_can (&admin, admins[i]));
      g_assert_false (tp_actor_can (as_staff, admins[i]));
      g_assert_true (tp_actor_can (as_admin, admins[i]));
      /* Whoever can open the data folder can do anything. */
      g_assert_true (tp_actor_can (os, admins[i]));
    }

  g_assert_cmpint (as_staff->kind, ==, TP_ACTOR_STAFF);
  g_assert_cmpint (as_admin->kind, ==, TP_ACTOR_ADMIN);
  g_assert_cmpstr (described, ==, "admin:Kim");
  g_assert_cmpint (os->kind, ==, TP_ACTOR_OS_USER);
  g_assert_cmpstr (os->name, ==, g_get_user_name ());
  g_assert_true (g_str_has_prefix (os_described, "os-user:"));
  g_assert_true (tp_actor_is_account (as_admin, "KIM"));
  g_assert_false (tp_actor_is_account (as_admin, "Lee"));
  g_assert_false (tp_actor_is_account (os, g_get_user_name ()));

  g_assert_true (tp_staff_role_from_string ("admin", &role));
  g_assert_cmpint (role, ==, TP_STAFF_ROLE_ADMIN);
  g_assert_true (tp_staff_role_from_string ("staff", &role));
  g_assert_cmpint (role, ==, TP_STAFF_ROLE_STAFF);
  g_assert_false (tp_staff_role_from_string ("Admin", &role));
  g_assert_false (tp_staff_role_from_string ("root", &role));
}

static void
test_add_list_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TpStaffAccount) refused = NULL;
  g_autoptr(TpStaffAccount) first = NULL;
  g_autoptr(TpActor) as_kim = NULL;
  g_autoptr(TpActor) as_lee = NULL;

  g_assert_cmpint (tp_staff_count (f->store, &error), ==, 0);
  /* The first account must be an admin, and needs nobody signed in (there is nobody yet). */
  refused = tp_staff_add (f->store, NULL, "Lee", TP_STAFF_ROLE_STAFF, "1111", &error);
  g_assert_null (refused);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN);
  g_clear_error (&error);
  first = tp_staff_add (f->store, NULL, "Kim", TP_STAFF_ROLE_ADMIN, "2222", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->name, ==, "Kim");
  g_assert_cmpstr (first->created_by, ==, "first-run");
  g_assert_nonnull (first->created_at);

  /* After that, only an admin (or the OS user) adds accounts. */
  refused = tp_staff_add (f->store, NULL, "Lee", TP_STAFF_ROLE_STAFF, "1111", &error);
  g_assert_null (refused);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN);
  g_clear_error (&error);
  as_kim = tp_actor_new_for_account (first);
  {
    g_autoptr(TpStaffAccount) lee = tp_staff_add (f->store, as_kim, "Lee", TP_STAFF_ROLE_STAFF, "1111", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (lee->created_by, ==, "admin:Kim");
    as_lee = tp_actor_new_for_account (lee);
  }
  refused = tp_staff_add (f->store, as_lee, "Park", TP_STAFF_ROLE_STAFF, "3333", &error);
  g_assert_null (refused);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* A bad PIN or name adds nothing. */
  refused = tp_staff_add (f->store, as_kim, "Park", TP_STAFF_ROLE_STAFF, "12a4", &error);
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_INVALID);
  g_clear_error (&error);
  refused = tp_staff_add (f->store, as_kim, "", TP_STAFF_ROLE_STAFF, "1234", &error);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME);
  g_clear_error (&error);
  add (f, "강하늘", TP_STAFF_ROLE_STAFF, "4444");

  /* By name, whatever the case; with their roles; never a PIN or hash. */
  accounts = tp_staff_list (f->store, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 3);
  g_assert_cmpstr (((TpStaffAccount *) accounts->pdata[0])->name, ==, "Kim");
  g_assert_cmpint (((TpStaffAccount *) accounts->pdata[0])->role, ==, TP_STAFF_ROLE_ADMIN);
  g_assert_cmpstr (((TpStaffAccount *) accounts->pdata[1])->name, ==, "Lee");
  g_assert_cmpint (((TpStaffAccount *) accounts->pdata[1])->role, ==, TP_STAFF_ROLE_STAFF);
  g_assert_cmpstr (((TpStaffAccount *) accounts->pdata[2])->name, ==, "강하늘");
  g_assert_true (g_str_has_prefix (((TpStaffAccount *) accounts->pdata[2])->created_by, "os-user:"));

  /* Staff cannot remove anyone; an admin can; an unknown name is refused. */
  g_assert_false (tp_staff_remove (f->store, as_lee, "강하늘", &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (tp_staff_remove (f->store, as_kim, "LEE", &error));
  g_assert_no_error (error);
  g_assert_false (tp_staff_remove (f->store, as_kim, "Lee", &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (tp_staff_count (f->store, &error), ==, 2);
  /* A removed account cannot sign in, nor act on what it signed in to. */
  g_assert_null (tp_staff_check (f->store, "Lee", "1111", T0, &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_unique_names (Fixture       *f,
                   gconstpointer  data)
{
  const char *same[] = { "kim", "KIM", " Kim ", "Ｋｉｍ" /* full width */ };

  add (f, "Kim", TP_STAFF_ROLE_ADMIN, "2222");
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autoptr(TpActor) os = tp_actor_new_os_user ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TpStaffAccount) account = tp_staff_add (f->store, os, same[i], TP_STAFF_ROLE_STAFF, "1111", &error);
      g_autoptr(TpStaffAccount) found = NULL;

      g_assert_null (account);
      g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_EXISTS);
      /* The message names the account that has the name. */
      g_assert_nonnull (strstr (error->message, "“Kim”"));
      /* Any of them finds the account, and signs in to it. */
      found = get (f, same[i], T0);
      g_assert_cmpstr (found->name, ==, "Kim");
    }
  g_assert_cmpint (tp_staff_count (f->store, NULL), ==, 1);
}

static void
test_last_admin (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TpActor) os = tp_actor_new_os_user ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) kim = NULL;
  g_autoptr(TpActor) as_kim = NULL;

  add (f, "Kim", TP_STAFF_ROLE_ADMIN, "2222");
  add (f, "Lee", TP_STAFF_ROLE_STAFF, "1111");
  g_assert_false (tp_staff_remove (f->store, os, "Kim", &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN);
  g_clear_error (&error);
  g_assert_false (tp_staff_set_role (f->store, os, "kim", TP_STAFF_ROLE_STAFF, &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN);
  g_clear_error (&error);
  kim = get (f, "Kim", T0);
  g_assert_cmpint (kim->role, ==, TP_STAFF_ROLE_ADMIN);

  /* With a second admin, the first may go. */
  g_assert_true (tp_staff_set_role (f->store, os, "Lee", TP_STAFF_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  as_kim = tp_actor_new_for_account (kim);
  g_assert_true (tp_staff_set_role (f->store, as_kim, "Kim", TP_STAFF_ROLE_STAFF, &error));
  g_assert_no_error (error);
  /* Kim signed in as an admin, but the store says staff now: no more account management. */
  g_assert_false (tp_staff_set_role (f->store, as_kim, "Kim", TP_STAFF_ROLE_ADMIN, &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_true (tp_staff_remove (f->store, os, "Kim", &error));
  g_assert_false (tp_staff_remove (f->store, os, "Lee", &error));
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_LAST_ADMIN);
}

static void
wrong_tries (Fixture    *f,
             const char *name,
             gint64      now,
             guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpStaffAccount) account = tp_staff_check (f->store, name, "0000", now, &error);
      int expected = (i + 1 < n) ? TP_PIN_ERROR_WRONG : TP_PIN_ERROR_LOCKED;

      g_assert_null (account);
      g_assert_error (error, TP_PIN_ERROR, expected);
    }
}

static void
test_lockout_per_account (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) kim = NULL;
  g_autoptr(TpStaffAccount) lee = NULL;
  g_autoptr(TpStaffAccount) signed_in = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  add (f, "Kim", TP_STAFF_ROLE_ADMIN, "2222");
  add (f, "Lee", TP_STAFF_ROLE_STAFF, "1111");

  /* A wrong PIN says how many tries are left, the PIN pad's words. */
  g_assert_null (tp_staff_check (f->store, "Lee", "2222", T0, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
  g_assert_cmpstr (error->message, ==, "Wrong PIN. 4 more tries before a pause.");
  g_clear_error (&error);
  wrong_tries (f, "Lee", T0, TP_PIN_TRIES - 1);

  /* Lee is locked, for a restart too; Kim is not. */
  reopen (f);
  lee = get (f, "Lee", T0 + 10);
  g_assert_cmpint (lee->lock_remaining, ==, tp_pin_lock_seconds (1) - 10);
  g_assert_cmpint (lee->locked_until, ==, T0 + tp_pin_lock_seconds (1));
  g_assert_cmpuint (lee->locks, ==, 1);
  kim = get (f, "Kim", T0 + 10);
  g_assert_cmpint (kim->lock_remaining, ==, 0);
  g_assert_cmpint (kim->locked_until, ==, 0);
  g_assert_cmpuint (kim->tries_left, ==, TP_PIN_TRIES);
  signed_in = tp_staff_check (f->store, "kim", "2222", T0 + 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signed_in->name, ==, "Kim");
  g_assert_cmpint (signed_in->role, ==, TP_STAFF_ROLE_ADMIN);

  /* Locked even for the right PIN, and that try is not counted. */
  g_assert_null (tp_staff_check (f->store, "Lee", "1111", T0 + 10, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, "Too many wrong tries. Try again in 20 seconds.");
  g_clear_error (&error);
  accounts = tp_staff_list (f->store, T0 + 10, &error);
  g_assert_cmpint (((TpStaffAccount *) accounts->pdata[1])->locked_until, ==, T0 + 30);
  g_assert_cmpint (((TpStaffAccount *) accounts->pdata[0])->locked_until, ==, 0);

  /* A clock set back a day does not stretch the lock. */
  g_clear_pointer (&lee, tp_staff_account_free);
  lee = get (f, "Lee", T0 - 86400);
  g_assert_cmpint (lee->lock_remaining, ==, tp_pin_lock_seconds (1));
  g_clear_pointer (&lee, tp_staff_account_free);
  lee = get (f, "Lee", T0 - 86400 + tp_pin_lock_seconds (1));
  g_assert_cmpint (lee->lock_remaining, ==, 0);

  /* After the lock: five more tries, then a longer lock. */
  wrong_tries (f, "Lee", T0 + 100, TP_PIN_TRIES);
  g_clear_pointer (&lee, tp_staff_account_free);
  lee = get (f, "Lee", T0 + 100);
  g_assert_cmpint (lee->lock_remaining, ==, tp_pin_lock_seconds (2));
  g_assert_cmpuint (lee->locks, ==, 2);

  /* Setting a new PIN clears the lock; the right PIN resets the count. */
  {
    g_autoptr(TpActor) os = tp_actor_new_os_user ();
    g_autoptr(TpStaffAccount) changed = tp_staff_set_pin (f->store, os, "lee", "5555", &error);

    g_assert_no_error (error);
    g_assert_cmpint (changed->lock_remaining, ==, 0);
    g_assert_cmpuint (changed->locks, ==, 0);
  }
  g_clear_pointer (&signed_in, tp_staff_account_free);
  signed_in = tp_staff_check (f->store, "Lee", "5555", T0 + 101, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signed_in->role, ==, TP_STAFF_ROLE_STAFF);
}

static void
test_set_pin (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) kim = NULL;
  g_autoptr(TpStaffAccount) lee = NULL;
  g_autoptr(TpStaffAccount) result = NULL;
  g_autoptr(TpActor) as_kim = NULL;
  g_autoptr(TpActor) as_lee = NULL;

  add (f, "Kim", TP_STAFF_ROLE_ADMIN, "2222");
  add (f, "Lee", TP_STAFF_ROLE_STAFF, "1111");
  add (f, "Park", TP_STAFF_ROLE_STAFF, "3333");
  kim = get (f, "Kim", T0);
  lee = get (f, "Lee", T0);
  as_kim = tp_actor_new_for_account (kim);
  as_lee = tp_actor_new_for_account (lee);

  /* Staff change their own PIN, not another's; an admin changes anyone's. */
  result = tp_staff_set_pin (f->store, as_lee, "Park", "9999", &error);
  g_assert_null (result);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_FORBIDDEN);
  g_clear_error (&error);
  result = tp_staff_set_pin (f->store, as_lee, "Lee", "123456", &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tp_staff_account_free);
  result = tp_staff_set_pin (f->store, as_kim, "Park", "8888", &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tp_staff_account_free);
  result = tp_staff_set_pin (f->store, as_kim, "Nobody", "8888", &error);
  g_assert_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  result = tp_staff_check (f->store, "Lee", "123456", T0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tp_staff_account_free);
  result = tp_staff_check (f->store, "Park", "8888", T0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tp_staff_account_free);
  g_assert_null (tp_staff_check (f->store, "Park", "3333", T0, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
}

/* ---- The single PIN of older kiosks ------------------------------------------------------- */

/* A kiosk's folder as schema 3 left it: the PIN's hash and lock among the settings. */
static void
make_old_kiosk (const char *dir,
                const char *pin,
                const char *lock)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) old = tp_store_new_with_schema (dir, 3, &error);
  g_autofree char *hash = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_schema_version (old), ==, 3);
  if (pin)
    {
      hash = tp_pin_hash (pin, &error);
      g_assert_no_error (error);
      g_assert_true (tp_store_set_setting (old, "pin.hash", hash, &error));
    }
  if (lock)
    g_assert_true (tp_store_set_setting (old, "pin.lock", lock, &error));
  g_assert_no_error (error);
}

static void
test_migrate_single_pin (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(TpStaffAccount) admin = NULL;
  g_autofree char *left = NULL;
  gint64 now = tp_pin_now ();

  /* Locked for 20 more seconds after the first lock, as the old kiosk kept it. */
  lock = g_strdup_printf ("0 1 %" G_GINT64_FORMAT " 30", now + 20);
  make_old_kiosk (dir, "13579", lock);

  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  accounts = tp_staff_list (store, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  admin = tp_staff_account_copy (accounts->pdata[0]);
  g_assert_cmpstr (admin->name, ==, "admin");
  g_assert_cmpint (admin->role, ==, TP_STAFF_ROLE_ADMIN);
  /* Its lock came along: the right PIN waits for it. */
  g_assert_cmpint (admin->lock_remaining, ==, 20);
  g_assert_cmpuint (admin->locks, ==, 1);
  g_assert_null (tp_staff_check (store, "admin", "13579", now, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_LOCKED);
  g_clear_error (&error);
  /* The hash lives in one place now. */
  left = tp_store_get_setting (store, "pin.hash", &error);
  g_assert_no_error (error);
  g_assert_null (left);
  g_clear_pointer (&admin, tp_staff_account_free);
  /* The same hash: the old PIN works once the lock ends. */
  admin = tp_staff_check (store, "admin", "13579", now + 20, &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin);
  g_clear_object (&store);
  tp_test_rmdir (dir);
}

static void
test_migrate_without_pin (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *damaged = tp_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStaffAccount) admin = NULL;

  /* No PIN chosen yet: no account, and the kiosk's first run will make the first admin. */
  make_old_kiosk (dir, NULL, NULL);
  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_staff_count (store, &error), ==, 0);
  g_clear_object (&store);

  /* A damaged lock must not unlock the PIN: it reads as the longest lock. */
  make_old_kiosk (damaged, "2468", "garbage");
  g_test_expect_message ("tp-pin", G_LOG_LEVEL_WARNING, "*damaged*");
  store = tp_store_new (damaged, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  admin = tp_staff_get_account (store, "admin", tp_pin_now (), &error);
  g_assert_no_error (error);
  /* (A second may pass between the upgrade and this look.) */
  g_assert_cmpint (admin->lock_remaining, <=, tp_pin_lock_seconds (100));
  g_assert_cmpint (admin->lock_remaining, >=, tp_pin_lock_seconds (100) - 5);
  g_clear_object (&store);
  tp_test_rmdir (dir);
  tp_test_rmdir (damaged);
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

static void
wait_for (GAsyncResult **result)
{
  /* The answer never comes back within the call: the caller's loop runs meanwhile. */
  g_assert_null (*result);
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) checked = NULL;
  g_autoptr(GAsyncResult) wrong = NULL;
  g_autoptr(GAsyncResult) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) kim = NULL;
  g_autoptr(TpStaffAccount) signed_in = NULL;
  g_autoptr(TpStaffAccount) with_new_pin = NULL;
  g_autoptr(TpActor) as_kim = NULL;

  /* The kiosk's first run: the first admin, with nobody signed in. */
  tp_staff_add_async (f->store, NULL, "Kim", TP_STAFF_ROLE_ADMIN, "2468", NULL, result_cb, &added);
  wait_for (&added);
  kim = tp_staff_add_finish (f->store, added, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kim->name, ==, "Kim");

  tp_staff_check_async (f->store, "KIM", "2468", T0, NULL, result_cb, &checked);
  wait_for (&checked);
  signed_in = tp_staff_check_finish (f->store, checked, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signed_in->name, ==, "Kim");

  tp_staff_check_async (f->store, "Kim", "0000", T0, NULL, result_cb, &wrong);
  wait_for (&wrong);
  g_assert_null (tp_staff_check_finish (f->store, wrong, &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
  g_clear_error (&error);

  as_kim = tp_actor_new_for_account (signed_in);
  tp_staff_set_pin_async (f->store, as_kim, "Kim", "97531", NULL, result_cb, &changed);
  wait_for (&changed);
  with_new_pin = tp_staff_set_pin_finish (f->store, changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (with_new_pin->tries_left, ==, TP_PIN_TRIES);
  g_clear_pointer (&signed_in, tp_staff_account_free);
  signed_in = tp_staff_check (f->store, "Kim", "97531", T0, &error);
  g_assert_no_error (error);
}

/* Cancelled before its turn, a check compares nothing and records nothing. */
static void
test_async_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) check = NULL;
  g_autoptr(GAsyncResult) add_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) kim = NULL;
  g_autoptr(TpActor) os = tp_actor_new_os_user ();

  add (f, "Kim", TP_STAFF_ROLE_ADMIN, "1357");
  g_cancellable_cancel (cancellable);
  tp_staff_check_async (f->store, "Kim", "0000", T0, cancellable, result_cb, &check);
  tp_staff_add_async (f->store, os, "Lee", TP_STAFF_ROLE_STAFF, "2468", cancellable, result_cb, &add_result);
  while (check == NULL || add_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (tp_staff_check_finish (f->store, check, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (tp_staff_add_finish (f->store, add_result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  kim = get (f, "Kim", T0);
  g_assert_cmpuint (kim->tries_left, ==, TP_PIN_TRIES);
  g_assert_cmpint (tp_staff_count (f->store, &error), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/touchpoint/staff/" path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)
  g_test_add_func ("/touchpoint/staff/names", test_names);
  g_test_add_func ("/touchpoint/staff/roles", test_roles);
  ADD ("add-list-remove", test_add_list_remove);
  ADD ("unique-names", test_unique_names);
  ADD ("last-admin", test_last_admin);
  ADD ("lockout-per-account", test_lockout_per_account);
  ADD ("set-pin", test_set_pin);
  g_test_add_func ("/touchpoint/staff/migrate-single-pin", test_migrate_single_pin);
  g_test_add_func ("/touchpoint/staff/migrate-without-pin", test_migrate_without_pin);
  ADD ("async", test_async);
  ADD ("async-cancelled", test_async_cancelled);
#undef ADD
  return g_test_run ();
}
