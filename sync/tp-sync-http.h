/* tp-sync-http.h: the HTTP transport for sync (libcurl): one reused connection, timeouts, TLS. */
#pragma once

#include <gio/gio.h>

#include "tp-sync-config.h"

G_BEGIN_DECLS

typedef struct _TpSyncHttp TpSyncHttp;

typedef struct
{
  long    status;
  GBytes *body;
  gint64  retry_after_ms;          /* Retry-After, or -1. */
  gint64  ratelimit_remaining;     /* X-HubSpot-RateLimit-Remaining, or -1. */
  gint64  ratelimit_interval_ms;   /* X-HubSpot-RateLimit-Interval-Milliseconds, or -1. */
  gint64  ratelimit_secondly;      /* X-HubSpot-RateLimit-Secondly-Remaining, or -1. */
} TpSyncResponse;

void        tp_sync_response_clear (TpSyncResponse *response);

/* Timeouts and the CA file come from config; TLS verification is always on. */
TpSyncHttp *tp_sync_http_new       (const TpSyncConfig  *config);
void        tp_sync_http_free      (TpSyncHttp          *self);

/* Sends one request. headers are "Name: value" lines; authorization, when not NULL, is the
 * whole value of the Authorization header: it is kept in memory only and wiped after use.
 * Fails with TP_SYNC_ERROR_UNREACHABLE (no connection), _TLS, _TRANSIENT (the request may
 * or may not have arrived) or _CANCELLED; any HTTP status is a success here. */
gboolean    tp_sync_http_send      (TpSyncHttp          *self,
                                    const char          *method,
                                    const char          *url,
                                    const char * const  *headers,
                                    const char          *authorization,
                                    GBytes              *body,
                                    GCancellable        *cancellable,
                                    TpSyncResponse      *response,
                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncHttp, tp_sync_http_free)

G_END_DECLS
