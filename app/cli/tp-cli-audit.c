/* tp-cli-audit.c: `touchpoint audit [--since TIME] [--json] | verify`: the access log. */
#define G_LOG_DOMAIN "tp-cli-audit"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-json.h"

static JsonNode *
entries_to_json (GPtrArray *entries)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      TpAuditEntry *e = entries->pdata[i];

      json_builder_begin_object (b);
      tp_json_add_int (b, "id", e->id);
      tp_json_add_string (b, "at", e->at);
      tp_json_add_string (b, "actor", e->actor);
      tp_json_add_string (b, "action", e->action);
      tp_json_add_string (b, "kiosk", e->kiosk_id);
      json_builder_set_member_name (b, "leads");
      json_builder_begin_array (b);
      for (guint j = 0; e->leads[j]; j++)
        json_builder_add_string_value (b, e->leads[j]);
      json_builder_end_array (b);
      tp_json_add_string (b, "detail", e->detail);
      tp_json_add_string (b, "sha256", e->sha256);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_entries (GPtrArray *entries)
{
  if (entries->len == 0)
    g_print ("The audit log has no entries.\n");
  for (guint i = 0; i < entries->len; i++)
    {
      TpAuditEntry *e = entries->pdata[i];
      guint n = g_strv_length (e->leads);

      g_print ("%s  %-22s %-14s", e->at, e->actor, e->action);
      if (n == 1)
        g_print (" lead %s", e->leads[0]);
      else if (n > 1)
        g_print (" %u leads", n);
      if (*e->detail)
        g_print (" (%s)", e->detail);
      g_print ("\n");
    }
}

static gboolean
audit_verify (TpStore  *store,
              GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  gint64 broken = 0;

  if (!tp_audit_verify (store, &broken, error))
    {
      if (broken == 0)
        return FALSE;
      return tp_cli_fail (error, TP_EXIT_REFUSED, "the audit log was changed: entry %" G_GINT64_FORMAT
                          " does not match its hash or the entry before it", broken);
    }
  if (!(entries = tp_audit_list (store, NULL, error)))
    return FALSE;
  g_print ("The audit log is intact: %u %s", entries->len, entries->len == 1 ? "entry" : "entries");
  if (entries->len > 0)
    g_print (", the last one's SHA-256 is %s", ((TpAuditEntry *) entries->pdata[entries->len - 1])->sha256);
  g_print (".\n");
  return TRUE;
}

gboolean
tp_cli_audit (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autofree char *since_text = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, "Only entries at or after TIME (ISO 8601, e.g. 2026-12-04 "
      "or 2026-12-04T10:00:00+09:00)", "TIME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[verify]");
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_option_context_set_summary (context,
                                "Lists who unlocked, viewed, exported, synced, erased, purged or changed what,\n"
                                "when and at which kiosk (never personal data: leads are named by their ids).\n"
                                "verify  checks the chain of hashes: exit 0 when intact, 1 naming the first\n"
                                "        entry that was changed.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc > 2 || (argc == 2 && !g_str_equal (argv[1], "verify")))
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint audit` takes only `verify`");
  if (since_text)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autofree char *full = strlen (since_text) == 10 ? g_strconcat (since_text, "T00:00:00", NULL)
                                                        : g_strdup (since_text);

      since = g_date_time_new_from_iso8601 (full, utc);
      if (since == NULL)
        return tp_cli_fail (error, TP_EXIT_USAGE, "--since \"%s\" is not a date or time (e.g. 2026-12-04)",
                            since_text);
    }
  if (!(store = tp_cli_open_store_to_read (&common, error)))
    return FALSE;
  if (argc == 2)
    return audit_verify (store, error);
  if (!(list = tp_audit_list (store, since, error)))
    return FALSE;
  if (as_json)
    {
      g_autoptr(JsonNode) node = entries_to_json (list);

      tp_cli_print_json (node);
    }
  else
    print_entries (list);
  return TRUE;
}
