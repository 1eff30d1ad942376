/* tp-sync-adapter.c: what the CRM adapters share: requests, property mapping, error reasons. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"

#include <string.h>

TpSyncRequest *
tp_sync_request_new (const char *method,
                     const char *url)
{
  TpSyncRequest *request = g_new0 (TpSyncRequest, 1);

  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = g_ptr_array_new_with_free_func (g_free);
  return request;
}

void
tp_sync_request_free (TpSyncRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->url);
  g_ptr_array_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

void
tp_sync_request_set_json (TpSyncRequest *request,
                          JsonNode      *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = g_bytes_new_take (text, length);
  g_ptr_array_add (request->headers, g_strdup ("Content-Type: application/json; charset=utf-8"));
  g_ptr_array_add (request->headers, g_strdup ("Accept: application/json"));
}

void
tp_sync_item_result_clear (TpSyncItemResult *result)
{
  g_clear_pointer (&result->remote_id, g_free);
  g_clear_pointer (&result->message, g_free);
  result->outcome = TP_SYNC_ITEM_UNREPORTED;
}

void
tp_sync_item_result_set (TpSyncItemResult  *result,
                         TpSyncItemOutcome  outcome,
                         const char        *remote_id,
                         const char        *message)
{
  tp_sync_item_result_clear (result);
  result->outcome = outcome;
  result->remote_id = g_strdup (remote_id);
  result->message = g_strdup (message);
}

const TpSyncAdapter *
tp_sync_adapter_lookup (const char *target)
{
  if (g_strcmp0 (target, "webhook") == 0)
    return tp_sync_webhook_adapter ();
  if (g_strcmp0 (target, "hubspot") == 0)
    return tp_sync_hubspot_adapter ();
  if (g_strcmp0 (target, "salesforce") == 0)
    return tp_sync_salesforce_adapter ();
  return NULL;
}

JsonNode *
tp_sync_build_properties (TpSyncConfig *config,
                          TpLeadRecord *record,
                          gboolean      stringify)
{
  GPtrArray *mapping = tp_sync_config_get_mapping (config);
  g_autoptr(JsonObject) props = json_object_new ();
  JsonNode *node;

  for (guint i = 0; mapping && i < mapping->len; i++)
    {
      const TpSyncMapping *m = mapping->pdata[i];
      JsonNode *value = tp_sync_mapping_evaluate (m, record);

      if (value == NULL)
        continue;
      if (stringify && json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_autofree char *text = NULL;

          if (json_node_get_value_type (value) == G_TYPE_BOOLEAN)
            text = g_strdup (json_node_get_boolean (value) ? "true" : "false");
          else
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          json_node_unref (value);
          value = json_node_init_string (json_node_alloc (), text);
        }
      json_object_set_member (props, m->property, value);
    }
  node = json_node_alloc ();
  json_node_init_object (node, props);
  return node;
}

JsonNode *
tp_sync_parse_json (GBytes  *body,
                    GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  if (data == NULL || size == 0)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL, "the CRM's answer was empty");
      return NULL;
    }
  /* A CRM's answer is read with the same care as our own files: no stack-deep nesting. */
  if (!tp_json_depth_ok (data, size))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "the CRM's answer nests deeper than %d levels", TP_JSON_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &local_error) || json_parser_get_root (parser) == NULL)
    {
      tp_sync_set_not_json_error (error, data, size, local_error ? local_error->message : "empty");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

void
tp_sync_set_not_json_error (GError     **error,
                            const char  *data,
                            gsize        size,
                            const char  *detail)
{
  gsize i = 0;

  while (data && i < size && g_ascii_isspace (data[i]))
    i++;
  if (data && i < size && data[i] == '<')
    g_set_error_literal (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                         "the CRM answered with a web page, not JSON: check that --url (or \"url\" in "
                         "sync.json) is the API's address, and that no proxy or Wi-Fi login page is in the way");
  else
    g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL, "the CRM's answer is not valid JSON: %s", detail);
}

char *
tp_sync_join_url (const char *base,
                  const char *path)
{
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s%s", (int) len, base, path);
}

const char *
tp_sync_json_string (JsonObject *obj,
                     const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

JsonObject *
tp_sync_json_object (JsonObject *obj,
                     const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
tp_sync_json_array (JsonObject *obj,
                    const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
tp_sync_json_true (JsonObject *obj,
                   const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

char *
tp_sync_format_local (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms / 1000);
  gint64 now = g_get_real_time () / 1000;

  if (when == NULL)
    return g_strdup ("?");
  return g_date_time_format (when, ms - now < 20 * 3600 * 1000 ? "%H:%M" : "%Y-%m-%d %H:%M");
}

static char *
body_excerpt (GBytes *body)
{
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = NULL;
  const char *end;

  if (data == NULL || size == 0)
    return NULL;
  text = g_strndup (data, MIN (size, 200));
  /* Keep valid UTF-8 only, on one line. */
  g_utf8_validate (text, -1, &end);
  text[end - text] = '\0';
  g_strdelimit (text, "\r\n\t", ' ');
  return g_steal_pointer (&text);
}

char *
tp_sync_reason_from_body (long    status,
                          GBytes *body)
{
  g_autoptr(JsonNode) root = tp_sync_parse_json (body, NULL);
  g_autofree char *excerpt = NULL;
  JsonNode *node = root;

  /* Salesforce answers errors as an array of {message, errorCode}. */
  if (node && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    node = json_array_get_element (json_node_get_array (node), 0);
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      const char *message = tp_sync_json_string (obj, "message");
      const char *code = tp_sync_json_string (obj, "errorCode");

      if (code == NULL)
        code = tp_sync_json_string (obj, "category");
      if (code == NULL)
        code = tp_sync_json_string (obj, "error");

      if (message && code)
        return g_strdup_printf ("HTTP %ld: %s: %s", status, code, message);
      if (message || code)
        return g_strdup_printf ("HTTP %ld: %s", status, message ? message : code);
    }
  excerpt = body_excerpt (body);
  if (excerpt && *excerpt)
    return g_strdup_printf ("HTTP %ld: %s", status, excerpt);
  return g_strdup_printf ("HTTP %ld", status);
}
