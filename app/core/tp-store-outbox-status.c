/* tp-store-outbox-status.c: reading the outbox's delivery states back, for sync and for people. */
#define G_LOG_DOMAIN "tp-store-outbox-status"

#include "tp-store-outbox-status.h"
#include "tp-store-private.h"

#include <string.h>

gboolean
tp_store_outbox_count (TpStore     *self,
                       const char  *target,
                       gint64       counts[TP_DELIVERY_N_STATES],
                       GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT state, count(*) FROM outbox_delivery WHERE target = ?1 "
                                               "GROUP BY state", error);
  int rc;

  memset (counts, 0, sizeof (gint64) * TP_DELIVERY_N_STATES);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (guint i = 0; i < TP_DELIVERY_N_STATES; i++)
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), tp_delivery_state_to_string (i)) == 0)
        counts[i] = sqlite3_column_int64 (stmt, 1);
  return tp_store_end_rows (self, stmt, rc, "Counting the outbox", error);
}

gint64
tp_store_outbox_next_retry (TpStore     *self,
                            const char  *target,
                            GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT min (next_attempt_at) FROM outbox_delivery "
                                               "WHERE target = ?1 AND state = 'retry'", error);
  gint64 ms = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      ms = tp_store_parse_ms ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      return ms;
    }
  tp_store_end_rows (self, stmt, rc, "Reading the outbox", error);
  return 0;
}

JsonNode *
tp_store_outbox_rejected (TpStore     *self,
                          const char  *target,
                          GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT l.uuid, o.kind, d.last_error, d.updated_at "
                                               "FROM outbox_delivery d JOIN outbox o ON o.id = d.outbox_id "
                                               "JOIN leads l ON l.id = o.lead_id "
                                               "WHERE d.target = ?1 AND d.state = 'rejected' ORDER BY d.outbox_id",
                                         error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lead_id");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (b, "at");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 3));
      json_builder_end_object (b);
    }
  if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
    return NULL;
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static void
add_nullable (JsonBuilder  *b,
              const char   *name,
              sqlite3_stmt *stmt,
              int           col)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, col));
}

JsonNode *
tp_store_outbox_lead_status (TpStore     *self,
                             const char  *lead_id,
                             GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = tp_store_prepare (self, "SELECT erased_at FROM leads WHERE uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lead_id");
  json_builder_add_string_value (b, lead_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      add_nullable (b, "erased_at", stmt, 0);
    }
  sqlite3_reset (stmt);
  if (!found)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "No lead has the id %s", lead_id);
      else
        tp_store_set_error (self, error, rc, "Reading the outbox");
      return NULL;
    }

  stmt = tp_store_prepare (self, "SELECT o.kind, o.created_at, d.target, coalesce (d.state, 'pending'), "
                                 "coalesce (d.attempts, 0), d.next_attempt_at, d.last_error, d.remote_id, "
                                 "d.updated_at, d.idempotency_key FROM leads l JOIN outbox o ON o.lead_id = l.id "
                                 "LEFT JOIN outbox_delivery d ON d.outbox_id = o.id "
                                 "WHERE l.uuid = ?1 ORDER BY o.id, d.target", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_TRANSIENT);
  json_builder_set_member_name (b, "outbox");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      add_nullable (b, "kind", stmt, 0);
      add_nullable (b, "created_at", stmt, 1);
      add_nullable (b, "target", stmt, 2);
      add_nullable (b, "state", stmt, 3);
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, sqlite3_column_int (stmt, 4));
      add_nullable (b, "next_attempt_at", stmt, 5);
      add_nullable (b, "last_error", stmt, 6);
      add_nullable (b, "remote_id", stmt, 7);
      add_nullable (b, "updated_at", stmt, 8);
      add_nullable (b, "idempotency_key", stmt, 9);
      json_builder_end_object (b);
    }
  if (!tp_store_end_rows (self, stmt, rc, "Reading the outbox", error))
    return NULL;
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
