/* fuzz-mutate.h: one random edit of an input, for replaying fuzz harnesses in the test suite. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flips a bit, inserts a token (JSON, vCard, coupon punctuation), deletes, duplicates or cuts
 * a span, as rand decides. */
void fuzz_mutate (GString *bytes,
                  GRand   *rand);

G_END_DECLS
