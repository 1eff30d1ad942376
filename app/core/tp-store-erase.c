/* tp-store-erase.c: erasing a lead on request: its personal data goes, a deletion is queued. */
#define G_LOG_DOMAIN "tp-store-erase"

#include "tp-store-erase.h"
#include "tp-store-outbox.h"
#include "tp-store-private.h"

static gboolean
erase (TpStore     *self,
       const char  *lead_id,
       GError     **error)
{
  g_autofree char *now = tp_store_format_ms (g_get_real_time () / 1000);
  static const char * const wipes[] = {
    "DELETE FROM lead_pii WHERE lead_id = ?1",
    "DELETE FROM answers WHERE lead_id = ?1",
    "DELETE FROM tags WHERE lead_id = ?1",
  };
  sqlite3_stmt *stmt;
  gint64 rowid = 0;
  gboolean erased = FALSE;
  int rc;

  stmt = tp_store_prepare (self, "SELECT id, erased_at IS NOT NULL FROM leads WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      rowid = sqlite3_column_int64 (stmt, 0);
      erased = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "No lead has the id %s", lead_id);
      else
        tp_store_set_error (self, error, rc, "Erasing a lead");
      return FALSE;
    }
  if (erased)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (wipes); i++)
    {
      stmt = tp_store_prepare (self, wipes[i], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!tp_store_step_done (self, stmt, "Erasing a lead", error))
        return FALSE;
    }
  stmt = tp_store_prepare (self, "UPDATE leads SET erased_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Erasing a lead", error))
    return FALSE;

  /* What has not reached a CRM yet never will; a send that is in flight may have, and the
   * deletion queued below, sent after it, takes care of that. */
  stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET state = 'rejected', "
                                 "last_error = 'erased before it was synced', next_attempt_at = NULL, updated_at = ?2 "
                                 "WHERE state IN ('pending', 'retry', 'in_flight') AND outbox_id IN "
                                 "(SELECT id FROM outbox WHERE lead_id = ?1 AND kind = 'upsert')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!tp_store_step_done (self, stmt, "Erasing a lead", error))
    return FALSE;

  /* The fan-out trigger gives the deletion a delivery row for every known target. */
  stmt = tp_store_prepare (self, "INSERT INTO outbox (lead_id, kind, created_at) VALUES (?1, 'delete', ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  return tp_store_step_done (self, stmt, "Erasing a lead", error);
}

gboolean
tp_store_erase_lead (TpStore     *self,
                     const char  *lead_id,
                     GError     **error)
{
  TP_STORE_LOCKED (self);

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);

  if (!tp_store_begin (self, "Erasing a lead", error))
    return FALSE;
  if (!erase (self, lead_id, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (!tp_store_commit (self, "Erasing a lead", error))
    return FALSE;
  g_debug ("Erased a lead and queued its deletion");
  return TRUE;
}
