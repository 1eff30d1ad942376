/* tp-cli.c: the command table, finding the command among the arguments, and the one place
 * that prints a command's error and chooses the exit code. */
#define G_LOG_DOMAIN "tp-cli"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"

#include <errno.h>
#include <stdio.h>

static gboolean cmd_help (int argc, char **argv, GError **error);

static const TpCliCommand commands[] = {
  { "event", tp_cli_event, "check, show or make a key for an event definition" },
  { "capture", tp_cli_capture, "store one submission given as JSON" },
  { "stats", tp_cli_stats, "counts of leads, consents, offers, coupons and outbox states" },
  { "leads", tp_cli_leads, "list or search the leads, newest first" },
  { "export", tp_cli_export, "export leads as CSV" },
  { "redeem", tp_cli_redeem, "verify a coupon code offline and redeem it once" },
  { "pin", tp_cli_pin, "set the PIN of the staff account \"admin\", or see the PINs' locks" },
  { "staff", tp_cli_staff, "staff accounts: add, list, remove, set a PIN or a role" },
  { "sync", tp_cli_sync, "send the leads to the CRM (webhook, HubSpot, Salesforce)" },
  { "erase", tp_cli_erase, "erase a person's personal data on request (by email, phone or lead id)" },
  { "consent", tp_cli_consent, "record that a person withdrew their marketing consent" },
  { "draw", tp_cli_draw, "draw prize winners in a round anyone can verify; list, show, verify rounds" },
  { "purge", tp_cli_purge, "destroy the leads whose retention has ended, with a record" },
  { "audit", tp_cli_audit, "the access log: who did what to which leads; verify its chain" },
  { "help", cmd_help, "this list" },
};

static gboolean
cmd_help (int      argc,
          char   **argv,
          GError **error)
{
  g_print ("Usage:\n"
           "  touchpoint [--event FILE] [--data-dir DIR] [--windowed]   start the kiosk\n"
           "  touchpoint COMMAND [OPTIONS]                               work without a display\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, commands[i].summary);
  g_print ("\nEvery command takes --event FILE and --data-dir DIR; `touchpoint COMMAND --help` says more.\n");
  return TRUE;
}

/* A message may quote the input (a file name, a value): its control characters are shown as
 * \xNN, so that input cannot move the cursor, recolour or retitle the admin's terminal. */
static char *
printable (const char *line)
{
  GString *out = g_string_new (NULL);

  for (const char *p = line; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

int
tp_cli_report (const GError *error)
{
  g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0')
      {
        g_autofree char *shown = printable (lines[i]);

        g_printerr ("touchpoint: %s\n", shown);
      }
  return tp_cli_exit_code_for (error);
}

int
tp_cli_run (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;

  g_set_prgname ("touchpoint");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, argv[1]))
      {
        g_autofree char *name = g_strdup_printf ("touchpoint %s", argv[1]);
        gboolean ok;

        g_set_prgname (name);
        /* argv[0] becomes the subcommand, as GOptionContext expects. */
        ok = commands[i].run (argc - 1, argv + 1, &error);
        /* Results go through stdio: a full disk or a closed pipe shows only now, and a result
         * that was never written must not look like success to the caller's script. */
        if (fflush (stdout) != 0 || ferror (stdout))
          {
            int saved = errno;

            if (ok)
              ok = tp_cli_fail (&error, TP_EXIT_IOERR, "cannot write the result to standard output: %s",
                                g_strerror (saved));
          }
        return ok ? TP_EXIT_OK : tp_cli_report (error);
      }
  tp_cli_fail (&error, TP_EXIT_USAGE, "unknown command \"%s\" (see `touchpoint help`)", argv[1]);
  return tp_cli_report (error);
}

gboolean
tp_cli_dispatch (int    argc,
                 char **argv,
                 int   *exit_code)
{
  /* The kiosk's options that take a value in the next argument. */
  static const char * const with_value[] = { "--event", "--data-dir", NULL };
  g_autofree char **reordered = NULL;
  int at = -1;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_strv_contains (with_value, argv[i]))
        {
          i++;
          continue;
        }
      if (argv[i][0] != '-')
        {
          at = i;
          break;
        }
    }
  if (at < 0)
    return FALSE;

  /* The command first; the options before it then go to the command, which takes them too.
   * A typo such as `touchpoint stast` is refused there: it must not start a full-screen kiosk. */
  reordered = g_new0 (char *, argc + 1);
  reordered[0] = argv[0];
  reordered[1] = argv[at];
  for (int i = 1, j = 2; i < argc; i++)
    if (i != at)
      reordered[j++] = argv[i];
  *exit_code = tp_cli_run (argc, reordered);
  return TRUE;
}
