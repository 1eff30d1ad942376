/* tp-cli-common.c: what every command shares: options, opening the event and the store,
 * raising errors and choosing their exit codes, printing JSON. */
#define G_LOG_DOMAIN "tp-cli"

#include "tp-cli-common.h"
#include "tp-file.h"
#include "tp-pin.h"
#include "tp-staff.h"
#include "tp-store-coupon.h"
#include "tp-sync-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
  /* An unknown account, a name taken, the last admin: refused; a bad name: bad input. */
  if (error->domain == TP_STAFF_ERROR)
    return error->code == TP_STAFF_ERROR_INVALID_NAME ? TP_EXIT_DATAERR : TP_EXIT_REFUSED;
  if (error->domain == TP_PIN_ERROR)
    return error->code == TP_PIN_ERROR_INVALID || error->code == TP_PIN_ERROR_FAILED ? TP_EXIT_DATAERR
                                                                                      : TP_EXIT_REFUSED;
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

/* The first line of a PIN file, which must be a regular file only its owner can read. */
static gboolean
read_pin_file (const char  *path,
               char        *buf,
               gsize        size,
               GError     **error)
{
  char data[256] = { 0 };
  struct stat st;
  gssize got;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      return tp_cli_fail (error, TP_EXIT_DATAERR, "cannot read the PIN file %s: %s", path, g_strerror (saved));
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return tp_cli_fail (error, TP_EXIT_DATAERR, "the PIN file %s is not a regular file", path);
    }
  if (st.st_mode & 077)
    {
      close (fd);
      return tp_cli_fail (error, TP_EXIT_DATAERR,
                          "the PIN file %s can be read by other users (mode %04o); run `chmod 600 %s` first",
                          path, (guint) (st.st_mode & 07777), path);
    }
  got = read (fd, data, sizeof data - 1);
  close (fd);
  if (got < 0)
    {
      explicit_bzero (data, sizeof data);
      return tp_cli_fail (error, TP_EXIT_IOERR, "cannot read the PIN file %s", path);
    }
  data[strcspn (data, "\r\n")] = '\0';
  g_strlcpy (buf, data, size);
  explicit_bzero (data, sizeof data);
  return TRUE;
}

gboolean
tp_cli_read_new_pin (const char  *pin_file,
                     char        *buf,
                     gsize        size,
                     GError     **error)
{
  char second[64] = { 0 };
  gboolean tty = isatty (STDIN_FILENO);
  gboolean have_second = FALSE;
  gboolean ok = FALSE;

  memset (buf, 0, size);
  if (pin_file)
    ok = read_pin_file (pin_file, buf, size, error);
  else if (!tp_cli_read_secret_line ("New staff PIN (4 to 8 digits): ", buf, size))
    tp_cli_fail (error, TP_EXIT_DATAERR, "no PIN given on standard input");
  else
    {
      /* A terminal always asks twice; piped input may repeat the PIN on a second line. */
      have_second = tp_cli_read_secret_line ("Type it again: ", second, sizeof second);
      if (tty && !have_second)
        tp_cli_fail (error, TP_EXIT_DATAERR, "the PIN was not repeated; nothing changed");
      else if (have_second && tp_pin_is_valid (buf) && strcmp (buf, second) != 0)
        tp_cli_fail (error, TP_EXIT_DATAERR, "the two PINs differ; nothing changed");
      else
        ok = TRUE;
    }
  if (ok && !tp_pin_is_valid (buf))
    ok = tp_cli_fail (error, TP_EXIT_DATAERR, "the PIN must be %d to %d digits (0-9); nothing changed",
                      TP_PIN_MIN_DIGITS, TP_PIN_MAX_DIGITS);
  explicit_bzero (second, sizeof second);
  if (!ok)
    explicit_bzero (buf, size);
  return ok;
}
