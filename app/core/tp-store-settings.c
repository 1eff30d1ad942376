/* tp-store-settings.c: small kiosk settings kept in the store (the staff PIN's hash and lock, ...). */
#define G_LOG_DOMAIN "tp-store-settings"

#include "tp-store-settings.h"
#include "tp-store-private.h"

char *
tp_store_get_setting (TpStore     *self,
                      const char  *key,
                      GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT value FROM settings WHERE key = ?1", error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = tp_store_column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    tp_store_set_error (self, error, rc, "Reading a setting");
  sqlite3_reset (stmt);
  return value;
}

gboolean
tp_store_set_setting (TpStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt;

  if (value == NULL)
    stmt = tp_store_prepare (self, "DELETE FROM settings WHERE key = ?1", error);
  else
    stmt = tp_store_prepare (self, "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return tp_store_step_done (self, stmt, "Saving a setting", error);
}
