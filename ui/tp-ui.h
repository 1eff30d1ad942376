/* tp-ui.h: one-time set-up of the widget library (resources, style sheet) and what every page
 * needs of it: Korean line breaking. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before GTK starts: with no GPU render node (/dev/dri/renderD*), GTK's GL renderer would run
 * in software (llvmpipe) at twice the frame time of its cairo renderer, so use cairo unless
 * GSK_RENDERER says otherwise. Returns the renderer chosen, or NULL when GTK decides. */
const char *tp_ui_choose_renderer (void);
void        tp_ui_init            (void);

/* Korean wraps between words (어절), never inside one, as CSS `word-break: keep-all` does; Pango
 * breaks between any two syllables. These turn line breaks off inside every run of non-space
 * characters that holds Hangul, with attributes: the text itself is not changed (a consent
 * notice on screen is byte for byte the text whose hash is recorded). Other scripts wrap as
 * before. The attributes for text: */
PangoAttrList *tp_ui_keep_words_attributes (const char *text);
/* The rule on label, now and whenever its text changes; its own attributes are kept. */
void           tp_ui_label_keep_words      (GtkLabel   *label);
/* The rule on every label under root (root included), check and other buttons' too. */
void           tp_ui_keep_words            (GtkWidget  *root);

/* Scrolls the scrolled window around top so that everything from top's upper edge to
 * bottom's lower edge (bottom: a message under it, or NULL) is in view, once the widgets just
 * shown are laid out: a message under a box must not stay hidden under the bottom edge. */
void           tp_ui_scroll_into_view      (GtkWidget  *top,
                                            GtkWidget  *bottom);

G_END_DECLS
