/* tp-sync-hubspot.c: the HubSpot CRM v3 adapter: contacts batch upsert and GDPR delete. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"

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
  json_builder_set_member_name (b, "objectId");
  json_builder_add_string_value (b, item->remote_id ? item->remote_id : item->lead_id);
  if (item->remote_id == NULL)
    {
      json_builder_set_member_name (b, "idProperty");
      json_builder_add_string_value (b, config->hubspot_id_property);
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
      json_builder_set_member_name (b, "idProperty");
      json_builder_add_string_value (b, email ? "email" : config->hubspot_id_property);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, email ? email : item->lead_id);
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

/* Each item that was sent, by its lead id and by its folded email. */
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
      g_hash_table_insert (index, g_strdup (item->lead_id), GUINT_TO_POINTER (i + 1));
      if (email)
        g_hash_table_insert (index, g_utf8_casefold (email, -1), GUINT_TO_POINTER (i + 1));
    }
  return index;
}

/* The batch item an id (email or lead id) belongs to; -1 when none. */
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

static gboolean
hubspot_parse (TpSyncConfig     *config,
               TpOutboxBatch    *batch,
               long              status,
               GBytes           *body,
               TpSyncItemResult *results,
               GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) index = NULL;
  JsonObject *obj;
  JsonArray *list;

  if (batch->kind == TP_OUTBOX_DELETE)
    {
      /* 204: deleted; 404: there was nothing to delete, which is what was asked. */
      if (status == 204 || status == 200 || status == 404)
        tp_sync_item_result_set (&results[0], TP_SYNC_ITEM_SYNCED, NULL, NULL);
      return TRUE;
    }

  root = tp_sync_parse_json (body, error);
  if (root == NULL)
    return FALSE;
  obj = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (obj == NULL || (tp_sync_json_array (obj, "results") == NULL && tp_sync_json_array (obj, "errors") == NULL))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "HubSpot's answer has neither \"results\" nor \"errors\"");
      return FALSE;
    }

  /* Results come in any order: each is matched on the id it was upserted by. */
  index = index_items (batch, results);
  list = tp_sync_json_array (obj, "results");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *props = tp_sync_json_object (result, "properties");
      const char *contact = tp_sync_json_string (result, "id");
      int at = find_item (index, tp_sync_json_string (props, config->hubspot_id_property));

      if (at < 0)
        at = find_item (index, tp_sync_json_string (props, "email"));
      if (at >= 0 && contact)
        tp_sync_item_result_set (&results[at], TP_SYNC_ITEM_SYNCED, contact, NULL);
    }

  list = tp_sync_json_array (obj, "errors");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *err = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *ids = tp_sync_json_array (tp_sync_json_object (err, "context"), "ids");
      const char *category = tp_sync_json_string (err, "category");
      const char *message = tp_sync_json_string (err, "message");
      g_autofree char *reason = g_strdup_printf ("%s: %s", category ? category : "ERROR",
                                                 message ? message : "no message");

      for (guint j = 0; ids && j < json_array_get_length (ids); j++)
        {
          JsonNode *id = json_array_get_element (ids, j);
          int at = JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING
                   ? find_item (index, json_node_get_string (id)) : -1;

          if (at >= 0 && results[at].outcome == TP_SYNC_ITEM_UNREPORTED)
            tp_sync_item_result_set (&results[at], is_retryable (category) ? TP_SYNC_ITEM_RETRY
                                                                           : TP_SYNC_ITEM_REJECTED, NULL, reason);
        }
    }
  return TRUE;
}

static const TpSyncAdapter hubspot = {
  .name = "hubspot",
  .max_upserts = 100,
  .max_deletes = 1,
  .signs_body = FALSE,
  .build = hubspot_build,
  .parse = hubspot_parse,
  .reason = tp_sync_reason_from_body,
};

const TpSyncAdapter *
tp_sync_hubspot_adapter (void)
{
  return &hubspot;
}
