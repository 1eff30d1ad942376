/* tp-store-capture.c: a lead written to the store in one transaction: the lead, its personal data,
 * consent records, answers, tags, coupon and outbox row. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-private.h"
#include "tp-coupon.h"

#include <string.h>

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

/* Field values as stored: trimmed, NFC, emails with a lower-case domain, phones in E.164. */
static char *
normalize_field (const TpField *field,
                 const char    *value)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  g_autofree char *nfc = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);

  switch (field->type)
    {
    case TP_FIELD_EMAIL:
      {
        char *at = strrchr (nfc, '@');
        g_autofree char *domain = at ? g_utf8_strdown (at + 1, -1) : NULL;

        if (at == NULL)
          return g_steal_pointer (&nfc);
        *at = '\0';
        return g_strconcat (nfc, "@", domain, NULL);
      }
    case TP_FIELD_PHONE:
      return tp_phone_normalize (nfc);
    case TP_FIELD_TEXT:
    default:
      return g_steal_pointer (&nfc);
    }
}

static gboolean
bind_and_step (TpStore      *self,
               sqlite3_stmt *stmt,
               GError      **error)
{
  return tp_store_step_done (self, stmt, "Storing the lead", error);
}

static gboolean
write_capture (TpStore       *self,
               TpEvent       *event,
               TpSubmission  *submission,
               GDateTime     *now,
               TpCapture     *capture,
               GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 rowid;
  g_autofree char *timestamp = tp_store_timestamp (now);

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
  sqlite3_bind_text (stmt, 5, submission->locale, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, timestamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, capture->offer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, capture->segment, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, submission->age_confirmed);
  if (!bind_and_step (self, stmt, error))
    return FALSE;
  rowid = sqlite3_last_insert_rowid (tp_store_get_db (self));

  for (guint i = 0; i < event->fields->len; i++)
    {
      const TpField *f = event->fields->pdata[i];
      const char *value = g_hash_table_lookup (submission->fields, f->id);
      g_autofree char *normal = NULL;

      if (value == NULL)
        continue;
      normal = normalize_field (f, value);
      if (normal == NULL || *normal == '\0')
        continue;
      stmt = tp_store_prepare (self, "INSERT INTO lead_pii (lead_id, field_id, value) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, f->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, normal, -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  /* Every consent shown is recorded, granted or not, with the exact text's hash. */
  for (guint i = 0; i < event->consents->len; i++)
    {
      const TpConsent *c = event->consents->pdata[i];
      gboolean granted = GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, c->id));
      g_autofree char *sha = tp_consent_notice_sha256 (c, event, submission->locale);

      stmt = tp_store_prepare (self, "INSERT INTO consents (lead_id, purpose, granted, version, text_sha256, "
                                     "locale, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, granted);
      sqlite3_bind_text (stmt, 4, c->version, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, sha, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, submission->locale, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, timestamp, -1, SQLITE_STATIC);
      if (!bind_and_step (self, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < event->survey->len; i++)
    {
      const TpQuestion *q = event->survey->pdata[i];
      const TpAnswer *a = g_hash_table_lookup (submission->answers, q->id);
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
                                                  capture->seq, now, error);
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

TpCapture *
tp_store_capture (TpStore       *self,
                  TpEvent       *event,
                  TpSubmission  *submission,
                  GDateTime     *now,
                  TpValidation **validation,
                  GError       **error)
{
  g_autoptr(TpValidation) problems = NULL;
  g_autoptr(TpSegmentResult) segments = NULL;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (event != NULL && submission != NULL, NULL);

  if (validation)
    *validation = NULL;
  problems = tp_submission_validate (submission, event);
  if (problems)
    {
      g_autofree char *message = tp_validation_to_string (problems, event);

      g_set_error_literal (error, TP_LEAD_ERROR, TP_LEAD_ERROR_INVALID, message);
      if (validation)
        *validation = g_steal_pointer (&problems);
      return NULL;
    }

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  segments = tp_segments_evaluate (event, submission->answers);
  capture = g_new0 (TpCapture, 1);
  capture->lead_id = g_uuid_string_random ();
  capture->kiosk_id = g_strdup (tp_store_get_kiosk_id (self));
  capture->tags = g_steal_pointer (&segments->tags);
  capture->offer = g_steal_pointer (&segments->offer);
  capture->segment = g_steal_pointer (&segments->segment);

  if (!tp_store_begin (self, "Storing the lead", error))
    return NULL;
  if (!write_capture (self, event, submission, now, capture, error))
    {
      tp_store_rollback (self);
      return NULL;
    }
  if (!tp_store_commit (self, "Storing the lead", error))
    return NULL;
  g_debug ("Stored lead #%" G_GINT64_FORMAT, capture->seq);
  return g_steal_pointer (&capture);
}
