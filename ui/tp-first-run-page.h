/* tp-first-run-page.h: the first start's first admin (a name, then a PIN typed twice), or a new
 * PIN for the account signed in. */
#pragma once

#include <adwaita.h>

#include "tp-staff.h"

G_BEGIN_DECLS

#define TP_TYPE_FIRST_RUN_PAGE (tp_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (TpFirstRunPage, tp_first_run_page, TP, FIRST_RUN_PAGE, AdwBin)

/* account NULL: the first start, which creates the first admin account (name, then PIN) and
 * cannot be skipped. Otherwise the new PIN of account, set as that account (and may be given
 * up). Emits "done" once stored, "cancelled" when a change is given up. The name step's
 * Continue is the action first-run.continue. */
TpFirstRunPage *tp_first_run_page_new      (TpStore              *store,
                                            const TpStaffAccount *account);
/* "name" or "pin". */
const char     *tp_first_run_page_get_step (TpFirstRunPage       *self);

G_END_DECLS
