/* test-audit.c: what the audit log records: account changes, unlocks and failed unlocks, each
 * with who and never the PIN; the chain stays intact as entries are added. */
#include "tests/tp-test-util.h"
#include "tp-actor.h"
#include "tp-audit.h"
#include "tp-pin.h"
#include "tp-staff.h"

#include <string.h>

typedef TpStoreFixture Fixture;

static void
test_staff_logged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpActor) os = tp_actor_new_os_user ();
  g_autoptr(TpStaffAccount) kim = NULL, wrong = NULL, right = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 broken = 0;

  kim = tp_staff_add (f->store, os, "Kim", TP_STAFF_ROLE_ADMIN, "2468", &error);
  g_assert_no_error (error);
  wrong = tp_staff_check (f->store, "Kim", "1111", tp_pin_now (), &error);
  g_assert_null (wrong);
  g_clear_error (&error);
  right = tp_staff_check (f->store, "Kim", "2468", tp_pin_now (), &error);
  g_assert_no_error (error);

  entries = tp_audit_list (f->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((TpAuditEntry *) entries->pdata[0])->action, ==, TP_AUDIT_ACCOUNT);
  g_assert_true (g_str_has_prefix (((TpAuditEntry *) entries->pdata[0])->actor, "os-user:"));
  g_assert_nonnull (strstr (((TpAuditEntry *) entries->pdata[0])->detail, "added Kim (admin)"));
  g_assert_cmpstr (((TpAuditEntry *) entries->pdata[1])->action, ==, TP_AUDIT_UNLOCK_FAILED);
  g_assert_cmpstr (((TpAuditEntry *) entries->pdata[1])->actor, ==, "admin:Kim");
  g_assert_cmpstr (((TpAuditEntry *) entries->pdata[2])->action, ==, TP_AUDIT_UNLOCK);
  for (guint i = 0; i < entries->len; i++)
    g_assert_null (strstr (((TpAuditEntry *) entries->pdata[i])->detail, "2468"));
  g_assert_true (tp_audit_verify (f->store, &broken, &error));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/touchpoint/audit/staff", Fixture, NULL, tp_store_fixture_set_up, test_staff_logged,
              tp_store_fixture_tear_down);
  return g_test_run ();
}
