/* test-purge.c: leads destroyed at the end of their retention: by the longest retention of the
 * consents they granted; never unsynced ones unless forced; with a destruction record and an
 * audit entry; nothing of them left in the files. */
#include "tests/tp-test-util.h"
#include "tp-audit.h"
#include "tp-store-private.h"
#include "tp-store-outbox.h"
#include "tp-store-purge.h"

#include <string.h>

typedef TpStoreFixture Fixture;

static char *
capture (Fixture    *f,
         const char *name,
         gboolean    marketing)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) c = NULL;
  g_autoptr(GError) error = NULL;

  tp_submission_set_field (s, "name", name);
  tp_submission_set_consent (s, "marketing", marketing);
  c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (c->lead_id);
}

/* As a finished sync leaves it: the lead's data delivered to the one CRM target. */
static void
mark_synced (Fixture    *f,
             const char *lead_id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE outbox_delivery SET state = 'synced' WHERE outbox_id IN "
                                          "(SELECT o.id FROM outbox o JOIN leads l ON l.id = o.lead_id "
                                          "WHERE l.uuid = '%s')", lead_id);

  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static gboolean
erased (Fixture    *f,
        const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLeadRecord) r = tp_store_get_lead (f->store, lead_id, &error);

  g_assert_no_error (error);
  return r->erased_at != NULL;
}

static GDateTime *
days_from_now (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add_days (now, days);
}

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) soon = days_from_now (100);
  g_autoptr(GDateTime) after_privacy = days_from_now (400);
  g_autoptr(GDateTime) after_marketing = days_from_now (800);
  g_autofree char *synced = NULL, *unsynced = NULL, *marketing = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) audit = NULL;

  g_assert_true (tp_store_outbox_add_target (f->store, "webhook", FALSE, &error));
  synced = capture (f, "가나다", FALSE);
  unsynced = capture (f, "라마바", FALSE);
  marketing = capture (f, "사아자", TRUE);
  mark_synced (f, synced);
  mark_synced (f, marketing);

  /* Nothing has expired yet. */
  {
    g_auto(TpPurgeReport) report = { 0 };

    g_assert_true (tp_store_purge (f->store, f->event, soon, FALSE, FALSE, "os:test", &report, &error));
    g_assert_cmpuint (report.expired, ==, 0);
  }
  /* A dry run past privacy's 365 days changes nothing. */
  {
    g_auto(TpPurgeReport) report = { 0 };

    g_assert_true (tp_store_purge (f->store, f->event, after_privacy, TRUE, FALSE, "os:test", &report, &error));
    g_assert_cmpuint (report.expired, ==, 2);
    g_assert_cmpuint (report.unsynced, ==, 1);
    g_assert_cmpuint (report.purged, ==, 0);
    g_assert_false (erased (f, synced));
  }
  /* Past 365 days: the synced lead goes, the unsynced one stays, the one that granted marketing
   * (730 days) stays. */
  {
    g_auto(TpPurgeReport) report = { 0 };

    g_assert_true (tp_store_purge (f->store, f->event, after_privacy, FALSE, FALSE, "os:test", &report, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (report.purged, ==, 1);
    g_assert_cmpuint (report.unsynced, ==, 1);
    g_assert_true (erased (f, synced));
    g_assert_false (erased (f, unsynced));
    g_assert_false (erased (f, marketing));
  }
  /* Forced, the unsynced one goes too; later the marketing one. */
  {
    g_auto(TpPurgeReport) report = { 0 };

    g_assert_true (tp_store_purge (f->store, f->event, after_privacy, FALSE, TRUE, "os:test", &report, &error));
    g_assert_cmpuint (report.purged, ==, 1);
    g_assert_true (erased (f, unsynced));
    g_assert_false (erased (f, marketing));
  }
  {
    g_auto(TpPurgeReport) report = { 0 };

    g_assert_true (tp_store_purge (f->store, f->event, after_marketing, FALSE, FALSE, "os:test", &report, &error));
    g_assert_cmpuint (report.purged, ==, 1);
    g_assert_true (erased (f, marketing));
  }

  /* Three destruction records, one forced; the audit log names the leads. */
  records = tp_store_list_destructions (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_false (((TpDestruction *) records->pdata[0])->forced);
  g_assert_true (((TpDestruction *) records->pdata[1])->forced);
  g_assert_cmpint (((TpDestruction *) records->pdata[0])->leads, ==, 1);
  g_assert_cmpstr (((TpDestruction *) records->pdata[0])->event_id, ==, f->event->id);
  g_assert_nonnull (strstr (((TpDestruction *) records->pdata[0])->rule, "privacy 365 days"));
  audit = tp_audit_list (f->store, NULL, &error);
  g_assert_cmpuint (audit->len, ==, 3);
  g_assert_cmpstr (((TpAuditEntry *) audit->pdata[0])->action, ==, TP_AUDIT_PURGE);
  g_assert_cmpstr (((TpAuditEntry *) audit->pdata[0])->leads[0], ==, synced);
}

/* Leads of another event are not judged by this event's rules. */
static void
test_other_event (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(TpPurgeReport) report = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later = days_from_now (1000);
  g_autofree char *lead = capture (f, "가나다", FALSE);

  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store), "UPDATE leads SET event_id = 'another-event'", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  g_assert_true (tp_store_purge (f->store, f->event, later, FALSE, TRUE, "os:test", &report, &error));
  g_assert_cmpuint (report.other_events, ==, 1);
  g_assert_cmpuint (report.purged, ==, 0);
  g_assert_false (erased (f, lead));
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/touchpoint/store/purge/retention", test_purge);
  ADD ("/touchpoint/store/purge/other-event", test_other_event);
  return g_test_run ();
}
