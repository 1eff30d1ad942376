/* tp-store-erase.h: erasing a lead on request (the right to erasure). */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* Erases a lead's personal data (fields, answers, tags) and marks it erased, keeping its
 * consent records as proof; stops any send of it that has not succeeded yet and queues a
 * deletion for every CRM target, all in one transaction. Erasing an erased lead does nothing. */
gboolean      tp_store_erase_lead    (TpStore      *self,
                                      const char   *lead_id,
                                      GError      **error);

G_END_DECLS
