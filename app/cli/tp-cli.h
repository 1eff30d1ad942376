/* tp-cli.h: the command line (`touchpoint capture`, `stats`, ...); needs no display. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes (sysexits.h), part of the command-line contract. */
enum
{
  TP_EXIT_OK = 0,
  TP_EXIT_REFUSED = 1,
  TP_EXIT_USAGE = 2,
  TP_EXIT_DATAERR = 65,
  TP_EXIT_UNAVAILABLE = 69,
  TP_EXIT_IOERR = 74,
};

typedef int (*TpCliFunc) (int argc, char **argv);

typedef struct
{
  const char *name;
  TpCliFunc   run;
  const char *summary;
} TpCliCommand;

gboolean tp_cli_is_command (const char *name);
int      tp_cli_run        (int         argc,
                            char      **argv);
/* Runs the subcommand named anywhere among the arguments (`touchpoint --data-dir DIR stats`
 * as well as `touchpoint stats --data-dir DIR`) and returns TRUE with its exit code; refuses
 * a word that is no command (exit 2). FALSE when there is no command: start the kiosk. */
gboolean tp_cli_dispatch   (int         argc,
                            char      **argv,
                            int        *exit_code);

G_END_DECLS
