/* tp-sync-http.c: one libcurl easy handle, reused so that batches share a connection. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-http.h"

#include <curl/curl.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

struct _TpSyncHttp
{
  CURL       *curl;
  char        errbuf[CURL_ERROR_SIZE];
  GByteArray *body;
  TpSyncResponse *response;   /* Being filled by the header callback. */
  GCancellable   *cancellable;
};

void
tp_sync_response_clear (TpSyncResponse *response)
{
  g_clear_pointer (&response->body, g_bytes_unref);
  response->status = 0;
  response->retry_after_ms = -1;
  response->ratelimit_remaining = -1;
  response->ratelimit_interval_ms = -1;
  response->ratelimit_secondly = -1;
}

static gsize
write_cb (char   *data,
          size_t  size,
          size_t  nmemb,
          void   *user_data)
{
  TpSyncHttp *self = user_data;

  /* A CRM's answer to one batch is small; more than 64 MiB is not a CRM. */
  if (self->body->len + size * nmemb > 64 * 1024 * 1024)
    return 0;
  g_byte_array_append (self->body, (const guint8 *) data, size * nmemb);
  return size * nmemb;
}

static gint64
parse_int (const char *value)
{
  char *end = NULL;
  gint64 n = g_ascii_strtoll (value, &end, 10);

  return end != value && n >= 0 ? n : -1;
}

static gsize
header_cb (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  TpSyncHttp *self = user_data;
  gsize len = size * nitems;
  g_autofree char *line = g_strndup (data, len);
  char *colon = strchr (line, ':');
  const char *value;

  /* A new status line (after a 100 Continue, say) starts a new set of headers. */
  if (g_str_has_prefix (line, "HTTP/"))
    {
      self->response->retry_after_ms = -1;
      self->response->ratelimit_remaining = -1;
      self->response->ratelimit_interval_ms = -1;
      self->response->ratelimit_secondly = -1;
      return len;
    }
  if (colon == NULL)
    return len;
  *colon = '\0';
  value = g_strstrip (colon + 1);
  if (g_ascii_strcasecmp (line, "Retry-After") == 0)
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
        self->response->retry_after_ms = seconds * 1000;
    }
  else if (g_ascii_strcasecmp (line, "X-HubSpot-RateLimit-Remaining") == 0)
    self->response->ratelimit_remaining = parse_int (value);
  else if (g_ascii_strcasecmp (line, "X-HubSpot-RateLimit-Interval-Milliseconds") == 0)
    self->response->ratelimit_interval_ms = parse_int (value);
  else if (g_ascii_strcasecmp (line, "X-HubSpot-RateLimit-Secondly-Remaining") == 0)
    self->response->ratelimit_secondly = parse_int (value);
  return len;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  TpSyncHttp *self = user_data;

  return g_cancellable_is_cancelled (self->cancellable) ? 1 : 0;
}

static gpointer
global_init (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

TpSyncHttp *
tp_sync_http_new (const TpSyncConfig *config)
{
  static GOnce once = G_ONCE_INIT;
  TpSyncHttp *self = g_new0 (TpSyncHttp, 1);
  g_autofree char *agent = g_strdup_printf ("Touchpoint/%s", TP_VERSION);

  g_once (&once, global_init, NULL);
  self->curl = curl_easy_init ();
  self->body = g_byte_array_new ();
  g_assert (self->curl != NULL);

  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, self->errbuf);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_USERAGENT, agent);
  curl_easy_setopt (self->curl, CURLOPT_PROTOCOLS_STR, "http,https");
  /* A redirect would carry the token to another address: never follow one. */
  curl_easy_setopt (self->curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (config->ca_file)
    curl_easy_setopt (self->curl, CURLOPT_CAINFO, config->ca_file);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, (long) config->connect_timeout);
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_LIMIT, (long) config->low_speed_limit);
  curl_easy_setopt (self->curl, CURLOPT_LOW_SPEED_TIME, (long) config->low_speed_time);
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, (long) config->timeout);
  curl_easy_setopt (self->curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (self->curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (self->curl, CURLOPT_WRITEDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (self->curl, CURLOPT_HEADERDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (self->curl, CURLOPT_XFERINFODATA, self);
  curl_easy_setopt (self->curl, CURLOPT_NOPROGRESS, 0L);
  /* Proxies: libcurl reads https_proxy, no_proxy, ... from the environment by itself. */
  return self;
}

void
tp_sync_http_free (TpSyncHttp *self)
{
  if (self == NULL)
    return;
  curl_easy_cleanup (self->curl);
  g_byte_array_unref (self->body);
  g_free (self);
}

static void
slist_free_wiped (struct curl_slist *list)
{
  for (struct curl_slist *l = list; l; l = l->next)
    explicit_bzero (l->data, strlen (l->data));
  curl_slist_free_all (list);
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

gboolean
tp_sync_http_send (TpSyncHttp          *self,
                   const char          *method,
                   const char          *url,
                   const char * const  *headers,
                   const char          *authorization,
                   GBytes              *body,
                   GCancellable        *cancellable,
                   TpSyncResponse      *response,
                   GError             **error)
{
  struct curl_slist *list = NULL;
  CURLcode rc;
  curl_off_t connect_time = 0;
  gsize size = 0;
  gconstpointer data = body ? g_bytes_get_data (body, &size) : NULL;

  tp_sync_response_clear (response);
  g_byte_array_set_size (self->body, 0);
  self->response = response;
  self->cancellable = cancellable;
  self->errbuf[0] = '\0';

  for (guint i = 0; headers && headers[i]; i++)
    list = curl_slist_append (list, headers[i]);
  /* libcurl would add "Expect: 100-continue" to big bodies: a round trip for nothing. */
  list = curl_slist_append (list, "Expect:");
  if (authorization)
    {
      g_autofree char *line = g_strconcat ("Authorization: ", authorization, NULL);

      list = curl_slist_append (list, line);
      explicit_bzero (line, strlen (line));
    }

  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, list);
  if (g_str_equal (method, "POST") || g_str_equal (method, "PATCH") || body)
    {
      curl_easy_setopt (self->curl, CURLOPT_POST, 1L);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, data ? data : "");
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) size);
    }
  else
    {
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, NULL);
      curl_easy_setopt (self->curl, CURLOPT_HTTPGET, 1L);
    }
  curl_easy_setopt (self->curl, CURLOPT_CUSTOMREQUEST, g_str_equal (method, "POST") ||
                                                       g_str_equal (method, "GET") ? NULL : method);

  rc = curl_easy_perform (self->curl);

  /* Nothing of the token may outlive the request. */
  curl_easy_setopt (self->curl, CURLOPT_HTTPHEADER, NULL);
  slist_free_wiped (list);
  self->response = NULL;
  self->cancellable = NULL;

  if (rc != CURLE_OK)
    {
      curl_easy_getinfo (self->curl, CURLINFO_CONNECT_TIME_T, &connect_time);
      g_set_error (error, TP_SYNC_ERROR, error_kind (rc, connect_time > 0), "%s",
                   self->errbuf[0] ? self->errbuf : curl_easy_strerror (rc));
      return FALSE;
    }
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &response->status);
  response->body = g_bytes_new (self->body->data, self->body->len);
  return TRUE;
}
