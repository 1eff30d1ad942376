/* tp-sync-limiter.c: rolling windows of requests, sized by the CRM's rate-limit headers. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-limiter.h"

/* A request counts in the CRM's window from when it arrives there, which this side does not
 * see: some time after it started, and no later than its answer came. So a request in the air
 * holds a place in every window until its answer comes, and then for a whole interval from the
 * answer: the CRM's count can never be ahead of the run's, however late a request arrives. */
typedef struct
{
  gint64  max;        /* Requests allowed per interval; 0 while unknown. */
  gint64  interval;   /* ms */
  GArray *ends;       /* gint64, ascending: when the run's requests were answered, and others the
                       * CRM counted. */
} Window;

enum
{
  WINDOW_MAIN,        /* X-HubSpot-RateLimit-Max / -Interval-Milliseconds */
  WINDOW_SECONDLY,    /* X-HubSpot-RateLimit-Secondly */
  N_WINDOWS
};

struct _TpSyncLimiter
{
  Window   windows[N_WINDOWS];
  gint64   in_air;     /* Started, not answered. */
  gint64   paused_until;
  gint64   budget;     /* Requests left before the CRM's daily limit (or the run's share of it); -1: no limit. */
  gboolean inferred;   /* The main window was inferred from a 429, not told. */
  gint64   epoch;      /* When the last 429 came: requests started before it overflowed together. */
  gint64   prev_epoch;
  GArray  *accepted;   /* gint64: answer times of requests the CRM took that started since the last 429. */
};

/* For clocks and scheduling, not for the network: the answer bounds that. */
#define MARGIN 50

TpSyncLimiter *
tp_sync_limiter_new (void)
{
  TpSyncLimiter *self = g_new0 (TpSyncLimiter, 1);

  for (guint i = 0; i < N_WINDOWS; i++)
    self->windows[i].ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->accepted = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->budget = -1;
  return self;
}

void
tp_sync_limiter_free (TpSyncLimiter *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_WINDOWS; i++)
    g_array_unref (self->windows[i].ends);
  g_array_unref (self->accepted);
  g_free (self);
}

static void
insert_sorted (GArray *ends,
               gint64  at,
               gint64  count)
{
  guint i = ends->len;

  while (i > 0 && g_array_index (ends, gint64, i - 1) > at)
    i--;
  for (gint64 n = 0; n < count; n++)
    g_array_insert_val (ends, i, at);
}

/* Entries after from. */
static gint64
count_after (const Window *w,
             gint64        from)
{
  gint64 n = 0;

  for (guint i = w->ends->len; i > 0 && g_array_index (w->ends, gint64, i - 1) > from; i--)
    n++;
  return n;
}

/* Forgets what can no longer count; keeps a minute while the window is unknown, so that a
 * window learnt later sees the requests already made. */
static void
prune (Window *w,
       gint64  now)
{
  guint n = 0;
  gint64 horizon = w->max ? w->interval + MARGIN : 60 * 1000;

  while (n < w->ends->len && g_array_index (w->ends, gint64, n) <= now - horizon)
    n++;
  if (n > 0)
    g_array_remove_range (w->ends, 0, n);
}

void
tp_sync_limiter_start (TpSyncLimiter *self,
                       gint64         now)
{
  self->in_air++;
  if (self->budget > 0)
    self->budget--;
}

void
tp_sync_limiter_budget (TpSyncLimiter *self,
                        gint64         left,
                        gint64         sent)
{
  /* What was left when the CRM took that request, less what is in the air since. */
  self->budget = MAX (0, left - MAX (0, self->in_air));
}

/* The CRM counted `used` in the window when it took a request that started at sent. This run's
 * requests answered before sent - interval cannot be among them; the others, and those in the
 * air, may. What they do not explain was used by someone else (another run, another app on the
 * same account), and is taken as used now. */
static void
account (Window *w,
         gint64  in_air,
         gint64  used,
         gint64  sent,
         gint64  now)
{
  gint64 ours;

  if (w->max <= 0 || used < 0)
    return;
  prune (w, now);
  ours = count_after (w, sent - w->interval) + in_air;
  if (used > ours)
    {
      g_debug ("The CRM counts %" G_GINT64_FORMAT " requests in its window, this run %" G_GINT64_FORMAT, used, ours);
      insert_sorted (w->ends, now, used - ours);
    }
}

void
tp_sync_limiter_finish (TpSyncLimiter        *self,
                        const TpSyncResponse *response,
                        gint64                sent,
                        gint64                now)
{
  Window *main = &self->windows[WINDOW_MAIN];
  Window *secondly = &self->windows[WINDOW_SECONDLY];

  self->in_air = MAX (0, self->in_air - 1);
  for (guint i = 0; i < N_WINDOWS; i++)
    {
      prune (&self->windows[i], now);
      insert_sorted (self->windows[i].ends, now, 1);
    }
  /* No answer, or a refusal for a rate limit: nothing to learn here. */
  if (response == NULL || response->status == 429)
    return;

  if (sent >= self->epoch)
    g_array_append_val (self->accepted, now);
  else if (self->inferred && sent >= self->prev_epoch)
    main->max++;   /* Taken although it started before the refusal: the window held one more. */
  if (response->limit_max > 0 && response->limit_interval_ms > 0)
    {
      main->max = response->limit_max;
      main->interval = response->limit_interval_ms;
      self->inferred = FALSE;
    }
  if (response->limit_remaining >= 0 && main->max > 0 && !self->inferred)
    account (main, self->in_air, main->max - MIN (response->limit_remaining, main->max), sent, now);
  if (response->secondly_max > 0)
    {
      secondly->max = response->secondly_max;
      secondly->interval = 1000;
    }
  if (response->secondly_remaining >= 0 && secondly->max > 0)
    account (secondly, self->in_air, secondly->max - MIN (response->secondly_remaining, secondly->max), sent, now);
}

void
tp_sync_limiter_refused (TpSyncLimiter        *self,
                         const TpSyncResponse *response,
                         gint64                sent,
                         gint64                now,
                         gint64                wait_ms)
{
  Window *main = &self->windows[WINDOW_MAIN];

  if (response->limit_max > 0 && response->limit_interval_ms > 0)
    {
      main->max = response->limit_max;
      main->interval = response->limit_interval_ms;
      self->inferred = FALSE;
    }
  if (main->max > 0 && !self->inferred)
    {
      /* Full, whatever this run counted: until it empties, unless the CRM said when to come
       * back (then the pause below is all). */
      if (response->retry_after_ms < 0)
        account (main, self->in_air, main->max, sent, now);
    }
  else if (sent >= self->epoch && wait_ms >= 1000)
    {
      /* Only Retry-After: the requests taken since the last refusal fill the window, and the
       * window ends when the first of them leaves it. Refusals of requests that started
       * before this one are the same overflow, and say nothing new; a wait under a second is
       * a hiccup, not a window. */
      gint64 first = self->accepted->len ? g_array_index (self->accepted, gint64, 0) : sent;

      main->max = MAX (1, self->accepted->len);
      main->interval = MAX (1000, now + wait_ms - first);
      self->inferred = TRUE;
      self->prev_epoch = self->epoch;
      self->epoch = now;
      g_array_set_size (self->accepted, 0);
      g_debug ("The CRM refused a request without saying its limit: assuming %" G_GINT64_FORMAT
               " requests in %" G_GINT64_FORMAT " ms", main->max, main->interval);
    }
  tp_sync_limiter_pause (self, now + wait_ms);
}

void
tp_sync_limiter_pause (TpSyncLimiter *self,
                       gint64         until)
{
  self->paused_until = MAX (self->paused_until, until);
}

gint64
tp_sync_limiter_next_start (TpSyncLimiter *self,
                            gint64         now)
{
  gint64 t = MAX (now, self->paused_until);

  /* The daily limit does not come back within a run. */
  if (self->budget == 0)
    return G_MAXINT64;
  /* Two passes: waiting for one window may run into the other. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < N_WINDOWS; i++)
      {
        Window *w = &self->windows[i];
        gint64 in_window, excess;

        if (w->max <= 0)
          continue;
        prune (w, now);
        in_window = count_after (w, t - w->interval - MARGIN);
        excess = in_window + self->in_air - w->max + 1;
        if (excess <= 0)
          continue;
        /* Only answered requests leave the window; those in the air must be answered first. */
        if (excess > in_window)
          return G_MAXINT64;
        t = MAX (t, g_array_index (w->ends, gint64, w->ends->len - in_window + excess - 1) + w->interval + MARGIN + 1);
      }
  return t;
}

int
tp_sync_limiter_room (TpSyncLimiter *self,
                      gint64         now,
                      gint64         horizon)
{
  gint64 room = G_MAXINT;

  if (self->paused_until > now + horizon || self->budget == 0)
    return 0;
  if (self->budget > 0)
    room = self->budget;
  for (guint i = 0; i < N_WINDOWS; i++)
    {
      Window *w = &self->windows[i];

      if (w->max <= 0)
        continue;
      prune (w, now);
      room = MIN (room, MAX (0, w->max - self->in_air - count_after (w, now + horizon - w->interval - MARGIN)));
    }
  return (int) room;
}

gboolean
tp_sync_limiter_knows (TpSyncLimiter *self)
{
  return self->windows[WINDOW_MAIN].max > 0 || self->windows[WINDOW_SECONDLY].max > 0 || self->budget >= 0;
}
