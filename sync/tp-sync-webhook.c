/* tp-sync-webhook.c: the webhook adapter: signed JSON batches of lead events (docs/sync.md). */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-adapter.h"
#include "tp-json.h"

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Keys sorted: the same lead always gives the same bytes, so a resend repeats the body. */
static void
add_full_lead (JsonBuilder  *b,
               TpLeadRecord *r)
{
  g_autoptr(GPtrArray) fields = tp_sync_sorted_keys (r->fields);
  g_autoptr(GPtrArray) consents = tp_sync_sorted_keys (r->consents);
  g_autoptr(GPtrArray) answers = tp_sync_sorted_keys (r->answers);

  json_builder_begin_object (b);
  add_string_or_null (b, "event", r->event_id);
  add_string_or_null (b, "kiosk_id", r->kiosk_id);
  tp_json_add_int (b, "seq", r->seq);
  add_string_or_null (b, "locale", r->locale);
  add_string_or_null (b, "captured_at", r->captured_at);

  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  for (guint i = 0; i < fields->len; i++)
    add_string_or_null (b, fields->pdata[i], g_hash_table_lookup (r->fields, fields->pdata[i]));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "consents");
  json_builder_begin_object (b);
  for (guint i = 0; i < consents->len; i++)
    {
      TpConsentRecord *c = g_hash_table_lookup (r->consents, consents->pdata[i]);

      json_builder_set_member_name (b, c->purpose);
      json_builder_begin_object (b);
      tp_json_add_bool (b, "granted", c->granted);
      add_string_or_null (b, "version", c->version);
      add_string_or_null (b, "text_sha256", c->text_sha256);
      add_string_or_null (b, "locale", c->locale);
      add_string_or_null (b, "recorded_at", c->recorded_at);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "answers");
  json_builder_begin_object (b);
  for (guint i = 0; i < answers->len; i++)
    {
      json_builder_set_member_name (b, answers->pdata[i]);
      json_builder_add_value (b, tp_answer_to_json (g_hash_table_lookup (r->answers, answers->pdata[i])));
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; r->tags && r->tags[i]; i++)
    json_builder_add_string_value (b, r->tags[i]);
  json_builder_end_array (b);
  add_string_or_null (b, "offer", r->offer);
  json_builder_set_member_name (b, "coupon");
  if (r->coupon_code)
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "code", r->coupon_code);
      add_string_or_null (b, "expires_at", r->coupon_expires_at);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

/* Unique everywhere (the lead id is a UUID) and the same on every resend. */
static char *
item_event_id (TpOutboxBatch *batch,
               TpOutboxItem  *item)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, item->lead_id, item->outbox_id);
}

static TpSyncRequest *
webhook_build (TpSyncConfig     *config,
               TpOutboxBatch    *batch,
               TpSyncItemResult *results,
               GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TpSyncRequest) request = tp_sync_request_new ("POST", config->url);
  gboolean mapped = tp_sync_config_get_mapping (config) != NULL;

  json_builder_begin_object (b);
  tp_json_add_int (b, "format", 1);
  tp_json_add_string (b, "batch_id", batch->key);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->items->len; i++)
    {
      TpOutboxItem *item = batch->items->pdata[i];
      g_autofree char *id = item_event_id (batch, item);

      json_builder_begin_object (b);
      tp_json_add_string (b, "event_id", id);
      tp_json_add_string (b, "type", item->kind == TP_OUTBOX_DELETE ? "lead.delete" : "lead.upsert");
      tp_json_add_string (b, "lead_id", item->lead_id);
      if (item->kind == TP_OUTBOX_UPSERT && mapped)
        {
          json_builder_set_member_name (b, "properties");
          json_builder_add_value (b, tp_sync_build_properties (config, item->record, FALSE));
        }
      else if (item->kind == TP_OUTBOX_UPSERT)
        {
          json_builder_set_member_name (b, "lead");
          add_full_lead (b, item->record);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  tp_sync_request_set_json (request, root);
  g_ptr_array_add (request->headers, g_strdup_printf ("Idempotency-Key: %s", batch->key));
  return g_steal_pointer (&request);
}

static gboolean
webhook_parse (TpSyncConfig     *config,
               TpOutboxBatch    *batch,
               long              status,
               GBytes           *body,
               TpSyncItemResult *results,
               GError          **error)
{
  g_autoptr(JsonNode) root = tp_sync_parse_json (body, error);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *list;

  if (root == NULL)
    return FALSE;
  list = JSON_NODE_HOLDS_OBJECT (root) ? tp_sync_json_array (json_node_get_object (root), "results") : NULL;
  if (list == NULL)
    {
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_PROTOCOL,
                   "the webhook's answer has no \"results\" array (see docs/sync.md)");
      return FALSE;
    }
  for (guint i = 0; i < batch->items->len; i++)
    g_hash_table_insert (index, item_event_id (batch, batch->items->pdata[i]), GUINT_TO_POINTER (i + 1));

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = tp_sync_json_string (obj, "event_id");
      const char *state = tp_sync_json_string (obj, "status");
      const char *message = tp_sync_json_string (obj, "message");
      guint at = id ? GPOINTER_TO_UINT (g_hash_table_lookup (index, id)) : 0;
      TpSyncItemResult *r;

      if (at == 0 || state == NULL)
        continue;
      r = &results[at - 1];
      if (g_str_equal (state, "ok") || g_str_equal (state, "duplicate"))
        tp_sync_item_result_set (r, TP_SYNC_ITEM_SYNCED, tp_sync_json_string (obj, "id"), NULL);
      else if (g_str_equal (state, "rejected"))
        tp_sync_item_result_set (r, TP_SYNC_ITEM_REJECTED, NULL, message ? message : "rejected by the webhook");
      else if (g_str_equal (state, "retry"))
        tp_sync_item_result_set (r, TP_SYNC_ITEM_RETRY, NULL, message ? message : "the webhook asked to retry");
    }
  return TRUE;
}

static const TpSyncAdapter webhook = {
  .name = "webhook",
  .max_upserts = 200,
  .max_deletes = 200,
  .signs_body = TRUE,
  .build = webhook_build,
  .parse = webhook_parse,
  .reason = tp_sync_reason_from_body,
};

const TpSyncAdapter *
tp_sync_webhook_adapter (void)
{
  return &webhook;
}
