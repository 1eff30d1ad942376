/* test-coupon.c: coupon codes: round trips, tampering, forgiving typing, expiry by the event's
 * clock (time zones, DST, the boundary), and the demo event's segment → offer table. */
#include "tests/coupon-test-util.h"

#include "tp-coupon.h"
#include "tp-i18n.h"

#include <string.h>

#define CODE_PATTERN "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$"
#define ALPHABET "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

static TpCoupon *
issue (TpEvent    *event,
       const char *offer,
       guint       kiosk,
       guint64     seq,
       const char *issued_at)
{
  g_autoptr(GDateTime) time = at (issued_at);
  g_autoptr(GError) error = NULL;
  TpCoupon *coupon = tp_coupon_issue (event, offer, kiosk, seq, time, &error);

  g_assert_no_error (error);
  g_assert_nonnull (coupon);
  return coupon;
}

static void
assert_invalid (TpEvent    *event,
                const char *typed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCoupon) coupon = tp_coupon_verify (event, typed, &error);

  if (coupon != NULL)
    g_error ("\"%s\" was accepted as %s", typed, coupon->code);
  g_assert_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_INVALID);
}

static void
assert_reads_as (TpEvent    *event,
                 const char *typed,
                 const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCoupon) coupon = tp_coupon_verify (event, typed, &error);
  g_autofree char *normal = tp_coupon_normalize (typed);

  if (error)
    g_error ("\"%s\" was refused: %s", typed, error->message);
  g_assert_cmpstr (coupon->code, ==, code);
  g_assert_cmpstr (normal, ==, code);
}

/* ---- Codec ------------------------------------------------------------------------------ */

static void
test_round_trip (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  const guint kiosks[] = { 1, 2, 4821, 65535 };
  const guint64 seqs[] = { 1, 2, 1000, 123456789, (1u << 28) - 1 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint o = 0; o < event->offers->len; o++)
    for (guint k = 0; k < G_N_ELEMENTS (kiosks); k++)
      for (guint s = 0; s < G_N_ELEMENTS (seqs); s++)
        {
          const TpOffer *offer = event->offers->pdata[o];
          g_autoptr(TpCoupon) issued = issue (event, offer->id, kiosks[k], seqs[s], "2026-12-05T14:03:27+09:00");
          g_autoptr(TpCoupon) read = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_true (g_regex_match_simple (CODE_PATTERN, issued->code, 0, 0));
          read = tp_coupon_verify (event, issued->code, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (read->code, ==, issued->code);
          g_assert_cmpstr (read->offer, ==, offer->id);
          g_assert_cmpuint (read->kiosk_number, ==, kiosks[k]);
          g_assert_cmpuint (read->seq, ==, seqs[s]);
          g_assert_true (g_date_time_equal (read->expires_at, issued->expires_at));
          /* Every lead's code is its own. */
          g_assert_true (g_hash_table_add (seen, g_strdup (issued->code)));
        }
}

static void
test_out_of_range (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(GDateTime) far = at ("2061-01-01T00:00:00Z");
  g_autoptr(GDateTime) now = at ("2026-12-05T12:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCoupon) coupon = NULL;

  coupon = tp_coupon_issue (event, "welcome-10", 7, 1, far, &error);
  g_assert_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_OUT_OF_RANGE);
  g_assert_null (coupon);
  g_clear_error (&error);
  coupon = tp_coupon_issue (event, "welcome-10", 7, 1u << 28, now, &error);
  g_assert_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  coupon = tp_coupon_issue (event, "no-such-offer", 7, 1, now, &error);
  g_assert_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_NO_OFFER);
  g_assert_nonnull (strstr (error->message, "no-such-offer"));
}

/* Every single-character change of a code is refused: each of the 32 places changed to each of
 * the 31 other symbols, one character left out, one put in, two neighbours swapped. */
static void
test_single_change (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpCoupon) coupon = issue (event, "gift-set-20", 4821, 77, "2026-12-05T14:03:27+09:00");
  g_autofree char *bare = NULL;
  guint changes = 0;

  {
    g_auto(GStrv) groups = g_strsplit (coupon->code, "-", -1);
    bare = g_strjoinv ("", groups);
  }
  g_assert_cmpuint (strlen (bare), ==, 32);

  for (guint i = 0; i < 32; i++)
    {
      for (const char *c = ALPHABET; *c; c++)
        {
          g_autofree char *changed = g_strdup (bare);

          if (*c == bare[i])
            continue;
          changed[i] = *c;
          assert_invalid (event, changed);
          changes++;
        }
      {
        g_autofree char *shorter = g_strdup (bare);
        g_autofree char *longer = g_strdup_printf ("%.*s7%s", i, bare, bare + i);

        memmove (shorter + i, shorter + i + 1, 32 - i);
        assert_invalid (event, shorter);
        assert_invalid (event, longer);
      }
      if (i < 31 && bare[i] != bare[i + 1])
        {
          g_autofree char *swapped = g_strdup (bare);

          swapped[i] = bare[i + 1];
          swapped[i + 1] = bare[i];
          assert_invalid (event, swapped);
        }
    }
  g_assert_cmpuint (changes, ==, 32 * 31);
  /* And it still reads, to show that the changes, not the harness, were refused. */
  assert_reads_as (event, bare, coupon->code);
}

static void
test_confusables (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpCoupon) coupon = NULL;
  g_autoptr(GString) typed = NULL;
  g_autofree char *lower = NULL, *bare = NULL, *spaced = NULL;
  g_autofree char *full_width = NULL, *dashes = NULL, *url = NULL;
  const char *code;

  /* A code with both a 0 and a 1 in it (the payload's zeros make this quick). */
  for (guint64 seq = 1; coupon == NULL || !strchr (coupon->code, '1') || !strchr (coupon->code, '0'); seq++)
    {
      g_clear_pointer (&coupon, tp_coupon_free);
      coupon = issue (event, "welcome-10", 1, seq, "2026-12-05T14:03:27+09:00");
    }
  code = coupon->code;

  lower = g_ascii_strdown (code, -1);
  assert_reads_as (event, lower, code);

  /* O for 0; I, i, L or l for 1, mixed. */
  typed = g_string_new (NULL);
  for (guint i = 0, ones = 0; code[i]; i++)
    if (code[i] == '0')
      g_string_append_c (typed, i % 2 ? 'O' : 'o');
    else if (code[i] == '1')
      g_string_append_c (typed, "IiLl"[ones++ % 4]);
    else
      g_string_append_c (typed, code[i]);
  g_assert_cmpstr (typed->str, !=, code);
  assert_reads_as (event, typed->str, code);

  /* Hyphens missing, in other places, doubled; spaces; leading and trailing blanks. */
  {
    g_auto(GStrv) groups = g_strsplit (code, "-", -1);
    g_autofree char *joined = g_strjoinv ("", groups);
    g_autofree char *odd = NULL;

    bare = g_strdup (joined);
    spaced = g_strjoinv ("  ", groups);
    odd = g_strdup_printf ("--%.3s-%.10s--%s-", joined, joined + 3, joined + 13);
    assert_reads_as (event, bare, code);
    assert_reads_as (event, odd, code);
  }
  assert_reads_as (event, spaced, code);
  {
    g_autofree char *padded = g_strdup_printf ("  %s\n", code);
    assert_reads_as (event, padded, code);
  }

  /* A Korean or Japanese input method's full-width characters, and typographic dashes. */
  {
    GString *fw = g_string_new (NULL);
    for (const char *c = code; *c; c++)
      g_string_append_unichar (fw, *c == '-' ? 0xFF0D : 0xFF00 + (*c - 0x20));
    full_width = g_string_free (fw, FALSE);
  }
  assert_reads_as (event, full_width, code);
  {
    g_auto(GStrv) groups = g_strsplit (code, "-", -1);
    dashes = g_strjoinv ("\u2013", groups);
  }
  assert_reads_as (event, dashes, code);

  /* A scanned coupon URL, with or without a query. */
  url = g_strdup_printf ("https://maru-tea.example/c/%s?from=qr#top", code);
  assert_reads_as (event, url, code);

  /* What is not forgiven: U (not in the alphabet), other letters for digits, too short. */
  {
    g_autofree char *with_u = g_strdup (bare);
    g_autofree char *short_code = g_strndup (bare, 31);

    with_u[5] = 'U';
    assert_invalid (event, with_u);
    assert_invalid (event, short_code);
    assert_invalid (event, "");
    assert_invalid (event, "\xff\xfe not UTF-8");
  }
}

static void
test_other_event (void)
{
  g_autoptr(TpEvent) demo = tp_event_new_demo ();
  g_autoptr(TpCoupon) coupon = issue (demo, "tasting-class", 12, 34, "2026-12-05T14:03:27+09:00");
  g_autoptr(JsonNode) other_key = coupon_test_demo_json ();
  g_autoptr(JsonNode) other_id = coupon_test_demo_json ();
  g_autoptr(JsonNode) reordered = coupon_test_demo_json ();
  g_autoptr(TpEvent) e1 = NULL, e2 = NULL, e3 = NULL;
  JsonArray *offers;
  g_autoptr(JsonNode) first = NULL;

  json_object_set_string_member (json_object_get_object_member (json_node_get_object (other_key), "coupon"), "key",
                                 "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMzI=");
  json_object_set_string_member (json_node_get_object (other_id), "id", "another-event");
  /* The same offers in another order: the code's offer index now names another offer. */
  offers = json_object_get_array_member (json_node_get_object (reordered), "offers");
  first = json_node_copy (json_array_get_element (offers, 0));
  json_array_remove_element (offers, 0);
  json_array_add_element (offers, g_steal_pointer (&first));

  e1 = coupon_test_event_from_json (other_key);
  e2 = coupon_test_event_from_json (other_id);
  e3 = coupon_test_event_from_json (reordered);
  assert_invalid (e1, coupon->code);
  assert_invalid (e2, coupon->code);
  assert_invalid (e3, coupon->code);
  assert_reads_as (demo, coupon->code, coupon->code);
}

/* ---- Expiry ----------------------------------------------------------------------------- */

typedef struct
{
  const char *timezone;
  const char *offer;
  const char *issued_at;
  const char *expires_at;   /* UTC */
} ExpiryCase;

static void
test_expiry_table (void)
{
  const ExpiryCase cases[] = {
    /* valid_days 14, the last second of a day and the first of the next, by the event's
     * clock: the same instant is a different day in Los Angeles and in Seoul. */
    { "America/Los_Angeles", "welcome-10", "2026-12-04T23:59:59-08:00", "2026-12-19T08:00:00Z" },
    { "America/Los_Angeles", "welcome-10", "2026-12-05T00:00:00-08:00", "2026-12-20T08:00:00Z" },
    { "Asia/Seoul", "welcome-10", "2026-12-04T23:59:59-08:00", "2026-12-19T15:00:00Z" },
    { "Asia/Seoul", "welcome-10", "2026-12-05T23:59:59+09:00", "2026-12-19T15:00:00Z" },
    { "Asia/Seoul", "welcome-10", "2026-12-06T00:00:00+09:00", "2026-12-20T15:00:00Z" },
    /* Across the end of DST in Los Angeles (2026-11-01): a 25-hour day, still midnight. */
    { "America/Los_Angeles", "welcome-10", "2026-10-20T12:00:00-07:00", "2026-11-04T08:00:00Z" },
    /* valid_hours 8: real hours, rounded up to the minute; across the start of DST in Los
     * Angeles (2026-03-08 02:00) the wall clock moves nine hours. */
    { "America/Los_Angeles", "today-15", "2026-03-08T01:30:00-08:00", "2026-03-08T17:30:00Z" },
    { "America/Los_Angeles", "today-15", "2026-03-08T01:30:01-08:00", "2026-03-08T17:31:00Z" },
    { "Asia/Seoul", "today-15", "2026-12-05T20:00:00+09:00", "2026-12-05T19:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpEvent) event = coupon_test_event (cases[i].timezone, NULL);
      g_autoptr(TpCoupon) coupon = issue (event, cases[i].offer, 3, i + 1, cases[i].issued_at);
      g_autofree char *got = tp_format_utc (coupon->expires_at);
      g_autoptr(TpCoupon) read = tp_coupon_verify (event, coupon->code, NULL);
      g_autofree char *read_back = tp_format_utc (read->expires_at);

      g_test_message ("%s %s issued %s: expires %s", cases[i].timezone, cases[i].offer, cases[i].issued_at, got);
      g_assert_cmpstr (got, ==, cases[i].expires_at);
      g_assert_cmpstr (read_back, ==, cases[i].expires_at);
    }
}

/* Where the day does not start at a plain midnight: the end of a day is the first instant of
 * the next one there. */
static void
test_expiry_midnight_dst (void)
{
  const ExpiryCase cases[] = {
    /* Chile springs forward at midnight: 2026-09-06 starts at 01:00 -03. */
    { "America/Santiago", "welcome-10", "2026-08-22T12:00:00-04:00", "2026-09-06T04:00:00Z" },
    /* Cuba falls back from 01:00 to 00:00: 2026-11-01 starts at the first midnight (-04). */
    { "America/Havana", "welcome-10", "2026-10-17T12:00:00-04:00", "2026-11-01T04:00:00Z" },
    /* Lebanon springs forward at midnight: 2026-03-29 starts at 01:00 +03. */
    { "Asia/Beirut", "welcome-10", "2026-03-14T12:00:00+02:00", "2026-03-28T22:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpEvent) event = coupon_test_event (cases[i].timezone, NULL);
      g_autoptr(TpCoupon) coupon = issue (event, cases[i].offer, 3, i + 1, cases[i].issued_at);
      g_autofree char *got = tp_format_utc (coupon->expires_at);

      g_test_message ("%s issued %s: expires %s", cases[i].timezone, cases[i].issued_at, got);
      g_assert_cmpstr (got, ==, cases[i].expires_at);
    }
}

static void
test_describe_expiry (void)
{
  g_autoptr(TpEvent) la = coupon_test_event ("America/Los_Angeles", NULL);
  g_autoptr(TpEvent) seoul = tp_event_new_demo ();
  g_autoptr(GDateTime) midnight = at ("2026-12-19T08:00:00Z");
  g_autoptr(GDateTime) evening = at ("2026-12-06T04:00:00Z");
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  tp_i18n_set_language ("en");
  a = tp_coupon_describe_expiry (la, midnight);
  b = tp_coupon_describe_expiry (seoul, evening);
  /* Ends at midnight in Los Angeles: valid through the day before; in Seoul the same instant
   * is 17:00. */
  c = tp_coupon_describe_expiry (seoul, midnight);
  g_assert_cmpstr (a, ==, "Valid through 18 Dec 2026");
  g_assert_cmpstr (b, ==, "Valid until 6 Dec 2026, 13:00");
  g_assert_cmpstr (c, ==, "Valid until 19 Dec 2026, 17:00");
  tp_i18n_set_language ("ko");
  d = tp_coupon_describe_expiry (la, midnight);
  g_assert_cmpstr (d, ==, "2026년 12월 18일까지 사용 가능");
  tp_i18n_set_language ("en");
}

/* ---- Segments → offers (the demo event) ------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *visit_reason;
  const char *interests;        /* Comma-separated. */
  int         rating;
  int         nps;
  const char *purchase_timing;  /* May be NULL. */
  const char *offer;
  const char *segment;          /* NULL: the default offer. */
  const char *tags;             /* Comma-separated, in order. */
} SegmentCase;

static void
test_segments_demo (void)
{
  const SegmentCase cases[] = {
    { "nothing matches", "passing", "black", 3, 7, NULL, "welcome-10", NULL, "" },
    { "buying today", "tasting", "black", 3, 7, "today", "today-15", "buying-today", "hot-lead" },
    { "today beats gift", "gift", "black", 3, 7, "today", "today-15", "buying-today", "hot-lead,gift-buyer" },
    { "gift buyer", "gift", "herbal", 2, 7, "month", "gift-set-20", "gift-buyer", "gift-buyer" },
    { "gift beats tea lover", "gift", "green", 5, 7, NULL, "gift-set-20", "gift-buyer", "gift-buyer,tea-lover" },
    { "tea lover, green, 4 stars", "tasting", "green", 4, 7, NULL, "tasting-class", "tea-lover", "tea-lover" },
    { "tea lover, oolong, 5 stars", "brand", "herbal,oolong", 5, 7, NULL, "tasting-class", "tea-lover",
      "tea-lover" },
    { "green but 3 stars", "tasting", "green", 3, 7, NULL, "welcome-10", NULL, "" },
    { "5 stars but herbal", "tasting", "herbal", 5, 7, NULL, "welcome-10", NULL, "" },
    { "promoter: a tag, no offer", "passing", "black", 3, 9, NULL, "welcome-10", NULL, "promoter" },
    { "promoter at 10", "passing", "black", 3, 10, "later", "welcome-10", NULL, "promoter" },
    { "detractor at 6", "passing", "black", 3, 6, NULL, "welcome-10", NULL, "detractor" },
    { "detractor at 0", "passing", "black", 1, 0, NULL, "welcome-10", NULL, "detractor" },
    { "passive at 7 and 8", "passing", "black", 3, 8, NULL, "welcome-10", NULL, "" },
    { "teaware fan", "passing", "teaware", 3, 7, NULL, "welcome-10", NULL, "teaware" },
    { "everything", "gift", "green,teaware", 5, 10, "today", "today-15", "buying-today",
      "promoter,hot-lead,gift-buyer,tea-lover,teaware" },
  };
  g_autoptr(TpEvent) event = tp_event_new_demo ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SegmentCase *c = &cases[i];
      g_autoptr(GHashTable) answers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) tp_answer_free);
      g_auto(GStrv) interests = g_strsplit (c->interests, ",", -1);
      g_autoptr(TpSegmentResult) result = NULL;
      g_autofree char *tags = NULL;

      g_hash_table_insert (answers, "visit_reason", tp_answer_new_string (c->visit_reason));
      g_hash_table_insert (answers, "interests", tp_answer_new_list ((const char * const *) interests));
      g_hash_table_insert (answers, "booth_rating", tp_answer_new_number (c->rating));
      g_hash_table_insert (answers, "nps", tp_answer_new_number (c->nps));
      if (c->purchase_timing)
        g_hash_table_insert (answers, "purchase_timing", tp_answer_new_string (c->purchase_timing));

      result = tp_segments_evaluate (event, answers);
      tags = g_strjoinv (",", result->tags);
      g_test_message ("%s: %s (%s) [%s]", c->name, result->offer, result->segment, tags);
      g_assert_cmpstr (result->offer, ==, c->offer);
      g_assert_cmpstr (result->segment, ==, c->segment);
      g_assert_cmpstr (tags, ==, c->tags);
    }
}

int
main (int    argc,
      char **argv)
{
  tp_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/touchpoint/coupon/codec/round-trip", test_round_trip);
  g_test_add_func ("/touchpoint/coupon/codec/out-of-range", test_out_of_range);
  g_test_add_func ("/touchpoint/coupon/codec/single-change", test_single_change);
  g_test_add_func ("/touchpoint/coupon/codec/confusables", test_confusables);
  g_test_add_func ("/touchpoint/coupon/codec/other-event", test_other_event);
  g_test_add_func ("/touchpoint/coupon/expiry/table", test_expiry_table);
  g_test_add_func ("/touchpoint/coupon/expiry/midnight-dst", test_expiry_midnight_dst);
  g_test_add_func ("/touchpoint/coupon/expiry/describe", test_describe_expiry);
  g_test_add_func ("/touchpoint/coupon/segments/demo", test_segments_demo);
  return g_test_run ();
}
