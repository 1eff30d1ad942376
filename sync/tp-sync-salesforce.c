/* tp-sync-salesforce.c: the Salesforce adapter: Lead upserts by external id via sObject Collections. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"

#include <string.h>

static TpSyncRequest *
build_delete (TpSyncConfig  *config,
              TpOutboxItem  *item)
{
  g_autofree char *escaped = g_uri_escape_string (item->lead_id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/services/data/v%s/sobjects/Lead/%s/%s", config->salesforce_api_version,
                                           config->salesforce_external_id, escaped);
  g_autofree char *url = tp_sync_join_url (config->url, path);

  return tp_sync_request_new ("DELETE", url);
}

/* Salesforce requires LastName and Company on every Lead. */
static void
fill_required (TpSyncConfig *config,
               TpOutboxItem *item,
               JsonObject   *record)
{
  const char *last = tp_sync_json_string (record, "LastName");
  const char *company = tp_sync_json_string (record, "Company");

  if (last == NULL || *last == '\0')
    {
      const char *name = g_hash_table_lookup (item->record->fields, "name");
      const char *email = g_hash_table_lookup (item->record->fields, "email");
      g_autofree char *local = email ? g_strndup (email, strcspn (email, "@")) : NULL;

      /* The whole name, else the email's local part, else a placeholder a person will spot. */
      json_object_set_string_member (record, "LastName", name && *name ? name
                                                         : local && *local ? local : "[not provided]");
    }
  if (company == NULL || *company == '\0')
    json_object_set_string_member (record, "Company", config->salesforce_default_company);
}

static TpSyncRequest *
salesforce_build (TpSyncConfig     *config,
                  TpOutboxBatch    *batch,
                  TpSyncItemResult *results,
                  GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(TpSyncRequest) request = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (batch->kind == TP_OUTBOX_DELETE)
    {
      for (guint i = 1; i < batch->items->len; i++)
        tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
      return build_delete (config, batch->items->pdata[0]);
    }

  path = g_strdup_printf ("/services/data/v%s/composite/sobjects/Lead/%s", config->salesforce_api_version,
                          config->salesforce_external_id);
  url = tp_sync_join_url (config->url, path);
  request = tp_sync_request_new ("PATCH", url);
  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  tp_json_add_bool (b, "allOrNone", FALSE);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->items->len; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      g_autoptr(JsonNode) props = tp_sync_build_properties (config, item->record, FALSE);
      g_autoptr(JsonObject) record = json_object_new ();
      g_autoptr(JsonObject) attributes = json_object_new ();
      JsonObject *p = json_node_get_object (props);
      g_autoptr(GList) names = json_object_get_members (p);
      JsonNode *node;

      json_object_set_string_member (attributes, "type", "Lead");
      json_object_set_object_member (record, "attributes", json_object_ref (attributes));
      json_object_set_string_member (record, config->salesforce_external_id, item->lead_id);
      for (GList *l = names; l; l = l->next)
        json_object_set_member (record, l->data, json_node_copy (json_object_get_member (p, l->data)));
      fill_required (config, item, record);
      node = json_node_alloc ();
      json_node_init_object (node, record);
      json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tp_sync_request_set_json (request, root);
  return g_steal_pointer (&request);
}

static gboolean
is_retryable (const char *code)
{
  static const char * const codes[] = {
    "UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG", NULL
  };

  return code && g_strv_contains (codes, code);
}

static gboolean
salesforce_parse (TpSyncConfig     *config,
                  TpOutboxBatch    *batch,
                  long              status,
                  GBytes           *body,
                  TpSyncItemResult *results,
                  GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;

  if (batch->kind == TP_OUTBOX_DELETE)
    {
      /* 404 is "nothing to delete", which is what was asked, only when Salesforce says that no
       * Lead has this external id: a 404 from a wrong address, or for an external id field
       * that does not exist, would leave the person in the CRM. */
      if (status == 404)
        {
          JsonArray *errors;
          JsonObject *first = NULL;
          const char *message;

          root = tp_sync_parse_json (body, NULL);
          errors = root && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
          if (errors && json_array_get_length (errors) > 0 &&
              JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
            first = json_node_get_object (json_array_get_element (errors, 0));
          message = tp_sync_json_string (first, "message");
          if (g_strcmp0 (tp_sync_json_string (first, "errorCode"), "NOT_FOUND") != 0 ||
              (message && strstr (message, "external ID field")))
            {
              g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                           "HTTP 404 without Salesforce's NOT_FOUND for the Lead: %s",
                           message ? message : "is the address right?");
              return FALSE;
            }
        }
      /* 204: deleted. */
      if (status == 204 || status == 200 || status == 404)
        tp_sync_item_result_set (&results[0], TP_SYNC_ITEM_SYNCED, NULL, NULL);
      return TRUE;
    }

  root = tp_sync_parse_json (body, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (root) || json_array_get_length (json_node_get_array (root)) != batch->items->len)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "Salesforce's answer is not a list of %u results", batch->items->len);
      return FALSE;
    }
  /* The results come in the order of the records sent. */
  list = json_node_get_array (root);
  for (guint i = 0; i < batch->items->len; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *errors = tp_sync_json_array (obj, "errors");
      JsonObject *first = NULL;
      const char *code, *message;
      g_autofree char *reason = NULL;

      if (obj == NULL)
        continue;
      if (tp_sync_json_true (obj, "success"))
        {
          if (tp_sync_json_string (obj, "id"))
            tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_SYNCED, tp_sync_json_string (obj, "id"), NULL);
          continue;
        }
      if (errors && json_array_get_length (errors) > 0 && JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
        first = json_node_get_object (json_array_get_element (errors, 0));
      code = tp_sync_json_string (first, "statusCode");
      message = tp_sync_json_string (first, "message");
      reason = g_strdup_printf ("%s: %s", code ? code : "ERROR", message ? message : "no message");
      tp_sync_item_result_set (&results[i], is_retryable (code) ? TP_SYNC_ITEM_RETRY : TP_SYNC_ITEM_REJECTED,
                               NULL, reason);
    }
  return TRUE;
}

static const TpSyncAdapter salesforce = {
  .name = "salesforce",
  .max_upserts = 200,
  .max_deletes = 1,
  .signs_body = FALSE,
  .build = salesforce_build,
  .parse = salesforce_parse,
  .reason = tp_sync_reason_from_body,
};

const TpSyncAdapter *
tp_sync_salesforce_adapter (void)
{
  return &salesforce;
}
