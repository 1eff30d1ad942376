/* tp-store-lead-detail.c: everything about one lead for the console's detail view, read in one
 * read transaction. */
#define G_LOG_DOMAIN "tp-store-lead-detail"

#include "tp-store-lead-detail.h"
#include "tp-store-private.h"

static void
delivery_free (TpLeadDelivery *d)
{
  g_free (d->target);
  g_free (d->remote_id);
  g_free (d->last_error);
  g_free (d->updated_at);
  g_free (d);
}

void
tp_lead_detail_free (TpLeadDetail *detail)
{
  if (detail == NULL)
    return;
  tp_lead_record_free (detail->record);
  g_free (detail->segment);
  g_clear_pointer (&detail->consents, g_ptr_array_unref);
  g_free (detail->coupon_issued_at);
  g_free (detail->redeemed_at);
  g_free (detail->redeemed_by);
  g_clear_pointer (&detail->deliveries, g_ptr_array_unref);
  g_free (detail);
}

static gboolean
read_consents (TpStore       *self,
               TpLeadDetail  *detail,
               GError       **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT purpose, granted, version, text_sha256, locale, recorded_at "
                                               "FROM consents WHERE lead_id = ?1 ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->record->rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpConsentRecord *c = g_new0 (TpConsentRecord, 1);

      c->purpose = tp_store_column_dup (stmt, 0);
      c->granted = sqlite3_column_int (stmt, 1);
      c->version = tp_store_column_dup (stmt, 2);
      c->text_sha256 = tp_store_column_dup (stmt, 3);
      c->locale = tp_store_column_dup (stmt, 4);
      c->recorded_at = tp_store_column_dup (stmt, 5);
      g_ptr_array_add (detail->consents, c);
    }
  return tp_store_end_rows (self, stmt, rc, "Reading the lead's consents", error);
}

static gboolean
read_coupon (TpStore       *self,
             TpLeadDetail  *detail,
             GError       **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT c.issued_at, r.redeemed_at, r.redeemed_by FROM coupons c "
                                               "LEFT JOIN redemptions r ON r.code = c.code WHERE c.lead_id = ?1",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->record->rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      detail->coupon_issued_at = tp_store_column_dup (stmt, 0);
      detail->redeemed_at = tp_store_column_dup (stmt, 1);
      detail->redeemed_by = tp_store_column_dup (stmt, 2);
      rc = SQLITE_DONE;
    }
  return tp_store_end_rows (self, stmt, rc, "Reading the lead's coupon", error);
}

static TpDeliveryState
state_from_string (const char *text)
{
  for (guint s = 0; s < TP_DELIVERY_N_STATES; s++)
    if (g_strcmp0 (text, tp_delivery_state_to_string (s)) == 0)
      return s;
  return TP_DELIVERY_PENDING;
}

static gboolean
read_deliveries (TpStore       *self,
                 TpLeadDetail  *detail,
                 GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (self, "SELECT o.kind, d.target, coalesce (d.state, 'pending'), coalesce (d.attempts, 0), "
                                 "d.remote_id, d.last_error, coalesce (d.updated_at, o.created_at) "
                                 "FROM outbox o LEFT JOIN outbox_delivery d ON d.outbox_id = o.id "
                                 "WHERE o.lead_id = ?1 ORDER BY o.id, d.target", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->record->rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpLeadDelivery *d = g_new0 (TpLeadDelivery, 1);

      d->kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0 ? TP_OUTBOX_DELETE
                                                                                       : TP_OUTBOX_UPSERT;
      d->target = tp_store_column_dup (stmt, 1);
      d->state = state_from_string ((const char *) sqlite3_column_text (stmt, 2));
      d->attempts = sqlite3_column_int (stmt, 3);
      d->remote_id = tp_store_column_dup (stmt, 4);
      d->last_error = tp_store_column_dup (stmt, 5);
      d->updated_at = tp_store_column_dup (stmt, 6);
      g_ptr_array_add (detail->deliveries, d);
    }
  return tp_store_end_rows (self, stmt, rc, "Reading the lead's deliveries", error);
}

static TpLeadDetail *
read_detail (TpStore     *self,
             const char  *lead_id,
             GError     **error)
{
  g_autoptr(TpLeadDetail) detail = g_new0 (TpLeadDetail, 1);
  sqlite3_stmt *stmt;
  int rc;

  detail->record = tp_store_get_lead (self, lead_id, error);
  if (detail->record == NULL)
    return NULL;
  detail->consents = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_consent_record_free);
  detail->deliveries = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_free);

  stmt = tp_store_prepare (self, "SELECT segment_id FROM leads WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, detail->record->rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      detail->segment = tp_store_column_dup (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (!tp_store_end_rows (self, stmt, rc, "Reading the lead", error) ||
      !read_consents (self, detail, error) ||
      !read_coupon (self, detail, error) ||
      !read_deliveries (self, detail, error))
    return NULL;
  return g_steal_pointer (&detail);
}

TpLeadDetail *
tp_store_get_lead_detail (TpStore     *self,
                          const char  *lead_id,
                          GError     **error)
{
  TP_STORE_LOCKED (self);
  sqlite3 *db = tp_store_get_db (self);
  gboolean own_transaction = sqlite3_get_autocommit (db);
  TpLeadDetail *detail;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  /* The parts agree with each other, even while another process writes. */
  if (own_transaction && (rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Reading the lead");
      return NULL;
    }
  detail = read_detail (self, lead_id, error);
  if (own_transaction)
    sqlite3_exec (db, detail ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
  return detail;
}

static void
detail_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  TpLeadDetail *detail = tp_store_get_lead_detail (source, data, &error);

  if (detail)
    g_task_return_pointer (task, detail, (GDestroyNotify) tp_lead_detail_free);
  else
    g_task_return_error (task, error);
}

void
tp_store_get_lead_detail_async (TpStore             *self,
                                const char          *lead_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE (self));
  g_return_if_fail (lead_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_store_get_lead_detail_async);
  g_task_set_task_data (task, g_strdup (lead_id), g_free);
  tp_store_run_task (self, task, detail_thread);
}

TpLeadDetail *
tp_store_get_lead_detail_finish (TpStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_store_get_lead_detail_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
