/* tp-i18n.h: gettext set-up and the kiosk's run-time switch between Korean and English. */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>

G_BEGIN_DECLS

/* Sets the locale from the environment (C.UTF-8 when it is plain C, so that LANGUAGE works)
 * and binds the message catalogue, installed or in the build tree. */
void        tp_i18n_init          (void);
/* "ko" or "en": the language every later _() answers in. */
void        tp_i18n_set_language  (const char *language);
const char *tp_i18n_get_language  (void);
/* The language _() answers in now, told by the catalogue itself ("ko" under LANGUAGE=ko even
 * when tp_i18n_set_language was never called): to name things in the same language. */
const char *tp_i18n_message_language (void);

G_END_DECLS
