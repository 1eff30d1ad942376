/* tp-ui.h: one-time set-up of the widget library: resources, style sheet, types. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before GTK starts: with no GPU render node (/dev/dri/renderD*), GTK's GL renderer would run
 * in software (llvmpipe) at twice the frame time of its cairo renderer, so use cairo unless
 * GSK_RENDERER says otherwise. Returns the renderer chosen, or NULL when GTK decides. */
const char *tp_ui_choose_renderer (void);
void        tp_ui_init            (void);

G_END_DECLS
