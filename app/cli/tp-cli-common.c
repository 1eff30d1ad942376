/* tp-cli-common.c: what every command shares: options, opening the event and the store,
 * raising errors and choosing their exit codes, printing JSON. */
#define G_LOG_DOMAIN "tp-cli"

#include "tp-cli-common.h"
#include "tp-file.h"
#include "tp-store-coupon.h"
#include "tp-sync-config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

G_DEFINE_QUARK (tp-cli-error-quark, tp_cli_error)

void
tp_cli_common_clear (TpCliCommon *common)
{
  g_clear_pointer (&common->event_path, g_free);
  g_clear_pointer (&common->data_dir, g_free);
}

void
tp_cli_add_common (GOptionContext *context,
                   TpCliCommon    *common)
{
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_FILENAME, &common->event_path,
      "The event definition (default: the bundled demo event)", "FILE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &common->data_dir,
      "Where the lead store lives (default: $TOUCHPOINT_DATA_DIR, else $XDG_DATA_HOME/touchpoint)", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

gboolean
tp_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv,
              GError        **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_option_context_parse (context, argc, argv, &local))
    return tp_cli_fail (error, TP_EXIT_USAGE, "%s (see `touchpoint %s --help`)", local->message, (*argv)[0]);
  return TRUE;
}

gboolean
tp_cli_fail (GError     **error,
             TpExit       code,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (TP_CLI_ERROR, code, format, args));
  va_end (args);
  return FALSE;
}

static TpExit
exit_code_for_sync (const GError *error)
{
  switch (error->code)
    {
    case TP_SYNC_ERROR_CONFIG:
      return TP_EXIT_USAGE;
    case TP_SYNC_ERROR_BUSY:
      return TP_EXIT_REFUSED;
    case TP_SYNC_ERROR_UNREACHABLE:
    case TP_SYNC_ERROR_TLS:
    case TP_SYNC_ERROR_AUTH:
      return TP_EXIT_UNAVAILABLE;
    default:
      return TP_EXIT_DATAERR;
    }
}

TpExit
tp_cli_exit_code_for (const GError *error)
{
  if (error->domain == TP_CLI_ERROR)
    return error->code;
  if (error->domain == G_OPTION_ERROR)
    return TP_EXIT_USAGE;
  if (error->domain == TP_STORE_ERROR)
    return error->code == TP_STORE_ERROR_NOT_FOUND ? TP_EXIT_REFUSED : TP_EXIT_IOERR;
  if (error->domain == TP_REDEEM_ERROR)
    return TP_EXIT_REFUSED;
  if (error->domain == TP_SYNC_ERROR)
    return exit_code_for_sync (error);
  if (error->domain == G_IO_ERROR)
    return TP_EXIT_IOERR;
  if (error->domain == TP_FILE_ERROR)
    return error->code == TP_FILE_ERROR_IO ? TP_EXIT_IOERR : TP_EXIT_DATAERR;
  /* Event files, submissions, PINs: the input was wrong. */
  return TP_EXIT_DATAERR;
}

TpEvent *
tp_cli_load_event (TpCliCommon *common,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  TpEvent *event = tp_event_load (common->event_path, &local);

  /* An event file that cannot be read is bad input to the command, not a storage failure. */
  if (event == NULL)
    tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
  return event;
}

char *
tp_cli_data_dir (TpCliCommon  *common,
                 GError      **error)
{
  /* An empty --data-dir "" (an unset shell variable) must not quietly mean the default. */
  if (common->data_dir && *common->data_dir == '\0')
    {
      tp_cli_fail (error, TP_EXIT_USAGE, "--data-dir is empty: name the data folder");
      return NULL;
    }
  return tp_store_resolve_dir (common->data_dir);
}

TpStore *
tp_cli_open_store (TpCliCommon *common,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *dir = tp_cli_data_dir (common, error);
  TpStore *store;

  if (dir == NULL)
    return NULL;
  store = tp_store_new (dir, &local);
  if (store == NULL)
    tp_cli_fail (error, TP_EXIT_IOERR, "%s", local->message);
  return store;
}

TpStore *
tp_cli_open_store_to_read (TpCliCommon *common,
                           GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *dir = tp_cli_data_dir (common, error);
  g_autofree char *db = NULL;
  TpStore *store;

  if (dir == NULL)
    return NULL;
  store = tp_store_new (dir, &local);
  if (store)
    return store;
  /* A folder (or database) this user may read but not write: read it as it is. */
  db = g_build_filename (dir, "touchpoint.db", NULL);
  if (g_file_test (db, G_FILE_TEST_IS_REGULAR) && (access (dir, W_OK) != 0 || access (db, W_OK) != 0))
    {
      store = tp_store_open_read_only (dir, &read_error);
      if (store)
        return store;
      tp_cli_fail (error, TP_EXIT_IOERR, "%s", read_error->message);
      return NULL;
    }
  tp_cli_fail (error, TP_EXIT_IOERR, "%s", local->message);
  return NULL;
}

void
tp_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Reads one line from stdin into buf (without the newline); with a terminal, prompts on stderr
 * and turns echo off. FALSE at end of input. */
gboolean
tp_cli_read_secret_line (const char *prompt,
                         char       *buf,
                         gsize       size)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  char *got;
  gsize n;

  if (tty)
    {
      g_printerr ("%s", prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(ECHO);
          quiet.c_lflag |= ECHONL;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  got = fgets (buf, size, stdin);
  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  if (got == NULL)
    return FALSE;
  n = strcspn (buf, "\r\n");
  buf[n] = '\0';
  return TRUE;
}
