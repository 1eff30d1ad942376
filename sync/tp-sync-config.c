/* tp-sync-config.c: reading sync.json and checking the settings, named by file and key. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-config.h"
#include "tp-file.h"
#include "tp-json-strict.h"
#include "tp-json.h"

#include <string.h>

G_DEFINE_QUARK (tp-sync-error-quark, tp_sync_error)

TpSyncConfig *
tp_sync_config_new (void)
{
  TpSyncConfig *config = g_new0 (TpSyncConfig, 1);

  config->connect_timeout = 10;
  config->low_speed_time = 30;
  config->low_speed_limit = 1;
  config->timeout = 120;
  config->backoff_base_ms = 1000;
  config->backoff_max_ms = 5 * 60 * 1000;
  config->max_wait = 120;
  config->max_attempts = 10;
  config->hubspot_id_property = g_strdup ("touchpoint_lead_id");
  config->salesforce_api_version = g_strdup ("59.0");
  config->salesforce_external_id = g_strdup ("Touchpoint_Lead_Id__c");
  config->salesforce_default_company = g_strdup ("[not provided]");
  /* An alerting duplicate rule is for people in Salesforce's pages: the API saves anyway, as
   * a person who saw the alert could; a blocking rule still refuses (docs/sync.md). */
  config->salesforce_duplicate_header = g_strdup ("allowSave=true; includeRecordDetails=true; runAsCurrentUser=true");
  config->salesforce_api_reserve = 5;
  return config;
}

void
tp_sync_config_free (TpSyncConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->target);
  g_free (config->url);
  g_free (config->token_file);
  g_free (config->ca_file);
  g_free (config->hubspot_id_property);
  g_free (config->salesforce_api_version);
  g_free (config->salesforce_external_id);
  g_free (config->salesforce_default_company);
  g_free (config->salesforce_duplicate_header);
  g_clear_pointer (&config->mapping, g_ptr_array_unref);
  g_free (config->source);
  g_free (config);
}

guint
tp_sync_config_get_max_in_flight (TpSyncConfig *config)
{
  if (config->max_in_flight)
    return config->max_in_flight;
  return g_strcmp0 (config->target, "webhook") == 0 ? 8 : 64;
}

GPtrArray *
tp_sync_config_get_mapping (TpSyncConfig *config)
{
  /* The webhook sends the whole lead when no mapping is set. */
  if (config->mapping == NULL)
    config->mapping = tp_sync_mapping_defaults (config->target);
  return config->mapping;
}

/* ---- Loading ------------------------------------------------------------------------------ */

static gboolean
read_string (JsonObject   *obj,
             const char   *key,
             const char   *where,
             char        **out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s%s: must be a string", where, key);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_uint (JsonObject  *obj,
           const char  *where,
           const char  *key,
           guint        min,
           guint        max,
           guint       *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < min || value > max)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s%s: must be a whole number from %u to %u",
                   where, key, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static const char * const known_keys[] = {
  "target", "url", "token_file", "ca_file", "batch_size", "connect_timeout", "low_speed_time",
  "low_speed_limit", "timeout", "backoff_base_ms", "backoff_max_ms", "max_wait", "max_attempts",
  "max_in_flight", "hubspot", "salesforce", "mapping", NULL
};

static gboolean
load_object (TpSyncConfig  *config,
             JsonObject    *obj,
             GError       **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);
  JsonNode *node;

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known_keys, l->data))
      {
        g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: unknown setting", (char *) l->data);
        return FALSE;
      }

  if (!read_string (obj, "target", "", &config->target, error) ||
      !read_string (obj, "url", "", &config->url, error) ||
      !read_string (obj, "token_file", "", &config->token_file, error) ||
      !read_string (obj, "ca_file", "", &config->ca_file, error) ||
      !read_uint (obj, "", "batch_size", 1, 200, &config->batch_size, error) ||
      !read_uint (obj, "", "connect_timeout", 1, 600, &config->connect_timeout, error) ||
      !read_uint (obj, "", "low_speed_time", 1, 3600, &config->low_speed_time, error) ||
      !read_uint (obj, "", "low_speed_limit", 1, 1 << 30, &config->low_speed_limit, error) ||
      !read_uint (obj, "", "timeout", 1, 3600, &config->timeout, error) ||
      !read_uint (obj, "", "backoff_base_ms", 1, 3600 * 1000, &config->backoff_base_ms, error) ||
      !read_uint (obj, "", "backoff_max_ms", 1, 24 * 3600 * 1000, &config->backoff_max_ms, error) ||
      !read_uint (obj, "", "max_wait", 0, 24 * 3600, &config->max_wait, error) ||
      !read_uint (obj, "", "max_attempts", 1, 1000, &config->max_attempts, error) ||
      !read_uint (obj, "", "max_in_flight", 1, 100, &config->max_in_flight, error))
    return FALSE;

  if ((node = json_object_get_member (obj, "hubspot")))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "hubspot: must be an object");
          return FALSE;
        }
      if (!read_string (json_node_get_object (node), "id_property", "hubspot.", &config->hubspot_id_property, error))
        return FALSE;
    }
  if ((node = json_object_get_member (obj, "salesforce")))
    {
      JsonObject *sf;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "salesforce: must be an object");
          return FALSE;
        }
      sf = json_node_get_object (node);
      if (!read_string (sf, "api_version", "salesforce.", &config->salesforce_api_version, error) ||
          !read_string (sf, "external_id_field", "salesforce.", &config->salesforce_external_id, error) ||
          !read_string (sf, "default_company", "salesforce.", &config->salesforce_default_company, error) ||
          !read_uint (sf, "salesforce.", "api_reserve_percent", 0, 50, &config->salesforce_api_reserve, error))
        return FALSE;
      /* null or "": no header, the org's duplicate rules apply as they are. */
      node = json_object_get_member (sf, "duplicate_rule_header");
      if (node && JSON_NODE_HOLDS_NULL (node))
        g_clear_pointer (&config->salesforce_duplicate_header, g_free);
      else if (!read_string (sf, "duplicate_rule_header", "salesforce.", &config->salesforce_duplicate_header, error))
        return FALSE;
      if (config->salesforce_duplicate_header && *config->salesforce_duplicate_header == '\0')
        g_clear_pointer (&config->salesforce_duplicate_header, g_free);
      if (config->salesforce_duplicate_header && strpbrk (config->salesforce_duplicate_header, "\r\n"))
        {
          g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                       "salesforce.duplicate_rule_header: must be on one line");
          return FALSE;
        }
    }
  if ((node = json_object_get_member (obj, "mapping")))
    {
      g_autoptr(GPtrArray) mapping = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_sync_mapping_free);
      g_autoptr(GList) props = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                       "mapping: must be an object of \"CRM property\": \"source\"");
          return FALSE;
        }
      props = json_object_get_members (json_node_get_object (node));
      for (GList *l = props; l; l = l->next)
        {
          JsonNode *value = json_object_get_member (json_node_get_object (node), l->data);
          TpSyncMapping *m;

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "mapping.%s: must be a string",
                           (char *) l->data);
              return FALSE;
            }
          if (!(m = tp_sync_mapping_new (l->data, json_node_get_string (value), error)))
            return FALSE;
          g_ptr_array_add (mapping, m);
        }
      g_clear_pointer (&config->mapping, g_ptr_array_unref);
      config->mapping = g_steal_pointer (&mapping);
    }
  return TRUE;
}

TpSyncConfig *
tp_sync_config_load (const char  *path,
                     GError     **error)
{
  g_autoptr(TpSyncConfig) config = tp_sync_config_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  JsonNode *root;

  config->source = g_strdup (path);
  /* As for event files: no blocking on a FIFO, no huge read, and strict JSON (a key given
   * twice, comments, 010 refused with their path). */
  if (!tp_file_read_regular (path, TP_FILE_MAX_INPUT, &data, &length, &local_error))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }
  if (!(root_node = tp_json_parse_strict (data, length, &local_error)))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: not valid JSON: %s", path, local_error->message);
      return NULL;
    }
  root = root_node;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: must hold a JSON object", path);
      return NULL;
    }
  if (!load_object (config, json_node_get_object (root), &local_error))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&config);
}

/* Plain http only to this machine: "localhost" and literal loopback addresses. A name that
 * merely starts with "127." (127.0.0.1.nip.io) resolves elsewhere and is no loopback. */
static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = host[0] == '[' ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
tp_sync_config_validate (TpSyncConfig  *config,
                         gboolean       need_token,
                         GError       **error)
{
  const char *where = config->source ? config->source : "sync.json";
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  if (config->target == NULL)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                   "no sync target: give --target webhook|hubspot|salesforce or \"target\" in %s", where);
      return FALSE;
    }
  if (!g_str_equal (config->target, "webhook") && !g_str_equal (config->target, "hubspot") &&
      !g_str_equal (config->target, "salesforce"))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                   "unknown sync target \"%s\" (use webhook, hubspot or salesforce)", config->target);
      return FALSE;
    }
  if (config->url == NULL && g_str_equal (config->target, "hubspot"))
    config->url = g_strdup ("https://api.hubapi.com");
  if (config->url == NULL)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                   g_str_equal (config->target, "webhook")
                   ? "the webhook needs its address: give --url URL or \"url\" in %s"
                   : "Salesforce needs the org's instance address (https://NAME.my.salesforce.com): "
                     "give --url URL or \"url\" in %s", where);
      return FALSE;
    }
  uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "the URL \"%s\" is not a valid address", config->url);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (g_uri_get_host (uri))))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                   "the URL \"%s\" must start with https:// (plain http:// would expose the token and the "
                   "leads; it is accepted only for 127.0.0.1, ::1 and localhost, for tests)", config->url);
      return FALSE;
    }
  if (config->ca_file && !g_file_test (config->ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "the CA file %s does not exist", config->ca_file);
      return FALSE;
    }
  if (need_token && config->token_file == NULL)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
                   g_str_equal (config->target, "webhook")
                   ? "the webhook needs its signing secret: give --token-file FILE or \"token_file\" in %s"
                   : "the CRM needs an access token: give --token-file FILE or \"token_file\" in %s", where);
      return FALSE;
    }
  if (config->batch_size > 200 || (config->batch_size > 100 && g_str_equal (config->target, "hubspot")))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "batch_size %u is more than %s accepts (%u)",
                   config->batch_size, config->target, g_str_equal (config->target, "hubspot") ? 100 : 200);
      return FALSE;
    }
  if (config->backoff_max_ms < config->backoff_base_ms)
    config->backoff_max_ms = config->backoff_base_ms;
  tp_sync_config_get_mapping (config);
  return TRUE;
}
