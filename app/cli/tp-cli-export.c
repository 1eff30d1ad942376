/* tp-cli-export.c: `touchpoint export --csv [-o FILE]`: every lead, one row each. */
#define G_LOG_DOMAIN "tp-cli-export"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-export.h"
#include "tp-file.h"

#include <gio/gunixoutputstream.h>
#include <unistd.h>

gboolean
tp_cli_export (int      argc,
               char   **argv,
               GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean csv = FALSE;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV (RFC 4180, UTF-8 with BOM)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(TpAtomicFile) file = NULL;
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary (context, "Exports every lead, one row each.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (!csv || argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint export` needs --csv (the only format so far)");
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;

  /* "-o -" means standard output, as "--json -" means standard input. */
  if (g_strcmp0 (output, "-") == 0)
    g_clear_pointer (&output, g_free);
  if (output)
    {
      /* Written beside the target and renamed into place once whole and on disk: a failed
       * export leaves the previous file as it was, and no half file. */
      if (!(file = tp_atomic_file_new (output, &local)))
        return tp_cli_fail (error, TP_EXIT_IOERR, "cannot write %s: %s", output, local->message);
      out = g_object_ref (tp_atomic_file_get_stream (file));
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!tp_export_csv (store, event, out, &local))
    return tp_cli_fail (error, tp_cli_exit_code_for (local), "export failed%s%s: %s",
                        output ? " for " : "", output ? output : "", local->message);
  if (file ? !tp_atomic_file_commit (file, &local) : !g_output_stream_close (out, NULL, &local))
    return tp_cli_fail (error, TP_EXIT_IOERR, "cannot finish %s: %s", output ? output : "the export", local->message);
  return TRUE;
}
