/* test-sync-targets.c: each target end to end against the fake CRM: faults, rejections, erasure. */
#include "tp-sync-test-util.h"

#include "tp-store-outbox.h"
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef TpSyncFixture Fixture;

#define fixture_set_up tp_sync_fixture_set_up
#define fixture_tear_down tp_sync_fixture_tear_down

static TpSyncSummary *
sync_with (Fixture      *f,
           TpSyncConfig *config)
{
  return tp_sync_test_sync (f->dir, config);
}

static TpSyncSummary *
sync_target (Fixture    *f,
             const char *target)
{
  return sync_with (f, tp_sync_test_config (f->crm, target, f->token_file));
}

static void
assert_all_once (Fixture   *f,
                 GPtrArray *ids,
                 const char *target)
{
  gint64 counts[5];

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *key = tp_sync_test_key (f->dir, target, ids->pdata[i]);

      g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, key), ==, 1);
    }
  g_assert_cmpuint (tp_fake_crm_n_duplicates (f->crm), ==, 0);
  tp_sync_test_counts (f->dir, target, counts);
  g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, ids->len);
  g_assert_cmpint (counts[TP_DELIVERY_PENDING] + counts[TP_DELIVERY_IN_FLIGHT] + counts[TP_DELIVERY_RETRY] +
                   counts[TP_DELIVERY_REJECTED], ==, 0);
}

/* ---- End to end against the fake CRM ------------------------------------------------------- */

static void
test_webhook_happy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 250);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "webhook");
  g_autofree char *key = tp_fake_crm_last_header (f->crm, "Idempotency-Key");
  g_autoptr(JsonObject) lead = tp_fake_crm_get_record (f->crm, ids->pdata[7]);

  g_assert_cmpint (summary->synced, ==, 250);
  g_assert_cmpint (summary->left, ==, 0);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_true (g_str_has_prefix (key, "tp-"));
  g_assert_null (tp_fake_crm_last_header (f->crm, "Authorization"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (lead, "fields"), "email"), ==,
                   "lead8@example.com");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (
                   json_object_get_object_member (lead, "consents"), "privacy"), "granted"));
  assert_all_once (f, ids, "webhook");
}

static void
test_webhook_bad_secret (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 3);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* The receiver checks the signature: another secret is refused and nothing is lost. */
  tp_fake_crm_set_token (f->crm, "another-secret");
  summary = sync_target (f, "webhook");
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "token"));
  g_assert_null (strstr (summary->stop_reason, "test-token"));
  tp_sync_test_counts (f->dir, "webhook", counts);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 3);
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 0);
}

static void
test_hubspot_happy (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 150);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "hubspot");
  g_autofree char *auth = tp_fake_crm_last_header (f->crm, "Authorization");
  g_autoptr(JsonObject) contact = tp_fake_crm_get_record (f->crm, ids->pdata[0]);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (f->dir, &error);
  g_autoptr(JsonNode) status = tp_store_outbox_lead_status (store, ids->pdata[0], &error);
  JsonObject *row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                                 "outbox"), 0);

  g_assert_cmpint (summary->synced, ==, 150);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_cmpstr (auth, ==, "Bearer test-token");
  g_assert_cmpstr (json_object_get_string_member (contact, "email"), ==, "lead1@example.com");
  g_assert_cmpstr (json_object_get_string_member (contact, "touchpoint_lead_id"), ==, ids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (contact, "lastname"), ==, "홍길동");
  g_assert_cmpstr (json_object_get_string_member (contact, "touchpoint_marketing_consent"), ==, "false");
  /* Synced with the CRM's own record id. */
  g_assert_cmpstr (json_object_get_string_member (row, "remote_id"), ==,
                   json_object_get_string_member (contact, "hs_object_id"));
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 150);
  assert_all_once (f, ids, "hubspot");
}

static void
test_salesforce_happy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 250);
  g_autoptr(TpSyncSummary) summary = sync_target (f, "salesforce");
  g_autofree char *key = tp_sync_test_key (f->dir, "salesforce", ids->pdata[3]);
  g_autoptr(JsonObject) lead = tp_fake_crm_get_record (f->crm, key);

  g_assert_cmpint (summary->synced, ==, 250);
  g_assert_cmpint (summary->requests, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (lead, "LastName"), ==, "4");
  g_assert_cmpstr (json_object_get_string_member (lead, "FirstName"), ==, "Lead");
  g_assert_cmpstr (json_object_get_string_member (lead, "Company"), ==, "[not provided]");
  g_assert_cmpstr (json_object_get_string_member (lead, "LeadSource"), ==, "Touchpoint");
  g_assert_true (json_object_get_boolean_member (lead, "HasOptedOutOfEmail"));
  assert_all_once (f, ids, "salesforce");
}

typedef struct
{
  const char  *target;
  TpFakeFault  fault;
} FaultCase;

/* Every fault on the first request, for each shape: still every lead once, all synced. */
static void
test_each_fault (Fixture       *f,
                 gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  tp_fake_crm_set_retry_after (f->crm, 0);
  tp_fake_crm_set_stall_ms (f->crm, 1500);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint bit = 0; bit < 9; bit++)
      {
        g_autofree char *dir = tp_test_mkdtemp ();
        g_autoptr(GPtrArray) ids = tp_sync_test_fill (dir, 30);
        g_autoptr(TpSyncSummary) summary = NULL;
        g_autofree char *saved = f->dir;

        f->dir = dir;
        tp_fake_crm_reset (f->crm);
        tp_fake_crm_force_fault (f->crm, 1u << bit, 2);
        summary = sync_target (f, targets[t]);
        g_test_message ("%s, fault %u: %" G_GINT64_FORMAT " requests", targets[t], 1u << bit, summary->requests);
        g_assert_cmpint (summary->synced, ==, 30);
        g_assert_cmpint (summary->rejected, ==, 0);
        /* A fault that still answers (a slow body) can end the run in one request. */
        g_assert_cmpuint (tp_fake_crm_n_faults (f->crm), >=, 1);
        tp_fake_crm_force_fault (f->crm, 0, 0);
        assert_all_once (f, ids, targets[t]);
        f->dir = g_steal_pointer (&saved);
        tp_test_rmdir (dir);
      }
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  /* HubSpot says: wait 2 s. The syncer's own backoff here is milliseconds. */
  tp_fake_crm_set_retry_after (f->crm, 2);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_429, 1);
  summary = sync_target (f, "hubspot");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (summary->synced, ==, 10);
  g_assert_cmpint (summary->requests, ==, 2);
  assert_all_once (f, ids, "hubspot");
}

static void
test_lost_answer (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 20);
  g_autoptr(TpSyncSummary) summary = NULL;
  g_autoptr(GBytes) first_body = NULL;
  g_autoptr(GBytes) second_body = NULL;
  g_autoptr(GPtrArray) bodies = NULL;

  /* The webhook stores the batch and the connection drops: the same body goes again under
   * the same key, and the receiver answers from its idempotency record. */
  tp_fake_crm_set_keep_bodies (f->crm, TRUE);
  tp_fake_crm_force_fault (f->crm, TP_FAKE_FAULT_RESET_AFTER, 1);
  summary = sync_target (f, "webhook");
  bodies = tp_fake_crm_take_bodies (f->crm);
  g_assert_cmpuint (bodies->len, ==, 2);
  g_assert_true (g_bytes_equal (bodies->pdata[0], bodies->pdata[1]));
  g_assert_cmpint (summary->synced, ==, 20);
  assert_all_once (f, ids, "webhook");
}

static void
test_rejections (Fixture       *f,
                 gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *good = NULL, *bad = NULL, *good2 = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpSyncSummary) again = NULL;
      TpSyncRejection *r;

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      good = tp_sync_test_capture (dir, "good@example.com");
      bad = tp_sync_test_capture (dir, "blocked+reject@example.com");
      good2 = tp_sync_test_capture (dir, "good2@example.com");
      summary = sync_target (f, targets[t]);
      g_assert_cmpint (summary->synced, ==, 2);
      g_assert_cmpint (summary->rejected, ==, 1);
      r = summary->rejections->pdata[0];
      g_assert_cmpstr (r->lead_id, ==, bad);
      g_test_message ("%s: %s", targets[t], r->reason);
      g_assert_true (strstr (r->reason, "email") || strstr (r->reason, "Email"));
      {
        g_autofree char *key = tp_sync_test_key (dir, targets[t], good2);

        g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, key), ==, 1);
      }

      /* Not retried: the next run has nothing to send. */
      again = sync_target (f, targets[t]);
      g_assert_cmpint (again->requests, ==, 0);
      g_assert_cmpint (again->left, ==, 0);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_split_batch (Fixture       *f,
                  gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autoptr(GPtrArray) ids = NULL;
      g_autofree char *poison = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;

      /* One record makes the CRM refuse the whole request (HTTP 400): it alone is rejected. */
      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      ids = tp_sync_test_fill (dir, 40);
      poison = tp_sync_test_capture (dir, "x+bad400@example.com");
      summary = sync_target (f, targets[t]);
      g_test_message ("%s: %" G_GINT64_FORMAT " requests", targets[t], summary->requests);
      g_assert_cmpint (summary->synced, ==, 40);
      g_assert_cmpint (summary->rejected, ==, 1);
      g_assert_cmpstr (((TpSyncRejection *) summary->rejections->pdata[0])->lead_id, ==, poison);
      g_assert_true (g_str_has_prefix (((TpSyncRejection *) summary->rejections->pdata[0])->reason, "HTTP 400"));
      for (guint i = 0; i < ids->len; i++)
        {
          g_autofree char *key = tp_sync_test_key (dir, targets[t], ids->pdata[i]);

          g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, key), ==, 1);
        }
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_hubspot_same_email (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *kiosk_b = tp_test_mkdtemp ();
  g_autofree char *a1 = tp_sync_test_capture (f->dir, "same@example.com");
  g_autofree char *a2 = tp_sync_test_capture (f->dir, "Same@EXAMPLE.com");
  g_autofree char *b1 = tp_sync_test_capture (kiosk_b, "same@example.com");
  g_autofree char *other = tp_sync_test_capture (kiosk_b, "other@example.com");
  g_autoptr(TpSyncSummary) first = sync_target (f, "hubspot");
  g_autoptr(TpSyncSummary) second = NULL;
  char *saved = f->dir;

  /* Two leads with one email on this kiosk, a third on another kiosk: one contact. */
  g_assert_cmpint (first->synced, ==, 2);
  f->dir = kiosk_b;
  second = sync_target (f, "hubspot");
  f->dir = saved;
  g_assert_cmpint (second->synced, ==, 2);
  g_assert_cmpint (second->rejected, ==, 0);
  g_assert_cmpuint (tp_fake_crm_n_records (f->crm), ==, 2);
  g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, a1), ==, 1);
  g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, a2) + tp_fake_crm_count_stores (f->crm, b1), ==, 0);
  tp_test_rmdir (kiosk_b);
}

static void
test_erase_reaches_crm (Fixture       *f,
                        gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *kept = NULL, *gone = NULL, *never = NULL;
      g_autofree char *kept_key = NULL, *gone_key = NULL, *never_key = NULL;
      g_autoptr(TpSyncSummary) first = NULL;
      g_autoptr(TpSyncSummary) second = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      kept = tp_sync_test_capture (dir, "kept@example.com");
      gone = tp_sync_test_capture (dir, "gone@example.com");
      first = sync_target (f, targets[t]);
      g_assert_cmpint (first->synced, ==, 2);
      never = tp_sync_test_capture (dir, "never@example.com");
      kept_key = tp_sync_test_key (dir, targets[t], kept);
      gone_key = tp_sync_test_key (dir, targets[t], gone);
      never_key = tp_sync_test_key (dir, targets[t], never);

      store = tp_store_new (dir, &error);
      g_assert_true (tp_store_erase_lead (store, gone, &error));
      /* Erased before it was ever sent: it must never reach the CRM. */
      g_assert_true (tp_store_erase_lead (store, never, &error));
      g_clear_object (&store);

      second = sync_target (f, targets[t]);
      g_assert_cmpint (second->rejected, ==, 0);
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, gone_key), ==, 1);
      g_assert_null (tp_fake_crm_get_record (f->crm, gone_key));
      g_assert_cmpuint (tp_fake_crm_count_stores (f->crm, never_key), ==, 0);
      g_assert_nonnull (tp_fake_crm_get_record (f->crm, kept_key));
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, kept_key), ==, 0);
      tp_sync_test_counts (dir, targets[t], counts);
      /* Three upserts and two deletions: two and two synced, one upsert stopped by the erasure. */
      g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 4);
      g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 1);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 5);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "webhook", f->token_file);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* Port 9 (discard) on loopback: nothing listens. */
  g_free (config->url);
  config->url = g_strdup ("http://127.0.0.1:9/webhook");
  summary = sync_with (f, config);
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "could not reach"));
  g_assert_cmpint (summary->left, ==, 5);
  g_assert_cmpint (summary->requests, ==, 3);
  tp_sync_test_counts (f->dir, "webhook", counts);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 5);
}

/* An erasure answered 404 is done only when the CRM says the record is not there: a 404 from
 * a wrong address must not mark it done while the person stays in the CRM. */
static void
test_erase_wrong_address (Fixture       *f,
                          gconstpointer  data)
{
  const char *targets[] = { "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autofree char *url = tp_fake_crm_get_url (f->crm, targets[t]);
      g_autofree char *gone = NULL, *gone_key = NULL;
      g_autoptr(TpSyncSummary) first = NULL, wrong = NULL, right = NULL;
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;
      TpSyncConfig *config;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      gone = tp_sync_test_capture (dir, "gone@example.com");
      first = sync_target (f, targets[t]);
      g_assert_cmpint (first->synced, ==, 1);
      gone_key = tp_sync_test_key (dir, targets[t], gone);
      store = tp_store_new (dir, &error);
      g_assert_true (tp_store_erase_lead (store, gone, &error));
      g_clear_object (&store);

      config = tp_sync_test_config (f->crm, targets[t], f->token_file);
      config->max_wait = 0;
      g_free (config->url);
      config->url = g_strconcat (url, "/nope", NULL);
      wrong = sync_with (f, config);
      g_assert_cmpint (wrong->synced, ==, 0);
      tp_sync_test_counts (dir, targets[t], counts);
      g_assert_cmpint (counts[TP_DELIVERY_SYNCED], ==, 1);
      g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 1);

      right = sync_target (f, targets[t]);
      g_assert_cmpint (right->synced, ==, 1);
      g_assert_cmpuint (tp_fake_crm_count_deletes (f->crm, gone_key), ==, 1);
      g_assert_null (tp_fake_crm_get_record (f->crm, gone_key));
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

/* A wrong address (404) or a request the CRM refuses whatever the record (a mapped property
 * missing in HubSpot: 400) must not reject every lead for good: nothing has proved that the
 * fault is the records'. They wait; the run stops and says why; fixed, they all go through. */
static void
test_refused_everything (Fixture       *f,
                         gconstpointer  data)
{
  const char *targets[] = { "webhook", "hubspot", "salesforce" };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *dir = tp_test_mkdtemp ();
      g_autofree char *saved = f->dir;
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(TpSyncSummary) summary = NULL;
      g_autoptr(TpSyncSummary) again = NULL;
      g_autofree char *url = tp_fake_crm_get_url (f->crm, targets[t]);
      TpSyncConfig *config;
      gint64 counts[5];

      f->dir = dir;
      tp_fake_crm_reset (f->crm);
      ids = tp_sync_test_fill (dir, 30);
      config = tp_sync_test_config (f->crm, targets[t], f->token_file);
      g_free (config->url);
      config->url = g_strconcat (url, "/nope", NULL);
      summary = sync_with (f, config);
      g_test_message ("%s: %" G_GINT64_FORMAT " requests", targets[t], summary->requests);
      g_assert_cmpint (summary->rejected, ==, 0);
      g_assert_cmpint (summary->synced, ==, 0);
      g_assert_cmpint (summary->left, ==, 30);
      g_assert_true (summary->unreachable);
      g_assert_nonnull (strstr (summary->stop_reason, "HTTP 404"));
      g_assert_cmpint (summary->requests, <, 15);
      tp_sync_test_counts (dir, targets[t], counts);
      g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
      g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 30);

      again = sync_target (f, targets[t]);
      g_assert_cmpint (again->synced, ==, 30);
      g_assert_cmpint (again->rejected, ==, 0);
      assert_all_once (f, ids, targets[t]);
      f->dir = g_steal_pointer (&saved);
      tp_test_rmdir (dir);
    }
}

static void
test_refused_400_everything (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 counts[5];

  /* Every record draws a 400 for the whole request: none is rejected on that alone. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u+bad400@example.com", i);
      g_free (tp_sync_test_capture (f->dir, email));
    }
  summary = sync_target (f, "hubspot");
  g_assert_cmpint (summary->rejected, ==, 0);
  g_assert_true (summary->unreachable);
  g_assert_nonnull (strstr (summary->stop_reason, "HTTP 400"));
  tp_sync_test_counts (f->dir, "hubspot", counts);
  g_assert_cmpint (counts[TP_DELIVERY_REJECTED], ==, 0);
  g_assert_cmpint (counts[TP_DELIVERY_RETRY], ==, 5);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_tls_verified (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 2);
  g_autofree char *cert = g_build_filename (f->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
  g_autofree char *port = g_strdup_printf ("%u", free_port ());
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  TpSyncConfig *config;
  g_autoptr(TpSyncSummary) refused = NULL;
  g_autoptr(TpSyncSummary) trusted = NULL;
  g_autoptr(GSubprocess) req = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to serve TLS");
      return;
    }
  req = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                          "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                          "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (req, NULL, &error));
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "openssl", "s_server", "-quiet", "-cert", cert, "-key", key, "-accept", port,
                             "-www", NULL);
  g_assert_no_error (error);
  /* Wait until it listens (a loaded machine may take a while to start it). */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                                 atoi (port), NULL, NULL);

      if (connection)
        break;
      g_usleep (50 * 1000);
    }

  /* A certificate nobody vouches for: refused, nothing sent, exit 69 material. */
  config = tp_sync_test_config (f->crm, "hubspot", f->token_file);
  g_free (config->url);
  config->url = g_strdup_printf ("https://127.0.0.1:%s", port);
  refused = sync_with (f, config);
  g_assert_true (refused->unreachable);
  g_assert_nonnull (strstr (refused->stop_reason, "certificate"));
  g_assert_cmpint (refused->synced, ==, 0);
  g_assert_cmpint (refused->left, ==, 2);
  g_assert_cmpint (refused->requests, ==, 1);

  /* With its CA file configured the handshake succeeds (this server then answers nothing
   * useful, which is only a temporary failure). */
  config = tp_sync_test_config (f->crm, "hubspot", f->token_file);
  g_free (config->url);
  config->url = g_strdup_printf ("https://127.0.0.1:%s", port);
  config->ca_file = g_strdup (cert);
  config->max_wait = 0;
  /* s_server never answers a POST: one request, given up on soon. */
  config->timeout = 2;
  config->backoff_base_ms = 5000;
  trusted = sync_with (f, config);
  g_assert_null (strstr (trusted->last_error, "certificate"));
  g_assert_cmpint (trusted->synced, ==, 0);
  g_assert_cmpint (trusted->left, ==, 2);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

static void
test_two_in_the_air (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 10);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "webhook", f->token_file);
  g_autoptr(TpSyncSummary) summary = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Ten requests of 200 ms each: one at a time would take 2 s. */
  tp_fake_crm_set_latency_ms (f->crm, 200);
  config->batch_size = 1;
  summary = sync_with (f, config);
  g_assert_cmpint (summary->requests, ==, 10);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1700 * 1000);
  assert_all_once (f, ids, "webhook");
}

typedef struct
{
  GMainLoop     *loop;
  TpSyncSummary *summary;
  GThread       *main_thread;
  guint          progress_calls;
  gint64         last_done;
} AsyncState;

static void
async_progress_cb (gint64   done,
                   gint64   total,
                   gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpint (total, ==, 120);
  g_assert_cmpint (done, >=, state->last_done);
  state->last_done = done;
  state->progress_calls++;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->summary = tp_syncer_run_finish (TP_SYNCER (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (state->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = tp_sync_test_fill (f->dir, 120);
  TpSyncConfig *config = tp_sync_test_config (f->crm, "salesforce", f->token_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (f->dir, &error);
  g_autoptr(TpSyncer) syncer = NULL;
  AsyncState state = { 0 };

  g_assert_no_error (error);
  config->batch_size = 50;
  syncer = tp_syncer_new (store, config);
  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  tp_syncer_set_progress_func (syncer, async_progress_cb, &state, NULL);
  tp_syncer_run_async (syncer, NULL, async_done_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_cmpint (state.summary->synced, ==, 120);
  /* Flush progress calls queued before the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.progress_calls, >=, 3);
  g_assert_cmpint (state.last_done, ==, 120);
  tp_sync_summary_free (state.summary);
  g_main_loop_unref (state.loop);
  assert_all_once (f, ids, "salesforce");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/touchpoint/sync/webhook/happy", test_webhook_happy);
  ADD ("/touchpoint/sync/webhook/bad-secret", test_webhook_bad_secret);
  ADD ("/touchpoint/sync/webhook/lost-answer", test_lost_answer);
  ADD ("/touchpoint/sync/hubspot/happy", test_hubspot_happy);
  ADD ("/touchpoint/sync/hubspot/retry-after", test_retry_after);
  ADD ("/touchpoint/sync/hubspot/same-email", test_hubspot_same_email);
  ADD ("/touchpoint/sync/salesforce/happy", test_salesforce_happy);
  ADD ("/touchpoint/sync/faults/each", test_each_fault);
  ADD ("/touchpoint/sync/faults/rejections", test_rejections);
  ADD ("/touchpoint/sync/faults/split-batch", test_split_batch);
  ADD ("/touchpoint/sync/faults/unreachable", test_unreachable);
  ADD ("/touchpoint/sync/faults/refused-everything", test_refused_everything);
  ADD ("/touchpoint/sync/faults/refused-400-everything", test_refused_400_everything);
  ADD ("/touchpoint/sync/faults/tls", test_tls_verified);
  ADD ("/touchpoint/sync/erase/reaches-crm", test_erase_reaches_crm);
  ADD ("/touchpoint/sync/erase/wrong-address", test_erase_wrong_address);
  ADD ("/touchpoint/sync/async", test_async);
  ADD ("/touchpoint/sync/two-in-the-air", test_two_in_the_air);
#undef ADD
  return g_test_run ();
}
