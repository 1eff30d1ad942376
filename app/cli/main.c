/* main.c: the touchpoint program: a subcommand without a display, or the kiosk. */
#include "tp-application.h"
#include "tp-cli.h"
#include "tp-i18n.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int code;

  /* Results go to stdout (JSON, CSV): debug lines must never mix into them. */
  g_log_writer_default_set_use_stderr (TRUE);
  tp_i18n_init ();
  if (tp_cli_dispatch (argc, argv, &code))
    return code;
  if (!tp_application_run (argc, argv, &code, &error))
    return tp_cli_report (error);
  return code;
}
