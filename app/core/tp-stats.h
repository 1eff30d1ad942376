/* tp-stats.h: the counts behind `touchpoint stats` and the staff page. */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-store.h"

G_BEGIN_DECLS

/* The counts for `touchpoint stats`; "outbox" has the delivery states (docs/sync.md). */
JsonNode     *tp_store_stats         (TpStore      *self,
                                      GError      **error);

G_END_DECLS
