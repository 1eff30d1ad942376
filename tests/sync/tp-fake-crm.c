/* tp-fake-crm.c: the loopback fake CRM's server: HTTP/1.1, rate limits, faults, and its settings. */
#define _GNU_SOURCE
#include "tp-fake-crm-private.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- Reading and writing HTTP -------------------------------------------------------------- */

typedef struct
{
  GSocket    *socket;
  GByteArray *buffer;
  TpFakeCrm  *crm;
  guint       served;   /* Requests answered on this connection. */
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

static void
request_clear (TpFakeRequest *r)
{
  g_clear_pointer (&r->method, g_free);
  g_clear_pointer (&r->path, g_free);
  g_clear_pointer (&r->headers, g_hash_table_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
}

static gboolean
read_request (Connection    *c,
              TpFakeRequest *r)
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
      gint64 left = until - g_get_monotonic_time ();

      if (g_cancellable_is_cancelled (self->cancellable))
        return FALSE;
      g_usleep (MAX (0, MIN (left, 10 * 1000)));
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
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

static gboolean
write_response (Connection     *c,
                TpFakeResponse *resp)
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

/* ---- Helpers for the CRM shapes ------------------------------------------------------------ */

JsonNode *
tp_fake_parse (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (data == NULL || !json_parser_load_from_data (parser, data, size, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

char *
tp_fake_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

const char *
tp_fake_get_string (JsonObject *obj,
                    const char *member)
{
  JsonNode *node = obj ? json_object_get_member (obj, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* HubSpot's error shape (the webhook's and the fallback's too). */
void
tp_fake_error_body (TpFakeResponse *resp,
                    int             status,
                    const char     *category,
                    const char     *message)
{
  g_autofree char *correlation = g_uuid_string_random ();

  resp->status = status;
  g_string_printf (resp->body, "{\"status\":\"error\",\"message\":\"%s\",\"correlationId\":\"%s\",\"category\":\"%s\"}",
                   message, correlation, category);
}

void
tp_fake_count (GHashTable *table,
               const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));

  g_hash_table_insert (table, g_strdup (key), GUINT_TO_POINTER (n + 1));
}

gboolean
tp_fake_refused_email (const char *email)
{
  return email && strstr (email, "+reject") != NULL;
}

gboolean
tp_fake_poison_email (const char *email)
{
  return email && strstr (email, "+bad400") != NULL;
}

/* ---- Limits -------------------------------------------------------------------------------- */

typedef enum
{
  LIMITED_NO,
  LIMITED_BURST,   /* HubSpot: TEN_SECONDLY_ROLLING */
  LIMITED_DAILY,   /* HubSpot: DAILY */
  LIMITED_ORG,     /* Salesforce: REQUEST_LIMIT_EXCEEDED */
} Limited;

/* What the limits said about one request, decided when it arrived. */
typedef struct
{
  Limited limited;
  guint   remaining;       /* HubSpot: in the burst window after this request. */
  guint   retry_after;     /* Seconds until the burst window has room. */
  guint   daily_remaining;
  guint   api_used;        /* Salesforce: the org's requests, this one included. */
} Verdict;

/* HubSpot counts each request as it arrives, in a rolling window (its TEN_SECONDLY_ROLLING
 * policy); a refused request does not count. Called with the lock held. */
static Verdict
count_arrival (TpFakeCrm *self,
               gboolean   is_hubspot,
               gboolean   is_salesforce)
{
  Verdict v = { LIMITED_NO, 0, 0, 0, 0 };
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) self->limit_interval_ms * 1000;

  if (is_salesforce)
    {
      if (self->api_used >= self->api_max)
        v.limited = LIMITED_ORG;
      else
        self->api_used++;
      v.api_used = self->api_used;
      return v;
    }
  if (!is_hubspot)
    return v;
  while (!g_queue_is_empty (&self->arrivals) &&
         *(gint64 *) g_queue_peek_head (&self->arrivals) <= now - window)
    g_free (g_queue_pop_head (&self->arrivals));
  if (self->daily_max && self->daily_used >= self->daily_max)
    v.limited = LIMITED_DAILY;
  else if ((self->limit_flags & TP_FAKE_LIMIT_ENFORCE) && g_queue_get_length (&self->arrivals) >= self->limit_max)
    {
      gint64 oldest = *(gint64 *) g_queue_peek_head (&self->arrivals);

      v.limited = LIMITED_BURST;
      v.retry_after = (guint) ((oldest + window - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }
  else
    {
      g_queue_push_tail (&self->arrivals, g_memdup2 (&now, sizeof now));
      self->daily_used++;
    }
  v.remaining = self->limit_max - MIN (self->limit_max, g_queue_get_length (&self->arrivals));
  v.daily_remaining = self->daily_max - MIN (self->daily_max, self->daily_used);
  return v;
}

/* HubSpot's headers (API usage guidelines), on every answer; Salesforce's Limit Info header. */
static void
add_limit_headers (TpFakeCrm      *self,
                   const Verdict  *v,
                   gboolean        is_hubspot,
                   gboolean        is_salesforce,
                   TpFakeResponse *resp)
{
  if (is_hubspot && (self->limit_flags & TP_FAKE_LIMIT_HEADERS))
    {
      g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Max: %u", self->limit_max));
      g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Remaining: %u", v->remaining));
      g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Interval-Milliseconds: %u",
                                                       self->limit_interval_ms));
    }
  if (is_hubspot && self->daily_max && (self->limit_flags & TP_FAKE_LIMIT_HEADERS))
    {
      g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Daily: %u", self->daily_max));
      g_ptr_array_add (resp->headers, g_strdup_printf ("X-HubSpot-RateLimit-Daily-Remaining: %u",
                                                       v->daily_remaining));
    }
  if (is_salesforce)
    g_ptr_array_add (resp->headers, g_strdup_printf ("Sforce-Limit-Info: api-usage=%u/%u", v->api_used,
                                                     self->api_max));
}

/* HubSpot's 429 body (API usage guidelines): errorType, policyName, correlationId. */
static void
rate_limit_body (TpFakeResponse *resp,
                 const char     *policy,
                 const char     *message)
{
  g_autofree char *correlation = g_uuid_string_random ();
  g_autofree char *request = g_uuid_string_random ();

  resp->status = 429;
  g_string_printf (resp->body, "{\"status\":\"error\",\"message\":\"%s\",\"errorType\":\"RATE_LIMIT\","
                               "\"correlationId\":\"%s\",\"policyName\":\"%s\",\"requestId\":\"%s\"}",
                   message, correlation, policy, request);
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
authorized (TpFakeCrm     *self,
            TpFakeRequest *r)
{
  const char *auth = g_hash_table_lookup (r->headers, "authorization");
  g_autofree char *expected = g_strconcat ("Bearer ", self->token, NULL);

  return g_strcmp0 (auth, expected) == 0;
}

static void
remember (TpFakeCrm     *self,
          TpFakeRequest *r)
{
  GHashTableIter iter;
  gpointer k, v;

  self->n_requests++;
  g_hash_table_remove_all (self->last_headers);
  g_hash_table_iter_init (&iter, r->headers);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (self->last_headers, g_strdup (k), g_strdup (v));
  g_clear_pointer (&self->last_body, g_bytes_unref);
  self->last_body = g_bytes_ref (r->body);
  if (self->keep_bodies)
    g_ptr_array_add (self->bodies, g_bytes_ref (r->body));
}

static void
route (TpFakeCrm      *self,
       TpFakeRequest  *r,
       gboolean        partial,
       TpFakeResponse *resp)
{
  gboolean is_hubspot = g_str_has_prefix (r->path, "/crm/");

  if (g_str_equal (r->path, "/webhook") && g_str_equal (r->method, "POST"))
    tp_fake_webhook_handle (self, r, partial, resp);
  else if (is_hubspot && !authorized (self, r))
    tp_fake_error_body (resp, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found");
  else if (g_str_equal (r->path, HS_UPSERT) && g_str_equal (r->method, "POST"))
    tp_fake_hubspot_handle_upsert (self, r, partial, resp);
  else if (g_str_equal (r->path, HS_DELETE) && g_str_equal (r->method, "POST"))
    tp_fake_hubspot_handle_delete (self, r, resp);
  else if (g_str_has_prefix (r->path, "/services/") && !authorized (self, r))
    {
      resp->status = 401;
      g_string_assign (resp->body, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }
  else if (g_str_equal (r->path, SF_UPSERT) && g_str_equal (r->method, "PATCH"))
    tp_fake_salesforce_handle_upsert (self, r, partial, resp);
  else if (g_str_has_prefix (r->path, SF_DELETE_BY_ID) && strchr (r->path + strlen (SF_DELETE_BY_ID), '/') == NULL &&
           g_str_equal (r->method, "DELETE"))
    tp_fake_salesforce_handle_delete (self, r, resp);
  else if (g_str_has_prefix (r->path, SF_DELETE_BY_KEY) && g_str_equal (r->method, "DELETE"))
    tp_fake_salesforce_handle_delete (self, r, resp);
  else
    tp_fake_error_body (resp, 404, "NOT_FOUND", "no such endpoint");
}

/* Returns FALSE when the connection must end without an answer. */
static gboolean
handle (Connection     *c,
        TpFakeRequest  *r,
        TpFakeResponse *resp)
{
  TpFakeCrm *self = c->crm;
  TpFakeFault fault;
  gboolean is_hubspot = g_str_has_prefix (r->path, "/crm/");
  gboolean is_salesforce = g_str_has_prefix (r->path, "/services/");
  guint latency;
  Verdict v;

  g_mutex_lock (&self->lock);
  remember (self, r);
  /* A server closing a connection it thinks idle: the client finds it dead and resends. */
  if (c->served > 0 && self->drop_on_reuse > 0)
    {
      self->drop_on_reuse--;
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  v = count_arrival (self, is_hubspot, is_salesforce);
  fault = v.limited ? 0 : pick_fault (self);
  if (fault)
    self->n_faults++;
  if (v.limited == LIMITED_BURST || v.limited == LIMITED_DAILY)
    self->n_rate_limited++;
  latency = self->latency_min_ms;
  if (self->latency_max_ms > self->latency_min_ms)
    latency = g_rand_int_range (self->rand, self->latency_min_ms, self->latency_max_ms + 1);
  g_mutex_unlock (&self->lock);

  if (latency && !sleep_cancellable (self, latency))
    return FALSE;
  add_limit_headers (self, &v, is_hubspot, is_salesforce, resp);

  switch (v.limited)
    {
    case LIMITED_BURST:
      rate_limit_body (resp, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.");
      if (self->limit_flags & TP_FAKE_LIMIT_RETRY_AFTER)
        g_ptr_array_add (resp->headers, g_strdup_printf ("Retry-After: %u", MAX (1, v.retry_after)));
      return TRUE;
    case LIMITED_DAILY:
      rate_limit_body (resp, "DAILY", "You have reached your daily limit.");
      return TRUE;
    case LIMITED_ORG:
      resp->status = 403;
      g_string_assign (resp->body, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
      return TRUE;
    case LIMITED_NO:
    default:
      break;
    }

  switch (fault)
    {
    case TP_FAKE_FAULT_500:
      tp_fake_error_body (resp, 500, "INTERNAL_ERROR", "internal error, try again");
      return TRUE;
    case TP_FAKE_FAULT_429:
      if (is_hubspot)
        rate_limit_body (resp, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.");
      else
        tp_fake_error_body (resp, 429, "RATE_LIMITS", "too many requests, slow down");
      g_ptr_array_add (resp->headers, g_strdup_printf ("Retry-After: %u", self->retry_after));
      return TRUE;
    case TP_FAKE_FAULT_423:
      tp_fake_error_body (resp, 423, "LOCKED", "the record is locked, try again");
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

  r->json = tp_fake_parse (r->body);
  g_mutex_lock (&self->lock);
  route (self, r, fault == TP_FAKE_FAULT_PARTIAL, resp);
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
  TpFakeCrm *self = c->crm;

  for (;;)
    {
      TpFakeRequest r = { 0 };
      TpFakeResponse resp = { 200, g_string_new (NULL), g_ptr_array_new_with_free_func (g_free), 0 };
      gboolean go_on;

      if (!read_request (c, &r))
        {
          request_clear (&r);
          g_string_free (resp.body, TRUE);
          g_ptr_array_unref (resp.headers);
          break;
        }
      g_mutex_lock (&self->lock);
      self->in_air++;
      self->max_in_air = MAX (self->max_in_air, self->in_air);
      g_mutex_unlock (&self->lock);
      go_on = handle (c, &r, &resp) && write_response (c, &resp);
      g_mutex_lock (&self->lock);
      self->in_air--;
      g_mutex_unlock (&self->lock);
      c->served++;
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
      /* As web servers do: an answer's last segment must not wait for the client's ACK. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      c = g_new0 (Connection, 1);
      c->socket = socket;
      c->buffer = g_byte_array_new ();
      c->crm = self;
      g_mutex_lock (&self->lock);
      self->n_connections++;
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
  /* A private app on a free HubSpot account: 100 requests in any 10 s. */
  self->limit_max = 100;
  self->limit_interval_ms = 10000;
  self->limit_flags = TP_FAKE_LIMIT_HEADERS;
  self->api_max = 100000;
  self->echo_properties = TRUE;
  self->echo_trace_ids = TRUE;
  g_queue_init (&self->arrivals);
  self->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->deletes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tp_fake_cached_free);
  self->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->by_lead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sf_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sf_leads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->sf_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_option (self->listener, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
  g_socket_bind (self->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (self->listener, 128);
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
  g_queue_clear_full (&self->arrivals, g_free);
  g_ptr_array_unref (self->bodies);
  g_hash_table_unref (self->records);
  g_hash_table_unref (self->stores);
  g_hash_table_unref (self->deletes);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->contacts);
  g_hash_table_unref (self->by_email);
  g_hash_table_unref (self->by_lead);
  g_hash_table_unref (self->sf_ids);
  g_hash_table_unref (self->sf_leads);
  g_hash_table_unref (self->sf_by_email);
  g_hash_table_unref (self->last_headers);
  g_clear_pointer (&self->last_body, g_bytes_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}
