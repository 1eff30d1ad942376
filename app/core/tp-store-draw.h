/* tp-store-draw.h: prize draws in rounds, recorded so that anyone can recompute them. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   round;
  char    *prize_id;
  char    *event_id;
  char    *at;
  char    *actor;
  char    *kiosk_id;
  char   **entries;       /* The frozen entries: lead UUIDs, sorted. */
  char    *fingerprint;   /* tp_draw_fingerprint (entries) */
  char    *commitment;    /* SHA-256 (hex) of the seed, shown before the draw. */
  char    *seed;          /* 64 hex digits, revealed after it. */
  guint    wanted;
  char   **winners;       /* Lead UUIDs, in the order drawn. */
  gint64   replaces;      /* The round whose unclaimed prize this one replaces, or 0. */
  char   **unclaimed;     /* Winners marked absent. */
} TpDrawRound;

void         tp_draw_round_free      (TpDrawRound *round);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpDrawRound, tp_draw_round_free)

/* The entries for a round of prize: one per person (leads with the same email, or else phone,
 * count once: the first), of the event, not erased, not kept out, with the prize's required
 * consent granted by its latest decision, and never an earlier winner of this prize (or of any
 * prize, unless the prize allows several). Sorted. */
char       **tp_store_draw_entries   (TpStore      *self,
                                      TpEvent      *event,
                                      const TpPrize *prize,
                                      GError      **error);
/* Draws one round: freezes the entries, commits to a random 256-bit seed (libsodium), picks
 * winners (the prize's number when winners is 0) and records it all with an audit entry.
 * NOT_FOUND error when no entry is eligible. replaces names the round of an unclaimed prize. */
TpDrawRound *tp_store_draw           (TpStore      *self,
                                      TpEvent      *event,
                                      const char   *prize_id,
                                      guint         winners,
                                      gint64        replaces,
                                      const char   *actor,
                                      GError      **error);
GPtrArray   *tp_store_draw_list      (TpStore      *self,
                                      GError      **error);
TpDrawRound *tp_store_draw_get       (TpStore      *self,
                                      gint64        round,
                                      GError      **error);
/* Recomputes a recorded round: its fingerprint from its entries, its commitment from its seed,
 * its winners from both. FALSE naming what does not match. */
gboolean     tp_draw_round_verify    (TpDrawRound  *round,
                                      GError      **error);
/* Marks a winner of round absent (never a silent redraw: draw a replacement round next). */
gboolean     tp_store_draw_unclaimed (TpStore      *self,
                                      gint64        round,
                                      const char   *lead_id,
                                      const char   *actor,
                                      GError      **error);
/* Keeps a lead out of every draw (a test or staff entry). */
gboolean     tp_store_draw_exclude   (TpStore      *self,
                                      const char   *lead_id,
                                      const char   *reason,
                                      const char   *actor,
                                      GError      **error);

G_END_DECLS
