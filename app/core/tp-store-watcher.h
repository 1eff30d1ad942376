/* tp-store-watcher.h: notices, twice a second and without reading any table, that something was
 * committed to the store (by this process or another), for views that update live. */
#pragma once

#include <gio/gio.h>

#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_STORE_WATCHER (tp_store_watcher_get_type ())
G_DECLARE_FINAL_TYPE (TpStoreWatcher, tp_store_watcher, TP, STORE_WATCHER, GObject)

/* Reads the store's data version (tp_store_get_data_version) on the store's thread every
 * interval_ms, from the thread-default main context; "changed" is emitted there when it moved. */
TpStoreWatcher *tp_store_watcher_new       (TpStore        *store,
                                            guint           interval_ms);
/* Reads it now, without waiting for the next tick. */
void            tp_store_watcher_check     (TpStoreWatcher *self);
TpStore        *tp_store_watcher_get_store (TpStoreWatcher *self);

G_END_DECLS
