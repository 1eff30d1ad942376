/* tp-stats.c: the counts behind `touchpoint stats` and the staff page. */
#define G_LOG_DOMAIN "tp-stats"

#include "tp-stats.h"
#include "tp-json.h"
#include "tp-store-outbox-status.h"
#include "tp-store-private.h"

static void
count_clear (gpointer data)
{
  TpStatsCount *c = data;

  g_free (c->name);
}

static void
delivery_clear (gpointer data)
{
  TpStatsDelivery *d = data;

  g_free (d->target);
}

static GArray *
counts_new (void)
{
  GArray *counts = g_array_new (FALSE, TRUE, sizeof (TpStatsCount));

  g_array_set_clear_func (counts, count_clear);
  return counts;
}

void
tp_stats_free (TpStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->kiosk_id);
  g_clear_pointer (&stats->consents_granted, g_array_unref);
  g_clear_pointer (&stats->consents_refused, g_array_unref);
  g_clear_pointer (&stats->offers, g_array_unref);
  g_clear_pointer (&stats->tags, g_array_unref);
  g_clear_pointer (&stats->outbox, g_array_unref);
  g_free (stats);
}

gint64
tp_stats_count_lookup (GArray     *counts,
                       const char *name)
{
  g_return_val_if_fail (counts != NULL, 0);

  for (guint i = 0; i < counts->len; i++)
    if (g_strcmp0 (g_array_index (counts, TpStatsCount, i).name, name) == 0)
      return g_array_index (counts, TpStatsCount, i).count;
  return 0;
}

gint64
tp_stats_get_unsent (const TpStats *stats)
{
  gint64 unsent = 0;

  g_return_val_if_fail (stats != NULL, 0);

  for (guint i = 0; i < stats->outbox->len; i++)
    for (guint s = 0; s < TP_DELIVERY_N_STATES; s++)
      if (s != TP_DELIVERY_SYNCED)
        unsent += g_array_index (stats->outbox, TpStatsDelivery, i).states[s];
  return unsent;
}

/* Appends a TpStatsCount per row of a two-column (name, count) query. */
static gboolean
read_counts (TpStore     *self,
             GArray      *counts,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpStatsCount c = { tp_store_column_dup (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (counts, c);
    }
  return tp_store_end_rows (self, stmt, rc, "Counting", error);
}

/* Delivery states (see tp-store-outbox.h). Before any target is synced to, every outbox row is
 * pending; afterwards each target has its own states. */
static gboolean
read_outbox (TpStore  *self,
             GArray   *outbox,
             GError  **error)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT name FROM sync_targets ORDER BY name", error);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (targets, tp_store_column_dup (stmt, 0));
  if (!tp_store_end_rows (self, stmt, rc, "Counting the outbox", error))
    return FALSE;

  if (targets->len == 0)
    {
      TpStatsDelivery d = { NULL, { 0 } };

      d.states[TP_DELIVERY_PENDING] = tp_store_count (self, "SELECT count(*) FROM outbox", error);
      if (d.states[TP_DELIVERY_PENDING] < 0)
        return FALSE;
      g_array_append_val (outbox, d);
      return TRUE;
    }
  for (guint i = 0; i < targets->len; i++)
    {
      TpStatsDelivery d = { NULL, { 0 } };

      if (!tp_store_outbox_count (self, targets->pdata[i], d.states, error))
        return FALSE;
      d.target = g_strdup (targets->pdata[i]);
      g_array_append_val (outbox, d);
    }
  return TRUE;
}

#define LATEST_DECISION "FROM consents c WHERE id = " \
  "(SELECT max(id) FROM consents WHERE lead_id = c.lead_id AND purpose = c.purpose) " \
  "GROUP BY purpose ORDER BY purpose"

TpStats *
tp_store_get_stats (TpStore  *self,
                    GError  **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(TpStats) stats = g_new0 (TpStats, 1);

  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  stats->kiosk_id = g_strdup (tp_store_get_kiosk_id (self));
  stats->kiosk_number = tp_store_get_kiosk_number (self);
  stats->consents_granted = counts_new ();
  stats->consents_refused = counts_new ();
  stats->offers = counts_new ();
  stats->tags = counts_new ();
  stats->outbox = g_array_new (FALSE, TRUE, sizeof (TpStatsDelivery));
  g_array_set_clear_func (stats->outbox, delivery_clear);

  if ((stats->leads = tp_store_count (self, "SELECT count(*) FROM leads", error)) < 0 ||
      (stats->coupons_issued = tp_store_count (self, "SELECT count(*) FROM coupons", error)) < 0 ||
      (stats->coupons_redeemed = tp_store_count (self, "SELECT count(*) FROM redemptions", error)) < 0 ||
      !read_counts (self, stats->consents_granted, "SELECT purpose, sum(granted) " LATEST_DECISION, error) ||
      !read_counts (self, stats->consents_refused, "SELECT purpose, count(*) - sum(granted) " LATEST_DECISION,
                    error) ||
      !read_counts (self, stats->offers, "SELECT offer_id, count(*) FROM leads WHERE offer_id IS NOT NULL "
                                         "GROUP BY offer_id ORDER BY offer_id", error) ||
      !read_counts (self, stats->tags, "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag", error) ||
      !read_outbox (self, stats->outbox, error))
    return NULL;
  return g_steal_pointer (&stats);
}

static void
get_stats_job (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  TpStats *stats = tp_store_get_stats (source, &error);

  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) tp_stats_free);
}

void
tp_store_get_stats_async (TpStore             *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_store_get_stats_async);
  tp_store_run_task (self, task, get_stats_job);
}

TpStats *
tp_store_get_stats_finish (TpStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_store_get_stats_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void
add_count_members (JsonBuilder *b,
                   const char  *name,
                   GArray      *counts)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint i = 0; i < counts->len; i++)
    {
      const TpStatsCount *c = &g_array_index (counts, TpStatsCount, i);

      tp_json_add_int (b, c->name, c->count);
    }
  json_builder_end_object (b);
}

static void
add_state_members (JsonBuilder           *b,
                   const TpStatsDelivery *d)
{
  for (guint s = 0; s < TP_DELIVERY_N_STATES; s++)
    tp_json_add_int (b, tp_delivery_state_to_string (s), d->states[s]);
}

JsonNode *
tp_stats_to_json (const TpStats *stats)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (stats != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk");
  json_builder_begin_object (b);
  tp_json_add_string (b, "id", stats->kiosk_id);
  tp_json_add_int (b, "number", stats->kiosk_number);
  json_builder_end_object (b);
  tp_json_add_int (b, "leads", stats->leads);

  json_builder_set_member_name (b, "consents");
  json_builder_begin_object (b);
  add_count_members (b, "granted", stats->consents_granted);
  add_count_members (b, "refused", stats->consents_refused);
  json_builder_end_object (b);
  add_count_members (b, "offers", stats->offers);
  add_count_members (b, "tags", stats->tags);

  json_builder_set_member_name (b, "coupons");
  json_builder_begin_object (b);
  tp_json_add_int (b, "issued", stats->coupons_issued);
  tp_json_add_int (b, "redeemed", stats->coupons_redeemed);
  json_builder_end_object (b);

  /* Every state, zeros included, so that readers find each key: flat with one target (or
   * none yet), per target with several. */
  json_builder_set_member_name (b, "outbox");
  json_builder_begin_object (b);
  if (stats->outbox->len == 1)
    add_state_members (b, &g_array_index (stats->outbox, TpStatsDelivery, 0));
  else
    for (guint i = 0; i < stats->outbox->len; i++)
      {
        const TpStatsDelivery *d = &g_array_index (stats->outbox, TpStatsDelivery, i);

        json_builder_set_member_name (b, d->target);
        json_builder_begin_object (b);
        add_state_members (b, d);
        json_builder_end_object (b);
      }
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
