/* test-stats.c: the counts (TpStats) and their JSON, the contract of `touchpoint stats --json`. */
#include "tests/tp-test-util.h"

#include "tp-stats.h"
#include "tp-store-private.h"

#include <string.h>

typedef TpStoreFixture Fixture;

/* What `touchpoint stats --json` printed before the counts became a struct: the output must
 * stay the same, byte for byte (the kiosk's id and number vary). */
static const char empty_json[] =
  "{\n"
  "  \"kiosk\" : {\n"
  "    \"id\" : \"KIOSK\",\n"
  "    \"number\" : NUMBER\n"
  "  },\n"
  "  \"leads\" : 0,\n"
  "  \"consents\" : {\n"
  "    \"granted\" : {    },\n"
  "    \"refused\" : {    }\n"
  "  },\n"
  "  \"offers\" : {  },\n"
  "  \"tags\" : {  },\n"
  "  \"coupons\" : {\n"
  "    \"issued\" : 0,\n"
  "    \"redeemed\" : 0\n"
  "  },\n"
  "  \"outbox\" : {\n"
  "    \"pending\" : 0,\n"
  "    \"in_flight\" : 0,\n"
  "    \"synced\" : 0,\n"
  "    \"retry\" : 0,\n"
  "    \"rejected\" : 0\n"
  "  }\n"
  "}";

static const char leads_json[] =
  "{\n"
  "  \"kiosk\" : {\n"
  "    \"id\" : \"KIOSK\",\n"
  "    \"number\" : NUMBER\n"
  "  },\n"
  "  \"leads\" : 4,\n"
  "  \"consents\" : {\n"
  "    \"granted\" : {\n"
  "      \"marketing\" : 1,\n"
  "      \"privacy\" : 4\n"
  "    },\n"
  "    \"refused\" : {\n"
  "      \"marketing\" : 3,\n"
  "      \"privacy\" : 0\n"
  "    }\n"
  "  },\n"
  "  \"offers\" : {\n"
  "    \"tasting-class\" : 4\n"
  "  },\n"
  "  \"tags\" : {\n"
  "    \"detractor\" : 1,\n"
  "    \"promoter\" : 2,\n"
  "    \"tea-lover\" : 4,\n"
  "    \"teaware\" : 4\n"
  "  },\n"
  "  \"coupons\" : {\n"
  "    \"issued\" : 4,\n"
  "    \"redeemed\" : 1\n"
  "  },\n"
  "  \"outbox\" : {\n"
  "    \"pending\" : 4,\n"
  "    \"in_flight\" : 0,\n"
  "    \"synced\" : 0,\n"
  "    \"retry\" : 0,\n"
  "    \"rejected\" : 0\n"
  "  }\n"
  "}";

static const char one_target_json[] =
  "{\n"
  "  \"kiosk\" : {\n"
  "    \"id\" : \"KIOSK\",\n"
  "    \"number\" : NUMBER\n"
  "  },\n"
  "  \"leads\" : 3,\n"
  "  \"consents\" : {\n"
  "    \"granted\" : {\n"
  "      \"marketing\" : 0,\n"
  "      \"privacy\" : 3\n"
  "    },\n"
  "    \"refused\" : {\n"
  "      \"marketing\" : 3,\n"
  "      \"privacy\" : 0\n"
  "    }\n"
  "  },\n"
  "  \"offers\" : {\n"
  "    \"tasting-class\" : 3\n"
  "  },\n"
  "  \"tags\" : {\n"
  "    \"promoter\" : 3,\n"
  "    \"tea-lover\" : 3,\n"
  "    \"teaware\" : 3\n"
  "  },\n"
  "  \"coupons\" : {\n"
  "    \"issued\" : 3,\n"
  "    \"redeemed\" : 0\n"
  "  },\n"
  "  \"outbox\" : {\n"
  "    \"pending\" : 1,\n"
  "    \"in_flight\" : 2,\n"
  "    \"synced\" : 0,\n"
  "    \"retry\" : 0,\n"
  "    \"rejected\" : 0\n"
  "  }\n"
  "}";

static const char two_targets_outbox[] =
  "  \"outbox\" : {\n"
  "    \"hubspot\" : {\n"
  "      \"pending\" : 3,\n"
  "      \"in_flight\" : 0,\n"
  "      \"synced\" : 0,\n"
  "      \"retry\" : 0,\n"
  "      \"rejected\" : 0\n"
  "    },\n"
  "    \"webhook\" : {\n"
  "      \"pending\" : 1,\n"
  "      \"in_flight\" : 2,\n"
  "      \"synced\" : 0,\n"
  "      \"retry\" : 0,\n"
  "      \"rejected\" : 0\n"
  "    }\n"
  "  }\n"
  "}";

static void
capture (Fixture  *f,
         gboolean  marketing,
         guint     nps)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) c = NULL;
  g_autoptr(GError) error = NULL;

  tp_submission_set_consent (s, "marketing", marketing);
  tp_submission_set_answer (s, "nps", tp_answer_new_number (nps));
  c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
exec_sql (Fixture    *f,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tp_store_get_db (f->store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
replace_all (const char *text,
             const char *what,
             const char *with)
{
  g_auto(GStrv) parts = g_strsplit (text, what, -1);

  return g_strjoinv (with, parts);
}

/* The JSON as `touchpoint stats --json` prints it (tp_cli_print_json), with the kiosk's random
 * id and number replaced. */
static char *
stats_text (Fixture  *f,
            TpStats **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = tp_store_get_stats (f->store, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  node = tp_stats_to_json (stats);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  id = replace_all (text, tp_store_get_kiosk_id (f->store), "KIOSK");
  number = g_strdup_printf ("\"number\" : %u\n", tp_store_get_kiosk_number (f->store));
  if (out)
    *out = g_steal_pointer (&stats);
  return replace_all (id, number, "\"number\" : NUMBER\n");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TpStats) stats = NULL;
  g_autofree char *text = stats_text (f, &stats);

  g_assert_cmpstr (text, ==, empty_json);
  g_assert_cmpstr (stats->kiosk_id, ==, tp_store_get_kiosk_id (f->store));
  g_assert_cmpuint (stats->kiosk_number, ==, tp_store_get_kiosk_number (f->store));
  g_assert_cmpint (stats->leads, ==, 0);
  g_assert_cmpuint (stats->consents_granted->len, ==, 0);
  g_assert_cmpuint (stats->outbox->len, ==, 1);
  g_assert_null (g_array_index (stats->outbox, TpStatsDelivery, 0).target);
  g_assert_cmpint (tp_stats_get_unsent (stats), ==, 0);
}

static void
test_leads (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TpStats) stats = NULL;
  g_autofree char *text = NULL;

  capture (f, FALSE, 10);
  capture (f, TRUE, 3);
  capture (f, FALSE, 7);
  /* The second lead withdraws its marketing consent: only the latest decision counts. */
  exec_sql (f, "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, locale, recorded_at) "
               "SELECT lead_id, purpose, 0, version, text_sha256, locale, recorded_at FROM consents "
               "WHERE purpose = 'marketing' AND granted = 1");
  capture (f, TRUE, 9);
  exec_sql (f, "INSERT INTO redemptions (code, offer_id, issuing_kiosk, redeemed_at, redeemed_by) "
               "SELECT code, offer_id, 1, issued_at, 'test' FROM coupons LIMIT 1");

  text = stats_text (f, &stats);
  g_assert_cmpstr (text, ==, leads_json);
  g_assert_cmpint (stats->leads, ==, 4);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_granted, "marketing"), ==, 1);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_refused, "marketing"), ==, 3);
  g_assert_cmpint (tp_stats_count_lookup (stats->consents_granted, "no-such-purpose"), ==, 0);
  g_assert_cmpint (tp_stats_count_lookup (stats->tags, "promoter"), ==, 2);
  g_assert_cmpint (stats->coupons_issued, ==, 4);
  g_assert_cmpint (stats->coupons_redeemed, ==, 1);
  /* Before any target was synced to, every outbox row waits. */
  g_assert_cmpint (tp_stats_get_unsent (stats), ==, 4);
}

static void
test_targets (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOutboxBatch) batch = NULL;
  g_autoptr(TpStats) one_stats = NULL;
  g_autoptr(TpStats) two_stats = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *two_head = NULL;
  const char *outbox;

  for (guint i = 0; i < 3; i++)
    capture (f, FALSE, 10);
  g_assert_true (tp_store_outbox_add_target (f->store, "webhook", FALSE, &error));
  batch = tp_store_outbox_claim (f->store, "webhook", 2, 1, g_get_real_time () / 1000, FALSE, &error);
  g_assert_no_error (error);

  /* One target: its states, flat. */
  one = stats_text (f, &one_stats);
  g_assert_cmpstr (one, ==, one_target_json);
  g_assert_cmpuint (one_stats->outbox->len, ==, 1);
  g_assert_cmpstr (g_array_index (one_stats->outbox, TpStatsDelivery, 0).target, ==, "webhook");
  g_assert_cmpint (tp_stats_get_unsent (one_stats), ==, 3);

  /* Several: per target, by name. */
  g_assert_true (tp_store_outbox_add_target (f->store, "hubspot", FALSE, &error));
  two = stats_text (f, &two_stats);
  outbox = strstr (two, "  \"outbox\"");
  g_assert_nonnull (outbox);
  g_assert_cmpstr (outbox, ==, two_targets_outbox);
  two_head = g_strndup (two, outbox - two);
  g_assert_true (g_str_has_prefix (one_target_json, two_head));
  g_assert_cmpuint (two_stats->outbox->len, ==, 2);
  g_assert_cmpstr (g_array_index (two_stats->outbox, TpStatsDelivery, 0).target, ==, "hubspot");
  g_assert_cmpint (g_array_index (two_stats->outbox, TpStatsDelivery, 1).states[TP_DELIVERY_IN_FLIGHT], ==, 2);
  g_assert_cmpint (tp_stats_get_unsent (two_stats), ==, 6);
}

#define ADD(path, func) g_test_add ("/touchpoint/stats/" path, Fixture, NULL, tp_store_fixture_set_up, func, \
                                    tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("empty", test_empty);
  ADD ("leads", test_leads);
  ADD ("targets", test_targets);
  return g_test_run ();
}
