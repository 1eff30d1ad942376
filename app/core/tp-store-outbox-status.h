/* tp-store-outbox-status.h: the outbox's delivery states per target and per lead. */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-store-outbox.h"

G_BEGIN_DECLS

/* Rows per state for target, indexed by TpDeliveryState. */
gboolean       tp_store_outbox_count          (TpStore      *self,
                                               const char   *target,
                                               gint64        counts[TP_DELIVERY_N_STATES],
                                               GError      **error);
/* The earliest next attempt among rows to retry (Unix ms), or 0 when there is none. */
gint64         tp_store_outbox_next_retry     (TpStore      *self,
                                               const char   *target,
                                               GError      **error);
/* The rejected rows for target: an array of {lead_id, kind, reason}. */
JsonNode      *tp_store_outbox_rejected       (TpStore      *self,
                                               const char   *target,
                                               GError      **error);
/* Every outbox row of one lead with its state per target, for `touchpoint sync --status`. */
JsonNode      *tp_store_outbox_lead_status    (TpStore      *self,
                                               const char   *lead_id,
                                               GError      **error);

G_END_DECLS
