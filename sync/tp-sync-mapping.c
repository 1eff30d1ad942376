/* tp-sync-mapping.c: the field mapping: sources, name splitting, the targets' default mappings. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-mapping.h"
#include "tp-sync-config.h"

#include <string.h>

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

GPtrArray *
tp_sync_mapping_defaults (const char *target)
{
  const char * const *pairs = NULL;
  GPtrArray *mapping;

  if (g_strcmp0 (target, "hubspot") == 0)
    pairs = hubspot_default;
  else if (g_strcmp0 (target, "salesforce") == 0)
    pairs = salesforce_default;
  else
    return NULL;
  mapping = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_sync_mapping_free);
  for (guint i = 0; pairs[i]; i += 2)
    g_ptr_array_add (mapping, tp_sync_mapping_new (pairs[i], pairs[i + 1], NULL));
  return mapping;
}
