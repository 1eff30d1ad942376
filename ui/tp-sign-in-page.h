/* tp-sign-in-page.h: staff sign in: pick an account (or type its name), then its PIN, checked
 * on the store's thread, with that account's lock-out shown as it counts down. */
#pragma once

#include <adwaita.h>

#include "tp-staff.h"

G_BEGIN_DECLS

#define TP_TYPE_SIGN_IN_PAGE (tp_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (TpSignInPage, tp_sign_in_page, TP, SIGN_IN_PAGE, AdwBin)

/* Lists the store's accounts to pick from; with a single account it asks for its PIN at once.
 * Emits "signed-in" (the TpStaffAccount, valid during the emission) when a PIN was right, and
 * "cancelled" when staff give up (Cancel, Escape). Actions: sign-in.choose (s: an account's
 * name), sign-in.next (the typed name), sign-in.back (to the list), sign-in.cancel. */
TpSignInPage *tp_sign_in_page_new              (TpStore      *store);
/* "account" (picking the account) or "pin" (its PIN pad). */
const char   *tp_sign_in_page_get_step         (TpSignInPage *self);
/* The account whose PIN is asked for, or NULL. */
const char   *tp_sign_in_page_get_account_name (TpSignInPage *self);

G_END_DECLS
