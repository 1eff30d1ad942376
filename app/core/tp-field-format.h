/* tp-field-format.h: the formats of field values (email addresses, phone numbers) and the form
 * each value is stored in. */
#pragma once

#include <glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

/* Normalises a phone number to E.164 ("+821012345678"); NULL when it is not one. */
char         *tp_phone_normalize       (const char    *value);
gboolean      tp_email_is_valid        (const char    *value);
/* A value of field in the form it is stored in: trimmed, NFC, an email address with a lower-case
 * domain, a phone number in E.164. NULL when an email address or a phone number is not one. */
char         *tp_field_value_normalize (const TpField *field,
                                        const char    *value);

G_END_DECLS
