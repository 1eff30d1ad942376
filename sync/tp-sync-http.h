/* tp-sync-http.h: the HTTP transport for sync: libcurl's multi interface, many requests at once. */
#pragma once

#include <gio/gio.h>

#include "tp-sync-config.h"

G_BEGIN_DECLS

/* An answer, with what its headers say about the CRM's limits (-1 where a header is absent). */
typedef struct
{
  long    status;
  GBytes *body;
  gint64  retry_after_ms;          /* Retry-After (seconds or an HTTP date). */
  gint64  limit_max;               /* X-HubSpot-RateLimit-Max: requests per interval. */
  gint64  limit_remaining;         /* X-HubSpot-RateLimit-Remaining */
  gint64  limit_interval_ms;       /* X-HubSpot-RateLimit-Interval-Milliseconds */
  gint64  secondly_max;            /* X-HubSpot-RateLimit-Secondly */
  gint64  secondly_remaining;      /* X-HubSpot-RateLimit-Secondly-Remaining */
  gint64  daily_max;               /* X-HubSpot-RateLimit-Daily */
  gint64  daily_remaining;         /* X-HubSpot-RateLimit-Daily-Remaining */
  gint64  api_used;                /* Sforce-Limit-Info: api-usage=USED/MAX */
  gint64  api_max;
} TpSyncResponse;

void        tp_sync_response_clear (TpSyncResponse *response);

/* One request on its way, and then its outcome. */
typedef struct
{
  gpointer        user_data;
  gboolean        ok;             /* An HTTP answer came (any status). */
  GError         *error;          /* Otherwise: TP_SYNC_ERROR_UNREACHABLE, _TLS, _TRANSIENT or _CANCELLED. */
  TpSyncResponse  response;
  guint           sends;          /* Times the request went out: libcurl sends it again by itself when
                                   * a kept-alive connection turns out to be closed. */
  gint64          started_us;     /* Monotonic. */
  gint64          finished_us;
} TpSyncTransfer;

void        tp_sync_transfer_free  (TpSyncTransfer *transfer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncTransfer, tp_sync_transfer_free)

typedef struct _TpSyncHttp TpSyncHttp;

/* Timeouts and the CA file come from config; TLS verification is always on. Connections are
 * kept and reused, HTTP/2 is used where the server offers it (requests then share one
 * connection), and at most max_connections are open to the CRM at once. cancellable, when
 * not NULL, aborts every transfer. */
TpSyncHttp *tp_sync_http_new       (const TpSyncConfig  *config,
                                    guint                max_connections,
                                    GCancellable        *cancellable);
void        tp_sync_http_free      (TpSyncHttp          *self);

/* Starts one request. headers are "Name: value" lines; authorization, when not NULL, is the
 * whole value of the Authorization header: it is kept in memory only and wiped when the
 * request ends. The outcome comes back from tp_sync_http_take_done with user_data. */
void        tp_sync_http_start     (TpSyncHttp          *self,
                                    const char          *method,
                                    const char          *url,
                                    const char * const  *headers,
                                    const char          *authorization,
                                    GBytes              *body,
                                    gpointer             user_data);
guint       tp_sync_http_in_flight (TpSyncHttp          *self);
/* Moves the transfers along until one ends or timeout_ms pass (or the cancellable fires). */
void        tp_sync_http_wait      (TpSyncHttp          *self,
                                    int                  timeout_ms);
/* A finished transfer, or NULL when none is; any HTTP status is ok here. */
TpSyncTransfer *tp_sync_http_take_done (TpSyncHttp      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncHttp, tp_sync_http_free)

G_END_DECLS
