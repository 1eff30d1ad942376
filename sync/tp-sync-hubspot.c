/* tp-sync-hubspot.c: the HubSpot CRM v3 adapter: contacts batch upsert and GDPR delete. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"

#include <string.h>

#define UPSERT_PATH "/crm/v3/objects/contacts/batch/upsert"
#define DELETE_PATH "/crm/v3/objects/contacts/gdpr-delete"

/* HubSpot keeps one contact per email. Upserting by the lead id alone would collide with a
 * contact another kiosk made for the same address, so a lead with an email is upserted by
 * email (the lead id rides along in the custom property); one without by the lead id. */
static const char *
item_email (TpOutboxItem *item)
{
  const char *email = item->record ? g_hash_table_lookup (item->record->fields, "email") : NULL;

  return email && *email ? email : NULL;
}

/* objectWriteTraceId, HubSpot's way to tie each result to its input: the lead id (a UUID)
 * and the attempt, unique per record and per attempt (docs/sync.md). */
static char *
trace_id (TpOutboxItem *item)
{
  return g_strdup_printf ("%s:%d", item->lead_id, item->attempts);
}

static TpSyncRequest *
build_delete (TpSyncConfig  *config,
              TpOutboxBatch *batch)
{
  TpOutboxItem *item = batch->items->pdata[0];
  g_autofree char *url = tp_sync_join_url (config->url, DELETE_PATH);
  g_autoptr(TpSyncRequest) request = tp_sync_request_new ("POST", url);
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  /* The contact id from the upsert when known; else the lead id, which the contact carries. */
  json_builder_begin_object (b);
  tp_json_add_string (b, "objectId", item->remote_id ? item->remote_id : item->lead_id);
  if (item->remote_id == NULL)
    {
      tp_json_add_string (b, "idProperty", config->hubspot_id_property);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tp_sync_request_set_json (request, root);
  return g_steal_pointer (&request);
}

static TpSyncRequest *
hubspot_build (TpSyncConfig     *config,
               TpOutboxBatch    *batch,
               TpSyncItemResult *results,
               GError          **error)
{
  g_autofree char *url = NULL;
  g_autoptr(TpSyncRequest) request = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) emails = NULL;

  if (batch->kind == TP_OUTBOX_DELETE)
    {
      /* One deletion per request: the claim asks for batches of one. */
      for (guint i = 1; i < batch->items->len; i++)
        tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
      return build_delete (config, batch);
    }

  url = tp_sync_join_url (config->url, UPSERT_PATH);
  request = tp_sync_request_new ("POST", url);
  b = json_builder_new_immutable ();
  emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inputs");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->items->len; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      const char *email = item_email (item);
      g_autofree char *folded = email ? g_utf8_casefold (email, -1) : NULL;
      g_autofree char *trace = trace_id (item);
      JsonNode *props;

      /* HubSpot refuses a batch naming one id twice: the second lead with that email waits
       * for the next batch, where it updates the same contact. */
      if (folded && g_hash_table_contains (emails, folded))
        {
          tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
          continue;
        }
      if (folded)
        g_hash_table_add (emails, g_steal_pointer (&folded));

      props = tp_sync_build_properties (config, item->record, TRUE);
      json_object_set_string_member (json_node_get_object (props), config->hubspot_id_property, item->lead_id);
      json_builder_begin_object (b);
      tp_json_add_string (b, "idProperty", email ? "email" : config->hubspot_id_property);
      tp_json_add_string (b, "id", email ? email : item->lead_id);
      json_builder_set_member_name (b, "objectWriteTraceId");
      json_builder_add_string_value (b, trace);
      json_builder_set_member_name (b, "properties");
      json_builder_add_value (b, props);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tp_sync_request_set_json (request, root);
  return g_steal_pointer (&request);
}

static gboolean
is_retryable (const char *category)
{
  return g_strcmp0 (category, "RATE_LIMITS") == 0 || g_strcmp0 (category, "LOCKED") == 0 ||
         g_strcmp0 (category, "INTERNAL_ERROR") == 0 || g_strcmp0 (category, "SERVICE_UNAVAILABLE") == 0;
}

/* Each item that was sent, by its objectWriteTraceId, its lead id and its folded email. */
static GHashTable *
index_items (TpOutboxBatch    *batch,
             TpSyncItemResult *results)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < batch->items->len; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      const char *email = item_email (item);

      if (results[i].outcome == TP_SYNC_ITEM_DEFER)
        continue;
      g_hash_table_insert (index, trace_id (item), GUINT_TO_POINTER (i + 1));
      g_hash_table_insert (index, g_strdup (item->lead_id), GUINT_TO_POINTER (i + 1));
      if (email)
        g_hash_table_insert (index, g_utf8_casefold (email, -1), GUINT_TO_POINTER (i + 1));
    }
  return index;
}

/* The batch item an id (trace id, email or lead id) belongs to; -1 when none. */
static int
find_item (GHashTable *index,
           const char *id)
{
  g_autofree char *folded = NULL;
  guint at;

  if (id == NULL)
    return -1;
  at = GPOINTER_TO_UINT (g_hash_table_lookup (index, id));
  if (at == 0 && strchr (id, '@'))
    {
      folded = g_utf8_casefold (id, -1);
      at = GPOINTER_TO_UINT (g_hash_table_lookup (index, folded));
    }
  return (int) at - 1;
}

/* A result belongs to the input whose objectWriteTraceId it carries (HubSpot's documented way);
 * an answer without it is matched through the properties it repeats: the lead id, then the
 * email. */
static int
match_result (GHashTable *index,
              JsonObject *result,
              const char *id_property)
{
  JsonObject *props = tp_sync_json_object (result, "properties");
  int item = find_item (index, tp_sync_json_string (result, "objectWriteTraceId"));

  if (item < 0)
    item = find_item (index, tp_sync_json_string (props, id_property));
  if (item < 0)
    item = find_item (index, tp_sync_json_string (props, "email"));
  return item;
}

static void
apply_error (GHashTable       *index,
             JsonObject       *error,
             TpSyncItemResult *results)
{
  const char *category = tp_sync_json_string (error, "category");
  const char *message = tp_sync_json_string (error, "message");
  JsonObject *context = tp_sync_json_object (error, "context");
  g_autofree char *reason = g_strdup_printf ("%s: %s", category ? category : "ERROR", message ? message : "no message");
  const char *lists[] = { "ids", "objectWriteTraceId" };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *ids = tp_sync_json_array (context, lists[l]);

      for (guint j = 0; ids && j < json_array_get_length (ids); j++)
        {
          JsonNode *node = json_array_get_element (ids, j);
          int item = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                     ? find_item (index, json_node_get_string (node)) : -1;

          if (item >= 0 && results[item].outcome == TP_SYNC_ITEM_UNREPORTED)
            tp_sync_item_result_set (&results[item], is_retryable (category) ? TP_SYNC_ITEM_RETRY
                                                                             : TP_SYNC_ITEM_REJECTED, NULL, reason);
        }
    }
}

static gboolean
parse_delete (long               status,
              GBytes            *body,
              TpSyncItemResult  *results,
              GError           **error)
{
  /* 404 is "nothing to delete", which is what was asked, only when HubSpot says that the
   * contact is not there: a 404 from a wrong address would leave the person in the CRM. */
  if (status == 404)
    {
      g_autoptr(JsonNode) root = tp_sync_parse_json (body, NULL);
      JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

      if (g_strcmp0 (tp_sync_json_string (obj, "category"), "OBJECT_NOT_FOUND") != 0)
        {
          g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                       "HTTP 404 without HubSpot's OBJECT_NOT_FOUND: is the address right?");
          return FALSE;
        }
    }
  /* 204: deleted. */
  if (status == 204 || status == 200 || status == 404)
    tp_sync_item_result_set (&results[0], TP_SYNC_ITEM_SYNCED, NULL, NULL);
  return TRUE;
}

static gboolean
hubspot_parse (TpSyncConfig     *config,
               TpOutboxBatch    *batch,
               long              status,
               GBytes           *body,
               TpSyncItemResult *results,
               GError          **error)
{
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  JsonArray *list, *errors;
  guint unmatched = 0;

  if (batch->kind == TP_OUTBOX_DELETE)
    return parse_delete (status, body, results, error);

  root = tp_sync_parse_json (body, error);
  if (root == NULL)
    return FALSE;
  obj = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  list = tp_sync_json_array (obj, "results");
  errors = tp_sync_json_array (obj, "errors");
  if (list == NULL && errors == NULL)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "HubSpot's answer has neither \"results\" nor \"errors\"");
      return FALSE;
    }

  /* Results come in any order. */
  index = index_items (batch, results);
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *contact = tp_sync_json_string (result, "id");
      int item = result ? match_result (index, result, config->hubspot_id_property) : -1;

      if (item >= 0 && contact)
        tp_sync_item_result_set (&results[item], TP_SYNC_ITEM_SYNCED, contact, NULL);
      else if (contact)
        unmatched++;
    }
  for (guint i = 0; errors && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        apply_error (index, json_node_get_object (node), results);
    }
  /* HubSpot stored records it did not say which of: none of them may be rejected for that.
   * They go again; an upsert of what is already there changes nothing. */
  for (guint i = 0; unmatched > 0 && i < batch->items->len; i++)
    if (results[i].outcome == TP_SYNC_ITEM_UNREPORTED)
      tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_RETRY, NULL,
                               "HubSpot stored a record its answer did not tie to this one: sent again");
  return TRUE;
}

/* The local midnight after now: HubSpot resets its daily limit at midnight in the account's
 * time zone, taken to be this computer's. */
static gint64
next_midnight_ms (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) midnight = g_date_time_add_days (today, 1);

  return g_date_time_to_unix (midnight) * 1000;
}

/* HubSpot's daily limit: a 429 whose policyName is DAILY, or X-HubSpot-RateLimit-Daily-Remaining
 * at 0 (the next request would draw that 429). */
static gboolean
hubspot_used_up (TpSyncConfig         *config,
                 const TpSyncResponse *response,
                 char                **sentence,
                 gint64               *resume_ms)
{
  gboolean daily = response->daily_max > 0 && response->daily_remaining == 0;
  g_autofree char *at = NULL;

  if (response->status == 429)
    {
      g_autoptr(JsonNode) root = tp_sync_parse_json (response->body, NULL);
      JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

      daily = daily || g_strcmp0 (tp_sync_json_string (obj, "policyName"), "DAILY") == 0;
    }
  if (!daily)
    return FALSE;
  *resume_ms = response->retry_after_ms >= 0 ? g_get_real_time () / 1000 + response->retry_after_ms
                                             : next_midnight_ms ();
  at = tp_sync_format_local (*resume_ms);
  *sentence = g_strdup_printf ("HubSpot's daily API limit is used up; run again after %s", at);
  return TRUE;
}

static gint64
hubspot_requests_left (TpSyncConfig         *config,
                       const TpSyncResponse *response)
{
  return response->daily_max > 0 ? response->daily_remaining : -1;
}

static const TpSyncAdapter hubspot = {
  .name = "hubspot",
  .max_upserts = 100,
  .max_deletes = 1,
  .signs_body = FALSE,
  .build = hubspot_build,
  .parse = hubspot_parse,
  .reason = tp_sync_reason_from_body,
  .used_up = hubspot_used_up,
  .requests_left = hubspot_requests_left,
};

const TpSyncAdapter *
tp_sync_hubspot_adapter (void)
{
  return &hubspot;
}
