/* tp-event-reader.c: the event parser's readers of JSON values; each error names the value's path. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event-reader.h"
#include "tp-json.h"

#include <string.h>

void
tp_reader_fail (GError     **error,
                const char  *path,
                const char  *format,
                ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The root has no name of its own: "$" as in JSONPath. */
  g_set_error (error, TP_EVENT_ERROR, TP_EVENT_ERROR_INVALID, "%s: %s", *path ? path : "$", message);
}

char *
tp_reader_join (const char *parent,
                const char *member)
{
  return *parent ? g_strdup_printf ("%s.%s", parent, member) : g_strdup (member);
}

char *
tp_reader_join_index (const char *parent,
                      guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

const char *
tp_reader_node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "true or false";
    case G_TYPE_DOUBLE:
      return "a number with a fraction";
    default:
      return "a number";
    }
}

/* Looks up member name in obj; reports a missing required member. */
static JsonNode *
member (JsonObject  *obj,
        const char  *path,
        const char  *name,
        gboolean     required,
        GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL && required)
    {
      tp_reader_fail (error, path, "missing \"%s\"", name);
      return NULL;
    }
  return node;
}

gboolean
tp_reader_get_string (JsonObject   *obj,
                      const char   *path,
                      const char   *name,
                      gboolean      required,
                      char        **out,
                      GError      **error)
{
  JsonNode *node;
  g_autofree char *p = tp_reader_join (path, name);
  const char *s;

  *out = NULL;
  node = member (obj, path, name, required, error);
  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      tp_reader_fail (error, p, "expected a string, found %s", tp_reader_node_kind (node));
      return FALSE;
    }
  s = json_node_get_string (node);
  if (required && *s == '\0')
    {
      tp_reader_fail (error, p, "must not be empty");
      return FALSE;
    }
  *out = g_strdup (s);
  return TRUE;
}

gboolean
tp_reader_get_bool (JsonObject  *obj,
                    const char  *path,
                    const char  *name,
                    gboolean     fallback,
                    gboolean    *out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *p = tp_reader_join (path, name);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      tp_reader_fail (error, p, "expected true or false, found %s", tp_reader_node_kind (node));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
tp_reader_get_int (JsonObject  *obj,
                   const char  *path,
                   const char  *name,
                   gboolean     required,
                   gint64       fallback,
                   gint64       lo,
                   gint64       hi,
                   gint64      *out,
                   GError     **error)
{
  JsonNode *node;
  g_autofree char *p = tp_reader_join (path, name);
  gint64 v;

  *out = fallback;
  node = member (obj, path, name, required, error);
  if (node == NULL)
    return !required;
  if (!tp_json_node_get_whole (node, &v))
    {
      tp_reader_fail (error, p, "expected a whole number, found %s", tp_reader_node_kind (node));
      return FALSE;
    }
  if (v < lo || v > hi)
    {
      tp_reader_fail (error, p, "%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ")",
                      v, lo, hi);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

JsonObject *
tp_reader_get_object (JsonObject  *obj,
                      const char  *path,
                      const char  *name,
                      gboolean     required,
                      GError     **error)
{
  JsonNode *node = member (obj, path, name, required, error);
  g_autofree char *p = tp_reader_join (path, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tp_reader_fail (error, p, "expected an object, found %s", tp_reader_node_kind (node));
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
tp_reader_get_array (JsonObject  *obj,
                     const char  *path,
                     const char  *name,
                     gboolean     required,
                     GError     **error)
{
  JsonNode *node = member (obj, path, name, required, error);
  g_autofree char *p = tp_reader_join (path, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      tp_reader_fail (error, p, "expected an array, found %s", tp_reader_node_kind (node));
      return NULL;
    }
  return json_node_get_array (node);
}

/* The i-th element of array, which must be an object. */
JsonObject *
tp_reader_element_object (JsonArray   *array,
                          guint        i,
                          const char  *path,
                          GError     **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tp_reader_fail (error, path, "expected an object, found %s", tp_reader_node_kind (node));
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
tp_reader_is_valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *c = id; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

gboolean
tp_reader_get_id (JsonObject  *obj,
                  const char  *path,
                  char       **out,
                  GError     **error)
{
  g_autofree char *p = tp_reader_join (path, "id");

  if (!tp_reader_get_string (obj, path, "id", TRUE, out, error))
    return FALSE;
  if (!tp_reader_is_valid_id (*out))
    {
      tp_reader_fail (error, p, "\"%s\" is not a valid id (use 1 to 64 letters, digits, '-' or '_')", *out);
      g_clear_pointer (out, g_free);
      return FALSE;
    }
  return TRUE;
}

/* A localized text: an object with a non-empty string for every locale of the event. */
TpText *
tp_reader_get_text (TpReader    *reader,
                    JsonObject  *obj,
                    const char  *path,
                    const char  *name,
                    gboolean     required,
                    GError     **error)
{
  g_autofree char *p = tp_reader_join (path, name);
  JsonObject *text_obj;
  g_autoptr(GHashTable) text = NULL;
  g_autoptr(GList) members = NULL;

  if (json_object_get_member (obj, name) == NULL && !required)
    return NULL;
  text_obj = tp_reader_get_object (obj, path, name, TRUE, error);
  if (text_obj == NULL)
    return NULL;

  text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; reader->locales[i]; i++)
    {
      g_autofree char *value = NULL;

      if (!tp_reader_get_string (text_obj, p, reader->locales[i], TRUE, &value, error))
        return NULL;
      if (!g_utf8_validate (value, -1, NULL))
        {
          g_autofree char *lp = tp_reader_join (p, reader->locales[i]);
          tp_reader_fail (error, lp, "not valid UTF-8");
          return NULL;
        }
      g_hash_table_insert (text, g_strdup (reader->locales[i]), g_steal_pointer (&value));
    }
  members = json_object_get_members (text_obj);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains ((const char * const *) reader->locales, l->data))
      {
        tp_reader_fail (error, p, "\"%s\" is not one of the event's locales", (const char *) l->data);
        return NULL;
      }
  return g_steal_pointer (&text);
}

/* Every id in one list must be unique. */
gboolean
tp_reader_check_unique (GHashTable  *seen,
                        const char  *id,
                        const char  *path,
                        GError     **error)
{
  if (g_hash_table_contains (seen, id))
    {
      tp_reader_fail (error, path, "the id \"%s\" is used twice", id);
      return FALSE;
    }
  g_hash_table_add (seen, (gpointer) id);
  return TRUE;
}
