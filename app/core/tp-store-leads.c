/* tp-store-leads.c: reading stored leads back: one, all, or a range, with everything that belongs to each. */
#define G_LOG_DOMAIN "tp-store-leads"

#include "tp-store-leads.h"
#include "tp-store-private.h"

#include <string.h>

void
tp_consent_record_free (TpConsentRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->purpose);
  g_free (r->version);
  g_free (r->text_sha256);
  g_free (r->locale);
  g_free (r->recorded_at);
  g_free (r);
}

void
tp_lead_record_free (TpLeadRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->lead_id);
  g_free (record->event_id);
  g_free (record->kiosk_id);
  g_free (record->locale);
  g_free (record->captured_at);
  g_free (record->offer);
  g_free (record->erased_at);
  g_clear_pointer (&record->fields, g_hash_table_unref);
  g_clear_pointer (&record->consents, g_hash_table_unref);
  g_clear_pointer (&record->answers, g_hash_table_unref);
  g_strfreev (record->tags);
  g_free (record->coupon_code);
  g_free (record->coupon_expires_at);
  g_free (record);
}

#define LEAD_COLUMNS "l.id, l.uuid, l.event_id, l.kiosk_id, l.seq, l.locale, l.captured_at, l.offer_id, " \
                     "l.erased_at, c.code, c.expires_at FROM leads l LEFT JOIN coupons c ON c.lead_id = l.id"

static TpLeadRecord *
record_from_row (sqlite3_stmt *stmt)
{
  TpLeadRecord *r = g_new0 (TpLeadRecord, 1);

  r->rowid = sqlite3_column_int64 (stmt, 0);
  r->lead_id = tp_store_column_dup (stmt, 1);
  r->event_id = tp_store_column_dup (stmt, 2);
  r->kiosk_id = tp_store_column_dup (stmt, 3);
  r->seq = sqlite3_column_int64 (stmt, 4);
  r->locale = tp_store_column_dup (stmt, 5);
  r->captured_at = tp_store_column_dup (stmt, 6);
  r->offer = tp_store_column_dup (stmt, 7);
  r->erased_at = tp_store_column_dup (stmt, 8);
  r->coupon_code = tp_store_column_dup (stmt, 9);
  r->coupon_expires_at = tp_store_column_dup (stmt, 10);
  r->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->consents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tp_consent_record_free);
  r->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tp_answer_free);
  return r;
}

/* The related rows of every lead are read by cursors ordered by lead id, merged with the
 * leads as they go: one pass over each table, however many leads. */
typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;
  gboolean      cached;   /* Owned by the store's cache: reset, not finalized. */
} Cursor;

static gboolean
cursor_open (TpStore     *self,
             Cursor      *cursor,
             const char  *sql,
             gint64       first,
             gint64       last,
             GError     **error)
{
  int rc;

  /* Preparing costs more than reading a batch of leads: the outermost read uses the cache;
   * a read nested in another's callback gets statements of its own. */
  if (tp_store_get_read_depth (self) == 1)
    {
      cursor->stmt = tp_store_prepare (self, sql, error);
      if (cursor->stmt == NULL)
        return FALSE;
      cursor->cached = TRUE;
    }
  else if ((rc = sqlite3_prepare_v2 (tp_store_get_db (self), sql, -1, &cursor->stmt, NULL)) != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Reading leads");
      return FALSE;
    }
  sqlite3_bind_int64 (cursor->stmt, 1, first);
  sqlite3_bind_int64 (cursor->stmt, 2, last);
  cursor->rc = sqlite3_step (cursor->stmt);
  return TRUE;
}

/* Skips rows of leads before lead and says whether the current row belongs to lead. */
static gboolean
cursor_at (Cursor *cursor,
           gint64  lead)
{
  while (cursor->rc == SQLITE_ROW && sqlite3_column_int64 (cursor->stmt, 0) < lead)
    cursor->rc = sqlite3_step (cursor->stmt);
  return cursor->rc == SQLITE_ROW && sqlite3_column_int64 (cursor->stmt, 0) == lead;
}

/* Answers are stored as JSON. Most are a whole number or a string without escapes: those are
 * read here directly (a sync reads hundreds per batch); anything else goes to the parser. */
static TpAnswer *
answer_from_stored (const char *text,
                    JsonParser *parser)
{
  gsize len = text ? strlen (text) : 0;
  JsonNode *node;

  if (len > 0 && (g_ascii_isdigit (text[0]) || (text[0] == '-' && len > 1)) && len < 18)
    {
      char *end = NULL;
      gint64 n = g_ascii_strtoll (text, &end, 10);

      if (end && *end == '\0')
        return tp_answer_new_number (n);
    }
  if (len >= 2 && text[0] == '"' && text[len - 1] == '"' && memchr (text + 1, '\\', len - 2) == NULL &&
      memchr (text + 1, '"', len - 2) == NULL)
    {
      g_autofree char *plain = g_strndup (text + 1, len - 2);

      return tp_answer_new_string (plain);
    }
  node = text && json_parser_load_from_data (parser, text, -1, NULL) ? json_parser_get_root (parser) : NULL;
  return node ? tp_answer_new_from_json (node, NULL) : NULL;
}

static void
fill_record (TpLeadRecord *r,
             JsonParser   *parser,
             Cursor       *pii,
             Cursor       *consents,
             Cursor       *answers,
             Cursor       *tags)
{
  g_autoptr(GPtrArray) tag_list = g_ptr_array_new ();

  for (; cursor_at (pii, r->rowid); pii->rc = sqlite3_step (pii->stmt))
    g_hash_table_insert (r->fields, tp_store_column_dup (pii->stmt, 1), tp_store_column_dup (pii->stmt, 2));

  /* Ordered by id: the latest decision per purpose wins. */
  for (; cursor_at (consents, r->rowid); consents->rc = sqlite3_step (consents->stmt))
    {
      TpConsentRecord *c = g_new0 (TpConsentRecord, 1);

      c->purpose = tp_store_column_dup (consents->stmt, 1);
      c->granted = sqlite3_column_int (consents->stmt, 2);
      c->version = tp_store_column_dup (consents->stmt, 3);
      c->text_sha256 = tp_store_column_dup (consents->stmt, 4);
      c->locale = tp_store_column_dup (consents->stmt, 5);
      c->recorded_at = tp_store_column_dup (consents->stmt, 6);
      g_hash_table_insert (r->consents, g_strdup (c->purpose), c);
    }

  for (; cursor_at (answers, r->rowid); answers->rc = sqlite3_step (answers->stmt))
    {
      /* One parser for every answer: making one per answer costs more than the parsing. */
      TpAnswer *a = answer_from_stored ((const char *) sqlite3_column_text (answers->stmt, 2), parser);

      if (a)
        g_hash_table_insert (r->answers, tp_store_column_dup (answers->stmt, 1), a);
    }

  for (; cursor_at (tags, r->rowid); tags->rc = sqlite3_step (tags->stmt))
    g_ptr_array_add (tag_list, tp_store_column_dup (tags->stmt, 1));
  g_ptr_array_add (tag_list, NULL);
  r->tags = (char **) g_ptr_array_steal (tag_list, NULL);
}

static gboolean
read_leads (TpStore     *self,
            gint64       first,
            gint64       last,
            TpLeadFunc   func,
            gpointer     user_data,
            GError     **error)
{
  /* Leads whose row id is in [?1, ?2]: one, a range, or all of them. */
  Cursor leads = { 0 }, pii = { 0 }, consents = { 0 }, answers = { 0 }, tags = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gboolean ok = FALSE;

  tp_store_push_read (self);
  if (!cursor_open (self, &leads, "SELECT " LEAD_COLUMNS " WHERE l.id BETWEEN ?1 AND ?2 ORDER BY l.id",
                    first, last, error) ||
      !cursor_open (self, &pii, "SELECT lead_id, field_id, value FROM lead_pii "
                                "WHERE lead_id BETWEEN ?1 AND ?2 ORDER BY lead_id", first, last, error) ||
      !cursor_open (self, &consents, "SELECT lead_id, purpose, granted, version, text_sha256, locale, "
                                     "recorded_at FROM consents WHERE lead_id BETWEEN ?1 AND ?2 "
                                     "ORDER BY lead_id, id", first, last, error) ||
      !cursor_open (self, &answers, "SELECT lead_id, question_id, value FROM answers "
                                    "WHERE lead_id BETWEEN ?1 AND ?2 ORDER BY lead_id", first, last, error) ||
      !cursor_open (self, &tags, "SELECT lead_id, tag FROM tags WHERE lead_id BETWEEN ?1 AND ?2 "
                                 "ORDER BY lead_id, tag", first, last, error))
    goto out;

  for (; leads.rc == SQLITE_ROW; leads.rc = sqlite3_step (leads.stmt))
    {
      g_autoptr(TpLeadRecord) r = record_from_row (leads.stmt);
      gboolean go_on;

      fill_record (r, parser, &pii, &consents, &answers, &tags);
      go_on = func (r, user_data);
      if (!go_on)
        {
          ok = TRUE;
          goto out;
        }
    }
  {
    Cursor *all[] = { &leads, &pii, &consents, &answers, &tags };

    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      if (all[i]->rc != SQLITE_DONE && all[i]->rc != SQLITE_ROW)
        {
          tp_store_set_error (self, error, all[i]->rc, "Reading leads");
          goto out;
        }
  }
  ok = TRUE;

out:
  {
    Cursor *all[] = { &leads, &pii, &consents, &answers, &tags };

    for (guint i = 0; i < G_N_ELEMENTS (all); i++)
      if (all[i]->cached)
        sqlite3_reset (all[i]->stmt);
      else
        sqlite3_finalize (all[i]->stmt);
  }
  tp_store_pop_read (self);
  return ok;
}

gboolean
tp_store_foreach_lead (TpStore     *self,
                       TpLeadFunc   func,
                       gpointer     user_data,
                       GError     **error)
{
  TP_STORE_LOCKED (self);

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  return read_leads (self, 0, G_MAXINT64, func, user_data, error);
}

gboolean
tp_store_read_leads_range (TpStore     *self,
                           gint64       first,
                           gint64       last,
                           TpLeadFunc   func,
                           gpointer     user_data,
                           GError     **error)
{
  TP_STORE_LOCKED (self);

  return read_leads (self, first, last, func, user_data, error);
}

static gboolean
keep_first (TpLeadRecord *record,
            gpointer      user_data)
{
  TpLeadRecord **out = user_data;
  TpLeadRecord *copy = g_new0 (TpLeadRecord, 1);

  /* Move the contents: the caller's record is freed after this returns. */
  *copy = *record;
  memset (record, 0, sizeof *record);
  *out = copy;
  return FALSE;
}

TpLeadRecord *
tp_store_get_lead (TpStore     *self,
                   const char  *lead_id,
                   GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt;
  gint64 rowid = 0;
  TpLeadRecord *record = NULL;

  stmt = tp_store_prepare (self, "SELECT id FROM leads WHERE uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rowid == 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "No lead has the id %s", lead_id);
      return NULL;
    }
  if (!read_leads (self, rowid, rowid, keep_first, &record, error))
    {
      tp_lead_record_free (record);
      return NULL;
    }
  return record;
}

gint64
tp_store_count (TpStore     *self,
                const char  *sql,
                GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, sql, error);
  gint64 n = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    tp_store_set_error (self, error, rc, "Counting");
  sqlite3_reset (stmt);
  return n;
}

gint64
tp_store_count_leads (TpStore  *self,
                      GError  **error)
{
  TP_STORE_LOCKED (self);

  return tp_store_count (self, "SELECT count(*) FROM leads", error);
}

char **
tp_store_list_used_ids (TpStore     *self,
                        const char  *kind,
                        GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  const char *sql;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  if (g_str_equal (kind, "fields"))
    sql = "SELECT DISTINCT field_id FROM lead_pii ORDER BY 1";
  else if (g_str_equal (kind, "consents"))
    sql = "SELECT DISTINCT purpose FROM consents ORDER BY 1";
  else if (g_str_equal (kind, "answers"))
    sql = "SELECT DISTINCT question_id FROM answers ORDER BY 1";
  else
    g_return_val_if_reached (NULL);

  stmt = tp_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (ids, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Listing the stored ids");
      return NULL;
    }
  return g_strv_builder_end (ids);
}
