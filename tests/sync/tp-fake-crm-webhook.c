/* tp-fake-crm-webhook.c: the fake CRM's webhook receiver: signatures, idempotency keys, results. */
#include "tp-fake-crm-private.h"

#include <string.h>

typedef struct
{
  char   *body_sha;
  int     status;
  char   *body;
} Cached;

void
tp_fake_cached_free (gpointer data)
{
  Cached *c = data;

  g_free (c->body_sha);
  g_free (c->body);
  g_free (c);
}

void
tp_fake_webhook_handle (TpFakeCrm      *self,
                        TpFakeRequest  *r,
                        gboolean        partial,
                        TpFakeResponse *resp)
{
  const char *signature = g_hash_table_lookup (r->headers, "x-touchpoint-signature");
  const char *key = g_hash_table_lookup (r->headers, "idempotency-key");
  gsize size = 0;
  const guchar *data = g_bytes_get_data (r->body, &size);
  g_autofree char *hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) self->token,
                                                   strlen (self->token), data ? data : (const guchar *) "", size);
  g_autofree char *expected = g_strconcat ("sha256=", hmac, NULL);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, r->body);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  JsonArray *events;
  Cached *cached;

  if (g_strcmp0 (signature, expected) != 0)
    {
      tp_fake_error_body (resp, 401, "UNAUTHORIZED", "bad signature");
      return;
    }
  if (key == NULL)
    {
      tp_fake_error_body (resp, 400, "BAD_REQUEST", "Idempotency-Key missing");
      return;
    }
  /* A key seen before: the stored answer again, nothing stored twice. */
  if ((cached = g_hash_table_lookup (self->idempotency, key)))
    {
      if (!g_str_equal (cached->body_sha, sha))
        {
          tp_fake_error_body (resp, 422, "IDEMPOTENCY", "Idempotency-Key reused with a different body");
          return;
        }
      resp->status = cached->status;
      g_string_assign (resp->body, cached->body);
      return;
    }
  root = r->json ? json_node_ref (r->json) : NULL;
  events = root && JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "events")
           ? json_object_get_array_member (json_node_get_object (root), "events") : NULL;
  if (events == NULL)
    {
      tp_fake_error_body (resp, 400, "BAD_REQUEST", "no events");
      return;
    }
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      JsonObject *lead = json_object_has_member (e, "lead") ? json_object_get_object_member (e, "lead") : NULL;
      JsonObject *fields = lead ? json_object_get_object_member (lead, "fields") : NULL;

      if (tp_fake_poison_email (tp_fake_get_string (fields, "email")))
        {
          tp_fake_error_body (resp, 400, "BAD_REQUEST", "malformed event");
          return;
        }
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      const char *type = tp_fake_get_string (e, "type");
      const char *lead_id = tp_fake_get_string (e, "lead_id");
      JsonObject *lead = json_object_has_member (e, "lead") ? json_object_get_object_member (e, "lead") : NULL;
      JsonObject *fields = lead ? json_object_get_object_member (lead, "fields") : NULL;
      JsonObject *props = json_object_has_member (e, "properties") ? json_object_get_object_member (e, "properties")
                          : NULL;
      const char *email = fields ? tp_fake_get_string (fields, "email") : tp_fake_get_string (props, "email");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event_id");
      json_builder_add_string_value (b, tp_fake_get_string (e, "event_id"));
      json_builder_set_member_name (b, "status");
      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        {
          json_builder_add_string_value (b, "retry");
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, "busy, try again");
        }
      else if (g_strcmp0 (type, "lead.delete") == 0)
        {
          tp_fake_count (self->deletes, lead_id);
          g_hash_table_remove (self->records, lead_id);
          json_builder_add_string_value (b, "ok");
        }
      else if (tp_fake_refused_email (email))
        {
          json_builder_add_string_value (b, "rejected");
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, "email address is on the block list");
        }
      else
        {
          tp_fake_count (self->stores, lead_id);
          g_hash_table_insert (self->records, g_strdup (lead_id),
                               lead ? json_object_ref (lead) : props ? json_object_ref (props) : json_object_new ());
          json_builder_add_string_value (b, "ok");
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, lead_id);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  out = json_builder_get_root (b);
  text = tp_fake_to_string (out);
  resp->status = 200;
  g_string_assign (resp->body, text);

  cached = g_new0 (Cached, 1);
  cached->body_sha = g_strdup (sha);
  cached->status = 200;
  cached->body = g_strdup (text);
  g_hash_table_insert (self->idempotency, g_strdup (key), cached);
}
