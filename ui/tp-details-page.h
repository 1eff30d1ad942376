/* tp-details-page.h: the visitor's details (the event's fields), typed or read from a badge. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-lead.h"

G_BEGIN_DECLS

#define TP_TYPE_DETAILS_PAGE (tp_details_page_get_type ())
G_DECLARE_FINAL_TYPE (TpDetailsPage, tp_details_page, TP, DETAILS_PAGE, AdwBin)

TpDetailsPage *tp_details_page_new         (TpEvent         *event,
                                            const char      *locale);
/* Copies the fields into the submission (empty fields are left out). */
void           tp_details_page_apply       (TpDetailsPage   *self,
                                            TpSubmission    *submission);
/* Puts the focus in the first field: typing goes there at once. */
void           tp_details_page_focus       (TpDetailsPage   *self);
/* Shows the problems about fields beside them, clears the other messages and moves focus to
 * the first wrong field; TRUE if there was any. */
gboolean       tp_details_page_show_problems (TpDetailsPage *self,
                                              TpValidation  *validation);
/* A key press seen anywhere in the window while this page shows (capture phase): TRUE when it
 * was part of a badge scan and must go no further. */
gboolean       tp_details_page_handle_key  (TpDetailsPage   *self,
                                            guint            keyval,
                                            guint            keycode,
                                            GdkModifierType  state,
                                            guint32          time);
/* Fills the fields from a scanned payload and says how it went; FALSE when it was no badge. */
gboolean       tp_details_page_apply_scan  (TpDetailsPage   *self,
                                            const char      *payload);

G_END_DECLS
