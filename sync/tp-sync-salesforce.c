/* tp-sync-salesforce.c: the Salesforce adapter: Lead upserts by external id via sObject Collections. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"

#include <string.h>

/* The Salesforce Id from the upsert when it is known ("sObject Rows"); else the external id,
 * which for a lead without an email is its lead id ("sObject Rows by External ID"). */
static TpSyncRequest *
build_delete (TpSyncConfig  *config,
              TpOutboxItem  *item)
{
  g_autofree char *escaped = g_uri_escape_string (item->remote_id ? item->remote_id : item->lead_id, NULL, FALSE);
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  if (item->remote_id)
    path = g_strdup_printf ("/services/data/v%s/sobjects/Lead/%s", config->salesforce_api_version, escaped);
  else
    path = g_strdup_printf ("/services/data/v%s/sobjects/Lead/%s/%s", config->salesforce_api_version,
                            config->salesforce_external_id, escaped);
  url = tp_sync_join_url (config->url, path);
  return tp_sync_request_new ("DELETE", url);
}

/* One Lead per person: the external id holds the email, trimmed and in lower case, when the
 * lead has one (the same visitor on two kiosks, or twice on one, upserts the same Lead), else
 * the lead id (docs/sync.md). */
static char *
person_key (TpOutboxItem *item)
{
  const char *email = item->record ? g_hash_table_lookup (item->record->fields, "email") : NULL;
  g_autofree char *trimmed = email ? g_strstrip (g_strdup (email)) : NULL;

  if (trimmed && *trimmed)
    return g_utf8_strdown (trimmed, -1);
  return g_strdup (item->lead_id);
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
  g_autoptr(GHashTable) keys = NULL;

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
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  tp_json_add_bool (b, "allOrNone", FALSE);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->items->len; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      g_autofree char *key = person_key (item);
      g_autoptr(JsonNode) props = NULL;
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(JsonObject) attributes = NULL;
      g_autoptr(GList) names = NULL;
      JsonObject *p;
      JsonNode *node;

      /* Salesforce refuses a request naming one external id twice: the second lead of a person
       * waits for the next batch, where it updates the same Lead. */
      if (g_hash_table_contains (keys, key))
        {
          tp_sync_item_result_set (&results[i], TP_SYNC_ITEM_DEFER, NULL, NULL);
          continue;
        }
      props = tp_sync_build_properties (config, item->record, FALSE);
      record = json_object_new ();
      attributes = json_object_new ();
      p = json_node_get_object (props);
      names = json_object_get_members (p);
      json_object_set_string_member (attributes, "type", "Lead");
      json_object_set_object_member (record, "attributes", json_object_ref (attributes));
      json_object_set_string_member (record, config->salesforce_external_id, key);
      g_hash_table_add (keys, g_steal_pointer (&key));
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
  if (config->salesforce_duplicate_header)
    g_ptr_array_add (request->headers, g_strdup_printf ("Sforce-Duplicate-Rule-Header: %s",
                                                        config->salesforce_duplicate_header));
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

/* A duplicate rule refused the Lead: the reason names the Leads it matched (their Ids, from
 * duplicateResult.matchResults[].matchRecords[].record.Id), so that a person can merge them. */
static char *
duplicates_reason (JsonObject *error,
                   const char *message)
{
  JsonObject *result = tp_sync_json_object (error, "duplicateResult");
  JsonArray *matches = tp_sync_json_array (result, "matchResults");
  const char *rule = tp_sync_json_string (result, "duplicateRule");
  g_autoptr(GString) reason = g_string_new ("DUPLICATES_DETECTED: ");
  guint n = 0;

  g_string_append (reason, message ? message : "a duplicate rule refused it");
  if (rule)
    g_string_append_printf (reason, " (rule %s)", rule);
  for (guint i = 0; matches && i < json_array_get_length (matches); i++)
    {
      JsonNode *node = json_array_get_element (matches, i);
      JsonArray *records = JSON_NODE_HOLDS_OBJECT (node)
                           ? tp_sync_json_array (json_node_get_object (node), "matchRecords") : NULL;

      for (guint j = 0; records && j < json_array_get_length (records); j++)
        {
          JsonNode *r = json_array_get_element (records, j);
          JsonObject *record = JSON_NODE_HOLDS_OBJECT (r) ? tp_sync_json_object (json_node_get_object (r), "record")
                                                          : NULL;
          const char *id = tp_sync_json_string (record, "Id");

          if (id)
            g_string_append_printf (reason, "%s%s", n++ ? ", " : "; it matches Lead ", id);
        }
    }
  return g_string_free (g_steal_pointer (&reason), FALSE);
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
  guint sent = 0;

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

  for (guint i = 0; i < batch->items->len; i++)
    if (results[i].outcome != TP_SYNC_ITEM_DEFER)
      sent++;
  root = tp_sync_parse_json (body, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (root) || json_array_get_length (json_node_get_array (root)) != sent)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "Salesforce's answer is not a list of %u results", sent);
      return FALSE;
    }
  /* The results come in the order of the records sent. */
  list = json_node_get_array (root);
  for (guint i = 0, at = 0; i < batch->items->len; i++)
    {
      JsonNode *node;

      if (results[i].outcome == TP_SYNC_ITEM_DEFER)
        continue;
      node = json_array_get_element (list, at++);
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
      if (g_strcmp0 (code, "DUPLICATES_DETECTED") == 0)
        reason = duplicates_reason (first, message);
      else
        reason = g_strdup_printf ("%s: %s", code ? code : "ERROR", message ? message : "no message");
      tp_sync_item_result_set (&results[i], is_retryable (code) ? TP_SYNC_ITEM_RETRY : TP_SYNC_ITEM_REJECTED,
                               NULL, reason);
    }
  return TRUE;
}

/* What the run may use of the org's daily API requests: all but salesforce.api_reserve_percent. */
static gint64
salesforce_requests_left (TpSyncConfig         *config,
                          const TpSyncResponse *response)
{
  if (response->api_max <= 0)
    return -1;
  return MAX (0, response->api_max - response->api_used -
                 response->api_max * (gint64) config->salesforce_api_reserve / 100);
}

/* The org's API requests in the last 24 hours: 403 REQUEST_LIMIT_EXCEEDED when they are used
 * up; Sforce-Limit-Info on every answer says how many are used, and the run stops before the
 * last salesforce.api_reserve_percent of them, which the org's other integrations need. */
static gboolean
salesforce_used_up (TpSyncConfig         *config,
                    const TpSyncResponse *response,
                    char                **sentence,
                    gint64               *resume_ms)
{
  g_autofree char *usage = NULL;

  if (response->api_max > 0)
    usage = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " requests in the last 24 hours",
                             response->api_used, response->api_max);
  if (response->status == 403)
    {
      g_autoptr(JsonNode) root = tp_sync_parse_json (response->body, NULL);
      JsonArray *errors = root && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
      JsonNode *first = errors && json_array_get_length (errors) > 0 ? json_array_get_element (errors, 0) : NULL;

      if (first && JSON_NODE_HOLDS_OBJECT (first) &&
          g_strcmp0 (tp_sync_json_string (json_node_get_object (first), "errorCode"), "REQUEST_LIMIT_EXCEEDED") == 0)
        {
          *sentence = g_strdup_printf ("Salesforce's API request limit for the org is used up%s%s%s; run again "
                                       "later (Salesforce counts the last 24 hours), or ask for a higher limit",
                                       usage ? " (" : "", usage ? usage : "", usage ? ")" : "");
          *resume_ms = 0;
          return TRUE;
        }
    }
  if (response->api_max > 0 && response->api_used >= response->api_max)
    {
      *sentence = g_strdup_printf ("Salesforce's API request limit for the org is used up (%s); run again later "
                                   "(Salesforce counts the last 24 hours), or ask for a higher limit", usage);
      *resume_ms = 0;
      return TRUE;
    }
  if (response->api_max > 0 && salesforce_requests_left (config, response) <= 0)
    {
      *sentence = g_strdup_printf ("Salesforce's API request limit for the org is nearly used up (%s; the last %u %% "
                                   "are left for the org's other uses); run again later (Salesforce counts the last "
                                   "24 hours)", usage, config->salesforce_api_reserve);
      *resume_ms = 0;
      return TRUE;
    }
  return FALSE;
}

static const TpSyncAdapter salesforce = {
  .name = "salesforce",
  .max_upserts = 200,
  .max_deletes = 1,
  .signs_body = FALSE,
  .build = salesforce_build,
  .parse = salesforce_parse,
  .reason = tp_sync_reason_from_body,
  .no_rate_limit = TRUE,
  .used_up = salesforce_used_up,
  .requests_left = salesforce_requests_left,
};

const TpSyncAdapter *
tp_sync_salesforce_adapter (void)
{
  return &salesforce;
}
