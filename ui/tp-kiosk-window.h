/* tp-kiosk-window.h: the kiosk's one window. */
#pragma once

#include <adwaita.h>

#include "app/tp-event.h"
#include "app/tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_KIOSK_WINDOW (tp_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (TpKioskWindow, tp_kiosk_window, TP, KIOSK_WINDOW, AdwApplicationWindow)

TpKioskWindow *tp_kiosk_window_new (GtkApplication *app,
                                    TpEvent        *event,
                                    TpStore        *store);

G_END_DECLS
