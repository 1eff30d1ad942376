/* test-redeem.c: redeeming coupons: once, with time and kiosk; refused again, expired, forged;
 * accepted from another kiosk of the event; exactly once when processes race; the command line. */
#include "tests/coupon-test-util.h"

#include "tp-coupon.h"
#include "tp-store-coupon.h"
#include "tp-stats.h"

#include <string.h>

typedef TpStoreFixture Fixture;

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static gint64
count_coupons (TpStore    *store,
               const char *which)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = tp_store_get_stats (store, &error);

  g_assert_no_error (error);
  return g_str_equal (which, "issued") ? stats->coupons_issued : stats->coupons_redeemed;
}

static gint64
count_redemptions (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStats) stats = tp_store_get_stats (store, &error);

  g_assert_no_error (error);
  return stats->coupons_redeemed;
}

static void
test_redeem_once (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) issued = at ("2026-12-05T14:00:00+09:00");
  g_autoptr(GDateTime) later = at ("2026-12-06T10:15:00+09:00");
  g_autoptr(GDateTime) again = at ("2026-12-07T09:00:00+09:00");
  g_autofree char *offer = NULL;
  g_autofree char *code = coupon_test_capture (f->store, f->event, NULL, issued, &offer, NULL);
  g_autofree char *typed = g_ascii_strdown (code, -1);
  g_autoptr(TpRedemption) r = NULL;
  g_autoptr(TpRedemption) second = NULL;
  g_autoptr(TpRedemption) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* A check redeems nothing. */
  r = tp_store_check_coupon (f->store, f->event, code, later, &error);
  g_assert_no_error (error);
  g_assert_null (r->redeemed_at);
  g_clear_pointer (&r, tp_redemption_free);
  g_assert_cmpint (count_redemptions (f->store), ==, 0);

  /* As typed at the counter: lower case. */
  r = tp_store_redeem (f->store, f->event, typed, later, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->code, ==, code);
  g_assert_cmpstr (r->offer, ==, offer);
  g_assert_cmpuint (r->issuing_kiosk, ==, tp_store_get_kiosk_number (f->store));
  g_assert_cmpuint (r->seq, ==, 1);
  g_assert_true (g_date_time_equal (r->redeemed_at, later));
  g_assert_cmpstr (r->redeemed_by, ==, tp_store_get_kiosk_id (f->store));
  g_assert_cmpint (count_redemptions (f->store), ==, 1);

  /* Recorded, with time and kiosk, across a reopening. */
  g_clear_object (&f->store);
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  stored = tp_store_get_redemption (f->store, f->event, code, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (stored->redeemed_at, later));
  g_assert_cmpstr (stored->redeemed_by, ==, tp_store_get_kiosk_id (f->store));

  /* Again: refused, saying when and where. */
  second = tp_store_redeem (f->store, f->event, code, again, &error);
  g_assert_null (second);
  g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_ALREADY_REDEEMED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2026-12-06 10:15 KST"));
  g_assert_nonnull (strstr (error->message, "this kiosk"));
  g_clear_error (&error);
  second = tp_store_check_coupon (f->store, f->event, code, again, &error);
  g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_ALREADY_REDEEMED);
  g_assert_cmpint (count_redemptions (f->store), ==, 1);
}

static void
test_redeem_expired (Fixture       *f,
                     gconstpointer  data)
{
  /* The demo visitor's tasting-class (30 days) issued on 5 December in Seoul: valid through
   * 4 January. */
  g_autoptr(GDateTime) issued = at ("2026-12-05T14:00:00+09:00");
  g_autoptr(GDateTime) last_second = at ("2027-01-04T23:59:59+09:00");
  g_autoptr(GDateTime) expiry = at ("2027-01-05T00:00:00+09:00");
  g_autofree char *expires_at = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  g_autoptr(TpRedemption) r = NULL;
  g_autoptr(GError) error = NULL;

  code = coupon_test_capture (f->store, f->event, NULL, issued, NULL, &expires_at);
  code2 = coupon_test_capture (f->store, f->event, NULL, issued, NULL, NULL);
  g_assert_cmpstr (expires_at, ==, "2027-01-04T15:00:00Z");

  r = tp_store_redeem (f->store, f->event, code, expiry, &error);
  g_assert_null (r);
  g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_EXPIRED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2027-01-05 00:00 KST"));
  g_assert_cmpint (count_redemptions (f->store), ==, 0);
  g_clear_error (&error);

  /* One second before, the other code is still good. */
  r = tp_store_redeem (f->store, f->event, code2, last_second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_redemptions (f->store), ==, 1);
}

static void
test_redeem_forged (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *code = coupon_test_capture (f->store, f->event, NULL, NULL, NULL, NULL);
  g_autoptr(JsonNode) other = coupon_test_demo_json ();
  g_autoptr(TpEvent) other_key = NULL;
  g_autoptr(TpCoupon) forged = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *bad[] = { "", "hello", "0000-0000-0000-0000-0000-0000-0000-0000", NULL, NULL };
  g_autofree char *altered = g_strdup (code);

  /* One character changed. */
  altered[3] = altered[3] == '7' ? '8' : '7';
  bad[3] = altered;
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpRedemption) r = tp_store_redeem (f->store, f->event, bad[i], NULL, &error);

      g_assert_null (r);
      g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_INVALID);
    }

  /* Well formed and signed, but with another key: a forger's own code. */
  json_object_set_string_member (json_object_get_object_member (json_node_get_object (other), "coupon"), "key",
                                 "Zm9yZ2VyLWtleS1mb3JnZXIta2V5LWZvcmdlci1rZXk=");
  other_key = coupon_test_event_from_json (other);
  forged = tp_coupon_issue (other_key, "tasting-class", tp_store_get_kiosk_number (f->store), 99, now, NULL);
  g_assert_nonnull (forged);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpRedemption) r = tp_store_redeem (f->store, f->event, forged->code, NULL, &error);

    g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_INVALID);
  }
  g_assert_cmpint (count_redemptions (f->store), ==, 0);
}

/* Kiosk B issues, kiosk A redeems, offline: only the event's key is shared. */
static void
test_redeem_other_kiosk (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir_b = NULL;
  g_autoptr(TpStore) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL, *offer = NULL;
  g_autoptr(TpRedemption) r = NULL;

  /* Two kiosks draw their numbers at random: make sure these two differ. */
  do
    {
      if (dir_b)
        tp_test_rmdir (dir_b);
      g_clear_object (&b);
      g_free (dir_b);
      dir_b = tp_test_mkdtemp ();
      b = tp_store_new (dir_b, &error);
      g_assert_no_error (error);
    }
  while (tp_store_get_kiosk_number (b) == tp_store_get_kiosk_number (f->store));

  code = coupon_test_capture (b, f->event, "today", NULL, &offer, NULL);
  g_assert_cmpstr (offer, ==, "today-15");
  r = tp_store_redeem (f->store, f->event, code, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->issuing_kiosk, ==, tp_store_get_kiosk_number (b));
  g_assert_cmpstr (r->offer, ==, "today-15");
  g_assert_cmpstr (r->redeemed_by, ==, tp_store_get_kiosk_id (f->store));
  g_assert_cmpint (count_redemptions (f->store), ==, 1);
  /* Recorded at A, where it was redeemed, not at B. */
  g_assert_cmpint (count_redemptions (b), ==, 0);
  g_clear_pointer (&r, tp_redemption_free);
  r = tp_store_redeem (f->store, f->event, code, NULL, &error);
  g_assert_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_ALREADY_REDEEMED);

  g_clear_object (&b);
  tp_test_rmdir (dir_b);
}

/* No lead is stored without its coupon: a coupon that cannot be issued (here, a clock in
 * 2061, past what a code carries) stores nothing; and a failed commit leaves no coupon. */
static void
test_capture_atomic (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(GDateTime) far = at ("2061-06-01T12:00:00Z");
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(GError) error = NULL;

  capture = tp_store_capture (f->store, f->event, submission, far, NULL, &error);
  g_assert_null (capture);
  g_assert_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
  g_assert_cmpint (count_coupons (f->store, "issued"), ==, 0);

  tp_store_set_fail_point (f->store, TP_STORE_FAIL_BEFORE_COMMIT);
  capture = tp_store_capture (f->store, f->event, submission, NULL, NULL, &error);
  g_assert_null (capture);
  g_assert_nonnull (error);
  g_clear_error (&error);
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_NONE);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
  g_assert_cmpint (count_coupons (f->store, "issued"), ==, 0);

  capture = tp_store_capture (f->store, f->event, submission, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (capture->coupon_code);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
  g_assert_cmpint (count_coupons (f->store, "issued"), ==, 1);
}

/* ---- The command line ------------------------------------------------------------------- */

static int
run_redeem (const char  *dir,
            const char  *code,
            gboolean     json,
            char       **out,
            char       **err)
{
  const char *argv[] = { g_getenv ("TOUCHPOINT_BIN"), "redeem", "--data-dir", dir, code,
                         json ? "--json" : NULL, NULL };

  return coupon_test_spawn (argv, out, err);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *code = coupon_test_capture (f->store, f->event, NULL, NULL, NULL, NULL);
  g_autoptr(GDateTime) last_year = at ("2025-12-01T12:00:00+09:00");
  g_autoptr(TpCoupon) old = tp_coupon_issue (f->event, "welcome-10", 9, 5, last_year, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *typed = NULL;
  char *out = NULL, *err = NULL;
  JsonObject *obj;

  {
    g_auto(GStrv) groups = g_strsplit (code, "-", -1);
    g_autofree char *joined = g_strjoinv ("", groups);
    typed = g_ascii_strdown (joined, -1);
  }

  /* Closing our connection: the command is another process on the same data folder. */
  g_assert_cmpint (run_redeem (f->dir, typed, FALSE, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, code));
  g_assert_nonnull (strstr (out, "Redeemed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_redeem (f->dir, code, FALSE, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "already redeemed on"));
  g_assert_nonnull (strstr (err, "this kiosk (number"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Staff at a Korean counter read the refusal in Korean. */
  {
    const char *argv[] = { g_getenv ("TOUCHPOINT_BIN"), "redeem", "--data-dir", f->dir, code, NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;

    g_subprocess_launcher_setenv (launcher, "LANGUAGE", "ko", TRUE);
    proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
    g_assert_nonnull (strstr (err, "이미 사용되었습니다"));
    g_assert_nonnull (strstr (err, "이 키오스크("));
    g_clear_pointer (&err, g_free);
  }

  g_assert_cmpint (run_redeem (f->dir, code, TRUE, &out, &err), ==, 1);
  obj = parse_object (out, parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "already-redeemed");
  g_assert_cmpstr (json_object_get_string_member (obj, "redeemed_by"), ==, tp_store_get_kiosk_id (f->store));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Signed by this event, issued by kiosk 9 a year ago: expired, with the expiry. */
  g_assert_cmpint (run_redeem (f->dir, old->code, TRUE, &out, &err), ==, 1);
  obj = parse_object (out, parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "expired");
  g_assert_cmpstr (json_object_get_string_member (obj, "expires_at"), ==, "2025-12-15T15:00:00Z");
  g_assert_nonnull (strstr (err, "expired on 2025-12-16 00:00 KST"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_redeem (f->dir, "ABCD-EFGH", TRUE, &out, &err), ==, 1);
  obj = parse_object (out, parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "invalid");
  g_assert_nonnull (strstr (err, "not a coupon code"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *usage[] = { g_getenv ("TOUCHPOINT_BIN"), "redeem", "--data-dir", f->dir, NULL };
    const char *bad_event[] = { g_getenv ("TOUCHPOINT_BIN"), "redeem", "--data-dir", f->dir,
                                "--event", "/nonexistent/event.json", code, NULL };

    g_assert_cmpint (coupon_test_spawn (usage, NULL, NULL), ==, 2);
    g_assert_cmpint (coupon_test_spawn (bad_event, NULL, &err), ==, 65);
    g_assert_nonnull (strstr (err, "/nonexistent/event.json"));
    g_clear_pointer (&err, g_free);
  }
}

/* Several processes redeem one code at the same moment, round after round: exactly one
 * succeeds each time, the others are told it was already redeemed. */
static void
test_cli_race (Fixture       *f,
               gconstpointer  data)
{
  const guint rounds = 30;

  for (guint round = 0; round < rounds; round++)
    {
      /* Most rounds two processes, as two staff tablets would; every fifth, six. */
      guint n = round % 5 == 4 ? 6 : 2;
      g_autofree char *code = coupon_test_capture (f->store, f->event, NULL, NULL, NULL, NULL);
      g_autoptr(GPtrArray) procs = g_ptr_array_new_with_free_func (g_object_unref);
      guint ok = 0, refused = 0;

      for (guint i = 0; i < n; i++)
        {
          const char *argv[] = { g_getenv ("TOUCHPOINT_BIN"), "redeem", "--data-dir", f->dir, code, NULL };
          g_autoptr(GError) error = NULL;
          GSubprocess *proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);

          g_assert_no_error (error);
          g_ptr_array_add (procs, proc);
        }
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *err = NULL;
          GSubprocess *proc = procs->pdata[i];

          g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (proc));
          switch (g_subprocess_get_exit_status (proc))
            {
            case 0:
              ok++;
              break;
            case 1:
              g_assert_nonnull (strstr (err, "already redeemed"));
              refused++;
              break;
            default:
              g_error ("touchpoint redeem exited with %d: %s", g_subprocess_get_exit_status (proc), err);
            }
        }
      g_assert_cmpuint (ok, ==, 1);
      g_assert_cmpuint (refused, ==, n - 1);
    }
  g_assert_cmpint (count_redemptions (f->store), ==, rounds);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)
  ADD ("/touchpoint/coupon/redeem/once", test_redeem_once);
  ADD ("/touchpoint/coupon/redeem/expired", test_redeem_expired);
  ADD ("/touchpoint/coupon/redeem/forged", test_redeem_forged);
  ADD ("/touchpoint/coupon/redeem/other-kiosk", test_redeem_other_kiosk);
  ADD ("/touchpoint/coupon/capture/atomic", test_capture_atomic);
  ADD ("/touchpoint/coupon/redeem/cli", test_cli);
  ADD ("/touchpoint/coupon/redeem/cli-race", test_cli_race);
#undef ADD
  return g_test_run ();
}
