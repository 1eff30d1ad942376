/* tp-sync-hubspot.c: the HubSpot CRM v3 adapter: contacts batch upsert and GDPR delete. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"
#include "tp-sync-json-scan.h"

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

static void
set_str (char       **slot,
                  const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
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

/* What is read from an upsert answer: per result the contact id and the two ids it may be
 * matched on; per error its category, message and the input ids it is about. */
typedef struct
{
  char *contact;
  char *lead_id;
  char *email;
} Result;

typedef struct
{
  char      *category;
  char      *message;
  GPtrArray *ids;
} Error;

typedef struct
{
  const char *id_property;
  GArray     *results;     /* Result */
  GArray     *errors;      /* Error */
  gboolean    object;
  gboolean    lists;
} Answer;

static void
answer_clear (Answer *a)
{
  for (guint i = 0; i < a->results->len; i++)
    {
      Result *r = &g_array_index (a->results, Result, i);
      g_free (r->contact);
      g_free (r->lead_id);
      g_free (r->email);
    }
  for (guint i = 0; i < a->errors->len; i++)
    {
      Error *e = &g_array_index (a->errors, Error, i);
      g_free (e->category);
      g_free (e->message);
      g_clear_pointer (&e->ids, g_ptr_array_unref);
    }
  g_array_unref (a->results);
  g_array_unref (a->errors);
}

static gpointer
element (GArray *array,
         guint   index)
{
  if (array->len <= index)
    g_array_set_size (array, index + 1);
  return &g_array_index (array, char, (gsize) index * g_array_get_element_size (array));
}

static gboolean
at (const TpJsonStep *path,
    guint             i,
    const char       *key)
{
  return path[i].key && g_str_equal (path[i].key, key);
}

static void
answer_cb (const TpJsonStep *path,
           guint             depth,
           TpJsonKind        kind,
           const char       *value,
           gpointer          user_data)
{
  Answer *a = user_data;

  if (depth == 0)
    a->object = kind == TP_JSON_OBJECT;
  else if (depth == 1 && kind == TP_JSON_ARRAY && (at (path, 0, "results") || at (path, 0, "errors")))
    a->lists = TRUE;
  if (kind != TP_JSON_STRING || depth < 3 || path[1].key != NULL)
    return;
  if (at (path, 0, "results"))
    {
      Result *r = element (a->results, path[1].index);

      if (depth == 3 && at (path, 2, "id"))
        set_str (&r->contact, value);
      else if (depth == 4 && at (path, 2, "properties") && at (path, 3, a->id_property))
        set_str (&r->lead_id, value);
      else if (depth == 4 && at (path, 2, "properties") && at (path, 3, "email"))
        set_str (&r->email, value);
    }
  else if (at (path, 0, "errors"))
    {
      Error *e = element (a->errors, path[1].index);

      if (depth == 3 && at (path, 2, "category"))
        set_str (&e->category, value);
      else if (depth == 3 && at (path, 2, "message"))
        set_str (&e->message, value);
      else if (depth == 5 && at (path, 2, "context") && at (path, 3, "ids") && path[4].key == NULL)
        {
          if (e->ids == NULL)
            e->ids = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (e->ids, g_strdup (value));
        }
    }
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
  Answer answer = { config->hubspot_id_property, g_array_new (FALSE, TRUE, sizeof (Result)),
                    g_array_new (FALSE, TRUE, sizeof (Error)), FALSE, FALSE };
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  gboolean ok = FALSE;

  if (batch->kind == TP_OUTBOX_DELETE)
    {
      answer_clear (&answer);
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

  if (data == NULL || size == 0)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL, "the CRM's answer was empty");
      goto out;
    }
  if (!tp_json_scan (data, size, answer_cb, &answer, error))
    goto out;
  if (!answer.object || !answer.lists)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "HubSpot's answer has neither \"results\" nor \"errors\"");
      goto out;
    }

  /* Results come in any order: each is matched on the id it was upserted by. */
  index = index_items (batch, results);
  for (guint i = 0; i < answer.results->len; i++)
    {
      Result *r = &g_array_index (answer.results, Result, i);
      int item = find_item (index, r->lead_id);

      if (item < 0)
        item = find_item (index, r->email);
      if (item >= 0 && r->contact)
        tp_sync_item_result_set (&results[item], TP_SYNC_ITEM_SYNCED, r->contact, NULL);
    }
  for (guint i = 0; i < answer.errors->len; i++)
    {
      Error *e = &g_array_index (answer.errors, Error, i);
      g_autofree char *reason = g_strdup_printf ("%s: %s", e->category ? e->category : "ERROR",
                                                 e->message ? e->message : "no message");

      for (guint j = 0; e->ids && j < e->ids->len; j++)
        {
          int item = find_item (index, e->ids->pdata[j]);

          if (item >= 0 && results[item].outcome == TP_SYNC_ITEM_UNREPORTED)
            tp_sync_item_result_set (&results[item], is_retryable (e->category) ? TP_SYNC_ITEM_RETRY
                                                                                : TP_SYNC_ITEM_REJECTED, NULL, reason);
        }
    }
  ok = TRUE;

out:
  answer_clear (&answer);
  return ok;
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
