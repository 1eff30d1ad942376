/* tp-cli-pin.c: `touchpoint pin set|status`: the staff PIN from the command line. */
#define G_LOG_DOMAIN "tp-cli-pin"

#include "tp-cli-common.h"
#include "tp-cli-commands.h"
#include "tp-pin.h"

#include <string.h>
#include <unistd.h>

#define PIN_LINE_MAX 64

static gboolean
pin_set (TpCliCommon  *common,
         GError      **error)
{
  g_autoptr(TpStore) store = NULL;
  char first[PIN_LINE_MAX] = { 0 }, second[PIN_LINE_MAX] = { 0 };
  gboolean tty = isatty (STDIN_FILENO);
  gboolean have_second, ok = FALSE;

  if (!tp_cli_read_secret_line ("New staff PIN (4 to 8 digits): ", first, sizeof first))
    return tp_cli_fail (error, TP_EXIT_DATAERR, "no PIN given on standard input");
  /* A terminal always asks twice; piped input may repeat the PIN on a second line. */
  have_second = tp_cli_read_secret_line ("Type it again: ", second, sizeof second);
  if (tty && !have_second)
    tp_cli_fail (error, TP_EXIT_DATAERR, "the PIN was not repeated; nothing changed");
  else if (!tp_pin_is_valid (first))
    tp_cli_fail (error, TP_EXIT_DATAERR, "the PIN must be %d to %d digits (0-9); nothing changed",
                 TP_PIN_MIN_DIGITS, TP_PIN_MAX_DIGITS);
  else if (have_second && strcmp (first, second) != 0)
    tp_cli_fail (error, TP_EXIT_DATAERR, "the two PINs differ; nothing changed");
  else if ((store = tp_cli_open_store (common, error)) && tp_pin_set (store, first, error))
    {
      g_print ("The staff PIN is set.\n");
      ok = TRUE;
    }

  explicit_bzero (first, sizeof first);
  explicit_bzero (second, sizeof second);
  return ok;
}

static gboolean
pin_status (TpCliCommon  *common,
            GError      **error)
{
  g_autoptr(TpStore) store = NULL;
  TpPinState state;

  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  if (!tp_pin_get_state (store, tp_pin_now (), &state, error))
    return FALSE;
  if (!state.is_set)
    {
      /* The answer to the question, on stdout; the exit status says "no" to a script. */
      g_print ("No staff PIN is set: the kiosk asks for one when it starts.\n");
      return tp_cli_fail (error, TP_EXIT_REFUSED, "no staff PIN is set");
    }
  if (state.lock_remaining > 0)
    g_print ("The staff PIN is set and locked for %" G_GINT64_FORMAT " more seconds after too many wrong tries.\n",
             state.lock_remaining);
  else
    g_print ("The staff PIN is set; %u wrong tries are left before a pause.\n", state.tries_left);
  return TRUE;
}

gboolean
tp_cli_pin (int      argc,
            char   **argv,
            GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("set | status");

  g_option_context_set_summary (context,
                                "set     sets the staff PIN (4 to 8 digits) that guards quitting the kiosk.\n"
                                "        From a terminal it asks twice without echo; otherwise it reads the\n"
                                "        PIN from the first line of standard input (and a repeat, if given).\n"
                                "status  says whether a PIN is set and whether it is locked.");
  tp_cli_add_common (context, &common);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint pin` needs set or status");
  if (g_str_equal (argv[1], "set"))
    return pin_set (&common, error);
  if (g_str_equal (argv[1], "status"))
    return pin_status (&common, error);
  return tp_cli_fail (error, TP_EXIT_USAGE, "unknown `pin` action \"%s\" (use set or status)", argv[1]);
}
