/* tp-staff-page.h: what staff see once signed in: who is signed in, live counts, change their
 * PIN, sign out, quit. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-staff.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_STAFF_PAGE (tp_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (TpStaffPage, tp_staff_page, TP, STAFF_PAGE, AdwBin)

/* account: who signed in (copied), named on the page. */
TpStaffPage *tp_staff_page_new      (TpEvent              *event,
                                     TpStore              *store,
                                     const TpStaffAccount *account);
/* Reads the counts again on the store's thread (also every few seconds while shown); the
 * labels change when they arrive. */
void         tp_staff_page_refresh  (TpStaffPage *self);

G_END_DECLS
