/* tp-event-prizes.c: reading an event file's prizes (see docs/draws.md): the parser's part for
 * them. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event-private.h"
#include "tp-event-reader.h"

static gboolean
parse_rounds (JsonObject  *obj,
              const char  *path,
              TpPrize     *prize,
              GError     **error)
{
  g_autoptr(GStrvBuilder) rounds = g_strv_builder_new ();
  g_autofree char *where = g_strconcat (path, ".rounds", NULL);
  JsonArray *array = tp_reader_get_array (obj, path, "rounds", FALSE, error);

  if (array == NULL && error && *error)
    return FALSE;
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;
      g_autoptr(GDateTime) at = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

      if (at == NULL)
        {
          g_autofree char *element = tp_reader_join_index (where, i);

          tp_reader_fail (error, element, "is not an ISO 8601 date and time with a zone "
                          "(e.g. \"2026-12-05T15:00:00+09:00\")");
          return FALSE;
        }
      g_strv_builder_add (rounds, text);
    }
  prize->rounds = g_strv_builder_end (rounds);
  return TRUE;
}

gboolean
tp_event_parse_prizes (TpReader    *reader,
                       JsonObject  *root,
                       TpEvent     *event,
                       GError     **error)
{
  JsonArray *array = tp_reader_get_array (root, "", "prizes", FALSE, error);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  event->prizes = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_prize_free);
  if (array == NULL)
    return error == NULL || *error == NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *p = tp_reader_join_index ("prizes", i);
      JsonObject *obj;
      TpPrize *prize;
      gint64 winners;

      if (!(obj = tp_reader_element_object (array, i, p, error)))
        return FALSE;
      prize = g_new0 (TpPrize, 1);
      g_ptr_array_add (event->prizes, prize);
      if (!tp_reader_get_id (obj, p, &prize->id, error) ||
          !tp_reader_check_unique (seen, prize->id, p, error) ||
          !(prize->name = tp_reader_get_text (reader, obj, p, "name", TRUE, error)) ||
          !tp_reader_get_int (obj, p, "winners_per_round", FALSE, 1, 1, 1000, &winners, error) ||
          !tp_reader_get_int (obj, p, "value", FALSE, 0, 0, G_GINT64_CONSTANT (1000000000000), &prize->value, error) ||
          !tp_reader_get_string (obj, p, "requires_consent", FALSE, &prize->requires_consent, error) ||
          !tp_reader_get_bool (obj, p, "several_prizes", FALSE, &prize->several_prizes, error) ||
          !parse_rounds (obj, p, prize, error))
        return FALSE;
      prize->winners_per_round = winners;
      if (prize->requires_consent && !tp_event_get_consent (event, prize->requires_consent))
        {
          g_autofree char *where = g_strconcat (p, ".requires_consent", NULL);

          tp_reader_fail (error, where, "\"%s\" is not one of the event's consents", prize->requires_consent);
          return FALSE;
        }
    }
  return TRUE;
}

