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

G_END_DECLS
