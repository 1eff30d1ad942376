/* tp-cli-stats.c: `touchpoint stats [--json]`: counts of leads, consents, offers, coupons, outbox. */
#define G_LOG_DOMAIN "tp-cli-stats"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-stats.h"

static void
print_count (const char *indent,
             int         width,
             const char *name,
             gint64      count)
{
  g_print ("%s%-*s %" G_GINT64_FORMAT "\n", indent, width, name, count);
}

static void
print_counts (const char *title,
              GArray     *counts)
{
  g_print ("%s:\n", title);
  if (counts->len == 0)
    g_print ("  (none)\n");
  for (guint i = 0; i < counts->len; i++)
    print_count ("  ", 20, g_array_index (counts, TpStatsCount, i).name, g_array_index (counts, TpStatsCount, i).count);
}

static void
print_states (const char            *indent,
              int                    width,
              const TpStatsDelivery *delivery)
{
  for (guint s = 0; s < TP_DELIVERY_N_STATES; s++)
    print_count (indent, width, tp_delivery_state_to_string (s), delivery->states[s]);
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
  g_autoptr(TpStats) stats = NULL;

  g_option_context_set_summary (context, "Counts leads, consents, offers, coupons and outbox states.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint stats` takes no arguments");
  if (!(store = tp_cli_open_store_to_read (&common, error)))
    return FALSE;
  if (!(stats = tp_store_get_stats (store, error)))
    return FALSE;
  if (as_json)
    {
      g_autoptr(JsonNode) node = tp_stats_to_json (stats);

      tp_cli_print_json (node);
      return TRUE;
    }

  g_print ("Kiosk: number %u (%s)\n", stats->kiosk_number, stats->kiosk_id);
  g_print ("Leads: %" G_GINT64_FORMAT "\n", stats->leads);
  print_counts ("Consents granted", stats->consents_granted);
  print_counts ("Consents refused", stats->consents_refused);
  print_counts ("Offers", stats->offers);
  print_counts ("Tags", stats->tags);
  g_print ("Coupons:\n");
  print_count ("  ", 20, "issued", stats->coupons_issued);
  print_count ("  ", 20, "redeemed", stats->coupons_redeemed);
  /* The outbox shows its states per target when there are several targets. */
  g_print ("Outbox:\n");
  if (stats->outbox->len == 1)
    print_states ("  ", 20, &g_array_index (stats->outbox, TpStatsDelivery, 0));
  else
    for (guint i = 0; i < stats->outbox->len; i++)
      {
        const TpStatsDelivery *d = &g_array_index (stats->outbox, TpStatsDelivery, i);

        g_print ("  %s:\n", d->target);
        print_states ("    ", 18, d);
      }
  return TRUE;
}
