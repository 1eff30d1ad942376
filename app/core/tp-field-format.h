/* tp-field-format.h: the formats of field values: email addresses and phone numbers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Normalises a phone number to digits with an optional leading "+". */
char         *tp_phone_normalize      (const char    *value);
gboolean      tp_email_is_valid       (const char    *value);

G_END_DECLS
