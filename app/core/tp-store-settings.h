/* tp-store-settings.h: small kiosk settings kept in the store, by key. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* Small kiosk settings kept in the store (autocommit, durable). NULL when the key is unset;
 * a NULL value removes the key. */
char         *tp_store_get_setting   (TpStore      *self,
                                      const char   *key,
                                      GError      **error);
gboolean      tp_store_set_setting   (TpStore      *self,
                                      const char   *key,
                                      const char   *value,
                                      GError      **error);

G_END_DECLS
