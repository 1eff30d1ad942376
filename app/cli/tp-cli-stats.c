/* tp-cli-stats.c: `touchpoint stats [--json]`: counts of leads, consents, offers, coupons, outbox. */
#define G_LOG_DOMAIN "tp-cli-stats"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"

static void
print_counts (JsonObject *obj,
              const char *title,
              const char *member)
{
  JsonObject *counts = json_object_get_object_member (obj, member);
  g_autoptr(GList) names = counts ? json_object_get_members (counts) : NULL;

  g_print ("%s:\n", title);
  if (names == NULL)
    g_print ("  (none)\n");
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (counts, l->data);

      /* The outbox shows its states per target when there are several targets. */
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *inner = json_node_get_object (node);
          g_autoptr(GList) states = json_object_get_members (inner);

          g_print ("  %s:\n", (char *) l->data);
          for (GList *s = states; s; s = s->next)
            g_print ("    %-18s %" G_GINT64_FORMAT "\n", (char *) s->data, json_object_get_int_member (inner, s->data));
          continue;
        }
      g_print ("  %-20s %" G_GINT64_FORMAT "\n", (char *) l->data, json_node_get_int (node));
    }
}

gboolean
tp_cli_stats (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *obj, *consents;

  g_option_context_set_summary (context, "Counts leads, consents, offers, coupons and outbox states.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint stats` takes no arguments");
  if (!(store = tp_cli_open_store (&common, error)))
    return FALSE;
  if (!(stats = tp_store_stats (store, error)))
    return FALSE;
  if (as_json)
    {
      tp_cli_print_json (stats);
      return TRUE;
    }

  obj = json_node_get_object (stats);
  consents = json_object_get_object_member (obj, "consents");
  g_print ("Kiosk: number %" G_GINT64_FORMAT " (%s)\n",
           json_object_get_int_member (json_object_get_object_member (obj, "kiosk"), "number"),
           json_object_get_string_member (json_object_get_object_member (obj, "kiosk"), "id"));
  g_print ("Leads: %" G_GINT64_FORMAT "\n", json_object_get_int_member (obj, "leads"));
  print_counts (consents, "Consents granted", "granted");
  print_counts (consents, "Consents refused", "refused");
  print_counts (obj, "Offers", "offers");
  print_counts (obj, "Tags", "tags");
  print_counts (obj, "Coupons", "coupons");
  print_counts (obj, "Outbox", "outbox");
  return TRUE;
}
