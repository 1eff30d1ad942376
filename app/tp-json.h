/* tp-json.h: one-line members for JsonBuilder objects (name and value together). */
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

G_END_DECLS
