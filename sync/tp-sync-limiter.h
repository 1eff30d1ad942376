/* tp-sync-limiter.h: one rate limiter per run, shared by every request, fed by the CRM's headers. */
#pragma once

#include <glib.h>

#include "tp-sync-http.h"

G_BEGIN_DECLS

/* Times are monotonic milliseconds.
 *
 * HubSpot counts requests in rolling windows (100 in any 10 s for a private app on a free
 * account) and says on every answer how big the window is and how much of it is left
 * (X-HubSpot-RateLimit-Max, -Remaining, -Interval-Milliseconds; -Secondly for a one-second
 * window). A request counts from when it arrives, somewhere between its start and its answer:
 * the limiter holds a place for each request from its start until an interval after its answer,
 * and lets a request start only while the window has room. When an answer says that more of the
 * window is used than this run can explain (another run, another app on the same account), the
 * difference is taken as used then: the limiter errs on the side of waiting. A 429 without those
 * headers (only Retry-After) makes it infer the window from the requests taken before it. */
typedef struct _TpSyncLimiter TpSyncLimiter;

TpSyncLimiter *tp_sync_limiter_new        (void);
void           tp_sync_limiter_free       (TpSyncLimiter        *self);
/* A request starts now. */
void           tp_sync_limiter_start      (TpSyncLimiter        *self,
                                           gint64                now);
/* A request that started at sent ended now: with response, or without an answer (NULL). Every
 * request that started must end here once. */
void           tp_sync_limiter_finish     (TpSyncLimiter        *self,
                                           const TpSyncResponse *response,
                                           gint64                sent,
                                           gint64                now);
/* left requests were left before the CRM's daily (or org-wide) limit when it took the request
 * started at sent: no more than that, less those in the air, start in this run. */
void           tp_sync_limiter_budget     (TpSyncLimiter        *self,
                                           gint64                left,
                                           gint64                sent);
/* That end was a 429 for a rate limit; no request starts for wait_ms. */
void           tp_sync_limiter_refused    (TpSyncLimiter        *self,
                                           const TpSyncResponse *response,
                                           gint64                sent,
                                           gint64                now,
                                           gint64                wait_ms);
/* No request starts before until. */
void           tp_sync_limiter_pause      (TpSyncLimiter        *self,
                                           gint64                until);
/* When the next request may start: now, or later. */
gint64         tp_sync_limiter_next_start (TpSyncLimiter        *self,
                                           gint64                now);
/* How many requests may start from now until now + horizon (G_MAXINT when no limit is known):
 * with the latency as horizon, how many requests are worth having in the air. */
int            tp_sync_limiter_room       (TpSyncLimiter        *self,
                                           gint64                now,
                                           gint64                horizon);
/* Whether the CRM has told the limiter its window (or a 429 let it infer one). */
gboolean       tp_sync_limiter_knows      (TpSyncLimiter        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncLimiter, tp_sync_limiter_free)

G_END_DECLS
