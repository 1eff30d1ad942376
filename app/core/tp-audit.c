/* tp-audit.c: the access log, append-only (triggers refuse UPDATE and DELETE) and chained: each
 * entry's SHA-256 covers its content and the hash of the entry before it, so that a changed,
 * removed or inserted entry shows in `touchpoint audit verify`. */
#define G_LOG_DOMAIN "tp-audit"

#include "tp-audit.h"
#include "tp-store-private.h"

#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

void
tp_audit_entry_free (TpAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->kiosk_id);
  g_strfreev (entry->leads);
  g_free (entry->detail);
  g_free (entry->prev_sha256);
  g_free (entry->sha256);
  g_free (entry);
}

char *
tp_audit_os_actor (void)
{
  return g_strconcat ("os-user:", g_get_user_name (), NULL);
}

/* The hashed form: each part on a line of its own, with its length first, so that no two
 * different entries serialise alike. */
static char *
entry_hash (const char *prev,
            const char *at,
            const char *actor,
            const char *action,
            const char *kiosk_id,
            const char *leads,
            const char *detail)
{
  const char *parts[] = { prev, at, actor, action, kiosk_id, leads, detail };
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *head = g_strdup_printf ("%zu:", strlen (parts[i]));

      g_checksum_update (sum, (const guchar *) head, -1);
      g_checksum_update (sum, (const guchar *) parts[i], -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
append (TpStore            *store,
        const char         *actor,
        const char         *action,
        const char * const *leads,
        const char         *detail,
        GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = tp_store_timestamp (now);
  g_autofree char *joined = leads ? g_strjoinv (" ", (char **) leads) : g_strdup ("");
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (store, "SELECT sha256 FROM audit ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    prev = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tp_store_set_error (store, error, rc, "Reading the audit log");
      return FALSE;
    }
  if (prev == NULL)
    prev = g_strdup (GENESIS);
  detail = detail ? detail : "";
  hash = entry_hash (prev, at, actor, action, tp_store_get_kiosk_id (store), joined, detail);

  stmt = tp_store_prepare (store, "INSERT INTO audit (at, actor, action, kiosk_id, leads, detail, prev_sha256, "
                                  "sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, tp_store_get_kiosk_id (store), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, joined, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);
  return tp_store_step_done (store, stmt, "Writing the audit log", error);
}

gboolean
tp_audit_append (TpStore            *store,
                 const char         *actor,
                 const char         *action,
                 const char * const *leads,
                 const char         *detail,
                 GError            **error)
{
  TP_STORE_LOCKED (store);

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  /* Inside the caller's transaction the entry commits, or not, with what it records. */
  if (!sqlite3_get_autocommit (tp_store_get_db (store)))
    return append (store, actor, action, leads, detail, error);
  if (!tp_store_begin (store, "Writing the audit log", error))
    return FALSE;
  if (!append (store, actor, action, leads, detail, error))
    {
      tp_store_rollback (store);
      return FALSE;
    }
  return tp_store_commit (store, "Writing the audit log", error);
}

static TpAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  TpAuditEntry *e = g_new0 (TpAuditEntry, 1);
  const char *leads = (const char *) sqlite3_column_text (stmt, 5);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  e->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  e->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  e->kiosk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  e->leads = leads && *leads ? g_strsplit (leads, " ", -1) : g_new0 (char *, 1);
  e->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  e->prev_sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  e->sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  return e;
}

GPtrArray *
tp_audit_list (TpStore    *store,
               GDateTime  *since,
               GError    **error)
{
  TP_STORE_LOCKED (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_audit_entry_free);
  g_autofree char *from = since ? tp_store_timestamp (since) : g_strdup ("");
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (store, "SELECT id, at, actor, action, kiosk_id, leads, detail, prev_sha256, sha256 "
                                  "FROM audit WHERE at >= ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (store, error, rc, "Reading the audit log");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gboolean
tp_audit_verify (TpStore  *store,
                 gint64   *broken,
                 GError  **error)
{
  TP_STORE_LOCKED (store);
  g_autofree char *prev = g_strdup (GENESIS);
  sqlite3_stmt *stmt;
  int rc;

  *broken = 0;
  stmt = tp_store_prepare (store, "SELECT id, at, actor, action, kiosk_id, leads, detail, prev_sha256, sha256 "
                                  "FROM audit ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(TpAuditEntry) e = entry_from_row (stmt);
      g_autofree char *leads = g_strjoinv (" ", e->leads);
      g_autofree char *hash = entry_hash (prev, e->at, e->actor, e->action, e->kiosk_id, leads, e->detail);

      /* A removed entry breaks the next one's link; a changed one its own hash. */
      if (g_strcmp0 (e->prev_sha256, prev) != 0 || g_strcmp0 (e->sha256, hash) != 0)
        {
          *broken = e->id;
          sqlite3_reset (stmt);
          return FALSE;
        }
      g_free (prev);
      prev = g_strdup (e->sha256);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (store, error, rc, "Reading the audit log");
      return FALSE;
    }
  return TRUE;
}
