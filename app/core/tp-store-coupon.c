/* tp-store-coupon.c: coupon redemption: verify offline with the event's key, then record the
 * code once. The redemptions table's primary key is the code, and the check and the insert
 * share one BEGIN IMMEDIATE transaction: two processes cannot both redeem a code. */
#define G_LOG_DOMAIN "tp-store-coupon"

#include "tp-store-coupon.h"
#include "tp-i18n.h"
#include "tp-store-private.h"

G_DEFINE_QUARK (tp-redeem-error-quark, tp_redeem_error)

void
tp_redemption_free (TpRedemption *redemption)
{
  if (redemption == NULL)
    return;
  g_free (redemption->code);
  g_free (redemption->offer);
  g_clear_pointer (&redemption->expires_at, g_date_time_unref);
  g_clear_pointer (&redemption->redeemed_at, g_date_time_unref);
  g_free (redemption->redeemed_by);
  g_free (redemption);
}

static TpRedemption *
redemption_from_coupon (TpCoupon *coupon)
{
  TpRedemption *r = g_new0 (TpRedemption, 1);

  r->code = g_strdup (coupon->code);
  r->offer = g_strdup (coupon->offer);
  r->issuing_kiosk = coupon->kiosk_number;
  r->seq = coupon->seq;
  r->expires_at = g_date_time_ref (coupon->expires_at);
  return r;
}

/* A time by the event's clock, for a sentence: "2026-12-05 14:03 KST". */
static char *
format_event_time (TpEvent   *event,
                   GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, event->tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
}

char *
tp_store_describe_kiosk (TpStore    *self,
                         const char *kiosk_id)
{
  TP_STORE_LOCKED (self);

  if (g_strcmp0 (kiosk_id, tp_store_get_kiosk_id (self)) == 0)
    return g_strdup_printf (_("this kiosk (number %u)"), tp_store_get_kiosk_number (self));
  return g_strdup_printf (_("kiosk %s"), kiosk_id);
}

/* Reads the redemption of code, if any, into r. */
static gboolean
lookup (TpStore       *self,
        const char    *code,
        TpRedemption  *r,
        gboolean      *found,
        GError       **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT redeemed_at, redeemed_by FROM redemptions WHERE code = ?1",
                                         error);
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      g_clear_pointer (&r->redeemed_at, g_date_time_unref);
      g_free (r->redeemed_by);
      r->redeemed_at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 0), NULL);
      r->redeemed_by = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Looking up the coupon's redemption");
      return FALSE;
    }
  if (*found && r->redeemed_at == NULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                   "The redemption of a coupon in %s has an unreadable time", tp_store_get_path (self));
      return FALSE;
    }
  return TRUE;
}

static void
set_already_redeemed (TpStore       *self,
                      TpEvent       *event,
                      TpRedemption  *r,
                      GError       **error)
{
  g_autofree char *when = format_event_time (event, r->redeemed_at);
  g_autofree char *where = tp_store_describe_kiosk (self, r->redeemed_by);

  g_set_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_ALREADY_REDEEMED,
               /* Translators: coupon code, date and time, "this kiosk (number 4821)". */
               _("Coupon %s was already redeemed on %s at %s"), r->code, when, where);
}

static void
set_expired (TpEvent       *event,
             TpRedemption  *r,
             GError       **error)
{
  g_autofree char *when = format_event_time (event, r->expires_at);

  g_set_error (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_EXPIRED, _("Coupon %s expired on %s"), r->code, when);
}

static TpCoupon *
verify (TpEvent     *event,
        const char  *typed_code,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TpCoupon *coupon = tp_coupon_verify (event, typed_code, &local_error);

  if (coupon == NULL)
    g_set_error_literal (error, TP_REDEEM_ERROR, TP_REDEEM_ERROR_INVALID, local_error->message);
  return coupon;
}

/* Redeemed here before, then expired: a code already used says so first, it is the more
 * useful answer at the counter. */
static gboolean
check (TpStore       *self,
       TpEvent       *event,
       TpRedemption  *r,
       GDateTime     *now,
       GError       **error)
{
  gboolean found;

  if (!lookup (self, r->code, r, &found, error))
    return FALSE;
  if (found)
    {
      set_already_redeemed (self, event, r, error);
      return FALSE;
    }
  /* Valid up to, not including, the expiry: "valid until 19:30" ends as 19:30 begins. */
  if (g_date_time_compare (now, r->expires_at) >= 0)
    {
      set_expired (event, r, error);
      return FALSE;
    }
  return TRUE;
}

TpRedemption *
tp_store_check_coupon (TpStore     *self,
                       TpEvent     *event,
                       const char  *typed_code,
                       GDateTime   *now,
                       GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(TpCoupon) coupon = NULL;
  g_autoptr(TpRedemption) r = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (!(coupon = verify (event, typed_code, error)))
    return NULL;
  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  r = redemption_from_coupon (coupon);
  if (!check (self, event, r, now, error))
    return NULL;
  return g_steal_pointer (&r);
}

TpRedemption *
tp_store_redeem (TpStore     *self,
                 TpEvent     *event,
                 const char  *typed_code,
                 GDateTime   *now,
                 GError     **error)
{
  TP_STORE_LOCKED (self);
  static const char what[] = "Redeeming the coupon";
  g_autoptr(TpCoupon) coupon = NULL;
  g_autoptr(TpRedemption) r = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *timestamp = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  /* The signature first: a forged code never touches the database. */
  if (!(coupon = verify (event, typed_code, error)))
    return NULL;
  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();
  r = redemption_from_coupon (coupon);
  timestamp = tp_store_timestamp (now);

  if (!tp_store_begin (self, what, error))
    return NULL;
  if (!check (self, event, r, now, error))
    {
      tp_store_rollback (self);
      return NULL;
    }
  stmt = tp_store_prepare (self, "INSERT INTO redemptions (code, offer_id, issuing_kiosk, redeemed_at, redeemed_by) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    {
      tp_store_rollback (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, r->code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, r->offer, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, r->issuing_kiosk);
  sqlite3_bind_text (stmt, 4, timestamp, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tp_store_get_kiosk_id (self), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      /* Cannot happen inside BEGIN IMMEDIATE; should the locking ever change, the key still
       * refuses the second redemption. */
      gboolean found;

      tp_store_rollback (self);
      if (lookup (self, r->code, r, &found, error) && found)
        set_already_redeemed (self, event, r, error);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, what);
      tp_store_rollback (self);
      return NULL;
    }
  if (!tp_store_commit (self, what, error))
    return NULL;
  r->redeemed_at = g_date_time_new_from_iso8601 (timestamp, NULL);
  r->redeemed_by = g_strdup (tp_store_get_kiosk_id (self));
  g_debug ("Redeemed a coupon of kiosk %u", r->issuing_kiosk);
  return g_steal_pointer (&r);
}

TpRedemption *
tp_store_get_redemption (TpStore     *self,
                         TpEvent     *event,
                         const char  *code,
                         GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(TpCoupon) coupon = NULL;
  g_autoptr(TpRedemption) r = NULL;
  gboolean found;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  if (!(coupon = verify (event, code, error)))
    return NULL;
  r = redemption_from_coupon (coupon);
  if (!lookup (self, r->code, r, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND,
                   _("Coupon %s has not been redeemed at this kiosk"), r->code);
      return NULL;
    }
  return g_steal_pointer (&r);
}
