/* tp-cli-purge.c: `touchpoint purge [--dry-run] [--force] | --records`: destroying leads whose
 * retention has ended, and the destruction records (파기 기록). */
#define G_LOG_DOMAIN "tp-cli-purge"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-store-purge.h"

static gboolean
print_records (TpStore  *store,
               GError  **error)
{
  g_autoptr(GPtrArray) records = tp_store_list_destructions (store, error);

  if (records == NULL)
    return FALSE;
  if (records->len == 0)
    g_print ("No lead has been destroyed for its retention yet.\n");
  for (guint i = 0; i < records->len; i++)
    {
      TpDestruction *d = records->pdata[i];

      g_print ("%s  %s  %" G_GINT64_FORMAT " leads of %s%s\n    rule: %s\n", d->at, d->actor, d->leads, d->event_id,
               d->forced ? " (forced: unsynced leads included)" : "", d->rule);
    }
  return TRUE;
}

gboolean
tp_cli_purge (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_auto(TpPurgeReport) report = { 0 };
  gboolean dry_run = FALSE, force = FALSE, records = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Say what would be destroyed; change nothing", NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Destroy expired leads that are not in the CRM yet too", NULL },
    { "records", 0, 0, G_OPTION_ARG_NONE, &records, "List the destruction records instead", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *actor = tp_audit_os_actor ();

  g_option_context_set_summary (context,
                                "Destroys the leads of the event (--event) whose retention has ended: once the\n"
                                "longest retention of the consents they granted has passed since they were\n"
                                "captured. Leads not yet in the CRM are kept unless --force. Each run leaves a\n"
                                "destruction record (when, how many, which event and rule, by whom).");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint purge` takes no arguments, only options");
  if (records)
    {
      if (!(store = tp_cli_open_store_to_read (&common, error)))
        return FALSE;
      return print_records (store, error);
    }
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;
  if (!tp_store_purge (store, event, NULL, dry_run, force, actor, &report, error))
    return FALSE;

  g_print ("%u lead%s of %s %s past their retention (%s).\n", report.expired, report.expired == 1 ? "" : "s",
           event->id, report.expired == 1 ? "is" : "are", report.rule);
  if (dry_run)
    g_print ("Dry run: %u would be destroyed%s; nothing changed.\n", force ? report.expired : report.expired - report.unsynced,
             force || report.unsynced == 0 ? "" : " (the others are not in the CRM yet)");
  else
    g_print ("Destroyed %u lead%s; the record is kept (`touchpoint purge --records`).\n", report.purged,
             report.purged == 1 ? "" : "s");
  if (report.unsynced > 0 && force && !dry_run)
    g_printerr ("touchpoint: warning: %u of them were not in the CRM yet and are lost for it\n", report.unsynced);
  else if (report.unsynced > 0 && !force)
    g_print ("Kept %u expired lead%s that %s not in the CRM yet: run `touchpoint sync` first, or purge --force to "
             "destroy them anyway.\n", report.unsynced, report.unsynced == 1 ? "" : "s",
             report.unsynced == 1 ? "is" : "are");
  if (report.other_events > 0)
    g_print ("%u lead%s of other events were not judged: purge with their own --event file.\n", report.other_events,
             report.other_events == 1 ? "" : "s");
  return TRUE;
}
