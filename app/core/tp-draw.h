/* tp-draw.h: a prize draw anyone can check: frozen entries, a committed seed, winners picked by
 * HMAC-SHA256 with rejection sampling (docs/draws.md gives a Python verifier), and the winners'
 * data masked for a screen that others see. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SHA-256 (hex) of the entries, sorted, each followed by "\n". */
char  *tp_draw_fingerprint (const char * const *sorted_entries);
/* n winners (or fewer, when fewer entries) of the sorted entries, for prize, by the seed (32
 * bytes): for counter = 0, 1, ...: r = the first 8 bytes, big-endian, of
 * HMAC-SHA256 (seed, "PRIZE:COUNTER"); with m entries left, r is refused when it is at least
 * 2^64 - (2^64 mod m) (no bias), else entry r mod m wins and leaves the list. */
char **tp_draw_pick        (const guint8       *seed,
                            const char         *prize,
                            const char * const *sorted_entries,
                            guint               n);
/* 홍길동 → 홍*동, Jane Doe → J*** D**, hong@example.com → h***@example.com,
 * +821012345678 or 010-1234-5678 → 010-****-5678. */
char  *tp_draw_mask_name   (const char *name);
char  *tp_draw_mask_email  (const char *email);
char  *tp_draw_mask_phone  (const char *phone);

G_END_DECLS
