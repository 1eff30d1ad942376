/* main.c: the touchpoint program: a subcommand without a display, or the kiosk. */
#include "tp-application.h"
#include "tp-cli.h"
#include "tp-i18n.h"

int
main (int    argc,
      char **argv)
{
  /* Results go to stdout (JSON, CSV): debug lines must never mix into them. */
  g_log_writer_default_set_use_stderr (TRUE);
  tp_i18n_init ();
  if (argc > 1 && tp_cli_is_command (argv[1]))
    return tp_cli_run (argc, argv);
  return tp_application_run (argc, argv);
}
