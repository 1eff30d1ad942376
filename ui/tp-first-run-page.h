/* tp-first-run-page.h: choosing the staff PIN (on first start, or to change it), typed twice. */
#pragma once

#include <adwaita.h>

#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_FIRST_RUN_PAGE (tp_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (TpFirstRunPage, tp_first_run_page, TP, FIRST_RUN_PAGE, AdwBin)

/* changing: staff change a PIN already set (and may cancel); otherwise it is the first start.
 * Emits "done" once the PIN is stored, "cancelled" when staff give up a change. */
TpFirstRunPage *tp_first_run_page_new (TpStore  *store,
                                       gboolean  changing);

G_END_DECLS
