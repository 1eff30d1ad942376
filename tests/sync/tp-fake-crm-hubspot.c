/* tp-fake-crm-hubspot.c: the fake CRM's HubSpot: contacts unique by email, batch upsert, GDPR delete. */
#include "tp-fake-crm-private.h"

#include <string.h>

static char *
find_contact (TpFakeCrm  *self,
              const char *property,
              const char *value)
{
  g_autofree char *folded = NULL;

  if (value == NULL)
    return NULL;
  if (g_strcmp0 (property, "email") == 0)
    {
      folded = g_ascii_strdown (value, -1);
      return g_strdup (g_hash_table_lookup (self->by_email, folded));
    }
  if (g_strcmp0 (property, HS_ID_PROPERTY) == 0)
    return g_strdup (g_hash_table_lookup (self->by_lead, value));
  if (g_strcmp0 (property, "hs_object_id") == 0 && g_hash_table_contains (self->contacts, value))
    return g_strdup (value);
  return NULL;
}

/* Keeps the unique-property indexes in step with a contact's values. */
static void
index_contact (TpFakeCrm  *self,
               const char *contact_id,
               JsonObject *contact,
               gboolean    add)
{
  const char *email = tp_fake_get_string (contact, "email");
  const char *lead = tp_fake_get_string (contact, HS_ID_PROPERTY);

  if (email)
    {
      g_autofree char *folded = g_ascii_strdown (email, -1);

      if (add)
        g_hash_table_insert (self->by_email, g_steal_pointer (&folded), g_strdup (contact_id));
      else
        g_hash_table_remove (self->by_email, folded);
    }
  if (lead)
    {
      if (add)
        g_hash_table_insert (self->by_lead, g_strdup (lead), g_strdup (contact_id));
      else
        g_hash_table_remove (self->by_lead, lead);
    }
}

static void
add_error (JsonBuilder *errors,
           const char  *category,
           const char  *message,
           const char  *id)
{
  json_builder_begin_object (errors);
  json_builder_set_member_name (errors, "status");
  json_builder_add_string_value (errors, "error");
  json_builder_set_member_name (errors, "category");
  json_builder_add_string_value (errors, category);
  json_builder_set_member_name (errors, "message");
  json_builder_add_string_value (errors, message);
  json_builder_set_member_name (errors, "context");
  json_builder_begin_object (errors);
  json_builder_set_member_name (errors, "ids");
  json_builder_begin_array (errors);
  json_builder_add_string_value (errors, id);
  json_builder_end_array (errors);
  json_builder_end_object (errors);
  json_builder_end_object (errors);
}

void
tp_fake_hubspot_handle_upsert (TpFakeCrm      *self,
                               TpFakeRequest  *r,
                               gboolean        partial,
                               TpFakeResponse *resp)
{
  JsonNode *root = r->json;
  g_autoptr(JsonBuilder) results = json_builder_new ();
  g_autoptr(JsonBuilder) errors = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) results_node = NULL, errors_node = NULL;
  JsonArray *inputs;
  guint n_errors = 0;

  inputs = root && JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "inputs")
           ? json_object_get_array_member (json_node_get_object (root), "inputs") : NULL;
  if (inputs == NULL || json_array_get_length (inputs) > 100)
    {
      tp_fake_error_body (resp, 400, "VALIDATION_ERROR", "inputs missing or more than 100");
      return;
    }
  /* HubSpot refuses a batch naming one id twice, and fails whole batches on some bad input. */
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *in = json_array_get_object_element (inputs, i);
      g_autofree char *id = g_ascii_strdown (tp_fake_get_string (in, "id") ? tp_fake_get_string (in, "id") : "", -1);
      JsonObject *props = json_object_get_object_member (in, "properties");

      if (g_hash_table_contains (seen, id))
        {
          tp_fake_error_body (resp, 400, "VALIDATION_ERROR", "Duplicate IDs found in batch input");
          return;
        }
      if (tp_fake_poison_email (tp_fake_get_string (props, "email")))
        {
          tp_fake_error_body (resp, 400, "VALIDATION_ERROR", "Property values were not valid");
          return;
        }
      g_hash_table_add (seen, g_steal_pointer (&id));
    }

  json_builder_begin_array (results);
  json_builder_begin_array (errors);
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *in = json_array_get_object_element (inputs, i);
      const char *id_property = tp_fake_get_string (in, "idProperty");
      const char *id = tp_fake_get_string (in, "id");
      JsonObject *props = json_object_get_object_member (in, "properties");
      const char *email = tp_fake_get_string (props, "email");
      const char *lead_id = tp_fake_get_string (props, HS_ID_PROPERTY);
      const char *trace_id = tp_fake_get_string (in, "objectWriteTraceId");
      g_autofree char *contact_id = find_contact (self, id_property, id);
      gboolean created = FALSE;
      JsonObject *contact;

      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        {
          add_error (errors, "RATE_LIMITS", "Secondly limit reached for this record, try again", id);
          n_errors++;
          continue;
        }
      if (tp_fake_refused_email (email))
        {
          add_error (errors, "VALIDATION_ERROR", "Property values were not valid: email is blocked", id);
          n_errors++;
          continue;
        }
      if (contact_id == NULL)
        {
          g_autofree char *existing = email ? find_contact (self, "email", email) : NULL;

          /* Contacts are unique by email, whatever property the upsert was keyed on. */
          if (existing)
            {
              g_autofree char *message = g_strdup_printf ("Contact already exists. Existing ID: %s", existing);

              add_error (errors, "CONFLICT", message, id);
              n_errors++;
              continue;
            }
          contact_id = g_strdup_printf ("%u", ++self->next_id);
          contact = json_object_new ();
          json_object_set_string_member (contact, "hs_object_id", contact_id);
          g_hash_table_insert (self->contacts, g_strdup (contact_id), contact);
          created = TRUE;
          if (lead_id)
            tp_fake_count (self->stores, lead_id);
        }
      contact = g_hash_table_lookup (self->contacts, contact_id);
      index_contact (self, contact_id, contact, FALSE);
      {
        g_autoptr(GList) names = json_object_get_members (props);

        for (GList *l = names; l; l = l->next)
          json_object_set_member (contact, l->data, json_node_copy (json_object_get_member (props, l->data)));
      }
      index_contact (self, contact_id, contact, TRUE);
      if (lead_id)
        g_hash_table_insert (self->records, g_strdup (lead_id), json_object_ref (contact));

      /* HubSpot's BatchResponseSimplePublicUpsertObject: the input's objectWriteTraceId comes back
       * with its result; "properties" may hold only what HubSpot chooses to return. */
      json_builder_begin_object (results);
      json_builder_set_member_name (results, "id");
      json_builder_add_string_value (results, contact_id);
      json_builder_set_member_name (results, "new");
      json_builder_add_boolean_value (results, created);
      json_builder_set_member_name (results, "archived");
      json_builder_add_boolean_value (results, FALSE);
      if (trace_id && self->echo_trace_ids)
        {
          json_builder_set_member_name (results, "objectWriteTraceId");
          json_builder_add_string_value (results, trace_id);
        }
      json_builder_set_member_name (results, "properties");
      if (self->echo_properties)
        {
          JsonNode *node = json_node_alloc ();

          json_node_init_object (node, contact);
          json_builder_add_value (results, node);
        }
      else
        {
          json_builder_begin_object (results);
          json_builder_end_object (results);
        }
      json_builder_end_object (results);
    }
  json_builder_end_array (results);
  json_builder_end_array (errors);
  results_node = json_builder_get_root (results);
  errors_node = json_builder_get_root (errors);

  {
    g_autoptr(JsonObject) out = json_object_new ();
    g_autoptr(JsonNode) node = json_node_alloc ();
    g_autofree char *text = NULL;

    json_object_set_string_member (out, "status", "COMPLETE");
    json_object_set_member (out, "results", json_node_ref (results_node));
    if (n_errors)
      {
        json_object_set_int_member (out, "numErrors", n_errors);
        json_object_set_member (out, "errors", json_node_ref (errors_node));
      }
    json_node_init_object (node, out);
    text = tp_fake_to_string (node);
    resp->status = n_errors ? 207 : 200;
    g_string_assign (resp->body, text);
  }
}

void
tp_fake_hubspot_handle_delete (TpFakeCrm      *self,
                               TpFakeRequest  *r,
                               TpFakeResponse *resp)
{
  JsonNode *root = r->json;
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *object_id = tp_fake_get_string (obj, "objectId");
  const char *id_property = tp_fake_get_string (obj, "idProperty");
  g_autofree char *contact_id = NULL;
  JsonObject *contact;
  const char *lead_id;

  if (object_id == NULL)
    {
      tp_fake_error_body (resp, 400, "VALIDATION_ERROR", "objectId must not be empty");
      return;
    }
  contact_id = id_property ? find_contact (self, id_property, object_id) : g_strdup (object_id);
  contact = contact_id ? g_hash_table_lookup (self->contacts, contact_id) : NULL;
  if (contact == NULL)
    {
      tp_fake_error_body (resp, 404, "OBJECT_NOT_FOUND", "resource not found");
      return;
    }
  lead_id = tp_fake_get_string (contact, HS_ID_PROPERTY);
  if (lead_id)
    {
      tp_fake_count (self->deletes, lead_id);
      g_hash_table_remove (self->records, lead_id);
    }
  index_contact (self, contact_id, contact, FALSE);
  g_hash_table_remove (self->contacts, contact_id);
  resp->status = 204;
}
