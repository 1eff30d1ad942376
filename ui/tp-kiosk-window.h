/* tp-kiosk-window.h: the kiosk's one window: the visit, idle reset, staff sign-in and menu. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-staff.h"
#include "tp-store.h"
#include "tp-visit-view.h"

G_BEGIN_DECLS

#define TP_TYPE_KIOSK_WINDOW (tp_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (TpKioskWindow, tp_kiosk_window, TP, KIOSK_WINDOW, AdwApplicationWindow)

TpKioskWindow *tp_kiosk_window_new                  (GtkApplication *app,
                                                     TpEvent        *event,
                                                     TpStore        *store);
/* Locked down (the default): the window cannot be closed but by staff signed in. The
 * development mode (--windowed) lets it close and shows a title bar. */
void           tp_kiosk_window_set_locked_down      (TpKioskWindow  *self,
                                                     gboolean        locked_down);
/* The current visitor's view (replaced at every reset). */
TpVisitView   *tp_kiosk_window_get_visit            (TpKioskWindow  *self);
/* "first-run" (creating the first admin), "visit", "sign-in" (picking the account over the
 * visit), "pin" (its PIN pad), "staff" (signed in) or "change-pin". */
const char    *tp_kiosk_window_get_mode             (TpKioskWindow  *self);
gboolean       tp_kiosk_window_is_still_there_shown (TpKioskWindow  *self);
/* How long the "still there?" countdown lasts (10 seconds by default). */
void           tp_kiosk_window_set_still_there_seconds (TpKioskWindow *self,
                                                        guint          seconds);
/* The account signed in to the staff menu, or NULL while the staff layer is locked (it locks
 * again on Sign out, and after the event's idle time). */
const TpStaffAccount *tp_kiosk_window_get_account   (TpKioskWindow  *self);
/* Counts as a visitor's touch: restarts the idle timer. */
void           tp_kiosk_window_note_activity        (TpKioskWindow  *self);

G_END_DECLS
