/* tp-store-search.c: finding leads: the search index's schema, queries built from a
 * TpLeadQuery, pages of matches, and rebuilding the index. */
#define G_LOG_DOMAIN "tp-store-search"

#include "tp-store-search.h"
#include "tp-search-text.h"
#include "tp-store-private.h"

#include <stdlib.h>
#include <string.h>

/* Schema 4. Each lead's personal fields make one document (tp_search_doc, tp-search-text.c),
 * kept by triggers on lead_pii in the transaction that changes them: capture, erasure and
 * anything later all keep it right, and a lead whose personal data is gone has no document.
 * Two FTS5 indexes read it: trigrams for terms of three characters or more, and every piece
 * of one or two characters (tp_short, detail=none: only which leads hold it) for shorter
 * ones, which trigrams cannot find ("하늘" in 김하늘). Existing leads are indexed here. */
const char tp_store_search_migration[] =
  "CREATE TABLE search_docs ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,"
  "  doc TEXT NOT NULL);"
  "CREATE VIRTUAL TABLE search_trigram USING fts5 (doc, content = 'search_docs', content_rowid = 'lead_id',"
  "  tokenize = 'trigram case_sensitive 1', columnsize = 0);"
  "CREATE VIRTUAL TABLE search_short USING fts5 (doc, content = 'search_docs', content_rowid = 'lead_id',"
  "  tokenize = 'tp_short', detail = 'none', columnsize = 0);"
  "CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN"
  "  INSERT INTO search_trigram (rowid, doc) VALUES (NEW.lead_id, NEW.doc);"
  "  INSERT INTO search_short (rowid, doc) VALUES (NEW.lead_id, NEW.doc);"
  "END;"
  "CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN"
  "  INSERT INTO search_trigram (search_trigram, rowid, doc) VALUES ('delete', OLD.lead_id, OLD.doc);"
  "  INSERT INTO search_short (search_short, rowid, doc) VALUES ('delete', OLD.lead_id, OLD.doc);"
  "END;"
  "CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN"
  "  INSERT INTO search_trigram (search_trigram, rowid, doc) VALUES ('delete', OLD.lead_id, OLD.doc);"
  "  INSERT INTO search_short (search_short, rowid, doc) VALUES ('delete', OLD.lead_id, OLD.doc);"
  "  INSERT INTO search_trigram (rowid, doc) VALUES (NEW.lead_id, NEW.doc);"
  "  INSERT INTO search_short (rowid, doc) VALUES (NEW.lead_id, NEW.doc);"
  "END;"
  "CREATE TRIGGER lead_pii_search_insert AFTER INSERT ON lead_pii BEGIN"
  "  INSERT INTO search_docs (lead_id, doc)"
  "  SELECT NEW.lead_id, tp_search_doc (field_id, value) FROM lead_pii WHERE lead_id = NEW.lead_id"
  "  ON CONFLICT (lead_id) DO UPDATE SET doc = excluded.doc;"
  "END;"
  "CREATE TRIGGER lead_pii_search_update AFTER UPDATE ON lead_pii BEGIN"
  "  UPDATE search_docs SET doc = (SELECT tp_search_doc (field_id, value) FROM lead_pii"
  "                                WHERE lead_id = NEW.lead_id) WHERE lead_id = NEW.lead_id;"
  "END;"
  "CREATE TRIGGER lead_pii_search_delete AFTER DELETE ON lead_pii BEGIN"
  "  DELETE FROM search_docs WHERE lead_id = OLD.lead_id;"
  "  INSERT INTO search_docs (lead_id, doc)"
  "  SELECT OLD.lead_id, tp_search_doc (field_id, value) FROM lead_pii WHERE lead_id = OLD.lead_id"
  "  GROUP BY lead_id;"
  "END;"
  /* Lists leave erased leads out: counting them must not read the whole table. */
  "CREATE INDEX leads_erased ON leads (id) WHERE erased_at IS NOT NULL;"
  "INSERT INTO search_docs (lead_id, doc)"
  "  SELECT lead_id, tp_search_doc (field_id, value) FROM lead_pii GROUP BY lead_id;";

/* ---- Values ----------------------------------------------------------------------------- */

static const char * const sync_names[] = { "pending", "synced", "rejected" };

const char *
tp_lead_sync_state_to_string (TpLeadSyncState state)
{
  g_return_val_if_fail (state >= 0 && state < (int) G_N_ELEMENTS (sync_names), NULL);
  return sync_names[state];
}

gboolean
tp_lead_sync_state_from_string (const char      *text,
                                TpLeadSyncState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (sync_names); i++)
    if (g_strcmp0 (text, sync_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

TpLeadQuery *
tp_lead_query_new (void)
{
  TpLeadQuery *query = g_new0 (TpLeadQuery, 1);

  query->sync = TP_LEAD_SYNC_ANY;
  query->sort = TP_LEAD_SORT_NEWEST;
  return query;
}

TpLeadQuery *
tp_lead_query_copy (const TpLeadQuery *query)
{
  TpLeadQuery *copy = g_new0 (TpLeadQuery, 1);

  *copy = *query;
  copy->text = g_strdup (query->text);
  copy->tag = g_strdup (query->tag);
  copy->offer = g_strdup (query->offer);
  copy->consent = g_strdup (query->consent);
  copy->rating = g_strdup (query->rating);
  return copy;
}

void
tp_lead_query_free (TpLeadQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_free (query->tag);
  g_free (query->offer);
  g_free (query->consent);
  g_free (query->rating);
  g_free (query);
}

gboolean
tp_lead_query_equal (const TpLeadQuery *a,
                     const TpLeadQuery *b)
{
  return g_strcmp0 (a->text, b->text) == 0 && g_strcmp0 (a->tag, b->tag) == 0 &&
         g_strcmp0 (a->offer, b->offer) == 0 && g_strcmp0 (a->consent, b->consent) == 0 &&
         (a->consent == NULL || !a->consent_granted == !b->consent_granted) &&
         a->sync == b->sync && g_strcmp0 (a->rating, b->rating) == 0 && a->sort == b->sort;
}

gboolean
tp_lead_query_has_filter (const TpLeadQuery *query)
{
  return query->tag || query->offer || query->consent || query->sync != TP_LEAD_SYNC_ANY || query->rating;
}

void
tp_lead_row_free (TpLeadRow *row)
{
  if (row == NULL)
    return;
  g_free (row->lead_id);
  g_free (row->captured_at);
  g_free (row->name);
  g_free (row->email);
  g_free (row->phone);
  g_free (row->company);
  g_strfreev (row->tags);
  g_free (row->offer);
  g_free (row->rating);
  g_free (row);
}

void
tp_lead_page_free (TpLeadPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_free (page);
}

/* ---- Building the SQL ------------------------------------------------------------------- */

typedef struct
{
  gboolean  is_text;
  char     *text;
  gint64    number;
} Bind;

static void
bind_clear (gpointer data)
{
  g_free (((Bind *) data)->text);
}

typedef struct
{
  GString *from;
  GString *where;
  GArray  *binds;        /* Bind, for the placeholders of from and where, in order. */
  GString *order;
  char    *key;          /* The row id column that leads the order. */
} Plan;

static void
plan_clear (Plan *plan)
{
  g_string_free (plan->from, TRUE);
  g_string_free (plan->where, TRUE);
  g_string_free (plan->order, TRUE);
  g_array_unref (plan->binds);
  g_free (plan->key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static void
add_text (Plan       *plan,
          const char *text)
{
  Bind b = { TRUE, g_strdup (text), 0 };

  g_array_append_val (plan->binds, b);
}

static void
add_number (Plan   *plan,
            gint64  number)
{
  Bind b = { FALSE, NULL, number };

  g_array_append_val (plan->binds, b);
}

static void
add_condition (Plan       *plan,
               const char *condition)
{
  g_string_append_printf (plan->where, " AND %s", condition);
}

#define NAME_OF(l) "(SELECT value FROM lead_pii WHERE lead_id = " l ".id AND field_id = 'name')"

/* 0 pending, 1 synced, 2 rejected: TpLeadSyncState. */
#define SYNC_STATE_OF(l) \
  "(SELECT CASE WHEN count (*) = 0 THEN 0 WHEN max (d.state = 'rejected') THEN 2 " \
  "WHEN min (d.state = 'synced') THEN 1 ELSE 0 END FROM outbox o " \
  "JOIN outbox_delivery d ON d.outbox_id = o.id WHERE o.lead_id = " l ".id AND o.kind = 'upsert')"

static gboolean
time_order (TpLeadSort sort)
{
  return sort == TP_LEAD_SORT_NEWEST || sort == TP_LEAD_SORT_OLDEST;
}

/* Where the rows come from and which of them match; counting leaves the order out. For a
 * search the index drives the loop (CROSS JOIN keeps it outside), so that newest first, the
 * first page of a common term is read without visiting every match. */
static void
plan_build (Plan              *plan,
            const TpLeadQuery *query,
            const TpLeadRange *range,
            gint64             newest,
            gboolean           counting)
{
  g_autofree char *trigram = NULL;
  g_autofree char *shorter = NULL;
  gboolean search = tp_search_parse (query->text, &trigram, &shorter);
  gboolean filtered = tp_lead_query_has_filter (query);

  plan->from = g_string_new (NULL);
  plan->where = g_string_new ("1");
  plan->order = g_string_new (NULL);
  plan->binds = g_array_new (FALSE, TRUE, sizeof (Bind));
  g_array_set_clear_func (plan->binds, bind_clear);

  if (search)
    {
      const char *index = trigram ? "search_trigram" : "search_short";

      /* A count without filters needs the index alone: erased leads have no document. */
      if (counting && !filtered)
        g_string_printf (plan->from, "%s s", index);
      else
        g_string_printf (plan->from, "%s s CROSS JOIN leads l ON l.id = s.rowid", index);
      g_string_append_printf (plan->where, " AND %s MATCH ?", index);
      add_text (plan, trigram ? trigram : shorter);
      if (trigram && shorter)
        {
          add_condition (plan, "s.rowid IN (SELECT rowid FROM search_short WHERE search_short MATCH ?)");
          add_text (plan, shorter);
        }
      plan->key = g_strdup ("s.rowid");
    }
  else
    {
      g_string_assign (plan->from, "leads l");
      plan->key = g_strdup ("l.id");
    }
  if (!search)
    add_condition (plan, "l.erased_at IS NULL");

  if (query->tag)
    {
      add_condition (plan, "EXISTS (SELECT 1 FROM tags t WHERE t.lead_id = l.id AND t.tag = ?)");
      add_text (plan, query->tag);
    }
  if (query->offer)
    {
      add_condition (plan, "l.offer_id = ?");
      add_text (plan, query->offer);
    }
  if (query->consent)
    {
      add_condition (plan, "coalesce ((SELECT c.granted FROM consents c WHERE c.lead_id = l.id AND c.purpose = ? "
                           "ORDER BY c.id DESC LIMIT 1), 0) = ?");
      add_text (plan, query->consent);
      add_number (plan, query->consent_granted ? 1 : 0);
    }
  if (query->sync != TP_LEAD_SYNC_ANY)
    {
      add_condition (plan, SYNC_STATE_OF ("l") " = ?");
      add_number (plan, query->sync);
    }
  /* Until qualification stores ratings, every lead is unrated. */
  if (query->rating)
    add_condition (plan, *query->rating == '\0' ? "1" : "0");

  /* The snapshot matters only when something newer was stored since. */
  if (range->snapshot > 0 && range->snapshot < newest)
    {
      g_string_append_printf (plan->where, " AND %s <= ?", plan->key);
      add_number (plan, range->snapshot);
    }
  if (range->newer_than > 0)
    {
      g_string_append_printf (plan->where, " AND %s > ?", plan->key);
      add_number (plan, range->newer_than);
    }
  if (counting)
    return;
  if (range->after > 0)
    {
      g_return_if_fail (time_order (query->sort));
      g_string_append_printf (plan->where, " AND %s %s ?", plan->key, query->sort == TP_LEAD_SORT_NEWEST ? "<" : ">");
      add_number (plan, range->after);
    }
  switch (query->sort)
    {
    case TP_LEAD_SORT_OLDEST:
      g_string_append_printf (plan->order, "%s ASC", plan->key);
      break;
    case TP_LEAD_SORT_NAME:
      g_string_assign (plan->order, NAME_OF ("l") " IS NULL, " NAME_OF ("l") ", l.id");
      break;
    case TP_LEAD_SORT_NAME_DESC:
      g_string_assign (plan->order, NAME_OF ("l") " IS NULL, " NAME_OF ("l") " DESC, l.id DESC");
      break;
    case TP_LEAD_SORT_NEWEST:
    default:
      g_string_append_printf (plan->order, "%s DESC", plan->key);
      break;
    }
}

static sqlite3_stmt *
prepare (TpStore     *self,
         const char  *sql,
         Plan        *plan,
         GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < plan->binds->len; i++)
    {
      const Bind *b = &g_array_index (plan->binds, Bind, i);

      if (b->is_text)
        sqlite3_bind_text (stmt, i + 1, b->text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, i + 1, b->number);
    }
  return stmt;
}

/* ---- Reading ---------------------------------------------------------------------------- */

static gboolean
read_number (TpStore     *self,
             const char  *sql,
             gint64      *out,
             GError     **error)
{
  *out = tp_store_count (self, sql, error);
  return *out >= 0;
}

static gint64
count_matches (TpStore            *self,
               const TpLeadQuery  *query,
               const TpLeadRange  *range,
               gint64              newest,
               gint64              erased,
               GError            **error)
{
  g_auto(Plan) plan = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  plan_build (&plan, query, range, newest, TRUE);
  /* Every lead: the table's own count, less the erased (a small index). */
  if (g_str_equal (plan.from->str, "leads l") && g_str_equal (plan.where->str, "1 AND l.erased_at IS NULL"))
    {
      gint64 all;

      if (!read_number (self, "SELECT count(*) FROM leads", &all, error))
        return -1;
      return all - erased;
    }
  sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", plan.from->str, plan.where->str);
  stmt = prepare (self, sql, &plan, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    tp_store_set_error (self, error, rc, "Counting leads");
  sqlite3_reset (stmt);
  return n;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Tags as group_concat joined them, sorted (its order is not promised). */
static char **
split_tags (const char *joined)
{
  char **tags;

  if (joined == NULL || *joined == '\0')
    return g_new0 (char *, 1);
  tags = g_strsplit (joined, TP_SEARCH_SEPARATOR, -1);
  qsort (tags, g_strv_length (tags), sizeof (char *), compare_strings);
  return tags;
}

static gboolean
read_rows (TpStore            *self,
           const TpLeadQuery  *query,
           const TpLeadRange  *range,
           gint64              newest,
           GPtrArray          *rows,
           GError            **error)
{
  g_auto(Plan) plan = { 0 };
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  plan_build (&plan, query, range, newest, FALSE);
  sql = g_strdup_printf ("SELECT l.id, l.uuid, l.seq, l.captured_at, l.offer_id, "
                         "(SELECT value FROM lead_pii WHERE lead_id = l.id AND field_id = 'name'), "
                         "(SELECT value FROM lead_pii WHERE lead_id = l.id AND field_id = 'email'), "
                         "(SELECT value FROM lead_pii WHERE lead_id = l.id AND field_id = 'phone'), "
                         "(SELECT value FROM lead_pii WHERE lead_id = l.id AND field_id = 'company'), "
                         "(SELECT group_concat (tag, char (31)) FROM tags WHERE lead_id = l.id), "
                         SYNC_STATE_OF ("l") " "
                         "FROM %s WHERE %s ORDER BY %s LIMIT ? OFFSET ?",
                         plan.from->str, plan.where->str, plan.order->str);
  add_number (&plan, range->limit);
  add_number (&plan, range->after > 0 ? 0 : range->offset);
  stmt = prepare (self, sql, &plan, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpLeadRow *row = g_new0 (TpLeadRow, 1);

      row->rowid = sqlite3_column_int64 (stmt, 0);
      row->lead_id = tp_store_column_dup (stmt, 1);
      row->seq = sqlite3_column_int64 (stmt, 2);
      row->captured_at = tp_store_column_dup (stmt, 3);
      row->offer = tp_store_column_dup (stmt, 4);
      row->name = tp_store_column_dup (stmt, 5);
      row->email = tp_store_column_dup (stmt, 6);
      row->phone = tp_store_column_dup (stmt, 7);
      row->company = tp_store_column_dup (stmt, 8);
      row->tags = split_tags ((const char *) sqlite3_column_text (stmt, 9));
      row->sync = CLAMP (sqlite3_column_int (stmt, 10), TP_LEAD_SYNC_PENDING, TP_LEAD_SYNC_REJECTED);
      g_ptr_array_add (rows, row);
    }
  return tp_store_end_rows (self, stmt, rc, "Reading leads", error);
}

static gboolean
read_state (TpStore     *self,
            TpLeadPage  *page,
            GError     **error)
{
  if (!read_number (self, "SELECT coalesce (max (id), 0) FROM leads", &page->newest, error) ||
      !read_number (self, "SELECT count(*) FROM leads WHERE erased_at IS NOT NULL", &page->erased, error))
    return FALSE;
  page->version = tp_store_get_data_version (self, error);
  return page->version >= 0;
}

static TpLeadPage *
find_leads (TpStore            *self,
            const TpLeadQuery  *query,
            const TpLeadRange  *range,
            GError            **error)
{
  g_autoptr(TpLeadPage) page = g_new0 (TpLeadPage, 1);

  page->total = -1;
  page->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_lead_row_free);
  page->version = tp_store_get_data_version (self, error);
  if (page->version < 0)
    return NULL;
  if (range->unless_version != 0 && range->unless_version == page->version)
    {
      page->unchanged = TRUE;
      return g_steal_pointer (&page);
    }
  if (!read_state (self, page, error))
    return NULL;
  if (range->count &&
      (page->total = count_matches (self, query, range, page->newest, page->erased, error)) < 0)
    return NULL;
  if (range->limit > 0 && !read_rows (self, query, range, page->newest, page->rows, error))
    return NULL;
  return g_steal_pointer (&page);
}

TpLeadPage *
tp_store_find_leads (TpStore            *self,
                     const TpLeadQuery  *query,
                     const TpLeadRange  *range,
                     GError            **error)
{
  TP_STORE_LOCKED (self);
  sqlite3 *db = tp_store_get_db (self);
  gboolean own_transaction = sqlite3_get_autocommit (db);
  TpLeadPage *page;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && range != NULL, NULL);
  g_return_val_if_fail (range->after == 0 || time_order (query->sort), NULL);

  /* One read transaction: the newest lead, the count and the rows are of one moment, even
   * while another process captures. */
  if (own_transaction && (rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Reading leads");
      return NULL;
    }
  page = find_leads (self, query, range, error);
  if (own_transaction)
    sqlite3_exec (db, page ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  return page;
}

typedef struct
{
  TpLeadQuery *query;
  TpLeadRange  range;
} FindJob;

static void
find_job_free (FindJob *job)
{
  tp_lead_query_free (job->query);
  g_free (job);
}

static void
find_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  FindJob *job = data;
  GError *error = NULL;
  TpLeadPage *page = tp_store_find_leads (source, job->query, &job->range, &error);

  if (page)
    g_task_return_pointer (task, page, (GDestroyNotify) tp_lead_page_free);
  else
    g_task_return_error (task, error);
}

void
tp_store_find_leads_async (TpStore             *self,
                           const TpLeadQuery   *query,
                           const TpLeadRange   *range,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindJob *job;

  g_return_if_fail (TP_IS_STORE (self));
  g_return_if_fail (query != NULL && range != NULL);

  job = g_new0 (FindJob, 1);
  job->query = tp_lead_query_copy (query);
  job->range = *range;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_store_find_leads_async);
  g_task_set_task_data (task, job, (GDestroyNotify) find_job_free);
  tp_store_run_task (self, task, find_thread);
}

TpLeadPage *
tp_store_find_leads_finish (TpStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_store_find_leads_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Rebuilding ------------------------------------------------------------------------- */

gboolean
tp_store_rebuild_search_index (TpStore  *self,
                               GError  **error)
{
  TP_STORE_LOCKED (self);
  static const char * const steps[] = {
    "DELETE FROM search_docs WHERE lead_id NOT IN (SELECT lead_id FROM lead_pii)",
    /* Only documents that differ are written again. */
    "INSERT INTO search_docs (lead_id, doc) "
    "SELECT lead_id, tp_search_doc (field_id, value) FROM lead_pii GROUP BY lead_id "
    "ON CONFLICT (lead_id) DO UPDATE SET doc = excluded.doc WHERE doc IS NOT excluded.doc",
    /* The indexes from nothing: what they held of deleted documents is gone (and zeroed). */
    "INSERT INTO search_trigram (search_trigram) VALUES ('rebuild')",
    "INSERT INTO search_short (search_short) VALUES ('rebuild')",
  };

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);

  if (!tp_store_begin (self, "Rebuilding the search index", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      int rc = sqlite3_exec (tp_store_get_db (self), steps[i], NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          tp_store_set_error (self, error, rc, "Rebuilding the search index");
          tp_store_rollback (self);
          return FALSE;
        }
    }
  return tp_store_commit (self, "Rebuilding the search index", error);
}

gboolean
tp_store_search_purge_deleted (TpStore  *self,
                               GError  **error)
{
  static const char * const steps[] = {
    "INSERT INTO search_trigram (search_trigram) VALUES ('optimize')",
    "INSERT INTO search_short (search_short) VALUES ('optimize')",
  };

  /* A deleted document's terms stay in FTS5's segments as delete markers until they are
   * merged: merging all of them now leaves no byte of erased data in the index. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      int rc = sqlite3_exec (tp_store_get_db (self), steps[i], NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        {
          tp_store_set_error (self, error, rc, "Clearing erased data from the search index");
          return FALSE;
        }
    }
  return TRUE;
}
