/* tp-sync-config.c: reading sync.json, checking the settings, the field mapping, token files. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-config.h"
#include "tp-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  g_clear_pointer (&config->mapping, g_ptr_array_unref);
  g_free (config->source);
  g_free (config);
}

void
tp_sync_mapping_free (TpSyncMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_free (mapping->property);
  g_free (mapping->arg);
  g_free (mapping);
}

static const struct
{
  const char       *name;
  TpSyncSourceKind  kind;
} plain_sources[] = {
  { "name.first", TP_SYNC_SOURCE_NAME_FIRST },
  { "name.last", TP_SYNC_SOURCE_NAME_LAST },
  { "answers", TP_SYNC_SOURCE_ANSWERS },
  { "tags", TP_SYNC_SOURCE_TAGS },
  { "offer", TP_SYNC_SOURCE_OFFER },
  { "coupon", TP_SYNC_SOURCE_COUPON },
  { "coupon.expires_at", TP_SYNC_SOURCE_COUPON_EXPIRES },
  { "event", TP_SYNC_SOURCE_EVENT },
  { "captured_at", TP_SYNC_SOURCE_CAPTURED_AT },
  { "lead_id", TP_SYNC_SOURCE_LEAD_ID },
  { "kiosk", TP_SYNC_SOURCE_KIOSK },
  { "locale", TP_SYNC_SOURCE_LOCALE },
};

TpSyncMapping *
tp_sync_mapping_new (const char  *property,
                     const char  *source,
                     GError     **error)
{
  g_autoptr(TpSyncMapping) m = g_new0 (TpSyncMapping, 1);

  m->property = g_strdup (property);
  for (guint i = 0; i < G_N_ELEMENTS (plain_sources); i++)
    if (g_str_equal (source, plain_sources[i].name))
      {
        m->kind = plain_sources[i].kind;
        return g_steal_pointer (&m);
      }
  if (g_str_has_prefix (source, "text:"))
    {
      m->kind = TP_SYNC_SOURCE_TEXT;
      m->arg = g_strdup (source + 5);
      return g_steal_pointer (&m);
    }
  if (g_str_has_prefix (source, "field.") && source[6])
    {
      m->kind = TP_SYNC_SOURCE_FIELD;
      m->arg = g_strdup (source + 6);
      return g_steal_pointer (&m);
    }
  if (g_str_has_prefix (source, "answer.") && source[7])
    {
      m->kind = TP_SYNC_SOURCE_ANSWER;
      m->arg = g_strdup (source + 7);
      return g_steal_pointer (&m);
    }
  if ((g_str_has_prefix (source, "consent.") && source[8]) || (g_str_has_prefix (source, "!consent.") && source[9]))
    {
      gboolean negated = source[0] == '!';
      const char *purpose = source + (negated ? 9 : 8);

      if (g_str_has_suffix (purpose, ".version") && !negated)
        {
          m->kind = TP_SYNC_SOURCE_CONSENT_VERSION;
          m->arg = g_strndup (purpose, strlen (purpose) - strlen (".version"));
        }
      else if (g_str_has_suffix (purpose, ".at") && !negated)
        {
          m->kind = TP_SYNC_SOURCE_CONSENT_AT;
          m->arg = g_strndup (purpose, strlen (purpose) - strlen (".at"));
        }
      else if (strchr (purpose, '.') == NULL)
        {
          m->kind = negated ? TP_SYNC_SOURCE_CONSENT_REFUSED : TP_SYNC_SOURCE_CONSENT;
          m->arg = g_strdup (purpose);
        }
      if (m->arg && *m->arg)
        return g_steal_pointer (&m);
    }
  g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG,
               "mapping.%s: unknown source \"%s\" (use field.ID, name.first, name.last, consent.PURPOSE, "
               "!consent.PURPOSE, consent.PURPOSE.version, consent.PURPOSE.at, answer.ID, answers, tags, offer, "
               "coupon, coupon.expires_at, event, captured_at, lead_id, kiosk, locale or text:LITERAL)",
               property, source);
  return NULL;
}

static gboolean
has_hangul (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL)
      return TRUE;
  return FALSE;
}

void
tp_sync_split_name (const char  *name,
                    char       **first,
                    char       **last)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  char *space;

  *first = NULL;
  *last = NULL;
  if (*trimmed == '\0')
    return;
  if (has_hangul (trimmed))
    {
      /* Korean order: family name first. */
      space = strchr (trimmed, ' ');
      if (space == NULL)
        {
          *last = g_strdup (trimmed);
          return;
        }
      *last = g_strndup (trimmed, space - trimmed);
      *first = g_strstrip (g_strdup (space + 1));
      return;
    }
  space = strrchr (trimmed, ' ');
  if (space == NULL)
    {
      *last = g_strdup (trimmed);
      return;
    }
  *last = g_strdup (space + 1);
  *first = g_strstrip (g_strndup (trimmed, space - trimmed));
}

static JsonNode *
string_node (const char *value)
{
  if (value == NULL || *value == '\0')
    return NULL;
  return json_node_init_string (json_node_alloc (), value);
}

static JsonNode *
answer_node (const TpAnswer *answer)
{
  g_autofree char *text = NULL;

  if (answer->kind == TP_ANSWER_NUMBER)
    return json_node_init_int (json_node_alloc (), answer->number);
  /* Multiple choices joined by ";", as HubSpot's and Salesforce's multi-select fields expect. */
  text = answer->kind == TP_ANSWER_LIST ? g_strjoinv (";", answer->list) : tp_answer_to_display (answer);
  return string_node (text);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

GPtrArray *
tp_sync_sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

JsonNode *
tp_sync_mapping_evaluate (const TpSyncMapping *m,
                          TpLeadRecord        *r)
{
  switch (m->kind)
    {
    case TP_SYNC_SOURCE_FIELD:
      return string_node (g_hash_table_lookup (r->fields, m->arg));
    case TP_SYNC_SOURCE_NAME_FIRST:
    case TP_SYNC_SOURCE_NAME_LAST:
      {
        g_autofree char *first = NULL, *last = NULL;

        tp_sync_split_name (g_hash_table_lookup (r->fields, "name"), &first, &last);
        return string_node (m->kind == TP_SYNC_SOURCE_NAME_FIRST ? first : last);
      }
    case TP_SYNC_SOURCE_CONSENT:
    case TP_SYNC_SOURCE_CONSENT_REFUSED:
    case TP_SYNC_SOURCE_CONSENT_VERSION:
    case TP_SYNC_SOURCE_CONSENT_AT:
      {
        TpConsentRecord *c = g_hash_table_lookup (r->consents, m->arg);

        if (c == NULL)
          return NULL;
        if (m->kind == TP_SYNC_SOURCE_CONSENT)
          return json_node_init_boolean (json_node_alloc (), c->granted);
        if (m->kind == TP_SYNC_SOURCE_CONSENT_REFUSED)
          return json_node_init_boolean (json_node_alloc (), !c->granted);
        return string_node (m->kind == TP_SYNC_SOURCE_CONSENT_VERSION ? c->version : c->recorded_at);
      }
    case TP_SYNC_SOURCE_ANSWER:
      {
        TpAnswer *a = g_hash_table_lookup (r->answers, m->arg);

        return a ? answer_node (a) : NULL;
      }
    case TP_SYNC_SOURCE_ANSWERS:
      {
        /* Sorted, so that the same lead always gives the same text. */
        g_autoptr(GPtrArray) ids = tp_sync_sorted_keys (r->answers);
        g_autoptr(GString) text = g_string_new (NULL);

        for (guint i = 0; i < ids->len; i++)
          {
            g_autofree char *value = tp_answer_to_display (g_hash_table_lookup (r->answers, ids->pdata[i]));

            g_string_append_printf (text, "%s%s: %s", i ? "\n" : "", (char *) ids->pdata[i], value);
          }
        return string_node (text->str);
      }
    case TP_SYNC_SOURCE_TAGS:
      {
        g_autofree char *joined = r->tags ? g_strjoinv (";", r->tags) : NULL;

        return string_node (joined);
      }
    case TP_SYNC_SOURCE_OFFER:
      return string_node (r->offer);
    case TP_SYNC_SOURCE_COUPON:
      return string_node (r->coupon_code);
    case TP_SYNC_SOURCE_COUPON_EXPIRES:
      return string_node (r->coupon_expires_at);
    case TP_SYNC_SOURCE_EVENT:
      return string_node (r->event_id);
    case TP_SYNC_SOURCE_CAPTURED_AT:
      return string_node (r->captured_at);
    case TP_SYNC_SOURCE_LEAD_ID:
      return string_node (r->lead_id);
    case TP_SYNC_SOURCE_KIOSK:
      return string_node (r->kiosk_id);
    case TP_SYNC_SOURCE_LOCALE:
      return string_node (r->locale);
    case TP_SYNC_SOURCE_TEXT:
      return string_node (m->arg);
    default:
      g_assert_not_reached ();
    }
}

/* ---- Defaults ----------------------------------------------------------------------------- */

static const char * const hubspot_default[] = {
  "firstname", "name.first",
  "lastname", "name.last",
  "email", "field.email",
  "phone", "field.phone",
  "company", "field.company",
  "touchpoint_event", "event",
  "touchpoint_captured_at", "captured_at",
  "touchpoint_marketing_consent", "consent.marketing",
  "touchpoint_marketing_consent_version", "consent.marketing.version",
  "touchpoint_answers", "answers",
  "touchpoint_tags", "tags",
  "touchpoint_offer", "offer",
  "touchpoint_coupon", "coupon",
  NULL
};

/* Standard Lead fields only, so that it works on any org with just the external id field. */
static const char * const salesforce_default[] = {
  "FirstName", "name.first",
  "LastName", "name.last",
  "Email", "field.email",
  "MobilePhone", "field.phone",
  "Company", "field.company",
  "LeadSource", "text:Touchpoint",
  "HasOptedOutOfEmail", "!consent.marketing",
  "Description", "answers",
  NULL
};

static GPtrArray *
mapping_from_pairs (const char * const *pairs)
{
  GPtrArray *mapping = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_sync_mapping_free);

  for (guint i = 0; pairs[i]; i += 2)
    g_ptr_array_add (mapping, tp_sync_mapping_new (pairs[i], pairs[i + 1], NULL));
  return mapping;
}

GPtrArray *
tp_sync_config_get_mapping (TpSyncConfig *config)
{
  if (config->mapping)
    return config->mapping;
  if (g_strcmp0 (config->target, "hubspot") == 0)
    config->mapping = mapping_from_pairs (hubspot_default);
  else if (g_strcmp0 (config->target, "salesforce") == 0)
    config->mapping = mapping_from_pairs (salesforce_default);
  /* The webhook sends the whole lead when no mapping is set. */
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
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: must be a whole number from %u to %u",
                   key, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static const char * const known_keys[] = {
  "target", "url", "token_file", "ca_file", "batch_size", "connect_timeout", "low_speed_time",
  "low_speed_limit", "timeout", "backoff_base_ms", "backoff_max_ms", "max_wait", "max_attempts",
  "hubspot", "salesforce", "mapping", NULL
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
      !read_uint (obj, "batch_size", 1, 200, &config->batch_size, error) ||
      !read_uint (obj, "connect_timeout", 1, 600, &config->connect_timeout, error) ||
      !read_uint (obj, "low_speed_time", 1, 3600, &config->low_speed_time, error) ||
      !read_uint (obj, "low_speed_limit", 1, 1 << 30, &config->low_speed_limit, error) ||
      !read_uint (obj, "timeout", 1, 3600, &config->timeout, error) ||
      !read_uint (obj, "backoff_base_ms", 1, 3600 * 1000, &config->backoff_base_ms, error) ||
      !read_uint (obj, "backoff_max_ms", 1, 24 * 3600 * 1000, &config->backoff_max_ms, error) ||
      !read_uint (obj, "max_wait", 0, 24 * 3600, &config->max_wait, error) ||
      !read_uint (obj, "max_attempts", 1, 1000, &config->max_attempts, error))
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
          !read_string (sf, "default_company", "salesforce.", &config->salesforce_default_company, error))
        return FALSE;
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
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  JsonNode *root;

  config->source = g_strdup (path);
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }
  /* The same guards as for event files: a NUL escape cannot cut a value short, and absurd
   * nesting is refused before the parser recurses into it. */
  tp_json_mask_nul_escapes (data, length);
  if (!tp_json_depth_ok (data, length))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: nests deeper than %d levels", path,
                   TP_JSON_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CONFIG, "%s: %s", path, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
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

static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0 || g_str_has_prefix (host, "127.");
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

/* ---- Secrets ------------------------------------------------------------------------------ */

char *
tp_sync_read_secret (const char  *path,
                     GError     **error)
{
  struct stat st;
  char *data;
  gssize n = 0, got;
  int fd;

  /* A link is followed (secrets often live under /run/credentials or a mounted folder): the
   * checks below apply to the file it reaches. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "cannot read the token file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "the token file %s is not a regular file", path);
      return NULL;
    }
  if (st.st_mode & 077)
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN,
                   "the token file %s can be read by other users (mode %04o); run `chmod 600 %s` first",
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (st.st_size > 64 * 1024)
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "the token file %s is too big to hold a token", path);
      return NULL;
    }
  data = g_malloc0 (st.st_size + 1);
  while (n < st.st_size && (got = read (fd, data + n, st.st_size - n)) > 0)
    n += got;
  close (fd);
  data[n] = '\0';
  while (n > 0 && g_ascii_isspace (data[n - 1]))
    data[--n] = '\0';
  if (n == 0 || strpbrk (data, "\r\n") != NULL)
    {
      tp_sync_secret_free (data);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN,
                   n == 0 ? "the token file %s is empty: put the token in it, on one line"
                          : "the token file %s must hold the token on one line", path);
      return NULL;
    }
  return data;
}

void
tp_sync_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
