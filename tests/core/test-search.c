/* test-search.c: finding leads: the search table (Hangul, Latin case, email parts, phone digits,
 * SQL-looking input), filters, pages, the index kept by capture, erasure and migration. */
#include "tests/tp-test-util.h"

#include "tp-search-text.h"
#include "tp-store-outbox.h"
#include "tp-store-private.h"
#include "tp-store-coupon.h"
#include "tp-store-lead-detail.h"
#include "tp-store-search.h"
#include "tp-store-watcher.h"

#include <string.h>

typedef TpStoreFixture Fixture;

/* Captures a lead of the demo event with these details; returns its id. */
static char *
capture (Fixture    *f,
         const char *name,
         const char *email,
         const char *phone,
         const char *company,
         const char *visit_reason,
         gboolean    marketing)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCapture) c = NULL;

  tp_submission_set_field (s, "name", name);
  tp_submission_set_field (s, "email", email);
  tp_submission_set_field (s, "phone", phone);
  if (company)
    tp_submission_set_field (s, "company", company);
  tp_submission_set_answer (s, "visit_reason", tp_answer_new_string (visit_reason));
  tp_submission_set_consent (s, "marketing", marketing);
  c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (c->lead_id);
}

static TpLeadPage *
find (Fixture           *f,
      const TpLeadQuery *query,
      guint              limit)
{
  g_autoptr(GError) error = NULL;
  TpLeadRange range = { .limit = limit, .count = TRUE };
  TpLeadPage *page = tp_store_find_leads (f->store, query, &range, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

/* The names found for text, newest first, joined by commas ("" for none). */
static char *
names_for (Fixture    *f,
           const char *text)
{
  g_autoptr(TpLeadQuery) query = tp_lead_query_new ();
  g_autoptr(TpLeadPage) page = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  query->text = g_strdup (text);
  page = find (f, query, 100);
  g_assert_cmpint (page->total, ==, page->rows->len);
  for (guint i = 0; i < page->rows->len; i++)
    g_strv_builder_add (names, ((TpLeadRow *) page->rows->pdata[i])->name);
  list = g_strv_builder_end (names);
  return g_strjoinv (",", list);
}

static void
add_table_leads (Fixture *f)
{
  g_free (capture (f, "김하늘", "Haneul.Kim@Example.com", "010-2345-6789", "마루상사", "tasting", TRUE));
  g_free (capture (f, "Hong Gildong", "HONG@example.org", "+44 7700 900123", "Acme Tea Ltd", "gift", FALSE));
  g_free (capture (f, "이하나", "lee.hana@naver.com", "010-9999-0000", NULL, "brand", FALSE));
  g_free (capture (f, "박하늘빛", "sky@daum.net", "02-555-1234", "하늘 커피", "passing", TRUE));
}

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  static const struct
  {
    const char *text;
    const char *names;
  } table[] = {
    /* Hangul: two syllables (shorter than a trigram), three, one. */
    { "하늘", "박하늘빛,김하늘" },
    { "김하", "김하늘" },
    { "김하늘", "김하늘" },
    { "하늘빛", "박하늘빛" },
    { "하나", "이하나" },
    { "늘", "박하늘빛,김하늘" },
    { "커피", "박하늘빛" },
    /* Latin, any case, any part. */
    { "hong", "Hong Gildong" },
    { "HONG", "Hong Gildong" },
    { "gIlDo", "Hong Gildong" },
    { "acme", "Hong Gildong" },
    { "tea ltd", "Hong Gildong" },
    { "ltd tea", "Hong Gildong" },
    /* Parts of an email address. */
    { "haneul.kim", "김하늘" },
    { "KIM@EXAMPLE", "김하늘" },
    { "example", "Hong Gildong,김하늘" },
    { "@naver", "이하나" },
    { "naver.com", "이하나" },
    { "@", "박하늘빛,이하나,Hong Gildong,김하늘" },
    { "lee 하", "이하나" },
    /* Phone digits, with and without dashes, national and E.164. */
    { "6789", "김하늘" },
    { "2345-6789", "김하늘" },
    { "010-2345-6789", "김하늘" },
    { "01023456789", "김하늘" },
    { "+821023456789", "김하늘" },
    { "+82 10 2345 6789", "김하늘" },
    { "821023456789", "김하늘" },
    { "(010) 2345.6789", "김하늘" },
    { "7700 900", "Hong Gildong" },
    { "+447700900123", "Hong Gildong" },
    { "025551234", "박하늘빛" },
    { "55", "박하늘빛" },
    /* Query syntax is text: nothing breaks, nothing unexpected matches. */
    { "' OR 1=1 --", "" },
    { "\"", "" },
    { "\"hong\"", "" },
    { "*", "" },
    { "hon*", "" },
    { "NEAR(", "" },
    { "NEAR(hong gil)", "" },
    { "hong OR lee", "" },
    { "hong AND", "" },
    { "-hong", "" },
    { "%", "" },
    { "_", "" },
    { "'); DROP TABLE leads; --", "" },
    /* Nothing found. */
    { "zzz", "" },
    { "하늘색", "" },
    { "9876", "" },
    { "q", "" },
  };

  add_table_leads (f);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *names = names_for (f, table[i].text);

      if (g_strcmp0 (names, table[i].names) != 0)
        g_error ("Searching \"%s\" found \"%s\", not \"%s\"", table[i].text, names, table[i].names);
    }
  /* Blank text is every lead. */
  {
    g_autofree char *all = names_for (f, "  ");

    g_assert_cmpstr (all, ==, "박하늘빛,이하나,Hong Gildong,김하늘");
  }
  /* Still a database: the injection did nothing. */
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 4);
}

static void
test_parse (void)
{
  static const struct
  {
    const char *text;
    const char *trigram;
    const char *shorter;
  } table[] = {
    { "Hong", "\"hong\"", NULL },
    { "하늘", NULL, "\"하늘\"" },
    { "hong 하늘 x", "\"hong\"", "\"하늘\" AND \"x\"" },
    { "2345-6789", "\"23456789\"", NULL },
    { "+82 10", "\"8210\"", NULL },
    { "say \"hi\"", "\"say\" AND \"\"\"hi\"\"\"", NULL },
    { "ＨＯＮＧ", "\"hong\"", NULL },
    { "a\x1f" "b", NULL, "\"a\" AND \"b\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *trigram = NULL;
      g_autofree char *shorter = NULL;

      g_assert_true (tp_search_parse (table[i].text, &trigram, &shorter));
      g_assert_cmpstr (trigram, ==, table[i].trigram);
      g_assert_cmpstr (shorter, ==, table[i].shorter);
    }
  {
    g_autofree char *trigram = NULL;
    g_autofree char *shorter = NULL;

    g_assert_false (tp_search_parse (" \t", &trigram, &shorter));
    g_assert_false (tp_search_parse (NULL, &trigram, &shorter));
    g_assert_null (trigram);
    g_assert_null (shorter);
  }
}

static void
test_document (void)
{
  const char *ids[] = { "phone", "name", "email" };
  const char *values[] = { "+821023456789", "Kim HANEUL", "Kim@Example.com" };
  const char *reordered_ids[] = { "email", "phone", "name" };
  const char *reordered[] = { "Kim@Example.com", "+821023456789", "Kim HANEUL" };
  g_autofree char *doc = tp_search_document (ids, values, 3);
  g_autofree char *again = tp_search_document (reordered_ids, reordered, 3);

  g_assert_cmpstr (doc, ==, "kim@example.com\x1f" "kim haneul\x1f" "+821023456789\x1f" "821023456789\x1f" "01023456789");
  /* The same fields make the same document in any order (deleting from the index needs it). */
  g_assert_cmpstr (doc, ==, again);
}

static TpLeadQuery *
query_new (void)
{
  return tp_lead_query_new ();
}

static gint64
total (Fixture     *f,
       TpLeadQuery *query)
{
  g_autoptr(TpLeadPage) page = find (f, query, 0);

  return page->total;
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TpLeadQuery) query = query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLeadPage) page = NULL;

  add_table_leads (f);
  g_assert_cmpint (total (f, query), ==, 4);

  /* The gift buyer gets the "gift-buyer" tag and the gift set offer. */
  query->tag = g_strdup ("gift-buyer");
  page = find (f, query, 10);
  g_assert_cmpint (page->total, ==, 1);
  g_assert_cmpstr (((TpLeadRow *) page->rows->pdata[0])->name, ==, "Hong Gildong");
  g_assert_cmpstr (((TpLeadRow *) page->rows->pdata[0])->offer, ==, "gift-set-20");
  g_clear_pointer (&query->tag, g_free);
  query->offer = g_strdup ("gift-set-20");
  g_assert_cmpint (total (f, query), ==, 1);
  g_clear_pointer (&query->offer, g_free);

  /* Marketing consent: granted by two. */
  query->consent = g_strdup ("marketing");
  query->consent_granted = TRUE;
  g_assert_cmpint (total (f, query), ==, 2);
  query->consent_granted = FALSE;
  g_assert_cmpint (total (f, query), ==, 2);
  /* A filter and a search together. */
  query->text = g_strdup ("하늘");
  g_assert_cmpint (total (f, query), ==, 0);
  query->consent_granted = TRUE;
  g_assert_cmpint (total (f, query), ==, 2);
  g_clear_pointer (&query->consent, g_free);
  g_clear_pointer (&query->text, g_free);

  /* Sync: nothing was sent yet; then one is synced and one refused by the CRM. */
  query->sync = TP_LEAD_SYNC_PENDING;
  g_assert_cmpint (total (f, query), ==, 4);
  g_assert_true (tp_store_outbox_add_target (f->store, "webhook", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store),
                                 "UPDATE outbox_delivery SET state = 'synced' WHERE outbox_id = 1;"
                                 "UPDATE outbox_delivery SET state = 'rejected', last_error = 'bad' WHERE outbox_id = 2;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (total (f, query), ==, 2);
  query->sync = TP_LEAD_SYNC_SYNCED;
  g_clear_pointer (&page, tp_lead_page_free);
  page = find (f, query, 10);
  g_assert_cmpint (page->total, ==, 1);
  g_assert_cmpstr (((TpLeadRow *) page->rows->pdata[0])->name, ==, "김하늘");
  g_assert_cmpint (((TpLeadRow *) page->rows->pdata[0])->sync, ==, TP_LEAD_SYNC_SYNCED);
  query->sync = TP_LEAD_SYNC_REJECTED;
  g_assert_cmpint (total (f, query), ==, 1);
  query->sync = TP_LEAD_SYNC_ANY;

  /* Ratings: every lead is unrated until qualification exists. */
  query->rating = g_strdup ("");
  g_assert_cmpint (total (f, query), ==, 4);
  g_free (query->rating);
  query->rating = g_strdup ("hot");
  g_assert_cmpint (total (f, query), ==, 0);
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TpLeadQuery) query = query_new ();
  g_autoptr(TpLeadPage) page = NULL;
  static const struct
  {
    TpLeadSort  sort;
    const char *names;
  } orders[] = {
    { TP_LEAD_SORT_NEWEST, "박하늘빛,이하나,Hong Gildong,김하늘" },
    { TP_LEAD_SORT_OLDEST, "김하늘,Hong Gildong,이하나,박하늘빛" },
    { TP_LEAD_SORT_NAME, "Hong Gildong,김하늘,박하늘빛,이하나" },
    { TP_LEAD_SORT_NAME_DESC, "이하나,박하늘빛,김하늘,Hong Gildong" },
  };

  add_table_leads (f);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      query->sort = orders[i].sort;
      g_clear_pointer (&page, tp_lead_page_free);
      page = find (f, query, 10);
      for (guint j = 0; j < page->rows->len; j++)
        g_string_append_printf (names, "%s%s", j ? "," : "", ((TpLeadRow *) page->rows->pdata[j])->name);
      g_assert_cmpstr (names->str, ==, orders[i].names);
    }
}

/* Many leads, written as the sync tests do (the triggers index them all the same). */
static void
fill (Fixture *f,
      guint    n)
{
  g_autofree char *first = capture (f, "Lead 1", "lead1@example.com", "010-0000-0001", NULL, "tasting", FALSE);
  g_autofree char *copies = g_strdup_printf (
    "WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < %u) "
    "INSERT INTO leads (id, uuid, event_id, kiosk_id, seq, locale, captured_at, offer_id, segment_id, age_confirmed) "
    "SELECT i, printf ('00000000-0000-4000-8000-%%012d', i), event_id, kiosk_id, i, locale, captured_at, offer_id, "
    "segment_id, age_confirmed FROM leads, k WHERE leads.id = 1;"
    "INSERT INTO lead_pii (lead_id, field_id, value) "
    "SELECT l.id, p.field_id, CASE p.field_id WHEN 'email' THEN 'lead' || l.id || '@example.com' "
    "  WHEN 'name' THEN 'Lead ' || l.id ELSE p.value END FROM leads l, lead_pii p "
    "WHERE l.id > 1 AND p.lead_id = 1;"
    "UPDATE kiosk SET next_seq = (SELECT max (seq) + 1 FROM leads);", n);

  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store), copies, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TpLeadQuery) query = query_new ();
  g_autoptr(GError) error = NULL;
  TpLeadRange range = { .limit = 200, .count = TRUE };
  g_autoptr(TpLeadPage) first = NULL;
  g_autoptr(TpLeadPage) second = NULL;
  g_autoptr(TpLeadPage) keyset = NULL;
  g_autoptr(TpLeadPage) last = NULL;
  g_autoptr(TpLeadPage) newer = NULL;
  g_autoptr(TpLeadPage) unchanged = NULL;
  g_autofree char *added = NULL;
  gint64 snapshot;

  fill (f, 450);
  first = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->total, ==, 450);
  g_assert_cmpint (first->newest, ==, 450);
  g_assert_cmpuint (first->rows->len, ==, 200);
  g_assert_cmpint (((TpLeadRow *) first->rows->pdata[0])->rowid, ==, 450);
  g_assert_cmpint (((TpLeadRow *) first->rows->pdata[199])->rowid, ==, 251);
  snapshot = first->newest;

  /* By offset and by keyset, the same second page. */
  range = (TpLeadRange) { .snapshot = snapshot, .offset = 200, .limit = 200 };
  second = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->total, ==, -1);
  range = (TpLeadRange) { .snapshot = snapshot, .after = 251, .limit = 200 };
  keyset = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->rows->len, ==, 200);
  g_assert_cmpuint (keyset->rows->len, ==, 200);
  for (guint i = 0; i < 200; i++)
    g_assert_cmpint (((TpLeadRow *) second->rows->pdata[i])->rowid, ==,
                     ((TpLeadRow *) keyset->rows->pdata[i])->rowid);
  range = (TpLeadRange) { .snapshot = snapshot, .offset = 400, .limit = 200 };
  last = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_cmpuint (last->rows->len, ==, 50);
  g_assert_cmpint (((TpLeadRow *) last->rows->pdata[49])->rowid, ==, 1);

  /* Nothing changed: nothing is read. */
  range = (TpLeadRange) { .unless_version = first->version, .limit = 10 };
  unchanged = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_true (unchanged->unchanged);
  g_assert_cmpuint (unchanged->rows->len, ==, 0);

  /* A new lead: the snapshot's pages do not move; the new one is read on its own. */
  added = capture (f, "New Lead", "new@example.com", "010-1111-2222", NULL, "gift", FALSE);
  range = (TpLeadRange) { .snapshot = snapshot, .offset = 400, .limit = 200, .count = TRUE };
  g_clear_pointer (&last, tp_lead_page_free);
  last = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_cmpint (last->total, ==, 450);
  g_assert_cmpint (last->newest, ==, 451);
  g_assert_cmpint (((TpLeadRow *) last->rows->pdata[0])->rowid, ==, 50);
  range = (TpLeadRange) { .unless_version = first->version, .newer_than = snapshot, .limit = 100, .count = TRUE };
  newer = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_false (newer->unchanged);
  g_assert_cmpint (newer->total, ==, 1);
  g_assert_cmpstr (((TpLeadRow *) newer->rows->pdata[0])->lead_id, ==, added);

  /* Searches page too, newest first. */
  query->text = g_strdup ("lead");
  range = (TpLeadRange) { .snapshot = snapshot, .after = 300, .limit = 5, .count = TRUE };
  g_clear_pointer (&keyset, tp_lead_page_free);
  keyset = tp_store_find_leads (f->store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_cmpint (keyset->total, ==, 450);
  g_assert_cmpint (((TpLeadRow *) keyset->rows->pdata[0])->rowid, ==, 299);
  g_assert_cmpint (((TpLeadRow *) keyset->rows->pdata[4])->rowid, ==, 295);
}

static void
test_data_version (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) other = NULL;
  gint64 before = tp_store_get_data_version (f->store, &error);
  gint64 after_own, after_other;

  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_data_version (f->store, NULL), ==, before);
  g_free (capture (f, "A", "a@example.com", "010-1111-1111", NULL, "tasting", FALSE));
  after_own = tp_store_get_data_version (f->store, NULL);
  g_assert_cmpint (after_own, !=, before);

  /* Another connection (another process would be the same): its commit shows too. */
  other = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TpSubmission) s = tp_test_demo_submission ();
    g_autoptr(TpCapture) c = tp_store_capture (other, f->event, s, NULL, NULL, &error);

    g_assert_no_error (error);
  }
  after_other = tp_store_get_data_version (f->store, NULL);
  g_assert_cmpint (after_other, !=, after_own);
}

static gboolean
index_is_sound (Fixture *f)
{
  return sqlite3_exec (tp_store_get_db (f->store),
                       "INSERT INTO search_trigram (search_trigram) VALUES ('integrity-check');"
                       "INSERT INTO search_short (search_short) VALUES ('integrity-check');",
                       NULL, NULL, NULL) == SQLITE_OK;
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sky = NULL;
  g_autofree char *names = NULL;
  gint64 docs;

  add_table_leads (f);
  sky = capture (f, "Sky Park", "sky.park@example.com", "010-5555-6666", NULL, "tasting", FALSE);
  g_assert_true (index_is_sound (f));
  g_assert_true (tp_store_erase_lead (f->store, sky, &error));
  g_assert_no_error (error);
  /* Gone from the search at once, in the erasure's own transaction, and from the list. */
  names = names_for (f, "sky");
  g_assert_cmpstr (names, ==, "박하늘빛");
  g_clear_pointer (&names, g_free);
  names = names_for (f, "");
  g_assert_cmpstr (names, ==, "박하늘빛,이하나,Hong Gildong,김하늘");
  docs = tp_store_count (f->store, "SELECT count(*) FROM search_docs", &error);
  g_assert_cmpint (docs, ==, 4);
  g_assert_true (index_is_sound (f));

  /* A rebuild gives the same answers. */
  g_assert_true (tp_store_rebuild_search_index (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (index_is_sound (f));
  g_clear_pointer (&names, g_free);
  names = names_for (f, "하늘");
  g_assert_cmpstr (names, ==, "박하늘빛,김하늘");
  g_clear_pointer (&names, g_free);
  names = names_for (f, "park");
  g_assert_cmpstr (names, ==, "");
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length, n = strlen (needle);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The rebuilt index keeps nothing of an erased lead: not in the index's own pages either. */
static void
test_rebuild_forgets (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rare = capture (f, "Zyxwvut Qqq", "zyxwvut@example.com", "010-4444-3333", NULL, "tasting", FALSE);
  const char *path = tp_store_get_path (f->store);
  sqlite3 *db = tp_store_get_db (f->store);

  g_free (capture (f, "Other", "other@example.com", "010-4444-2222", NULL, "tasting", FALSE));
  g_assert_true (tp_store_erase_lead (f->store, rare, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  /* Erased, the lead's pieces are marked deleted in the index, but still written there. */
  g_assert_true (file_contains (path, "zyx"));
  g_assert_true (tp_store_rebuild_search_index (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (file_contains (path, "zyx"));
  g_assert_false (file_contains (path, "Zyx"));
}

static void
test_migration (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) old = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpLeadQuery) query = tp_lead_query_new ();
  TpLeadRange range = { .limit = 10, .count = TRUE };
  g_autoptr(TpLeadPage) page = NULL;
  g_autoptr(TpCapture) capture = NULL;

  /* A store of schema 3 with a lead, as the kiosk left it before search existed. */
  old = tp_store_new_with_schema (dir, 3, &error);
  g_assert_no_error (error);
  tp_submission_set_field (s, "name", "김하늘");
  capture = tp_store_capture (old, event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&old);

  store = tp_store_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  query->text = g_strdup ("하늘");
  page = tp_store_find_leads (store, query, &range, &error);
  g_assert_no_error (error);
  g_assert_cmpint (page->total, ==, 1);
  g_assert_cmpstr (((TpLeadRow *) page->rows->pdata[0])->lead_id, ==, capture->lead_id);
  g_clear_object (&store);
  tp_test_rmdir (dir);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  TpLeadPage **out = data;
  g_autoptr(GError) error = NULL;

  *out = tp_store_find_leads_finish (TP_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TpLeadQuery) query = query_new ();
  TpLeadRange range = { .limit = 10, .count = TRUE };
  g_autoptr(TpLeadPage) page = NULL;

  add_table_leads (f);
  query->text = g_strdup ("하늘");
  tp_store_find_leads_async (f->store, query, &range, NULL, ready_cb, &page);
  /* The query was copied: the caller may change its own. */
  g_free (query->text);
  query->text = g_strdup ("nothing at all");
  while (page == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (page->total, ==, 2);
}

static void
test_lead_detail (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = capture (f, "김하늘", "sky@example.com", "010-2345-6789", "마루상사", "gift", FALSE);
  g_autoptr(TpLeadDetail) detail = NULL;
  g_autoptr(TpRedemption) redemption = NULL;
  g_autoptr(TpLeadRecord) record = NULL;
  const TpConsentRecord *c;
  const TpLeadDelivery *d;

  /* Marketing granted later, as its own record (consent is append-only). */
  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store),
                                 "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, locale, "
                                 "recorded_at) VALUES (1, 'marketing', 1, '2026-11-01', 'abc', 'en', "
                                 "'2026-12-05T01:02:03.000Z')", NULL, NULL, NULL), ==, SQLITE_OK);
  detail = tp_store_get_lead_detail (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (detail->record->fields, "company"), ==, "마루상사");
  g_assert_cmpstr (detail->segment, ==, "gift-buyer");
  g_assert_cmpstr (detail->record->offer, ==, "gift-set-20");
  /* Every decision, oldest first: privacy, marketing refused, marketing granted. */
  g_assert_cmpuint (detail->consents->len, ==, 3);
  c = detail->consents->pdata[1];
  g_assert_cmpstr (c->purpose, ==, "marketing");
  g_assert_false (c->granted);
  g_assert_cmpint (strlen (c->text_sha256), ==, 64);
  g_assert_cmpstr (c->locale, ==, "ko");
  c = detail->consents->pdata[2];
  g_assert_true (c->granted);
  g_assert_cmpstr (c->recorded_at, ==, "2026-12-05T01:02:03.000Z");
  g_assert_null (detail->redeemed_at);
  g_assert_nonnull (detail->coupon_issued_at);
  /* Waiting for its first sync: one upsert, no target yet. */
  g_assert_cmpuint (detail->deliveries->len, ==, 1);
  d = detail->deliveries->pdata[0];
  g_assert_null (d->target);
  g_assert_cmpint (d->state, ==, TP_DELIVERY_PENDING);
  g_clear_pointer (&detail, tp_lead_detail_free);

  record = tp_store_get_lead (f->store, id, &error);
  g_assert_no_error (error);
  redemption = tp_store_redeem (f->store, f->event, record->coupon_code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tp_store_outbox_add_target (f->store, "hubspot", FALSE, &error));
  g_assert_true (tp_store_outbox_add_target (f->store, "webhook", FALSE, &error));
  g_assert_cmpint (sqlite3_exec (tp_store_get_db (f->store),
                                 "UPDATE outbox_delivery SET state = 'synced', remote_id = 'hs-42' WHERE target = 'hubspot';"
                                 "UPDATE outbox_delivery SET state = 'rejected', last_error = 'email refused' "
                                 "WHERE target = 'webhook';", NULL, NULL, NULL), ==, SQLITE_OK);
  detail = tp_store_get_lead_detail (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (detail->redeemed_at);
  g_assert_cmpstr (detail->redeemed_by, ==, tp_store_get_kiosk_id (f->store));
  g_assert_cmpuint (detail->deliveries->len, ==, 2);
  d = detail->deliveries->pdata[0];
  g_assert_cmpstr (d->target, ==, "hubspot");
  g_assert_cmpint (d->state, ==, TP_DELIVERY_SYNCED);
  g_assert_cmpstr (d->remote_id, ==, "hs-42");
  d = detail->deliveries->pdata[1];
  g_assert_cmpstr (d->target, ==, "webhook");
  g_assert_cmpint (d->state, ==, TP_DELIVERY_REJECTED);
  g_assert_cmpstr (d->last_error, ==, "email refused");

  g_clear_pointer (&detail, tp_lead_detail_free);
  detail = tp_store_get_lead_detail (f->store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND);
  g_assert_null (detail);
}

static void
changed_cb (TpStoreWatcher *watcher,
            guint          *count)
{
  (*count)++;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_watcher (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TpStoreWatcher) watcher = tp_store_watcher_new (f->store, 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) other = tp_store_new (f->dir, &error);
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) c = NULL;
  guint changes = 0;
  gint64 start;

  g_assert_no_error (error);
  g_signal_connect (watcher, "changed", G_CALLBACK (changed_cb), &changes);
  spin_for (200);
  g_assert_cmpuint (changes, ==, 0);

  /* Another connection commits a lead: noticed well within a second. */
  c = tp_store_capture (other, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  while (changes == 0 && g_get_monotonic_time () - start < G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 1);
  spin_for (200);
  g_assert_cmpuint (changes, ==, 1);

  /* This connection's own commit too. */
  g_free (capture (f, "A", "a@example.com", "010-1111-1111", NULL, "tasting", FALSE));
  tp_store_watcher_check (watcher);
  spin_for (200);
  g_assert_cmpuint (changes, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/touchpoint/search/" path, Fixture, NULL, tp_store_fixture_set_up, func, \
                                    tp_store_fixture_tear_down)
  g_test_add_func ("/touchpoint/search/parse", test_parse);
  g_test_add_func ("/touchpoint/search/document", test_document);
  g_test_add_func ("/touchpoint/search/migration", test_migration);
  ADD ("table", test_table);
  ADD ("filters", test_filters);
  ADD ("sort", test_sort);
  ADD ("pages", test_pages);
  ADD ("data-version", test_data_version);
  ADD ("erase", test_erase);
  ADD ("rebuild-forgets", test_rebuild_forgets);
  ADD ("async", test_async);
  g_test_add ("/touchpoint/store/lead-detail", Fixture, NULL, tp_store_fixture_set_up, test_lead_detail,
              tp_store_fixture_tear_down);
  g_test_add ("/touchpoint/store/watcher", Fixture, NULL, tp_store_fixture_set_up, test_watcher,
              tp_store_fixture_tear_down);
#undef ADD
  return g_test_run ();
}
