/* tp-kiosk-window.h: the kiosk's one window: the visit, idle reset, the staff PIN and menu. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-store.h"
#include "tp-visit-view.h"

G_BEGIN_DECLS

#define TP_TYPE_KIOSK_WINDOW (tp_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (TpKioskWindow, tp_kiosk_window, TP, KIOSK_WINDOW, AdwApplicationWindow)

TpKioskWindow *tp_kiosk_window_new                  (GtkApplication *app,
                                                     TpEvent        *event,
                                                     TpStore        *store);
/* Locked down (the default): the window cannot be closed but by staff behind the PIN. The
 * development mode (--windowed) lets it close and shows a title bar. */
void           tp_kiosk_window_set_locked_down      (TpKioskWindow  *self,
                                                     gboolean        locked_down);
/* The current visitor's view (replaced at every reset). */
TpVisitView   *tp_kiosk_window_get_visit            (TpKioskWindow  *self);
/* "first-run" (choosing a PIN), "visit", "pin" (the PIN pad over the visit), "staff" or
 * "change-pin". */
const char    *tp_kiosk_window_get_mode             (TpKioskWindow  *self);
gboolean       tp_kiosk_window_is_still_there_shown (TpKioskWindow  *self);
/* How long the "still there?" countdown lasts (10 seconds by default). */
void           tp_kiosk_window_set_still_there_seconds (TpKioskWindow *self,
                                                        guint          seconds);
/* Counts as a visitor's touch: restarts the idle timer. */
void           tp_kiosk_window_note_activity        (TpKioskWindow  *self);

G_END_DECLS
