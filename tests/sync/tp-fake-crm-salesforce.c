/* tp-fake-crm-salesforce.c: the fake CRM's Salesforce: Leads by external id, duplicate rules, deletes. */
#include "tp-fake-crm-private.h"

#include <string.h>

static void
sf_error (JsonBuilder *b,
          const char  *code,
          const char  *message)
{
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statusCode");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
}

/* Salesforce's DuplicateResult, as a duplicate rule reports it (API guide, "DuplicateResult"). */
static void
sf_duplicates (JsonBuilder *b,
               const char  *match_id,
               gboolean     allow_save)
{
  g_autofree char *url = g_strdup_printf ("/services/data/v59.0/sobjects/Lead/%s", match_id);

  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statusCode");
  json_builder_add_string_value (b, "DUPLICATES_DETECTED");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "Use one of these records?");
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "duplicateResult");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "allowSave");
  json_builder_add_boolean_value (b, allow_save);
  json_builder_set_member_name (b, "duplicateRule");
  json_builder_add_string_value (b, "Standard_Lead_Duplicate_Rule");
  json_builder_set_member_name (b, "duplicateRuleEntityType");
  json_builder_add_string_value (b, "Lead");
  json_builder_set_member_name (b, "errorMessage");
  json_builder_add_string_value (b, "You're creating a duplicate record. We recommend you use an existing record instead.");
  json_builder_set_member_name (b, "matchResults");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entityType");
  json_builder_add_string_value (b, "Lead");
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "matchEngine");
  json_builder_add_string_value (b, "ExactMatchEngine");
  json_builder_set_member_name (b, "matchRecords");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "matchConfidence");
  json_builder_add_double_value (b, 100.0);
  json_builder_set_member_name (b, "record");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "attributes");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Lead");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "Id");
  json_builder_add_string_value (b, match_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, "Standard_Lead_Match_Rule_v1_0");
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
}

/* Another Lead with this email (any case), or NULL. */
static const char *
find_by_email (TpFakeCrm  *self,
               const char *email)
{
  g_autofree char *folded = email ? g_ascii_strdown (email, -1) : NULL;

  return folded ? g_hash_table_lookup (self->sf_by_email, folded) : NULL;
}

static void
index_email (TpFakeCrm  *self,
             JsonObject *lead,
             const char *sf_id,
             gboolean    add)
{
  const char *email = tp_fake_get_string (lead, "Email");
  g_autofree char *folded = email ? g_ascii_strdown (email, -1) : NULL;

  if (folded == NULL)
    return;
  if (add)
    g_hash_table_insert (self->sf_by_email, g_steal_pointer (&folded), g_strdup (sf_id));
  else if (g_strcmp0 (g_hash_table_lookup (self->sf_by_email, folded), sf_id) == 0)
    g_hash_table_remove (self->sf_by_email, folded);
}

void
tp_fake_salesforce_add_lead (TpFakeCrm  *self,
                             const char *sf_id,
                             JsonObject *lead)
{
  JsonObject *old = g_hash_table_lookup (self->sf_leads, sf_id);

  if (old)
    index_email (self, old, sf_id, FALSE);
  g_hash_table_insert (self->sf_leads, g_strdup (sf_id), json_object_ref (lead));
  index_email (self, lead, sf_id, TRUE);
}

static gboolean
allows_save (TpFakeRequest *r)
{
  const char *header = g_hash_table_lookup (r->headers, "sforce-duplicate-rule-header");
  g_autofree char *lower = header ? g_ascii_strdown (header, -1) : NULL;

  return lower && strstr (lower, "allowsave=true") != NULL;
}

void
tp_fake_salesforce_handle_upsert (TpFakeCrm      *self,
                                  TpFakeRequest  *r,
                                  gboolean        partial,
                                  TpFakeResponse *resp)
{
  JsonNode *root = r->json;
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *records = obj && json_object_has_member (obj, "records") ? json_object_get_array_member (obj, "records")
                       : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) repeated = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;

  if (records == NULL || json_array_get_length (records) > 200 ||
      !json_object_has_member (obj, "allOrNone") || json_object_get_boolean_member (obj, "allOrNone"))
    {
      resp->status = 400;
      g_string_assign (resp->body, "[{\"message\":\"records missing, over 200, or allOrNone not false\","
                                   "\"errorCode\":\"INVALID_FIELD\"}]");
      return;
    }
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *rec = json_array_get_object_element (records, i);
      const char *key = tp_fake_get_string (rec, SF_EXTERNAL_ID);

      if (tp_fake_poison_email (tp_fake_get_string (rec, "Email")))
        {
          resp->status = 400;
          g_string_assign (resp->body, "[{\"message\":\"JSON_PARSER_ERROR in a record\",\"errorCode\":\"JSON_PARSER_ERROR\"}]");
          return;
        }
      if (key && !g_hash_table_add (keys, (gpointer) key))
        g_hash_table_add (repeated, (gpointer) key);
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *rec = json_array_get_object_element (records, i);
      const char *key = tp_fake_get_string (rec, SF_EXTERNAL_ID);
      const char *email = tp_fake_get_string (rec, "Email");
      const char *sf_id = key ? g_hash_table_lookup (self->sf_ids, key) : NULL;
      const char *match = sf_id == NULL ? find_by_email (self, email) : NULL;

      json_builder_begin_object (b);
      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        sf_error (b, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");
      else if (key == NULL)
        sf_error (b, "MISSING_ARGUMENT", SF_EXTERNAL_ID " not specified");
      else if (g_hash_table_contains (repeated, key))
        sf_error (b, "DUPLICATE_EXTERNAL_ID", "Duplicate external id specified");
      else if (tp_fake_get_string (rec, "LastName") == NULL || tp_fake_get_string (rec, "Company") == NULL)
        sf_error (b, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName, Company]");
      else if (tp_fake_refused_email (email))
        sf_error (b, "INVALID_EMAIL_ADDRESS", "Email: invalid email address");
      else if (match && (self->duplicates == TP_FAKE_DUPLICATES_BLOCK ||
                         (self->duplicates == TP_FAKE_DUPLICATES_ALERT && !allows_save (r))))
        sf_duplicates (b, match, self->duplicates == TP_FAKE_DUPLICATES_ALERT);
      else
        {
          gboolean created = FALSE;

          if (sf_id == NULL)
            {
              g_hash_table_insert (self->sf_ids, g_strdup (key), g_strdup_printf ("00Q%012u", ++self->next_id));
              sf_id = g_hash_table_lookup (self->sf_ids, key);
              tp_fake_count (self->stores, key);
              created = TRUE;
            }
          g_hash_table_insert (self->records, g_strdup (key), json_object_ref (rec));
          tp_fake_salesforce_add_lead (self, sf_id, rec);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, sf_id);
          json_builder_set_member_name (b, "success");
          json_builder_add_boolean_value (b, TRUE);
          json_builder_set_member_name (b, "errors");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "created");
          json_builder_add_boolean_value (b, created);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  out = json_builder_get_root (b);
  text = tp_fake_to_string (out);
  resp->status = 200;
  g_string_assign (resp->body, text);
}

/* DELETE .../sobjects/Lead/<Id>, or .../sobjects/Lead/<external id field>/<value>. */
void
tp_fake_salesforce_handle_delete (TpFakeCrm      *self,
                                  TpFakeRequest  *r,
                                  TpFakeResponse *resp)
{
  g_autofree char *key = NULL;
  g_autofree char *sf_id = NULL;
  JsonObject *lead;

  if (g_str_has_prefix (r->path, SF_DELETE_BY_KEY))
    {
      key = g_uri_unescape_string (r->path + strlen (SF_DELETE_BY_KEY), NULL);
      sf_id = key ? g_strdup (g_hash_table_lookup (self->sf_ids, key)) : NULL;
    }
  else
    {
      sf_id = g_uri_unescape_string (r->path + strlen (SF_DELETE_BY_ID), NULL);
      lead = sf_id ? g_hash_table_lookup (self->sf_leads, sf_id) : NULL;
      key = g_strdup (lead ? tp_fake_get_string (lead, SF_EXTERNAL_ID) : NULL);
    }
  lead = sf_id ? g_hash_table_lookup (self->sf_leads, sf_id) : NULL;
  if (lead)
    index_email (self, lead, sf_id, FALSE);
  if (sf_id == NULL || !g_hash_table_remove (self->sf_leads, sf_id))
    {
      resp->status = 404;
      g_string_assign (resp->body, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
      return;
    }
  if (key)
    {
      g_hash_table_remove (self->sf_ids, key);
      tp_fake_count (self->deletes, key);
      g_hash_table_remove (self->records, key);
    }
  resp->status = 204;
}
