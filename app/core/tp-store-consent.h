/* tp-store-consent.h: withdrawing a consent after the visit (the visitor changed their mind). */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* Appends a withdrawal record for purpose to each lead (never an update: the earlier grant stays
 * as history), queues an update of each lead for the CRM targets (so that the CRM records the
 * opt-out), and records it in the audit log, all in one transaction. A lead whose latest record
 * for purpose is already a refusal is left as it is; *changed counts the others. */
gboolean tp_store_withdraw_consent (TpStore             *self,
                                    const char * const  *lead_ids,
                                    const char          *purpose,
                                    const char          *actor,
                                    guint               *changed,
                                    GError             **error);

G_END_DECLS
