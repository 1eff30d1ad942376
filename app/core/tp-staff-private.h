/* tp-staff-private.h: what the store's migrations call in tp-staff.c. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* Schema step 4: the staff table, and the single staff PIN of older kiosks (its hash and its
 * lock, from the settings) moved into an admin account named "admin". Runs inside the step's
 * transaction. */
gboolean tp_staff_upgrade_store (TpStore  *store,
                                 GError  **error);

/* The form of a name that finds its account whatever its case or width (NFKC, case-folded),
 * or NULL when the name is not valid. */
char    *tp_staff_name_key      (const char *name);

G_END_DECLS
