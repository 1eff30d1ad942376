/* tp-sync-http.c: requests to the CRM through libcurl's multi interface, on the caller's thread. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-http.h"

#include <curl/curl.h>
#include <string.h>

/* A CRM's answer to one batch is small; more than 64 MiB is not a CRM. */
#define MAX_BODY (64 * 1024 * 1024)

struct _TpSyncHttp
{
  CURLM        *multi;
  CURLSH       *share;
  char         *agent;
  char         *ca_file;
  long          connect_timeout;
  long          low_speed_limit;
  long          low_speed_time;
  long          timeout;
  GCancellable *cancellable;
  gulong        cancelled_id;
  GHashTable   *running;      /* Job, owned */
  GQueue        done;         /* TpSyncTransfer */
};

typedef struct
{
  TpSyncHttp        *http;
  CURL              *easy;
  struct curl_slist *headers;
  GByteArray        *body;
  GBytes            *upload;    /* Kept alive while libcurl reads it. */
  char              *method;
  char               errbuf[CURL_ERROR_SIZE];
  TpSyncTransfer    *transfer;
} Job;

void
tp_sync_response_clear (TpSyncResponse *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  response->status = 0;
  response->retry_after_ms = -1;
  response->limit_max = -1;
  response->limit_remaining = -1;
  response->limit_interval_ms = -1;
  response->secondly_max = -1;
  response->secondly_remaining = -1;
  response->daily_max = -1;
  response->daily_remaining = -1;
  response->api_used = -1;
  response->api_max = -1;
}

void
tp_sync_transfer_free (TpSyncTransfer *transfer)
{
  if (transfer == NULL)
    return;
  tp_sync_response_clear (&transfer->response);
  g_clear_error (&transfer->error);
  g_free (transfer);
}

/* ---- Callbacks ----------------------------------------------------------------------------- */

static gsize
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  Job *job = user_data;

  if (job->body->len + size * nmemb > MAX_BODY)
    return 0;
  g_byte_array_append (job->body, (const guint8 *) data, size * nmemb);
  return size * nmemb;
}

static gint64
parse_int (const char *value)
{
  char *end = NULL;
  gint64 n = g_ascii_strtoll (value, &end, 10);

  return end != value && n >= 0 ? n : -1;
}

/* "api-usage=18/5000; per-app-api-usage=17/250(appName=...)" */
static void
parse_limit_info (const char     *value,
                  TpSyncResponse *response)
{
  const char *usage = strstr (value, "api-usage=");
  char *end = NULL;
  gint64 used, max;

  if (usage == NULL || (usage > value && usage[-1] == '-'))
    return;
  used = g_ascii_strtoll (usage + strlen ("api-usage="), &end, 10);
  if (end == NULL || *end != '/')
    return;
  max = g_ascii_strtoll (end + 1, NULL, 10);
  if (used >= 0 && max > 0)
    {
      response->api_used = used;
      response->api_max = max;
    }
}

static void
parse_retry_after (const char     *value,
                   TpSyncResponse *response)
{
  gint64 seconds = parse_int (value);

  /* Either delay-seconds or an HTTP date. */
  if (seconds < 0)
    {
      time_t when = curl_getdate (value, NULL);

      if (when > 0)
        seconds = MAX (0, when - (gint64) (g_get_real_time () / G_USEC_PER_SEC));
    }
  if (seconds >= 0)
    response->retry_after_ms = seconds * 1000;
}

static gsize
header_cb (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  Job *job = user_data;
  TpSyncResponse *response = &job->transfer->response;
  gsize len = size * nitems;
  g_autofree char *line = g_strndup (data, len);
  char *colon = strchr (line, ':');
  const char *value;
  static const struct
  {
    const char *name;
    gsize       offset;
  } numbers[] = {
    { "X-HubSpot-RateLimit-Max", G_STRUCT_OFFSET (TpSyncResponse, limit_max) },
    { "X-HubSpot-RateLimit-Remaining", G_STRUCT_OFFSET (TpSyncResponse, limit_remaining) },
    { "X-HubSpot-RateLimit-Interval-Milliseconds", G_STRUCT_OFFSET (TpSyncResponse, limit_interval_ms) },
    { "X-HubSpot-RateLimit-Secondly", G_STRUCT_OFFSET (TpSyncResponse, secondly_max) },
    { "X-HubSpot-RateLimit-Secondly-Remaining", G_STRUCT_OFFSET (TpSyncResponse, secondly_remaining) },
    { "X-HubSpot-RateLimit-Daily", G_STRUCT_OFFSET (TpSyncResponse, daily_max) },
    { "X-HubSpot-RateLimit-Daily-Remaining", G_STRUCT_OFFSET (TpSyncResponse, daily_remaining) },
  };

  /* A new status line (after a 100 Continue, say) starts a new set of headers. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      GBytes *body = g_steal_pointer (&response->body);

      tp_sync_response_clear (response);
      response->body = body;
      return len;
    }
  if (colon == NULL)
    return len;
  *colon = '\0';
  value = g_strstrip (colon + 1);
  if (g_ascii_strcasecmp (line, "Retry-After") == 0)
    parse_retry_after (value, response);
  else if (g_ascii_strcasecmp (line, "Sforce-Limit-Info") == 0)
    parse_limit_info (value, response);
  else
    for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
      if (g_ascii_strcasecmp (line, numbers[i].name) == 0)
        G_STRUCT_MEMBER (gint64, response, numbers[i].offset) = parse_int (value);
  return len;
}

/* Counts each time the request line goes out: a resend on a fresh connection is a request
 * the CRM may have received too. Nothing here is logged (the headers hold the token). */
static int
debug_cb (CURL          *easy,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  Job *job = user_data;
  gsize len = strlen (job->method);

  if (type == CURLINFO_HEADER_OUT && size > len && memcmp (data, job->method, len) == 0 && data[len] == ' ')
    job->transfer->sends++;
  return 0;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Job *job = user_data;

  return g_cancellable_is_cancelled (job->http->cancellable) ? 1 : 0;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  TpSyncHttp *self = user_data;

  /* From whichever thread cancelled: libcurl's wakeup is made for that. */
  curl_multi_wakeup (self->multi);
}

/* ---- Setup --------------------------------------------------------------------------------- */

static gpointer
global_init (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

TpSyncHttp *
tp_sync_http_new (const TpSyncConfig *config,
                  guint               max_connections,
                  GCancellable       *cancellable)
{
  static GOnce once = G_ONCE_INIT;
  TpSyncHttp *self = g_new0 (TpSyncHttp, 1);

  g_once (&once, global_init, NULL);
  self->multi = curl_multi_init ();
  self->share = curl_share_init ();
  g_assert (self->multi != NULL && self->share != NULL);
  /* Requests share connections: HTTP/2 streams on one connection where the server offers it,
   * else kept-alive HTTP/1.1 connections, at most max_connections of them. */
  curl_multi_setopt (self->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
  curl_multi_setopt (self->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) MAX (1, max_connections));
  curl_multi_setopt (self->multi, CURLMOPT_MAXCONNECTS, (long) MAX (1, max_connections));
  /* A new connection resumes the TLS session of an earlier one. */
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt (self->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  self->agent = g_strdup_printf ("Touchpoint/%s", TP_VERSION);
  self->ca_file = g_strdup (config->ca_file);
  self->connect_timeout = config->connect_timeout;
  self->low_speed_limit = config->low_speed_limit;
  self->low_speed_time = config->low_speed_time;
  self->timeout = config->timeout;
  self->running = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->done);
  if (cancellable)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    }
  return self;
}

static void
slist_free_wiped (struct curl_slist *list)
{
  for (struct curl_slist *l = list; l; l = l->next)
    explicit_bzero (l->data, strlen (l->data));
  curl_slist_free_all (list);
}

static void
job_free (Job *job)
{
  /* Nothing of the token may outlive the request. */
  if (job->easy)
    curl_easy_setopt (job->easy, CURLOPT_HTTPHEADER, NULL);
  slist_free_wiped (job->headers);
  g_clear_pointer (&job->easy, curl_easy_cleanup);
  g_byte_array_unref (job->body);
  g_clear_pointer (&job->upload, g_bytes_unref);
  g_free (job->method);
  tp_sync_transfer_free (job->transfer);
  g_free (job);
}

void
tp_sync_http_free (TpSyncHttp *self)
{
  GHashTableIter iter;
  gpointer job;

  if (self == NULL)
    return;
  if (self->cancellable)
    {
      g_cancellable_disconnect (self->cancellable, self->cancelled_id);
      g_object_unref (self->cancellable);
    }
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, &job, NULL))
    {
      curl_multi_remove_handle (self->multi, ((Job *) job)->easy);
      job_free (job);
    }
  g_hash_table_unref (self->running);
  g_queue_clear_full (&self->done, (GDestroyNotify) tp_sync_transfer_free);
  curl_multi_cleanup (self->multi);
  curl_share_cleanup (self->share);
  g_free (self->agent);
  g_free (self->ca_file);
  g_free (self);
}

/* ---- Requests ------------------------------------------------------------------------------ */

void
tp_sync_http_start (TpSyncHttp          *self,
                    const char          *method,
                    const char          *url,
                    const char * const  *headers,
                    const char          *authorization,
                    GBytes              *body,
                    gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);
  CURL *easy = curl_easy_init ();
  gsize size = 0;
  gconstpointer data = body ? g_bytes_get_data (body, &size) : NULL;

  g_assert (easy != NULL);
  job->http = self;
  job->easy = easy;
  job->body = g_byte_array_new ();
  job->upload = body ? g_bytes_ref (body) : NULL;
  job->method = g_strdup (method);
  job->transfer = g_new0 (TpSyncTransfer, 1);
  job->transfer->user_data = user_data;
  job->transfer->started_us = g_get_monotonic_time ();
  tp_sync_response_clear (&job->transfer->response);

  for (guint i = 0; headers && headers[i]; i++)
    job->headers = curl_slist_append (job->headers, headers[i]);
  /* libcurl would add "Expect: 100-continue" to big bodies: a round trip for nothing. */
  job->headers = curl_slist_append (job->headers, "Expect:");
  if (authorization)
    {
      g_autofree char *line = g_strconcat ("Authorization: ", authorization, NULL);

      job->headers = curl_slist_append (job->headers, line);
      explicit_bzero (line, strlen (line));
    }

  curl_easy_setopt (easy, CURLOPT_PRIVATE, job);
  curl_easy_setopt (easy, CURLOPT_SHARE, self->share);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, job->errbuf);
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, self->agent);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  /* HTTP/2 when the server offers it in the TLS handshake; wait for a connection that may carry
   * several requests rather than opening one per request. */
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt (easy, CURLOPT_PIPEWAIT, 1L);
  /* A redirect would carry the token to another address: never follow one. */
  curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file)
    curl_easy_setopt (easy, CURLOPT_CAINFO, self->ca_file);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, self->connect_timeout);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, self->low_speed_limit);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, self->low_speed_time);
  curl_easy_setopt (easy, CURLOPT_TIMEOUT, self->timeout);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, job);
  curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (easy, CURLOPT_HEADERDATA, job);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, job);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (easy, CURLOPT_DEBUGDATA, job);
  curl_easy_setopt (easy, CURLOPT_VERBOSE, 1L);
  /* Proxies: libcurl reads https_proxy, no_proxy, ... from the environment by itself. */

  curl_easy_setopt (easy, CURLOPT_URL, url);
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, job->headers);
  if (g_str_equal (method, "POST") || g_str_equal (method, "PATCH") || body)
    {
      curl_easy_setopt (easy, CURLOPT_POST, 1L);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDS, data ? data : "");
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
    }
  if (!g_str_equal (method, "POST") && !g_str_equal (method, "GET"))
    curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, method);

  curl_multi_add_handle (self->multi, easy);
  g_hash_table_add (self->running, job);
}

guint
tp_sync_http_in_flight (TpSyncHttp *self)
{
  return g_hash_table_size (self->running);
}

static TpSyncError
error_kind (CURLcode  rc,
            gboolean  connected)
{
  switch (rc)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TP_SYNC_ERROR_UNREACHABLE;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TP_SYNC_ERROR_TLS;
    case CURLE_ABORTED_BY_CALLBACK:
      return TP_SYNC_ERROR_CANCELLED;
    case CURLE_OPERATION_TIMEDOUT:
      /* Timed out before a connection was made: nothing was sent. */
      return connected ? TP_SYNC_ERROR_TRANSIENT : TP_SYNC_ERROR_UNREACHABLE;
    default:
      return TP_SYNC_ERROR_TRANSIENT;
    }
}

static void
finish (TpSyncHttp *self,
        CURL       *easy,
        CURLcode    rc)
{
  Job *job = NULL;
  TpSyncTransfer *transfer;

  curl_easy_getinfo (easy, CURLINFO_PRIVATE, (char **) &job);
  curl_multi_remove_handle (self->multi, easy);
  g_hash_table_remove (self->running, job);
  transfer = g_steal_pointer (&job->transfer);
  transfer->finished_us = g_get_monotonic_time ();
  if (rc == CURLE_OK)
    {
      transfer->ok = TRUE;
      curl_easy_getinfo (easy, CURLINFO_RESPONSE_CODE, &transfer->response.status);
      transfer->response.body = g_bytes_new (job->body->data, job->body->len);
    }
  else
    {
      curl_off_t connect_time = 0;

      /* A request that went out may have arrived, whatever happened after. */
      curl_easy_getinfo (easy, CURLINFO_CONNECT_TIME_T, &connect_time);
      g_set_error (&transfer->error, TP_SYNC_ERROR, error_kind (rc, connect_time > 0 || transfer->sends > 0), "%s",
                   job->errbuf[0] ? job->errbuf : curl_easy_strerror (rc));
      g_debug ("No answer after %" G_GINT64_FORMAT " ms: %s", (transfer->finished_us - transfer->started_us) / 1000,
               transfer->error->message);
    }
  job_free (job);
  g_queue_push_tail (&self->done, transfer);
}

static void
collect (TpSyncHttp *self)
{
  CURLMsg *msg;
  int left = 0;
  int running = 0;

  curl_multi_perform (self->multi, &running);
  while ((msg = curl_multi_info_read (self->multi, &left)))
    if (msg->msg == CURLMSG_DONE)
      finish (self, msg->easy_handle, msg->data.result);
}

void
tp_sync_http_wait (TpSyncHttp *self,
                   int         timeout_ms)
{
  collect (self);
  if (!g_queue_is_empty (&self->done) || g_hash_table_size (self->running) == 0)
    return;
  curl_multi_poll (self->multi, NULL, 0, MAX (0, timeout_ms), NULL);
  collect (self);
}

TpSyncTransfer *
tp_sync_http_take_done (TpSyncHttp *self)
{
  return g_queue_pop_head (&self->done);
}
