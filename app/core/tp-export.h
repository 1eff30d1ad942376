/* tp-export.h: leads out of the store as CSV (RFC 4180, UTF-8 with BOM so Excel shows Korean). */
#pragma once

#include <gio/gio.h>

#include "tp-event.h"
#include "tp-store-leads.h"

G_BEGIN_DECLS

/* One row per lead: id, capture time, fields, consent decisions, answers, tags, offer, coupon.
 * The columns follow event, then come the ids that only leads of other events use (the store
 * may hold several events' leads, or the admin may pass another --event): nothing is dropped. */
gboolean tp_export_csv        (TpStore              *store,
                              TpEvent              *event,
                              GOutputStream        *out,
                              GError              **error);
/* The same on the store's thread, which writes to out until the callback (in the caller's
 * thread-default context): leave out alone until then. Cancelling stops between two leads;
 * what was written stays written (close a g_file_replace stream cancelled to keep the old
 * file). */
void     tp_export_csv_async  (TpStore              *store,
                              TpEvent              *event,
                              GOutputStream        *out,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
gboolean tp_export_csv_finish (TpStore              *store,
                              GAsyncResult         *result,
                              GError              **error);

/* Appends value as one RFC 4180 field; also neutralises formula injection (=, +, -, @). */
void     tp_csv_append_field  (GString              *line,
                              const char           *value);

G_END_DECLS
