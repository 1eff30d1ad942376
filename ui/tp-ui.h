/* tp-ui.h: one-time set-up of the widget library: resources, style sheet, types. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void tp_ui_init (void);

G_END_DECLS
