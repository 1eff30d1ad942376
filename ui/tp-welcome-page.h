/* tp-welcome-page.h: the first screen: the event's name, a start button, the language switch. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"

G_BEGIN_DECLS

#define TP_TYPE_WELCOME_PAGE (tp_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TpWelcomePage, tp_welcome_page, TP, WELCOME_PAGE, AdwBin)

TpWelcomePage *tp_welcome_page_new    (TpEvent       *event,
                                       const char    *locale);
/* Puts the keyboard focus on the start button (Enter or Space starts). */
void           tp_welcome_page_focus  (TpWelcomePage *self);

G_END_DECLS
