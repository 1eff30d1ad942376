/* tp-store-capture.c: a capture plan written to the store in one transaction: the lead, its
 * personal data, consent records, answers, tags, coupon and outbox row. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-private.h"
#include "tp-coupon.h"

void
tp_capture_free (TpCapture *capture)
{
  if (capture == NULL)
    return;
  g_free (capture->lead_id);
  g_free (capture->kiosk_id);
  g_free (capture->captured_at);
  g_strfreev (capture->tags);
  g_free (capture->offer);
  g_free (capture->segment);
  g_free (capture->coupon_code);
  g_free (capture->coupon_expires_at);
  g_free (capture);
}

static gboolean
bind_and_step (TpStore      *self,
               sqlite3_stmt *stmt,
               GError      **error)
{
  return tp_store_step_done (self, stmt, "Storing the lead", error);
}

/* Writes the plan as it is: it was checked, normalized and segmented once, before. */
static gboolean
write_capture (TpStore        *self,
               TpCapturePlan  *plan,
               TpCapture      *capture,
               GError        **error)
{
  TpEvent *event = plan->event;
  sqlite3_stmt *stmt;
  gint64 rowid;
  g_autofree char *timestamp = tp_store_timestamp (plan->captured_at);

  if (tp_store_get_fail_point (self) == TP_STORE_FAIL_FULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FULL,
                   "Storing the lead failed in %s: database or disk is full", tp_store_get_path (self));
      return FALSE;
    }

  stmt = tp_store_prepare (self, "UPDATE kiosk SET next_seq = next_seq + 1 WHERE id = 1 "
                                 "RETURNING next_seq - 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tp_store_set_error (self, error, sqlite3_errcode (tp_store_get_db (self)), "Numbering the lead");
      sqlite3_reset (stmt);
      return FALSE;
    }
  capture->seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = tp_store_prepare (self, "INSERT INTO leads (uuid, event_id, kiosk_id, seq, locale, captured_at, "
                                 "offer_id, segment_id, age_confirmed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, capture->lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tp_store_get_kiosk_id (self), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, capture->seq);
  sqlite3_bind_text (stmt, 5, plan->locale, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, timestamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, capture->offer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, capture->segment, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, plan->age_confirmed);
  if (!bind_and_step (self, stmt, error))
    return FALSE;
  rowid = sqlite3_last_insert_rowid (tp_store_get_db (self));

  for (guint i = 0; i < event->fields->len; i++)
    {
      const TpField *f = event->fields->pdata[i];
      const char *value = g_hash_table_lookup (plan->fields, f->id);

      if (value == NULL)
        continue;
      stmt = tp_store_prepare (self, "INSERT INTO lead_pii (lead_id, field_id, value) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, f->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  /* Every consent shown is recorded, granted or not, with the exact text's hash. */
  for (guint i = 0; i < plan->consents->len; i++)
    {
      const TpPlannedConsent *planned = plan->consents->pdata[i];
      const TpConsent *c = planned->consent;

      stmt = tp_store_prepare (self, "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, "
                                     "locale, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, planned->granted);
      sqlite3_bind_text (stmt, 4, c->version, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, planned->text_sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, plan->locale, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, timestamp, -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < event->survey->len; i++)
    {
      const TpQuestion *q = event->survey->pdata[i];
      const TpAnswer *a = g_hash_table_lookup (plan->answers, q->id);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;

      if (a == NULL)
        continue;
      node = tp_answer_to_json (a);
      json = json_to_string (node, FALSE);
      stmt = tp_store_prepare (self, "INSERT INTO answers (lead_id, question_id, value) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, q->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  for (guint i = 0; capture->tags[i]; i++)
    {
      stmt = tp_store_prepare (self, "INSERT INTO tags (lead_id, tag) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, capture->tags[i], -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  {
    g_autoptr(TpCoupon) coupon = tp_coupon_issue (event, capture->offer, tp_store_get_kiosk_number (self),
                                                  capture->seq, plan->captured_at, error);
    if (coupon == NULL)
      return FALSE;
    capture->coupon_code = g_strdup (coupon->code);
    capture->coupon_expires_at = tp_format_utc (coupon->expires_at);
    stmt = tp_store_prepare (self, "INSERT INTO coupons (lead_id, code, offer_id, issued_at, expires_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, rowid);
    sqlite3_bind_text (stmt, 2, capture->coupon_code, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, capture->offer, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, timestamp, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 5, capture->coupon_expires_at, -1, SQLITE_STATIC);
    if (!bind_and_step (self, stmt, error))
      return FALSE;
  }

  stmt = tp_store_prepare (self, "INSERT INTO outbox (lead_id, kind, created_at) VALUES (?1, 'upsert', ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, timestamp, -1, SQLITE_STATIC);
  if (!bind_and_step (self, stmt, error))
    return FALSE;

  if (tp_store_get_fail_point (self) == TP_STORE_FAIL_BEFORE_COMMIT)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INJECTED,
                   "Storing the lead failed in %s: disk I/O error (injected before commit)",
                   tp_store_get_path (self));
      return FALSE;
    }
  capture->captured_at = g_steal_pointer (&timestamp);
  return TRUE;
}

/* The lead stored under uuid as its capture's result, NULL without error when there is none;
 * an error when it belongs to another event (the key was reused for something else). */
static TpCapture *
read_capture (TpStore     *self,
              const char  *uuid,
              TpEvent     *event,
              GError     **error)
{
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 rowid;
  int rc;

  stmt = tp_store_prepare (self, "SELECT id, event_id, kiosk_id, seq, captured_at, offer_id, segment_id "
                                 "FROM leads WHERE uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      tp_store_set_error (self, error, rc, "Looking up the lead");
      return NULL;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), event->id) != 0)
    {
      g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED,
                   "the lead id %s was used before for a lead of another event (%s)", uuid,
                   (const char *) sqlite3_column_text (stmt, 1));
      return NULL;
    }
  capture = g_new0 (TpCapture, 1);
  capture->replayed = TRUE;
  capture->lead_id = g_strdup (uuid);
  rowid = sqlite3_column_int64 (stmt, 0);
  capture->kiosk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  capture->seq = sqlite3_column_int64 (stmt, 3);
  capture->captured_at = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  capture->offer = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  capture->segment = g_strdup ((const char *) sqlite3_column_text (stmt, 6));

  stmt = tp_store_prepare (self, "SELECT tag FROM tags WHERE lead_id = ?1 ORDER BY tag", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tags, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_ptr_array_add (tags, NULL);
  capture->tags = (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);

  stmt = tp_store_prepare (self, "SELECT code, expires_at FROM coupons WHERE lead_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      capture->coupon_code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      capture->coupon_expires_at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  return g_steal_pointer (&capture);
}

TpCapture *
tp_store_capture_plan (TpStore        *self,
                       TpCapturePlan  *plan,
                       GError        **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(TpCapture) capture = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  capture = g_new0 (TpCapture, 1);
  capture->lead_id = plan->lead_id ? g_ascii_strdown (plan->lead_id, -1) : g_uuid_string_random ();
  capture->kiosk_id = g_strdup (tp_store_get_kiosk_id (self));
  capture->tags = g_strdupv (plan->tags);
  capture->offer = g_strdup (plan->offer);
  capture->segment = g_strdup (plan->segment);

  if (!tp_store_begin (self, "Storing the lead", error))
    return NULL;
  /* A retry with the same idempotency key: the first result, nothing written. */
  if (plan->lead_id)
    {
      g_autoptr(GError) local = NULL;
      TpCapture *earlier = read_capture (self, capture->lead_id, plan->event, &local);

      if (earlier || local)
        {
          tp_store_rollback (self);
          if (local)
            g_propagate_error (error, g_steal_pointer (&local));
          return earlier;
        }
    }
  if (!write_capture (self, plan, capture, error))
    {
      tp_store_rollback (self);
      return NULL;
    }
  if (!tp_store_commit (self, "Storing the lead", error))
    return NULL;
  g_debug ("Stored lead #%" G_GINT64_FORMAT, capture->seq);
  return g_steal_pointer (&capture);
}

static void
capture_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  TpCapture *capture = tp_store_capture_plan (source, data, &error);

  if (capture)
    g_task_return_pointer (task, capture, (GDestroyNotify) tp_capture_free);
  else
    g_task_return_error (task, error);
}

void
tp_store_capture_plan_async (TpStore             *self,
                             TpCapturePlan       *plan,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE (self));
  g_return_if_fail (plan != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_store_capture_plan_async);
  g_task_set_task_data (task, plan, (GDestroyNotify) tp_capture_plan_free);
  tp_store_run_task (self, task, capture_thread);
}

TpCapture *
tp_store_capture_plan_finish (TpStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_store_capture_plan_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

TpCapture *
tp_store_capture (TpStore       *self,
                  TpEvent       *event,
                  TpSubmission  *submission,
                  GDateTime     *now,
                  TpValidation **validation,
                  GError       **error)
{
  g_autoptr(TpCapturePlan) plan = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (event != NULL && submission != NULL, NULL);

  plan = tp_submission_prepare (submission, event, now, validation, error);
  if (plan == NULL)
    return NULL;
  return tp_store_capture_plan (self, plan, error);
}
