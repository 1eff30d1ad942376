/* tp-store-erase.c: erasing a lead on request: its personal data goes, a deletion is queued. */
#define G_LOG_DOMAIN "tp-store-erase"

#include "tp-store-erase.h"
#include "tp-store-outbox.h"
#include "tp-audit.h"
#include "tp-field-format.h"
#include "tp-store-private.h"

gboolean
tp_store_erase_one (TpStore     *self,
                    const char  *lead_id,
                    gboolean     delete_from_crm,
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
  /* A CRM's error text may quote the lead's data ("hong@... already exists"): it goes too. */
  stmt = tp_store_prepare (self, "UPDATE outbox_delivery SET last_error = NULL WHERE outbox_id IN "
                                 "(SELECT id FROM outbox WHERE lead_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (!tp_store_step_done (self, stmt, "Erasing a lead", error))
    return FALSE;
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

  if (!delete_from_crm)
    return TRUE;
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
  if (!tp_store_erase_one (self, lead_id, TRUE, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (!tp_store_commit (self, "Erasing a lead", error))
    return FALSE;
  g_debug ("Erased a lead and queued its deletion");
  return TRUE;
}

char **
tp_store_find_person (TpStore      *self,
                      TpPersonKey   key,
                      const char   *value,
                      GError      **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autofree char *normal = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  switch (key)
    {
    case TP_PERSON_EMAIL:
      /* Stored with the domain in lower case; people type the rest in any case too. */
      {
        g_autofree char *trimmed = g_strstrip (g_strdup (value));

        normal = g_utf8_casefold (trimmed, -1);
      }
      stmt = tp_store_prepare (self, "SELECT DISTINCT l.uuid FROM lead_pii p JOIN leads l ON l.id = p.lead_id "
                                     "WHERE l.erased_at IS NULL AND lower (p.value) = ?1 ORDER BY l.id", error);
      break;
    case TP_PERSON_PHONE:
      normal = tp_phone_normalize (value);
      if (normal == NULL)
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND,
                       "\"%s\" is not a phone number (e.g. 010-1234-5678 or +82 10 1234 5678)", value);
          return NULL;
        }
      stmt = tp_store_prepare (self, "SELECT DISTINCT l.uuid FROM lead_pii p JOIN leads l ON l.id = p.lead_id "
                                     "WHERE l.erased_at IS NULL AND p.value = ?1 ORDER BY l.id", error);
      break;
    case TP_PERSON_LEAD:
    default:
      normal = g_ascii_strdown (value, -1);
      stmt = tp_store_prepare (self, "SELECT uuid FROM leads WHERE uuid = ?1", error);
      break;
    }
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, normal, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (found, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Looking for a person's leads");
      return NULL;
    }
  return g_strv_builder_end (found);
}

gboolean
tp_store_erase_leads (TpStore             *self,
                      const char * const  *lead_ids,
                      const char          *actor,
                      const char          *detail,
                      GError             **error)
{
  TP_STORE_LOCKED (self);
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL && actor != NULL, FALSE);

  if (!tp_store_begin (self, "Erasing leads", error))
    return FALSE;
  for (guint i = 0; lead_ids[i]; i++)
    if (!tp_store_erase_one (self, lead_ids[i], TRUE, error))
      {
        tp_store_rollback (self);
        return FALSE;
      }
  /* The record of the erasure commits with it, or neither happens. */
  if (!tp_store_search_purge_deleted (self, error) ||
      !tp_audit_append (self, actor, TP_AUDIT_ERASE, lead_ids, detail, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (!tp_store_commit (self, "Erasing leads", error))
    return FALSE;
  /* secure_delete zeroed the rows in the pages; the log still holds the pages as they were
   * until it is folded in and cut to nothing. */
  rc = sqlite3_wal_checkpoint_v2 (tp_store_get_db (self), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Clearing the erased data from the write-ahead log (another process "
                          "is reading the store: run the command again once it is done)");
      return FALSE;
    }
  return TRUE;
}
