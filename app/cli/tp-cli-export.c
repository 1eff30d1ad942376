/* tp-cli-export.c: `touchpoint export --csv [-o FILE]`: every lead, one row each. */
#define G_LOG_DOMAIN "tp-cli-export"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-export.h"
#include "tp-file.h"

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

/* A workbook is written by name: into a private temporary file, then copied to stdout. */
static gboolean
xlsx_to_stdout (TpStore  *store,
                TpEvent  *event,
                GError  **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  gsize length = 0;
  gboolean ok;
  int fd = g_file_open_tmp ("touchpoint-XXXXXX.xlsx", &path, &local);

  if (fd < 0)
    return tp_cli_fail (error, TP_EXIT_IOERR, "cannot make a temporary file: %s", local->message);
  close (fd);
  ok = tp_export_xlsx (store, event, path, &local) &&
       g_file_get_contents (path, &data, &length, &local);
  g_unlink (path);
  if (!ok)
    return tp_cli_fail (error, TP_EXIT_IOERR, "export failed: %s", local->message);
  if (fwrite (data, 1, length, stdout) != length)
    return tp_cli_fail (error, TP_EXIT_IOERR, "cannot write the workbook to standard output");
  return TRUE;
}

gboolean
tp_cli_export (int      argc,
               char   **argv,
               GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean csv = FALSE, xlsx = FALSE;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV (RFC 4180, UTF-8 with BOM)", NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_NONE, &xlsx, "An Excel workbook with typed cells", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(TpAtomicFile) file = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  g_option_context_set_summary (context, "Exports every lead, one row each, as CSV or as an Excel workbook.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (csv == xlsx || argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint export` needs one of --csv or --xlsx");
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;

  /* "-o -" means standard output, as "--json -" means standard input. */
  if (g_strcmp0 (output, "-") == 0)
    g_clear_pointer (&output, g_free);
  if (output == NULL)
    {
      if (xlsx)
        return xlsx_to_stdout (store, event, error);
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!tp_export_csv (store, event, out, &local))
        return tp_cli_fail (error, tp_cli_exit_code_for (local), "export failed: %s", local->message);
      return TRUE;
    }

  /* Written beside the target and renamed into place once whole and on disk: a failed export
   * leaves the previous file as it was, and no half file. */
  if (!(file = tp_atomic_file_new (output, &local)))
    return tp_cli_fail (error, TP_EXIT_IOERR, "cannot write %s: %s", output, local->message);
  if (xlsx)
    ok = tp_export_xlsx (store, event, tp_atomic_file_get_temp_path (file), &local);
  else
    ok = tp_export_csv (store, event, tp_atomic_file_get_stream (file), &local);
  if (!ok)
    return tp_cli_fail (error, tp_cli_exit_code_for (local), "export failed for %s: %s", output, local->message);
  if (!tp_atomic_file_commit (file, &local))
    return tp_cli_fail (error, TP_EXIT_IOERR, "cannot finish %s: %s", output, local->message);
  return TRUE;
}
