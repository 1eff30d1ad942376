/* tp-store-outbox.c: outbox delivery per CRM target (claims, results) on the store. */
#define G_LOG_DOMAIN "tp-store-outbox"

#include "tp-store-outbox.h"
#include "tp-store-private.h"

#include <string.h>

static const char * const state_names[TP_DELIVERY_N_STATES] = {
  "pending", "in_flight", "synced", "retry", "rejected",
};

const char *
tp_delivery_state_to_string (TpDeliveryState state)
{
  g_return_val_if_fail (state < TP_DELIVERY_N_STATES, NULL);
  return state_names[state];
}

char *
tp_store_format_ms (gint64 ms)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) time = g_date_time_add (base, (ms % 1000) * 1000);

  return tp_store_timestamp (time);
}

gint64
tp_store_parse_ms (const char *timestamp)
{
  g_autoptr(GDateTime) time = timestamp ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;

  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

static void
outbox_item_free (TpOutboxItem *item)
{
  g_free (item->lead_id);
  g_free (item->remote_id);
  tp_lead_record_free (item->record);
  g_free (item);
}

void
tp_outbox_batch_free (TpOutboxBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->target);
  g_free (batch->key);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_free (batch);
}

gboolean
tp_store_outbox_add_target (TpStore     *self,
                            const char  *target,
                            gboolean     in_transaction,
                            GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autofree char *now = tp_store_format_ms (g_get_real_time () / 1000);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);

  /* Usually already known: a cheap read spares a write transaction on every run. */
  stmt = tp_store_prepare (self, "SELECT 1 FROM sync_targets WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  if (!in_transaction && !tp_store_begin (self, "Adding a sync target", error))
    return FALSE;
  stmt = tp_store_prepare (self, "INSERT OR IGNORE INTO sync_targets (name, added_at) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Adding a sync target", error))
    goto fail;
  stmt = tp_store_prepare (self, "INSERT OR IGNORE INTO outbox_delivery (outbox_id, target, state, updated_at) "
                                 "SELECT id, ?1, 'pending', ?2 FROM outbox", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Adding a sync target", error))
    goto fail;
  return in_transaction || tp_store_commit (self, "Adding a sync target", error);

fail:
  if (!in_transaction)
    tp_store_rollback (self);
  return FALSE;
}

gboolean
tp_store_outbox_begin (TpStore  *self,
                       GError  **error)
{
  return tp_store_begin (self, "Recording sync results", error);
}

gboolean
tp_store_outbox_commit (TpStore  *self,
                        GError  **error)
{
  return tp_store_commit (self, "Recording sync results", error);
}

void
tp_store_outbox_rollback (TpStore *self)
{
  tp_store_rollback (self);
}

/* ---- Claiming --------------------------------------------------------------------------- */

#define ITEM_COLUMNS \
  "d.outbox_id, o.kind, l.id, l.uuid, l.erased_at, d.attempts " \
  "FROM outbox_delivery d JOIN outbox o ON o.id = d.outbox_id JOIN leads l ON l.id = o.lead_id "

typedef struct
{
  TpOutboxItem *item;
  gint64        lead_rowid;
  gboolean      erased;
} Candidate;

static Candidate
candidate_from_row (sqlite3_stmt *stmt)
{
  Candidate c;

  c.item = g_new0 (TpOutboxItem, 1);
  c.item->outbox_id = sqlite3_column_int64 (stmt, 0);
  c.item->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "delete") == 0
                 ? TP_OUTBOX_DELETE : TP_OUTBOX_UPSERT;
  c.lead_rowid = sqlite3_column_int64 (stmt, 2);
  c.item->lead_id = tp_store_column_dup (stmt, 3);
  c.erased = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
  c.item->attempts = sqlite3_column_int (stmt, 5) + 1;
  return c;
}

/* Reads up to limit candidates from a statement already bound. */
static gboolean
read_candidates (TpStore      *self,
                 sqlite3_stmt *stmt,
                 GArray       *out,
                 GError      **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate c = candidate_from_row (stmt);
      g_array_append_val (out, c);
    }
  return tp_store_end_rows (self, stmt, rc, "Reading the outbox", error);
}

static gint
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  return ca->item->outbox_id < cb->item->outbox_id ? -1 : ca->item->outbox_id > cb->item->outbox_id;
}

typedef struct
{
  TpStore    *store;
  GHashTable *by_rowid;   /* lead row id → GPtrArray of TpOutboxItem (not owned) */
  GError     *error;
} RecordFill;

static gboolean
fill_record_cb (TpLeadRecord *record,
                gpointer      user_data)
{
  RecordFill *fill = user_data;
  GPtrArray *items = g_hash_table_lookup (fill->by_rowid, &record->rowid);

  if (items == NULL)
    return TRUE;
  /* Several rows of one lead in a batch are rare: the others read their own copy. */
  for (guint i = 0; i + 1 < items->len; i++)
    {
      TpOutboxItem *item = items->pdata[i];

      item->record = tp_store_get_lead (fill->store, record->lead_id, &fill->error);
      if (item->record == NULL)
        return FALSE;
    }
  {
    TpOutboxItem *last = items->pdata[items->len - 1];

    last->record = g_new0 (TpLeadRecord, 1);
    *last->record = *record;
    memset (record, 0, sizeof *record);
  }
  return TRUE;
}

/* Loads the lead records of a batch's upserts: one pass over a range when the leads are close
 * together (the usual case), one read per lead otherwise. */
static gboolean
load_records (TpStore   *self,
              GArray    *chosen,
              GError   **error)
{
  g_autoptr(GHashTable) by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  RecordFill fill = { self, by_rowid, NULL };
  gint64 lo = G_MAXINT64, hi = 0;
  guint n = 0;

  for (guint i = 0; i < chosen->len; i++)
    {
      Candidate *c = &g_array_index (chosen, Candidate, i);
      GPtrArray *items;

      if (c->item->kind != TP_OUTBOX_UPSERT)
        continue;
      items = g_hash_table_lookup (by_rowid, &c->lead_rowid);
      if (items == NULL)
        {
          items = g_ptr_array_new ();
          g_hash_table_insert (by_rowid, &c->lead_rowid, items);
        }
      g_ptr_array_add (items, c->item);
      lo = MIN (lo, c->lead_rowid);
      hi = MAX (hi, c->lead_rowid);
      n++;
    }
  if (n == 0)
    return TRUE;
  if (hi - lo < 4 * (gint64) n + 16)
    {
      if (!tp_store_read_leads_range (self, lo, hi, fill_record_cb, &fill, error))
        return FALSE;
    }
  else
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, by_rowid);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!tp_store_read_leads_range (self, *(gint64 *) key, *(gint64 *) key, fill_record_cb, &fill, error))
          return FALSE;
    }
  if (fill.error)
    {
      g_propagate_error (error, fill.error);
      return FALSE;
    }
  return TRUE;
}

/* A deletion names the record by the CRM's id when this lead's upsert reported one. */
static gboolean
load_remote_ids (TpStore     *self,
                 const char  *target,
                 GArray      *chosen,
                 GError     **error)
{
  for (guint i = 0; i < chosen->len; i++)
    {
      Candidate *c = &g_array_index (chosen, Candidate, i);
      sqlite3_stmt *stmt;
      int rc;

      if (c->item->kind != TP_OUTBOX_DELETE)
        continue;
      stmt = tp_store_prepare (self, "SELECT d.remote_id FROM outbox o JOIN outbox_delivery d ON d.outbox_id = o.id "
                                     "WHERE o.lead_id = ?1 AND o.kind = 'upsert' AND d.target = ?2 "
                                     "AND d.remote_id IS NOT NULL ORDER BY o.id DESC LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, c->lead_rowid);
      sqlite3_bind_text (stmt, 2, target, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        c->item->remote_id = tp_store_column_dup (stmt, 0);
      else if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
        return FALSE;
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* A key that the same rows at the same attempt always get, so that a preview shows the key a
 * real run will send; a later attempt of the same rows gets a new one. */
static char *
derive_key (TpStore    *self,
            const char *target,
            GArray     *chosen)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *hex = NULL;

  g_checksum_update (sum, (const guchar *) tp_store_get_kiosk_id (self), -1);
  g_checksum_update (sum, (const guchar *) "|", 1);
  g_checksum_update (sum, (const guchar *) target, -1);
  for (guint i = 0; i < chosen->len; i++)
    {
      Candidate *c = &g_array_index (chosen, Candidate, i);
      g_autofree char *part = g_strdup_printf ("|%" G_GINT64_FORMAT ":%d", c->item->outbox_id, c->item->attempts);

      g_checksum_update (sum, (const guchar *) part, -1);
    }
  hex = g_strdup (g_checksum_get_string (sum));
  hex[32] = '\0';
  return g_strdup_printf ("tp-%s", hex);
}

static gboolean
mark (TpStore     *self,
      const char  *target,
      gint64       outbox_id,
      const char  *state,
      const char  *key,
      const char  *message,
      const char  *now,
      gboolean     count_attempt,
      GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET state = ?1, idempotency_key = ?2, "
                                               "last_error = coalesce (?3, last_error), updated_at = ?4, "
                                               "attempts = attempts + ?5, next_attempt_at = NULL "
                                               "WHERE outbox_id = ?6 AND target = ?7", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, count_attempt ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, outbox_id);
  sqlite3_bind_text (stmt, 7, target, -1, SQLITE_TRANSIENT);
  return tp_store_step_done (self, stmt, "Claiming outbox rows", error);
}

/* One statement for the whole batch: a hundred single-row updates cost twice as much. */
static gboolean
mark_in_flight (TpStore     *self,
                const char  *target,
                GArray      *chosen,
                const char  *key,
                const char  *now,
                GError     **error)
{
  g_autoptr(GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < chosen->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (chosen, Candidate, i).item->outbox_id);
  g_string_append_c (ids, ']');
  stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET state = 'in_flight', idempotency_key = ?1, updated_at = ?2, "
                                 "attempts = attempts + 1, next_attempt_at = NULL "
                                 "WHERE target = ?3 AND outbox_id IN (SELECT value FROM json_each (?4))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, ids->str, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Claiming outbox rows", error))
    return FALSE;
  if (sqlite3_changes (tp_store_get_db (self)) != (int) chosen->len)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                   "Claiming outbox rows failed in %s: %d of %u rows changed", tp_store_get_path (self),
                   sqlite3_changes (tp_store_get_db (self)), chosen->len);
      return FALSE;
    }
  return TRUE;
}

static void
clear_candidates (GArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);
      if (c->item)
        outbox_item_free (c->item);
    }
  g_array_set_size (candidates, 0);
}

/* Finds the batch to send next; fills chosen and says whether it is a resend under *key. */
static gboolean
choose (TpStore     *self,
        const char  *target,
        guint        max_upserts,
        guint        max_deletes,
        const char  *now,
        GArray      *chosen,
        char       **key,
        GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* 1. A batch that may have reached the CRM goes again, whole, under its key. */
  stmt = tp_store_prepare (self, "SELECT idempotency_key FROM outbox_delivery WHERE target = ?1 "
                                 "AND state = 'retry' AND idempotency_key IS NOT NULL "
                                 "AND next_attempt_at <= ?2 ORDER BY outbox_id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *key = tp_store_column_dup (stmt, 0);
  else if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
    return FALSE;
  sqlite3_reset (stmt);
  if (*key)
    {
      stmt = tp_store_prepare (self, "SELECT " ITEM_COLUMNS "WHERE d.target = ?1 AND d.idempotency_key = ?2 "
                                     "AND d.state = 'retry' ORDER BY d.outbox_id", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, *key, -1, SQLITE_TRANSIENT);
      return read_candidates (self, stmt, chosen, error);
    }

  /* 2. New work: the oldest row's kind decides the batch's kind. */
  {
    const char *kind = NULL;
    g_autofree char *first_kind = NULL;
    g_autoptr(GArray) retry = g_array_new (FALSE, TRUE, sizeof (Candidate));
    guint max;

    stmt = tp_store_prepare (self, "SELECT o.kind, d.outbox_id FROM outbox_delivery d JOIN outbox o ON o.id = d.outbox_id "
                                   "WHERE d.target = ?1 AND d.state = 'pending' ORDER BY d.outbox_id LIMIT 1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
    {
      gint64 first_id = G_MAXINT64;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          first_kind = tp_store_column_dup (stmt, 0);
          first_id = sqlite3_column_int64 (stmt, 1);
        }
      else if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
        return FALSE;
      sqlite3_reset (stmt);

      stmt = tp_store_prepare (self, "SELECT o.kind FROM outbox_delivery d JOIN outbox o ON o.id = d.outbox_id "
                                     "WHERE d.target = ?1 AND d.state = 'retry' AND d.idempotency_key IS NULL "
                                     "AND d.next_attempt_at <= ?2 AND d.outbox_id < ?3 ORDER BY d.outbox_id LIMIT 1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, first_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_free (first_kind);
          first_kind = tp_store_column_dup (stmt, 0);
        }
      else if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
        return FALSE;
      sqlite3_reset (stmt);
    }
    if (first_kind == NULL)
      return TRUE;
    kind = g_str_equal (first_kind, "delete") ? "delete" : "upsert";
    max = g_str_equal (kind, "delete") ? max_deletes : max_upserts;

    /* Two ordered index walks, merged here: an OR in one query would sort every pending row. */
    stmt = tp_store_prepare (self, "SELECT " ITEM_COLUMNS "WHERE d.target = ?1 AND d.state = 'pending' "
                                   "AND o.kind = ?2 ORDER BY d.outbox_id LIMIT ?3", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 3, max);
    if (!read_candidates (self, stmt, chosen, error))
      return FALSE;
    stmt = tp_store_prepare (self, "SELECT " ITEM_COLUMNS "WHERE d.target = ?1 AND d.state = 'retry' "
                                   "AND d.idempotency_key IS NULL AND d.next_attempt_at <= ?2 AND o.kind = ?3 "
                                   "ORDER BY d.outbox_id LIMIT ?4", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 4, max);
    if (!read_candidates (self, stmt, retry, error))
      {
        clear_candidates (retry);
        return FALSE;
      }
    g_array_append_vals (chosen, retry->data, retry->len);
    g_array_set_size (retry, 0);
    g_array_sort (chosen, compare_candidates);
    for (guint i = max; i < chosen->len; i++)
      {
        outbox_item_free (g_array_index (chosen, Candidate, i).item);
        g_array_index (chosen, Candidate, i).item = NULL;
      }
    if (chosen->len > max)
      g_array_set_size (chosen, max);
  }
  return TRUE;
}

static TpOutboxBatch *
claim (TpStore     *self,
       const char  *target,
       guint        max_upserts,
       guint        max_deletes,
       gint64       now_ms,
       GError     **error)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(TpOutboxBatch) batch = NULL;
  g_autofree char *now = tp_store_format_ms (now_ms);
  g_autofree char *key = NULL;
  gboolean resend;

  for (;;)
    {
      gboolean dropped = FALSE;

      if (!choose (self, target, MAX (max_upserts, 1), MAX (max_deletes, 1), now, chosen, &key, error))
        {
          clear_candidates (chosen);
          return NULL;
        }
      if (chosen->len == 0)
        return NULL;

      /* An erased lead's data is gone: its upsert can never be sent (its deletion will be). */
      for (guint i = 0; i < chosen->len; i++)
        {
          Candidate *c = &g_array_index (chosen, Candidate, i);

          if (c->item->kind == TP_OUTBOX_UPSERT && c->erased)
            {
              if (!mark (self, target, c->item->outbox_id, "rejected", NULL, "erased before it was synced",
                         now, FALSE, error))
                {
                  clear_candidates (chosen);
                  return NULL;
                }
              outbox_item_free (c->item);
              g_array_remove_index (chosen, i--);
              dropped = TRUE;
            }
        }
      if (chosen->len > 0)
        break;
      if (!dropped)
        return NULL;
      g_clear_pointer (&key, g_free);
    }

  resend = key != NULL;
  if (key == NULL)
    key = derive_key (self, target, chosen);
  if (!mark_in_flight (self, target, chosen, key, now, error))
    {
      clear_candidates (chosen);
      return NULL;
    }
  if (!load_records (self, chosen, error) || !load_remote_ids (self, target, chosen, error))
    {
      clear_candidates (chosen);
      return NULL;
    }

  batch = g_new0 (TpOutboxBatch, 1);
  batch->target = g_strdup (target);
  batch->key = g_steal_pointer (&key);
  batch->resend = resend;
  batch->kind = g_array_index (chosen, Candidate, 0).item->kind;
  batch->items = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_item_free);
  for (guint i = 0; i < chosen->len; i++)
    {
      TpOutboxItem *item = g_array_index (chosen, Candidate, i).item;

      if (item->kind == TP_OUTBOX_UPSERT && item->record == NULL)
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                       "Claiming outbox rows failed in %s: lead %s has an outbox row but cannot be read",
                       tp_store_get_path (self), item->lead_id);
          clear_candidates (chosen);
          return NULL;
        }
      g_ptr_array_add (batch->items, item);
    }
  g_array_set_size (chosen, 0);
  return g_steal_pointer (&batch);
}

TpOutboxBatch *
tp_store_outbox_claim (TpStore     *self,
                       const char  *target,
                       guint        max_upserts,
                       guint        max_deletes,
                       gint64       now_ms,
                       gboolean     in_transaction,
                       GError     **error)
{
  TP_STORE_LOCKED (self);
  TpOutboxBatch *batch;
  GError *local_error = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (in_transaction)
    return claim (self, target, max_upserts, max_deletes, now_ms, error);

  if (!tp_store_begin (self, "Claiming outbox rows", error))
    return NULL;
  batch = claim (self, target, max_upserts, max_deletes, now_ms, &local_error);
  if (local_error)
    {
      tp_store_rollback (self);
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!tp_store_commit (self, "Claiming outbox rows", error))
    {
      tp_outbox_batch_free (batch);
      return NULL;
    }
  return batch;
}

gboolean
tp_store_outbox_recover (TpStore     *self,
                         const char  *target,
                         gint64       now_ms,
                         gboolean     in_transaction,
                         GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autofree char *now = tp_store_format_ms (now_ms);
  sqlite3_stmt *stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET state = 'retry', next_attempt_at = ?2, "
                                               "updated_at = ?2 WHERE target = ?1 AND state = 'in_flight'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Recovering the outbox", error))
    return FALSE;
  if (sqlite3_changes (tp_store_get_db (self)) > 0)
    g_debug ("%d rows were left in flight by a run that stopped: they go again", sqlite3_changes (tp_store_get_db (self)));
  return TRUE;
}

/* ---- Results ---------------------------------------------------------------------------- */

gboolean
tp_store_outbox_apply (TpStore              *self,
                       const char           *target,
                       const char           *key,
                       const TpOutboxResult *results,
                       guint                 n_results,
                       gint64                now_ms,
                       gboolean              in_transaction,
                       GError              **error)
{
  TP_STORE_LOCKED (self);
  g_autofree char *now = tp_store_format_ms (now_ms);

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);

  if (!in_transaction && !tp_store_begin (self, "Recording sync results", error))
    return FALSE;
  for (guint i = 0; i < n_results; i++)
    {
      const TpOutboxResult *r = &results[i];
      g_autofree char *retry_at = r->state == TP_DELIVERY_RETRY ? tp_store_format_ms (r->retry_at) : NULL;
      sqlite3_stmt *stmt;

      g_return_val_if_fail (r->state == TP_DELIVERY_SYNCED || r->state == TP_DELIVERY_RETRY ||
                            r->state == TP_DELIVERY_REJECTED, FALSE);
      stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET state = ?1, remote_id = coalesce (?2, remote_id), "
                                     "last_error = ?3, next_attempt_at = ?4, "
                                     "idempotency_key = CASE WHEN ?5 THEN idempotency_key ELSE NULL END, "
                                     "updated_at = ?6 WHERE outbox_id = ?7 AND target = ?8 "
                                     "AND state = 'in_flight' AND idempotency_key = ?9", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, state_names[r->state], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, r->remote_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, r->state == TP_DELIVERY_SYNCED ? NULL : r->message, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, retry_at, -1, SQLITE_TRANSIENT);
      /* Synced and rejected rows keep their key as a record of what was sent. */
      sqlite3_bind_int (stmt, 5, r->state != TP_DELIVERY_RETRY || r->keep_key);
      sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, r->outbox_id);
      sqlite3_bind_text (stmt, 8, target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 9, key, -1, SQLITE_TRANSIENT);
      if (!tp_store_step_done (self, stmt, "Recording sync results", error))
        goto fail;
    }
  return in_transaction || tp_store_commit (self, "Recording sync results", error);

fail:
  if (!in_transaction)
    tp_store_rollback (self);
  return FALSE;
}
