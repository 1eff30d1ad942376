/* tp-visit-view.h: one visitor's way through the kiosk, from welcome to reward, and their data. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_VISIT_VIEW (tp_visit_view_get_type ())
G_DECLARE_FINAL_TYPE (TpVisitView, tp_visit_view, TP, VISIT_VIEW, AdwBin)

/* A fresh visit in language ("ko", "en"). Everything the visitor enters lives in this widget
 * and its pages; destroying it wipes it. Emits "finished" when the visitor is done (reward
 * shown, declined, or done), "activity" when text changes (on-screen keyboards send no key
 * presses) and "stored" (lead id) once the lead is committed. */
TpVisitView *tp_visit_view_new            (TpEvent         *event,
                                           TpStore         *store,
                                           const char      *language);
const char  *tp_visit_view_get_language   (TpVisitView     *self);
/* "welcome", "consent", "details", "survey", "reward" or "declined". */
const char  *tp_visit_view_get_page_name  (TpVisitView     *self);
/* TRUE while the visitor's lead is being stored (on the store's thread). */
gboolean     tp_visit_view_is_storing     (TpVisitView     *self);
GtkWidget   *tp_visit_view_get_page       (TpVisitView     *self);
/* On the welcome page in the event's own language, with nothing entered. */
gboolean     tp_visit_view_is_pristine    (TpVisitView     *self);
/* Puts the keyboard focus where the visible page starts (the start button, the first box or
 * field, the question's first choice). */
void         tp_visit_view_focus          (TpVisitView     *self);
/* A key press seen by the window (capture phase), for badge scans; TRUE to stop it. */
gboolean     tp_visit_view_handle_key     (TpVisitView     *self,
                                           guint            keyval,
                                           guint            keycode,
                                           GdkModifierType  state,
                                           guint32          time);

G_END_DECLS
