/* tp-fake-crm.c: the loopback fake CRM: a small HTTP/1.1 server speaking three CRM shapes. */
#define _GNU_SOURCE
#include "tp-fake-crm.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SF_UPSERT "/services/data/v59.0/composite/sobjects/Lead/Touchpoint_Lead_Id__c"
#define SF_DELETE "/services/data/v59.0/sobjects/Lead/Touchpoint_Lead_Id__c/"
#define HS_UPSERT "/crm/v3/objects/contacts/batch/upsert"
#define HS_DELETE "/crm/v3/objects/contacts/gdpr-delete"
#define HS_ID_PROPERTY "touchpoint_lead_id"

struct _TpFakeCrm
{
  GSocket      *listener;
  guint16       port;
  GThread      *acceptor;
  GCancellable *cancellable;
  GMutex        lock;
  GPtrArray    *threads;       /* connection threads, joined at the end */

  /* Settings. */
  char         *token;
  double        fault_rate;
  guint         fault_kinds;
  GRand        *rand;
  TpFakeFault   forced;
  guint         forced_count;
  guint         retry_after;
  guint         stall_ms;
  guint         latency_ms;
  gboolean      keep_bodies;
  GPtrArray    *bodies;

  /* State. */
  GHashTable   *records;       /* lead id → JsonObject (properties) */
  GHashTable   *stores;        /* lead id → creations */
  GHashTable   *deletes;       /* lead id → deletions */
  GHashTable   *idempotency;   /* webhook key → Cached */
  GHashTable   *contacts;      /* HubSpot contact id → JsonObject */
  GHashTable   *by_email;      /* HubSpot: folded email → contact id */
  GHashTable   *by_lead;       /* HubSpot: lead id property → contact id */
  GHashTable   *sf_ids;        /* lead id → Salesforce id */
  guint         next_id;
  guint         n_requests;
  guint         n_faults;
  GHashTable   *last_headers;
  GBytes       *last_body;
};

typedef struct
{
  char   *body_sha;
  int     status;
  char   *body;
} Cached;

static void
cached_free (Cached *c)
{
  g_free (c->body_sha);
  g_free (c->body);
  g_free (c);
}

typedef struct
{
  char       *method;
  char       *path;
  GHashTable *headers;   /* lower-case name → value */
  GBytes     *body;
} Request;

static void
request_clear (Request *r)
{
  g_clear_pointer (&r->method, g_free);
  g_clear_pointer (&r->path, g_free);
  g_clear_pointer (&r->headers, g_hash_table_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
}

typedef struct
{
  int         status;
  GString    *body;
  GPtrArray  *headers;
  TpFakeFault after;     /* RESET_AFTER, SLOW_BODY or MALFORMED: how to deliver it. */
} Response;

/* ---- Reading and writing HTTP -------------------------------------------------------------- */

typedef struct
{
  GSocket    *socket;
  GByteArray *buffer;
  TpFakeCrm  *crm;
} Connection;

static gboolean
fill (Connection *c)
{
  guint8 chunk[16384];
  gssize n = g_socket_receive (c->socket, (char *) chunk, sizeof chunk, c->crm->cancellable, NULL);

  if (n <= 0)
    return FALSE;
  g_byte_array_append (c->buffer, chunk, n);
  return TRUE;
}

static gboolean
read_request (Connection *c,
              Request    *r)
{
  guint8 *end;
  gsize head_len, length = 0;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) first = NULL;
  const char *cl;

  while ((end = c->buffer->len >= 4 ? memmem (c->buffer->data, c->buffer->len, "\r\n\r\n", 4) : NULL) == NULL)
    if (!fill (c))
      return FALSE;
  head_len = end - c->buffer->data;
  head = g_strndup ((char *) c->buffer->data, head_len);
  g_byte_array_remove_range (c->buffer, 0, head_len + 4);

  lines = g_strsplit (head, "\r\n", -1);
  first = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (first) < 2)
    return FALSE;
  r->method = g_strdup (first[0]);
  r->path = g_strdup (first[1]);
  r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 1; lines[i]; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      g_hash_table_insert (r->headers, g_ascii_strdown (lines[i], -1), g_strstrip (g_strdup (colon + 1)));
    }
  cl = g_hash_table_lookup (r->headers, "content-length");
  if (cl)
    length = g_ascii_strtoull (cl, NULL, 10);
  while (c->buffer->len < length)
    if (!fill (c))
      return FALSE;
  r->body = g_bytes_new (c->buffer->data, length);
  g_byte_array_remove_range (c->buffer, 0, length);
  return TRUE;
}

static gboolean
write_all (Connection *c,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (c->socket, data, len, c->crm->cancellable, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static void
reset (Connection *c)
{
  struct linger lg = { 1, 0 };

  /* SO_LINGER 0: close sends RST, as a dropped connection looks to the client. */
  setsockopt (g_socket_get_fd (c->socket), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  g_socket_close (c->socket, NULL);
}

static gboolean
sleep_cancellable (TpFakeCrm *self,
                   guint      ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return FALSE;
      g_usleep (10 * 1000);
    }
  return TRUE;
}

static const char *
reason_phrase (int status)
{
  switch (status)
    {
    case 200: return "OK";
    case 204: return "No Content";
    case 207: return "Multi-Status";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

static gboolean
write_response (Connection *c,
                Response   *resp)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "HTTP/1.1 %d %s\r\n", resp->status, reason_phrase (resp->status));
  if (resp->status != 204)
    g_string_append_printf (out, "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n",
                            resp->body->len);
  for (guint i = 0; i < resp->headers->len; i++)
    g_string_append_printf (out, "%s\r\n", (char *) resp->headers->pdata[i]);
  g_string_append (out, "\r\n");
  if (resp->status != 204)
    g_string_append_len (out, resp->body->str, resp->body->len);

  if (resp->after == TP_FAKE_FAULT_SLOW_BODY)
    {
      /* In ten pieces, 30 ms apart: slow, but faster than any low-speed limit. */
      gsize piece = out->len / 10 + 1;

      for (gsize at = 0; at < out->len; at += piece)
        {
          if (!write_all (c, out->str + at, MIN (piece, out->len - at)))
            return FALSE;
          if (!sleep_cancellable (c->crm, 30))
            return FALSE;
        }
      return TRUE;
    }
  return write_all (c, out->str, out->len);
}

/* ---- JSON helpers ---------------------------------------------------------------------------- */

static JsonNode *
parse (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (data == NULL || !json_parser_load_from_data (parser, data, size, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static const char *
get_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static void
error_body (Response   *resp,
            int         status,
            const char *category,
            const char *message)
{
  resp->status = status;
  g_string_printf (resp->body, "{\"status\":\"error\",\"category\":\"%s\",\"message\":\"%s\"}", category, message);
}

static void
count (GHashTable *table,
       const char *lead)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, lead));

  g_hash_table_insert (table, g_strdup (lead), GUINT_TO_POINTER (n + 1));
}

/* A CRM's own rule, for rejection tests: such addresses are refused. */
static gboolean
refused_email (const char *email)
{
  return email && strstr (email, "+reject") != NULL;
}

/* Refused so badly that the whole request fails (a 400 for the batch, as HubSpot does). */
static gboolean
poison_email (const char *email)
{
  return email && strstr (email, "+bad400") != NULL;
}

/* ---- Webhook ------------------------------------------------------------------------------- */

static void
handle_webhook (TpFakeCrm  *self,
                Request    *r,
                gboolean    partial,
                Response   *resp)
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
      error_body (resp, 401, "UNAUTHORIZED", "bad signature");
      return;
    }
  if (key == NULL)
    {
      error_body (resp, 400, "BAD_REQUEST", "Idempotency-Key missing");
      return;
    }
  /* A key seen before: the stored answer again, nothing stored twice. */
  if ((cached = g_hash_table_lookup (self->idempotency, key)))
    {
      if (!g_str_equal (cached->body_sha, sha))
        {
          error_body (resp, 422, "IDEMPOTENCY", "Idempotency-Key reused with a different body");
          return;
        }
      resp->status = cached->status;
      g_string_assign (resp->body, cached->body);
      return;
    }
  root = parse (r->body);
  events = root && JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "events")
           ? json_object_get_array_member (json_node_get_object (root), "events") : NULL;
  if (events == NULL)
    {
      error_body (resp, 400, "BAD_REQUEST", "no events");
      return;
    }
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      JsonObject *lead = json_object_has_member (e, "lead") ? json_object_get_object_member (e, "lead") : NULL;
      JsonObject *fields = lead ? json_object_get_object_member (lead, "fields") : NULL;

      if (poison_email (get_string (fields, "email")))
        {
          error_body (resp, 400, "BAD_REQUEST", "malformed event");
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
      const char *type = get_string (e, "type");
      const char *lead_id = get_string (e, "lead_id");
      JsonObject *lead = json_object_has_member (e, "lead") ? json_object_get_object_member (e, "lead") : NULL;
      JsonObject *fields = lead ? json_object_get_object_member (lead, "fields") : NULL;
      JsonObject *props = json_object_has_member (e, "properties") ? json_object_get_object_member (e, "properties")
                          : NULL;
      const char *email = fields ? get_string (fields, "email") : get_string (props, "email");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event_id");
      json_builder_add_string_value (b, get_string (e, "event_id"));
      json_builder_set_member_name (b, "status");
      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        {
          json_builder_add_string_value (b, "retry");
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, "busy, try again");
        }
      else if (g_strcmp0 (type, "lead.delete") == 0)
        {
          count (self->deletes, lead_id);
          g_hash_table_remove (self->records, lead_id);
          json_builder_add_string_value (b, "ok");
        }
      else if (refused_email (email))
        {
          json_builder_add_string_value (b, "rejected");
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, "email address is on the block list");
        }
      else
        {
          count (self->stores, lead_id);
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
  text = to_string (out);
  resp->status = 200;
  g_string_assign (resp->body, text);

  cached = g_new0 (Cached, 1);
  cached->body_sha = g_strdup (sha);
  cached->status = 200;
  cached->body = g_strdup (text);
  g_hash_table_insert (self->idempotency, g_strdup (key), cached);
}

/* ---- HubSpot ------------------------------------------------------------------------------- */

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
  const char *email = get_string (contact, "email");
  const char *lead = get_string (contact, HS_ID_PROPERTY);

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

static void
handle_hubspot_upsert (TpFakeCrm *self,
                       Request   *r,
                       gboolean   partial,
                       Response  *resp)
{
  g_autoptr(JsonNode) root = parse (r->body);
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
      error_body (resp, 400, "VALIDATION_ERROR", "inputs missing or more than 100");
      return;
    }
  /* HubSpot refuses a batch naming one id twice, and fails whole batches on some bad input. */
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *in = json_array_get_object_element (inputs, i);
      g_autofree char *id = g_ascii_strdown (get_string (in, "id") ? get_string (in, "id") : "", -1);
      JsonObject *props = json_object_get_object_member (in, "properties");

      if (g_hash_table_contains (seen, id))
        {
          error_body (resp, 400, "VALIDATION_ERROR", "Duplicate IDs found in batch input");
          return;
        }
      if (poison_email (get_string (props, "email")))
        {
          error_body (resp, 400, "VALIDATION_ERROR", "Property values were not valid");
          return;
        }
      g_hash_table_add (seen, g_steal_pointer (&id));
    }

  json_builder_begin_array (results);
  json_builder_begin_array (errors);
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *in = json_array_get_object_element (inputs, i);
      const char *id_property = get_string (in, "idProperty");
      const char *id = get_string (in, "id");
      JsonObject *props = json_object_get_object_member (in, "properties");
      const char *email = get_string (props, "email");
      const char *lead_id = get_string (props, HS_ID_PROPERTY);
      g_autofree char *contact_id = find_contact (self, id_property, id);
      gboolean created = FALSE;
      JsonObject *contact;

      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        {
          add_error (errors, "RATE_LIMITS", "Secondly limit reached for this record, try again", id);
          n_errors++;
          continue;
        }
      if (refused_email (email))
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
            count (self->stores, lead_id);
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

      json_builder_begin_object (results);
      json_builder_set_member_name (results, "id");
      json_builder_add_string_value (results, contact_id);
      json_builder_set_member_name (results, "new");
      json_builder_add_boolean_value (results, created);
      json_builder_set_member_name (results, "properties");
      {
        JsonNode *node = json_node_alloc ();

        json_node_init_object (node, contact);
        json_builder_add_value (results, node);
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
    text = to_string (node);
    resp->status = n_errors ? 207 : 200;
    g_string_assign (resp->body, text);
  }
}

static void
handle_hubspot_delete (TpFakeCrm *self,
                       Request   *r,
                       Response  *resp)
{
  g_autoptr(JsonNode) root = parse (r->body);
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *object_id = get_string (obj, "objectId");
  const char *id_property = get_string (obj, "idProperty");
  g_autofree char *contact_id = NULL;
  JsonObject *contact;
  const char *lead_id;

  if (object_id == NULL)
    {
      error_body (resp, 400, "VALIDATION_ERROR", "objectId must not be empty");
      return;
    }
  contact_id = id_property ? find_contact (self, id_property, object_id) : g_strdup (object_id);
  contact = contact_id ? g_hash_table_lookup (self->contacts, contact_id) : NULL;
  if (contact == NULL)
    {
      error_body (resp, 404, "OBJECT_NOT_FOUND", "resource not found");
      return;
    }
  lead_id = get_string (contact, HS_ID_PROPERTY);
  if (lead_id)
    {
      count (self->deletes, lead_id);
      g_hash_table_remove (self->records, lead_id);
    }
  index_contact (self, contact_id, contact, FALSE);
  g_hash_table_remove (self->contacts, contact_id);
  resp->status = 204;
}

/* ---- Salesforce ---------------------------------------------------------------------------- */

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

static void
handle_salesforce_upsert (TpFakeCrm *self,
                          Request   *r,
                          gboolean   partial,
                          Response  *resp)
{
  g_autoptr(JsonNode) root = parse (r->body);
  JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *records = obj && json_object_has_member (obj, "records") ? json_object_get_array_member (obj, "records")
                       : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) out = NULL;
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
    if (poison_email (get_string (json_array_get_object_element (records, i), "Email")))
      {
        resp->status = 400;
        g_string_assign (resp->body, "[{\"message\":\"JSON_PARSER_ERROR in a record\",\"errorCode\":\"JSON_PARSER_ERROR\"}]");
        return;
      }
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *rec = json_array_get_object_element (records, i);
      const char *lead_id = get_string (rec, "Touchpoint_Lead_Id__c");
      const char *sf_id;

      json_builder_begin_object (b);
      if (partial && g_rand_int_range (self->rand, 0, 3) == 0)
        sf_error (b, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record");
      else if (lead_id == NULL)
        sf_error (b, "MISSING_ARGUMENT", "Touchpoint_Lead_Id__c not specified");
      else if (get_string (rec, "LastName") == NULL || get_string (rec, "Company") == NULL)
        sf_error (b, "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName, Company]");
      else if (refused_email (get_string (rec, "Email")))
        sf_error (b, "INVALID_EMAIL_ADDRESS", "Email: invalid email address");
      else
        {
          gboolean created = FALSE;

          if (!(sf_id = g_hash_table_lookup (self->sf_ids, lead_id)))
            {
              g_hash_table_insert (self->sf_ids, g_strdup (lead_id), g_strdup_printf ("00Q%012u", ++self->next_id));
              sf_id = g_hash_table_lookup (self->sf_ids, lead_id);
              count (self->stores, lead_id);
              created = TRUE;
            }
          g_hash_table_insert (self->records, g_strdup (lead_id), json_object_ref (rec));
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
  text = to_string (out);
  resp->status = 200;
  g_string_assign (resp->body, text);
}

static void
handle_salesforce_delete (TpFakeCrm *self,
                          Request   *r,
                          Response  *resp)
{
  g_autofree char *lead_id = g_uri_unescape_string (r->path + strlen (SF_DELETE), NULL);

  if (lead_id == NULL || !g_hash_table_remove (self->sf_ids, lead_id))
    {
      resp->status = 404;
      g_string_assign (resp->body, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
      return;
    }
  count (self->deletes, lead_id);
  g_hash_table_remove (self->records, lead_id);
  resp->status = 204;
}

/* ---- Dispatch ------------------------------------------------------------------------------ */

static TpFakeFault
pick_fault (TpFakeCrm *self)
{
  guint kinds[16];
  guint n = 0;

  if (self->forced_count > 0)
    {
      self->forced_count--;
      return self->forced;
    }
  if (self->fault_rate <= 0 || g_rand_double (self->rand) >= self->fault_rate)
    return 0;
  for (guint bit = 0; bit < 9; bit++)
    if (self->fault_kinds & (1u << bit))
      kinds[n++] = 1u << bit;
  return n ? kinds[g_rand_int_range (self->rand, 0, n)] : 0;
}

static gboolean
authorized (TpFakeCrm *self,
            Request   *r)
{
  const char *auth = g_hash_table_lookup (r->headers, "authorization");
  g_autofree char *expected = g_strconcat ("Bearer ", self->token, NULL);

  return g_strcmp0 (auth, expected) == 0;
}

/* Returns FALSE when the connection must end without an answer. */
static gboolean
handle (Connection *c,
        Request    *r,
        Response   *resp)
{
  TpFakeCrm *self = c->crm;
  TpFakeFault fault;
  gboolean partial;
  gboolean is_hubspot = g_str_has_prefix (r->path, "/crm/");

  if (self->latency_ms && !sleep_cancellable (self, self->latency_ms))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->n_requests++;
  g_hash_table_remove_all (self->last_headers);
  {
    GHashTableIter iter;
    gpointer k, v;

    g_hash_table_iter_init (&iter, r->headers);
    while (g_hash_table_iter_next (&iter, &k, &v))
      g_hash_table_insert (self->last_headers, g_strdup (k), g_strdup (v));
  }
  g_clear_pointer (&self->last_body, g_bytes_unref);
  self->last_body = g_bytes_ref (r->body);
  if (self->keep_bodies)
    g_ptr_array_add (self->bodies, g_bytes_ref (r->body));
  fault = pick_fault (self);
  if (fault)
    self->n_faults++;
  g_mutex_unlock (&self->lock);

  switch (fault)
    {
    case TP_FAKE_FAULT_500:
      error_body (resp, 500, "INTERNAL_ERROR", "internal error, try again");
      return TRUE;
    case TP_FAKE_FAULT_429:
      error_body (resp, 429, "RATE_LIMITS", "You have reached your ten secondly limit");
      g_ptr_array_add (resp->headers, g_strdup_printf ("Retry-After: %u", self->retry_after));
      if (is_hubspot)
        {
          g_ptr_array_add (resp->headers, g_strdup ("X-HubSpot-RateLimit-Max: 100"));
          g_ptr_array_add (resp->headers, g_strdup ("X-HubSpot-RateLimit-Remaining: 0"));
          g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Interval-Milliseconds: %u",
                                                           self->retry_after * 1000));
        }
      return TRUE;
    case TP_FAKE_FAULT_423:
      error_body (resp, 423, "LOCKED", "the record is locked, try again");
      return TRUE;
    case TP_FAKE_FAULT_TIMEOUT:
      sleep_cancellable (self, self->stall_ms);
      return FALSE;
    case TP_FAKE_FAULT_RESET_BEFORE:
      reset (c);
      return FALSE;
    default:
      break;
    }

  partial = fault == TP_FAKE_FAULT_PARTIAL;
  g_mutex_lock (&self->lock);
  if (g_str_equal (r->path, "/webhook") && g_str_equal (r->method, "POST"))
    handle_webhook (self, r, partial, resp);
  else if (is_hubspot && !authorized (self, r))
    error_body (resp, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found");
  else if (g_str_equal (r->path, HS_UPSERT) && g_str_equal (r->method, "POST"))
    handle_hubspot_upsert (self, r, partial, resp);
  else if (g_str_equal (r->path, HS_DELETE) && g_str_equal (r->method, "POST"))
    handle_hubspot_delete (self, r, resp);
  else if (g_str_has_prefix (r->path, "/services/") && !authorized (self, r))
    {
      resp->status = 401;
      g_string_assign (resp->body, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }
  else if (g_str_equal (r->path, SF_UPSERT) && g_str_equal (r->method, "PATCH"))
    handle_salesforce_upsert (self, r, partial, resp);
  else if (g_str_has_prefix (r->path, SF_DELETE) && g_str_equal (r->method, "DELETE"))
    handle_salesforce_delete (self, r, resp);
  else
    error_body (resp, 404, "NOT_FOUND", "no such endpoint");
  g_mutex_unlock (&self->lock);

  if (fault == TP_FAKE_FAULT_RESET_AFTER)
    {
      reset (c);
      return FALSE;
    }
  if (fault == TP_FAKE_FAULT_MALFORMED)
    {
      resp->status = 200;
      g_string_assign (resp->body, "{\"results\": [{\"id\": ");
    }
  resp->after = fault;
  return TRUE;
}

static gpointer
connection_thread (gpointer data)
{
  Connection *c = data;

  for (;;)
    {
      Request r = { 0 };
      Response resp = { 200, g_string_new (NULL), g_ptr_array_new_with_free_func (g_free), 0 };
      gboolean go_on;

      if (!read_request (c, &r))
        {
          request_clear (&r);
          g_string_free (resp.body, TRUE);
          g_ptr_array_unref (resp.headers);
          break;
        }
      go_on = handle (c, &r, &resp) && write_response (c, &resp);
      request_clear (&r);
      g_string_free (resp.body, TRUE);
      g_ptr_array_unref (resp.headers);
      if (!go_on)
        break;
    }
  g_socket_close (c->socket, NULL);
  g_object_unref (c->socket);
  g_byte_array_unref (c->buffer);
  g_free (c);
  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  TpFakeCrm *self = data;

  for (;;)
    {
      GSocket *socket = g_socket_accept (self->listener, self->cancellable, NULL);
      Connection *c;

      if (socket == NULL)
        break;
      c = g_new0 (Connection, 1);
      c->socket = socket;
      c->buffer = g_byte_array_new ();
      c->crm = self;
      g_mutex_lock (&self->lock);
      g_ptr_array_add (self->threads, g_thread_new ("fake-crm-conn", connection_thread, c));
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

/* ---- Public -------------------------------------------------------------------------------- */

TpFakeCrm *
tp_fake_crm_new (void)
{
  TpFakeCrm *self = g_new0 (TpFakeCrm, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
  self->threads = g_ptr_array_new ();
  self->token = g_strdup ("test-token");
  self->rand = g_rand_new_with_seed (1);
  self->retry_after = 1;
  self->stall_ms = 3000;
  self->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->deletes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) cached_free);
  self->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->by_lead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sf_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (self->listener, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
  g_socket_bind (self->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->listener, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->acceptor = g_thread_new ("fake-crm", accept_thread, self);
  return self;
}

void
tp_fake_crm_free (TpFakeCrm *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->acceptor);
  g_socket_close (self->listener, NULL);
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (self->threads->pdata[i]);
  g_ptr_array_unref (self->threads);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_free (self->token);
  g_rand_free (self->rand);
  g_ptr_array_unref (self->bodies);
  g_hash_table_unref (self->records);
  g_hash_table_unref (self->stores);
  g_hash_table_unref (self->deletes);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->contacts);
  g_hash_table_unref (self->by_email);
  g_hash_table_unref (self->by_lead);
  g_hash_table_unref (self->sf_ids);
  g_hash_table_unref (self->last_headers);
  g_clear_pointer (&self->last_body, g_bytes_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}

guint16
tp_fake_crm_get_port (TpFakeCrm *self)
{
  return self->port;
}

char *
tp_fake_crm_get_url (TpFakeCrm  *self,
                     const char *target)
{
  if (g_strcmp0 (target, "webhook") == 0)
    return g_strdup_printf ("http://127.0.0.1:%u/webhook", self->port);
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

void
tp_fake_crm_set_token (TpFakeCrm  *self,
                       const char *token)
{
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_faults (TpFakeCrm *self,
                        double     rate,
                        guint      kinds,
                        guint32    seed)
{
  g_mutex_lock (&self->lock);
  self->fault_rate = rate;
  self->fault_kinds = kinds;
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_force_fault (TpFakeCrm   *self,
                         TpFakeFault  fault,
                         guint        n)
{
  g_mutex_lock (&self->lock);
  self->forced = fault;
  self->forced_count = n;
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_retry_after (TpFakeCrm *self,
                             guint      seconds)
{
  self->retry_after = seconds;
}

void
tp_fake_crm_set_stall_ms (TpFakeCrm *self,
                          guint      ms)
{
  self->stall_ms = ms;
}

void
tp_fake_crm_set_latency_ms (TpFakeCrm *self,
                            guint      ms)
{
  self->latency_ms = ms;
}

void
tp_fake_crm_set_keep_bodies (TpFakeCrm *self,
                             gboolean   keep)
{
  g_mutex_lock (&self->lock);
  self->keep_bodies = keep;
  g_mutex_unlock (&self->lock);
}

GPtrArray *
tp_fake_crm_take_bodies (TpFakeCrm *self)
{
  GPtrArray *bodies;

  g_mutex_lock (&self->lock);
  bodies = self->bodies;
  self->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_mutex_unlock (&self->lock);
  return bodies;
}

void
tp_fake_crm_reset (TpFakeCrm *self)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->records);
  g_hash_table_remove_all (self->stores);
  g_hash_table_remove_all (self->deletes);
  g_hash_table_remove_all (self->idempotency);
  g_hash_table_remove_all (self->contacts);
  g_hash_table_remove_all (self->by_email);
  g_hash_table_remove_all (self->by_lead);
  g_hash_table_remove_all (self->sf_ids);
  self->n_requests = 0;
  self->n_faults = 0;
  g_mutex_unlock (&self->lock);
}

guint
tp_fake_crm_count_stores (TpFakeCrm  *self,
                          const char *lead_id)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->stores, lead_id));
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_count_deletes (TpFakeCrm  *self,
                           const char *lead_id)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->deletes, lead_id));
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_n_records (TpFakeCrm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->contacts) ? g_hash_table_size (self->contacts) : g_hash_table_size (self->records);
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_n_duplicates (TpFakeCrm *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->stores);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_UINT (value) > 1)
      n++;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_n_requests (TpFakeCrm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_requests;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_n_faults (TpFakeCrm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_faults;
  g_mutex_unlock (&self->lock);
  return n;
}

JsonObject *
tp_fake_crm_get_record (TpFakeCrm  *self,
                        const char *lead_id)
{
  JsonObject *obj;

  g_mutex_lock (&self->lock);
  obj = g_hash_table_lookup (self->records, lead_id);
  if (obj)
    json_object_ref (obj);
  g_mutex_unlock (&self->lock);
  return obj;
}

char *
tp_fake_crm_last_header (TpFakeCrm  *self,
                         const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *value;

  g_mutex_lock (&self->lock);
  value = g_strdup (g_hash_table_lookup (self->last_headers, lower));
  g_mutex_unlock (&self->lock);
  return value;
}

GBytes *
tp_fake_crm_last_body (TpFakeCrm *self)
{
  GBytes *body;

  g_mutex_lock (&self->lock);
  body = self->last_body ? g_bytes_ref (self->last_body) : NULL;
  g_mutex_unlock (&self->lock);
  return body;
}
