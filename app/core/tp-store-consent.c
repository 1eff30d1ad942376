/* tp-store-consent.c: withdrawing a consent: a new record, the CRM told, the access logged. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-consent.h"
#include "tp-audit.h"
#include "tp-store-private.h"

/* A withdrawal is not a notice shown on screen: its record says so instead of hashing one. */
#define WITHDRAWAL_VERSION "withdrawn"

static gboolean
withdraw (TpStore     *self,
          const char  *lead_id,
          const char  *purpose,
          const char  *now,
          gboolean    *changed,
          GError     **error)
{
  g_autofree char *locale = NULL;
  g_autofree char *empty_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "", 0);
  sqlite3_stmt *stmt;
  gint64 rowid;
  gboolean granted = FALSE, erased;
  int rc;

  *changed = FALSE;
  stmt = tp_store_prepare (self, "SELECT l.id, l.locale, l.erased_at IS NOT NULL, "
                                 "(SELECT granted FROM consents c WHERE c.lead_id = l.id AND c.purpose = ?2 "
                                 " ORDER BY c.id DESC LIMIT 1) FROM leads l WHERE l.uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, purpose, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "No lead has the id %s", lead_id);
      else
        tp_store_set_error (self, error, rc, "Withdrawing a consent");
      return FALSE;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  locale = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  erased = sqlite3_column_int (stmt, 2);
  granted = sqlite3_column_type (stmt, 3) != SQLITE_NULL && sqlite3_column_int (stmt, 3);
  sqlite3_reset (stmt);
  /* Nothing granted, nothing to withdraw; an erased lead's data is gone already. */
  if (!granted || erased)
    return TRUE;

  stmt = tp_store_prepare (self, "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, locale, "
                                 "recorded_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, purpose, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, WITHDRAWAL_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, empty_sha256, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, locale, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!tp_store_step_done (self, stmt, "Withdrawing a consent", error))
    return FALSE;

  /* The CRM learns it with the next sync: the lead goes out again, upserted, opt-out and all. */
  stmt = tp_store_prepare (self, "INSERT INTO outbox (lead_id, kind, created_at) VALUES (?1, 'upsert', ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  if (!tp_store_step_done (self, stmt, "Withdrawing a consent", error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

gboolean
tp_store_withdraw_consent (TpStore             *self,
                           const char * const  *lead_ids,
                           const char          *purpose,
                           const char          *actor,
                           guint               *changed,
                           GError             **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GDateTime) time = g_date_time_new_now_utc ();
  g_autofree char *now = tp_store_timestamp (time);
  g_autofree char *detail = g_strdup_printf ("purpose %s", purpose);
  guint count = 0;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL && purpose != NULL && actor != NULL, FALSE);

  if (!tp_store_begin (self, "Withdrawing a consent", error))
    return FALSE;
  for (guint i = 0; lead_ids[i]; i++)
    {
      gboolean one = FALSE;

      if (!withdraw (self, lead_ids[i], purpose, now, &one, error))
        {
          tp_store_rollback (self);
          return FALSE;
        }
      count += one;
    }
  if (!tp_audit_append (self, actor, TP_AUDIT_WITHDRAW, lead_ids, detail, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (!tp_store_commit (self, "Withdrawing a consent", error))
    return FALSE;
  if (changed)
    *changed = count;
  return TRUE;
}
