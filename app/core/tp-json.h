/* tp-json.h: one-line members for JsonBuilder objects, and reading whole numbers. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void tp_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value);
void tp_json_add_int    (JsonBuilder *builder,
                         const char  *name,
                         gint64       value);
void tp_json_add_bool   (JsonBuilder *builder,
                         const char  *name,
                         gboolean     value);

/* TRUE when node is a JSON number with no fractional part (7 or 7.0, as other programs may
 * write it), stored in *out. */
gboolean tp_json_node_get_whole (JsonNode *node,
                                 gint64   *out);
/* JSON may spell a NUL character as \u0000, and json-glib hands strings back as C strings that
 * end there: "Kim\u0000<anything>" would read as "Kim", and "gift\u0000x" as the option "gift".
 * Call this on the text before parsing: the escape becomes \u0001, a control character that
 * validation refuses in the value it belongs to. */
void     tp_json_mask_nul_escapes (char  *data,
                                   gsize  length);
/* Our formats nest a few levels; json-glib's parser recurses once per level and overflows the
 * stack somewhere past 100,000. FALSE when data nests deeper than TP_JSON_MAX_DEPTH: refuse it
 * before parsing. */
#define TP_JSON_MAX_DEPTH 64
gboolean tp_json_depth_ok         (const char *data,
                                   gsize       length);

G_END_DECLS
