/* tp-store-purge.c: the end of retention: expired leads erased, with a destruction record. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-purge.h"
#include "tp-audit.h"
#include "tp-store-private.h"

#include <string.h>

void
tp_purge_report_clear (TpPurgeReport *report)
{
  g_clear_pointer (&report->rule, g_free);
}

void
tp_destruction_free (TpDestruction *record)
{
  if (record == NULL)
    return;
  g_free (record->at);
  g_free (record->event_id);
  g_free (record->rule);
  g_free (record->actor);
  g_free (record);
}

static char *
describe_rule (TpEvent *event)
{
  g_autoptr(GString) rule = g_string_new ("captured + the longest retention of the consents granted: ");

  for (guint i = 0; i < event->consents->len; i++)
    {
      TpConsent *c = event->consents->pdata[i];

      g_string_append_printf (rule, "%s%s %u days", i ? ", " : "", c->id, c->retention_days);
    }
  if (event->purge_deletes_from_crm)
    g_string_append (rule, "; deleted from the CRM too");
  return g_string_free (g_steal_pointer (&rule), FALSE);
}

/* Lead row id → TRUE when every CRM delivery of its data succeeded (and there was one). */
static GHashTable *
synced_leads (TpStore  *self,
              GError  **error)
{
  g_autoptr(GHashTable) synced = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (self, "SELECT o.lead_id FROM outbox o JOIN outbox_delivery d ON d.outbox_id = o.id "
                                 "WHERE o.kind = 'upsert' GROUP BY o.lead_id "
                                 "HAVING min (d.state = 'synced') = 1", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (synced, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Reading what was synced");
      return NULL;
    }
  return g_steal_pointer (&synced);
}

/* The expired leads of event (UUIDs), the ones kept for being unsynced counted apart. */
static GPtrArray *
expired_leads (TpStore        *self,
               TpEvent        *event,
               GDateTime      *now,
               gboolean        force,
               TpPurgeReport  *report,
               GError        **error)
{
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) retention = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) synced = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < event->consents->len; i++)
    {
      TpConsent *c = event->consents->pdata[i];

      g_hash_table_insert (retention, c->id, GUINT_TO_POINTER (c->retention_days));
    }
  if (!(synced = synced_leads (self, error)))
    return NULL;

  /* Each lead once per purpose it granted by its latest decision. */
  stmt = tp_store_prepare (self,
                           "SELECT l.id, l.uuid, l.captured_at, l.event_id = ?1, c.purpose FROM leads l "
                           "LEFT JOIN consents c ON c.lead_id = l.id AND c.granted = 1 AND c.id = "
                           " (SELECT max (c2.id) FROM consents c2 WHERE c2.lead_id = l.id AND c2.purpose = c.purpose) "
                           "WHERE l.erased_at IS NULL ORDER BY l.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, event->id, -1, SQLITE_STATIC);
  {
    gint64 current = -1;
    guint days = 0;
    gboolean of_event = FALSE;
    g_autofree char *uuid = NULL, *captured = NULL;

    for (;;)
      {
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == current)
          {
            const char *purpose = (const char *) sqlite3_column_text (stmt, 4);

            days = MAX (days, purpose ? GPOINTER_TO_UINT (g_hash_table_lookup (retention, purpose)) : 0);
            continue;
          }
        /* The previous lead is complete: judge it. */
        if (current >= 0)
          {
            g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (captured, NULL);
            g_autoptr(GDateTime) until = at ? g_date_time_add_days (at, days) : NULL;

            if (!of_event)
              report->other_events++;
            else if (until && g_date_time_compare (until, now) <= 0)
              {
                report->expired++;
                /* Not in the CRM yet: kept, unless forced (and then still counted, for the
                 * warning). */
                if (!g_hash_table_contains (synced, &current))
                  report->unsynced++;
                if (force || g_hash_table_contains (synced, &current))
                  g_ptr_array_add (expired, g_steal_pointer (&uuid));
              }
          }
        if (rc != SQLITE_ROW)
          break;
        current = sqlite3_column_int64 (stmt, 0);
        g_free (uuid);
        uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        g_free (captured);
        captured = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
        of_event = sqlite3_column_int (stmt, 3);
        {
          const char *purpose = (const char *) sqlite3_column_text (stmt, 4);

          days = purpose ? GPOINTER_TO_UINT (g_hash_table_lookup (retention, purpose)) : 0;
        }
      }
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Finding the leads past their retention");
      return NULL;
    }
  return g_steal_pointer (&expired);
}

gboolean
tp_store_purge (TpStore        *self,
                TpEvent        *event,
                GDateTime      *now,
                gboolean        dry_run,
                gboolean        force,
                const char     *actor,
                TpPurgeReport  *report,
                GError        **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) expired = NULL;
  g_autofree char *at = tp_store_timestamp (current);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL && actor != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  report->rule = describe_rule (event);
  if (!tp_store_begin (self, "Purging leads past their retention", error))
    return FALSE;
  if (!(expired = expired_leads (self, event, current, force, report, error)))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (dry_run || expired->len == 0)
    {
      tp_store_rollback (self);
      return TRUE;
    }
  for (guint i = 0; i < expired->len; i++)
    if (!tp_store_erase_one (self, expired->pdata[i], event->purge_deletes_from_crm, error))
      {
        tp_store_rollback (self);
        return FALSE;
      }

  if (!tp_store_search_purge_deleted (self, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  stmt = tp_store_prepare (self, "INSERT INTO destructions (at, event_id, rule, leads, forced, actor) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    {
      tp_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, report->rule, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, expired->len);
  sqlite3_bind_int (stmt, 5, force);
  sqlite3_bind_text (stmt, 6, actor, -1, SQLITE_STATIC);
  if (!tp_store_step_done (self, stmt, "Recording the destruction", error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  detail = g_strdup_printf ("%u leads of %s past their retention%s", expired->len, event->id,
                            force ? ", forced (unsynced included)" : "");
  g_ptr_array_add (expired, NULL);
  if (!tp_audit_append (self, actor, TP_AUDIT_PURGE, (const char * const *) expired->pdata, detail, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (!tp_store_commit (self, "Purging leads past their retention", error))
    return FALSE;
  report->purged = expired->len - 1;
  /* As after an erasure: no page of the destroyed data stays in the write-ahead log. */
  rc = sqlite3_wal_checkpoint_v2 (tp_store_get_db (self), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      tp_store_set_error (self, error, rc, "Clearing the destroyed data from the write-ahead log");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  TpEvent *event;
  char    *actor;
} PurgeJob;

static void
purge_job_free (PurgeJob *job)
{
  tp_event_unref (job->event);
  g_free (job->actor);
  g_free (job);
}

static void
purge_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  PurgeJob *job = data;
  g_auto(TpPurgeReport) report = { 0 };
  GError *error = NULL;

  if (tp_store_purge (source, job->event, NULL, FALSE, FALSE, job->actor, &report, &error))
    g_task_return_int (task, report.purged);
  else
    g_task_return_error (task, error);
}

void
tp_store_purge_async (TpStore             *self,
                      TpEvent             *event,
                      const char          *actor,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PurgeJob *job;

  g_return_if_fail (TP_IS_STORE (self));
  g_return_if_fail (event != NULL && actor != NULL);

  job = g_new0 (PurgeJob, 1);
  job->event = tp_event_ref (event);
  job->actor = g_strdup (actor);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_store_purge_async);
  g_task_set_task_data (task, job, (GDestroyNotify) purge_job_free);
  tp_store_run_task (self, task, purge_thread);
}

gboolean
tp_store_purge_finish (TpStore       *self,
                       GAsyncResult  *result,
                       guint         *purged,
                       GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (purged)
    *purged = n;
  return TRUE;
}

GPtrArray *
tp_store_list_destructions (TpStore  *self,
                            GError  **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_destruction_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (self, "SELECT at, event_id, rule, leads, forced, actor FROM destructions ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpDestruction *d = g_new0 (TpDestruction, 1);

      d->at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      d->event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      d->rule = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      d->leads = sqlite3_column_int64 (stmt, 3);
      d->forced = sqlite3_column_int (stmt, 4);
      d->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (records, d);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Reading the destruction records");
      return NULL;
    }
  return g_steal_pointer (&records);
}
