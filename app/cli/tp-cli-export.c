/* tp-cli-export.c: `touchpoint export --csv [-o FILE]`: every lead, one row each. */
#define G_LOG_DOMAIN "tp-cli-export"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-export.h"
#include "tp-file.h"

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

#define PASSWORD_MIN 8
#define PASSWORD_MAX 256

/* The archive's password: the first line of a private file (its exact bytes, without the line
 * break), or typed twice on a terminal. */
static char *
read_password (const char  *password_file,
               GError     **error)
{
  g_autoptr(GError) local = NULL;
  char first[PASSWORD_MAX + 2] = { 0 }, second[PASSWORD_MAX + 2] = { 0 };
  g_autofree char *data = NULL;
  char *password = NULL;
  gsize length = 0;
  GStatBuf st;

  if (password_file)
    {
      if (!tp_file_read_regular (password_file, 64 * 1024, &data, &length, &local))
        {
          tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
          return NULL;
        }
      if (g_stat (password_file, &st) == 0 && (st.st_mode & 077) != 0)
        tp_cli_fail (error, TP_EXIT_DATAERR, "%s can be read by other users: chmod 600 it first", password_file);
      else
        {
          data[strcspn (data, "\r\n")] = '\0';
          password = g_strdup (data);
        }
      explicit_bzero (data, length);
    }
  else if (isatty (STDIN_FILENO))
    {
      if (!tp_cli_read_secret_line ("Password for the archive: ", first, sizeof first) ||
          !tp_cli_read_secret_line ("Type it again: ", second, sizeof second))
        tp_cli_fail (error, TP_EXIT_DATAERR, "no password given; nothing was written");
      else if (strcmp (first, second) != 0)
        tp_cli_fail (error, TP_EXIT_DATAERR, "the two passwords differ; nothing was written");
      else
        password = g_strdup (first);
      explicit_bzero (first, sizeof first);
      explicit_bzero (second, sizeof second);
    }
  else
    tp_cli_fail (error, TP_EXIT_USAGE, "--encrypt needs --password-file FILE (chmod 600), or a terminal "
                 "to type the password on");
  if (password == NULL)
    return NULL;

  if (!g_utf8_validate (password, -1, NULL) || g_utf8_strlen (password, -1) < PASSWORD_MIN ||
      strlen (password) > PASSWORD_MAX)
    {
      explicit_bzero (password, strlen (password));
      g_free (password);
      tp_cli_fail (error, TP_EXIT_DATAERR, "the password must be %d to %d characters of text",
                   PASSWORD_MIN, PASSWORD_MAX);
      return NULL;
    }
  return password;
}

/* The export, whole, in memory: what goes into the encrypted archive never lies on a disk in
 * the clear, except an .xlsx for a moment in the private data folder (libxlsxwriter writes
 * files by name). */
static GBytes *
export_bytes (TpStore   *store,
              TpEvent   *event,
              gboolean   xlsx,
              GError   **error)
{
  if (xlsx)
    {
      g_autofree char *path = g_build_filename (tp_store_get_dir (store), ".export-XXXXXX.xlsx", NULL);
      g_autofree char *data = NULL;
      gsize length = 0;
      gboolean ok;
      int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write in %s", tp_store_get_dir (store));
          return NULL;
        }
      close (fd);
      ok = tp_export_xlsx (store, event, path, error) && g_file_get_contents (path, &data, &length, error);
      g_unlink (path);
      return ok ? g_bytes_new_take (g_steal_pointer (&data), length) : NULL;
    }
  else
    {
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (!tp_export_csv (store, event, mem, error) || !g_output_stream_close (mem, NULL, error))
        return NULL;
      return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
    }
}

static gboolean
export_encrypted (TpStore     *store,
                  TpEvent     *event,
                  gboolean     xlsx,
                  const char  *output,
                  const char  *password_file,
                  GError     **error)
{
  g_autoptr(TpAtomicFile) file = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *password = NULL;
  g_autofree char *base = g_path_get_basename (output);
  g_autofree char *member = NULL;
  gboolean ok;

  if (!(password = read_password (password_file, error)))
    return FALSE;
  if (g_str_has_suffix (base, ".zip"))
    base[strlen (base) - 4] = '\0';
  member = g_strconcat (base, xlsx ? ".xlsx" : ".csv", NULL);
  if (!(file = tp_atomic_file_new (output, &local)))
    ok = tp_cli_fail (error, TP_EXIT_IOERR, "cannot write %s: %s", output, local->message);
  else if (!(contents = export_bytes (store, event, xlsx, &local)))
    ok = tp_cli_fail (error, tp_cli_exit_code_for (local), "export failed for %s: %s", output, local->message);
  else if (!tp_export_zip (tp_atomic_file_get_temp_path (file), member, contents, password, &local) ||
           !tp_atomic_file_commit (file, &local))
    ok = tp_cli_fail (error, TP_EXIT_IOERR, "%s", local->message);
  else
    ok = TRUE;
  explicit_bzero (password, strlen (password));
  return ok;
}

static gboolean
export_to (TpStore     *store,
           TpEvent     *event,
           gboolean     xlsx,
           gboolean     encrypt,
           const char  *output,
           const char  *password_file,
           GError     **error)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(TpAtomicFile) file = NULL;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  if (encrypt)
    return export_encrypted (store, event, xlsx, output, password_file, error);
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

gboolean
tp_cli_export (int      argc,
               char   **argv,
               GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean csv = FALSE, xlsx = FALSE, encrypt = FALSE;
  g_autofree char *output = NULL, *password_file = NULL, *reason = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV (RFC 4180, UTF-8 with BOM)", NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_NONE, &xlsx, "An Excel workbook with typed cells", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { "encrypt", 0, 0, G_OPTION_ARG_NONE, &encrypt, "Seal the export in an AES-256 zip archive (needs -o FILE.zip)", NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why the export is made, for the audit log", "TEXT" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      "The archive's password: the first line of this file (chmod 600); otherwise it is asked for", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *actor = tp_audit_os_actor ();
  g_autofree char *detail = NULL;

  g_option_context_set_summary (context, "Exports every lead, one row each, as CSV or as an Excel workbook.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (csv == xlsx || argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint export` needs one of --csv or --xlsx");
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store_to_read (&common, error)))
    return FALSE;

  /* "-o -" means standard output, as "--json -" means standard input. */
  if (g_strcmp0 (output, "-") == 0)
    g_clear_pointer (&output, g_free);
  if (password_file && !encrypt)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--password-file goes with --encrypt");
  if (encrypt && output == NULL)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--encrypt needs -o FILE.zip");
  if (!export_to (store, event, xlsx, encrypt, output, password_file, error))
    return FALSE;

  /* Personal data left the store: who, in which form, why. */
  detail = g_strdup_printf ("%s, %s%s%s", xlsx ? "xlsx" : "csv", encrypt ? "encrypted" : "not encrypted",
                            reason ? "; reason: " : "", reason ? reason : "");
  if (!tp_audit_append (store, actor, TP_AUDIT_EXPORT, NULL, detail, &local))
    g_printerr ("touchpoint: warning: the export is not in the audit log (%s)\n", local->message);
  return TRUE;
}
