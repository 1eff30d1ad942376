/* tp-json-strict.h: reading JSON that people wrote (event files, submissions, sync.json)
 * without guessing: ambiguous text is refused, naming the path of the value. */
#pragma once

#include "tp-json.h"

G_BEGIN_DECLS

#define TP_JSON_ERROR (tp_json_error_quark ())
GQuark tp_json_error_quark (void);

typedef enum
{
  TP_JSON_ERROR_INVALID,  /* Not strict RFC 8259 JSON; the message starts with the value's path. */
} TpJsonError;

/* TRUE when data is exactly one RFC 8259 JSON value in UTF-8 (a leading byte order mark is
 * allowed), with no key given twice in an object, no deeper than TP_JSON_MAX_DEPTH. Otherwise
 * the error names the path ("consents.privacy: this key appears twice ...") and the line. */
gboolean  tp_json_check_strict (const char  *data,
                                gsize        length,
                                GError     **error);
/* tp_json_check_strict, then json-glib's parser on the text with \u0000 masked
 * (tp_json_mask_nul_escapes). */
JsonNode *tp_json_parse_strict (const char  *data,
                                gsize        length,
                                GError     **error);

G_END_DECLS
