/* tp-stats.c: the counts behind `touchpoint stats` and the staff page. */
#define G_LOG_DOMAIN "tp-stats"

#include "tp-stats.h"
#include "tp-json.h"
#include "tp-store-private.h"

/* Adds {key: count} members from a two-column (key, count) query to the builder. */
static gboolean
add_counts (TpStore     *self,
            JsonBuilder *b,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      tp_json_add_int (b, (const char *) sqlite3_column_text (stmt, 0), sqlite3_column_int64 (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Counting");
      return FALSE;
    }
  return TRUE;
}

static const char * const delivery_states[] = { "pending", "in_flight", "synced", "retry", "rejected" };

/* Every state, zeros included, so that readers of `stats --json` find each key. */
static gboolean
add_state_counts (TpStore     *self,
                  JsonBuilder *b,
                  const char  *target,
                  GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT state, count(*) FROM outbox_delivery WHERE target = ?1 "
                                               "GROUP BY state", error);
  gint64 counts[G_N_ELEMENTS (delivery_states)] = { 0 };
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (delivery_states); i++)
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), delivery_states[i]) == 0)
        counts[i] = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Counting the outbox");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (delivery_states); i++)
    {
      tp_json_add_int (b, delivery_states[i], counts[i]);
    }
  return TRUE;
}

static gboolean
add_outbox_counts (TpStore     *self,
                   JsonBuilder *b,
                   gint64       outbox,
                   GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT name FROM sync_targets ORDER BY name", error);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (targets, tp_store_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Counting the outbox");
      return FALSE;
    }

  if (targets->len == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (delivery_states); i++)
        {
          tp_json_add_int (b, delivery_states[i], i == 0 ? outbox : 0);
        }
      return TRUE;
    }
  if (targets->len == 1)
    return add_state_counts (self, b, targets->pdata[0], error);
  for (guint i = 0; i < targets->len; i++)
    {
      json_builder_set_member_name (b, targets->pdata[i]);
      json_builder_begin_object (b);
      if (!add_state_counts (self, b, targets->pdata[i], error))
        return FALSE;
      json_builder_end_object (b);
    }
  return TRUE;
}

JsonNode *
tp_store_stats (TpStore  *self,
                GError  **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  gint64 leads, coupons, redeemed, outbox;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  if ((leads = tp_store_count_leads (self, error)) < 0 ||
      (coupons = tp_store_count (self, "SELECT count(*) FROM coupons", error)) < 0 ||
      (redeemed = tp_store_count (self, "SELECT count(*) FROM redemptions", error)) < 0 ||
      (outbox = tp_store_count (self, "SELECT count(*) FROM outbox", error)) < 0)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk");
  json_builder_begin_object (b);
  tp_json_add_string (b, "id", tp_store_get_kiosk_id (self));
  tp_json_add_int (b, "number", tp_store_get_kiosk_number (self));
  json_builder_end_object (b);
  tp_json_add_int (b, "leads", leads);

  /* Each lead's latest decision per purpose. */
  json_builder_set_member_name (b, "consents");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "granted");
  json_builder_begin_object (b);
  if (!add_counts (self, b, "SELECT purpose, sum(granted) FROM consents c WHERE id = "
                            "(SELECT max(id) FROM consents WHERE lead_id = c.lead_id AND purpose = c.purpose) "
                            "GROUP BY purpose ORDER BY purpose", error))
    return NULL;
  json_builder_end_object (b);
  json_builder_set_member_name (b, "refused");
  json_builder_begin_object (b);
  if (!add_counts (self, b, "SELECT purpose, count(*) - sum(granted) FROM consents c WHERE id = "
                            "(SELECT max(id) FROM consents WHERE lead_id = c.lead_id AND purpose = c.purpose) "
                            "GROUP BY purpose ORDER BY purpose", error))
    return NULL;
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "offers");
  json_builder_begin_object (b);
  if (!add_counts (self, b, "SELECT offer_id, count(*) FROM leads WHERE offer_id IS NOT NULL "
                            "GROUP BY offer_id ORDER BY offer_id", error))
    return NULL;
  json_builder_end_object (b);

  json_builder_set_member_name (b, "tags");
  json_builder_begin_object (b);
  if (!add_counts (self, b, "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag", error))
    return NULL;
  json_builder_end_object (b);

  json_builder_set_member_name (b, "coupons");
  json_builder_begin_object (b);
  tp_json_add_int (b, "issued", coupons);
  tp_json_add_int (b, "redeemed", redeemed);
  json_builder_end_object (b);

  /* Delivery states (see tp-store-outbox.h). Before any target is synced to, every outbox
   * row is pending; with one target its states are shown as they are; with several, per target. */
  json_builder_set_member_name (b, "outbox");
  json_builder_begin_object (b);
  if (!add_outbox_counts (self, b, outbox, error))
    return NULL;
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
