/* tp-answer.c: one answer to a survey question: an option id, a list of them, a number or a text. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-answer.h"
#include "tp-lead.h"
#include "tp-lead-private.h"
#include "tp-json.h"

TpAnswer *
tp_answer_new_string (const char *string)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_STRING;
  a->string = g_strdup (string);
  return a;
}

TpAnswer *
tp_answer_new_list (const char * const *options)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_LIST;
  a->list = g_strdupv ((char **) options);
  if (a->list == NULL)
    a->list = g_new0 (char *, 1);
  return a;
}

TpAnswer *
tp_answer_new_number (gint64 number)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_NUMBER;
  a->number = number;
  return a;
}

TpAnswer *
tp_answer_copy (const TpAnswer *answer)
{
  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return tp_answer_new_string (answer->string);
    case TP_ANSWER_LIST:
      return tp_answer_new_list ((const char * const *) answer->list);
    case TP_ANSWER_NUMBER:
    default:
      return tp_answer_new_number (answer->number);
    }
}

void
tp_answer_free (TpAnswer *answer)
{
  if (answer == NULL)
    return;
  tp_wipe_string (answer->string);
  g_free (answer->string);
  for (guint i = 0; answer->list && answer->list[i]; i++)
    tp_wipe_string (answer->list[i]);
  g_strfreev (answer->list);
  g_free (answer);
}

JsonNode *
tp_answer_to_json (const TpAnswer *answer)
{
  JsonNode *node;

  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return json_node_init_string (json_node_alloc (), answer->string);
    case TP_ANSWER_LIST:
      {
        JsonArray *array = json_array_new ();

        for (guint i = 0; answer->list[i]; i++)
          json_array_add_string_element (array, answer->list[i]);
        node = json_node_alloc ();
        json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), array);
        return node;
      }
    case TP_ANSWER_NUMBER:
    default:
      return json_node_init_int (json_node_alloc (), answer->number);
    }
}

TpAnswer *
tp_answer_new_from_json (JsonNode  *node,
                         GError   **error)
{
  gint64 number;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return tp_answer_new_string (json_node_get_string (node));
      /* 10.0 is the whole number 10 (many JSON writers keep the decimal point); 4.5 is not. */
      if (tp_json_node_get_whole (node, &number))
        return tp_answer_new_number (number);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) list = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            {
              g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED,
                           "[%u]: expected an option id (a string)", i);
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (e));
        }
      list = g_strv_builder_end (builder);
      return tp_answer_new_list ((const char * const *) list);
    }
  g_set_error_literal (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED,
                       "expected an option id, a list of option ids, a whole number or a text");
  return NULL;
}

char *
tp_answer_to_display (const TpAnswer *answer)
{
  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return g_strdup (answer->string);
    case TP_ANSWER_LIST:
      return g_strjoinv (";", answer->list);
    case TP_ANSWER_NUMBER:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, answer->number);
    }
}
