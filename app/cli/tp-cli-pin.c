/* tp-cli-pin.c: `touchpoint pin set|status`: the staff PIN from the command line. Since staff
 * have accounts of their own, `pin set` sets the PIN of the account "admin" (`touchpoint staff`
 * manages the others) and `pin status` reports on every account. */
#define G_LOG_DOMAIN "tp-cli-pin"

#include "tp-cli-common.h"
#include "tp-cli-commands.h"
#include "tp-pin.h"
#include "tp-staff.h"

#include <string.h>

#define PIN_LINE_MAX 64

static gboolean
pin_set (TpCliCommon  *common,
         GError      **error)
{
  g_autoptr(TpStore) store = NULL;
  char pin[PIN_LINE_MAX];
  gboolean ok = FALSE;

  if (!tp_cli_read_new_pin (NULL, pin, sizeof pin, error))
    return FALSE;
  if ((store = tp_cli_open_store (common, error)) && tp_pin_set (store, pin, error))
    {
      g_print ("The staff PIN is set (account \"%s\").\n", TP_STAFF_DEFAULT_ADMIN);
      ok = TRUE;
    }
  else if (error && g_error_matches (*error, TP_PIN_ERROR, TP_PIN_ERROR_NOT_SET))
    {
      g_clear_error (error);
      tp_cli_fail (error, TP_EXIT_REFUSED, "there is no staff account named \"%s\"; set another account's "
                   "PIN with `touchpoint staff set-pin NAME` (see `touchpoint staff list`)", TP_STAFF_DEFAULT_ADMIN);
    }
  explicit_bzero (pin, sizeof pin);
  return ok;
}

static gboolean
pin_status (TpCliCommon  *common,
            GError      **error)
{
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  if (!(accounts = tp_staff_list (store, tp_pin_now (), error)))
    return FALSE;
  if (accounts->len == 0)
    {
      /* The answer to the question, on stdout; the exit status says "no" to a script. */
      g_print ("No staff PIN is set: the kiosk asks for one when it starts.\n");
      return tp_cli_fail (error, TP_EXIT_REFUSED, "no staff PIN is set");
    }
  g_print ("A staff PIN is set for %u account%s:\n", accounts->len, accounts->len == 1 ? "" : "s");
  for (guint i = 0; i < accounts->len; i++)
    {
      const TpStaffAccount *account = accounts->pdata[i];

      if (account->lock_remaining > 0)
        g_print ("  %s (%s): locked for %" G_GINT64_FORMAT " more seconds after too many wrong tries\n",
                 account->name, tp_staff_role_to_string (account->role), account->lock_remaining);
      else
        g_print ("  %s (%s): %u wrong tries are left before a pause\n", account->name,
                 tp_staff_role_to_string (account->role), account->tries_left);
    }
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
                                "set     sets the PIN (4 to 8 digits) of the staff account \"admin\", creating\n"
                                "        that admin account when the kiosk has none yet. From a terminal it asks\n"
                                "        twice without echo; otherwise it reads the PIN from the first line of\n"
                                "        standard input (and a repeat, if given). Other accounts: `touchpoint staff`.\n"
                                "status  says which accounts have a PIN and whether it is locked.");
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
