/* tp-json.c: one-line members for JsonBuilder objects, and reading whole numbers. */
#include "tp-json.h"

#include <string.h>

void
tp_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
tp_json_add_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
tp_json_add_bool (JsonBuilder *builder,
                  const char  *name,
                  gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

gboolean
tp_json_node_get_whole (JsonNode *node,
                        gint64   *out)
{
  GType type;
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type != G_TYPE_DOUBLE)
    return FALSE;
  /* Within ±2^53 every whole double is exact; beyond, nothing here needs it. */
  d = json_node_get_double (node);
  if (d != d || d < -9007199254740992.0 || d > 9007199254740992.0 || d != (double) (gint64) d)
    return FALSE;
  *out = (gint64) d;
  return TRUE;
}

void
tp_json_mask_nul_escapes (char  *data,
                          gsize  length)
{
  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 5 < length && memcmp (data + i + 2, "0000", 4) == 0)
        data[i + 5] = '1';
      i++;  /* The escaped character, which may itself be a backslash. */
    }
}

gboolean
tp_json_depth_ok (const char *data,
                  gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > TP_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}
