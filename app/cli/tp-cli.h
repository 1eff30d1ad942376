/* tp-cli.h: the command line (`touchpoint capture`, `stats`, ...): its table and exit codes. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit codes (sysexits.h), part of the command-line contract. */
typedef enum
{
  TP_EXIT_OK = 0,
  TP_EXIT_REFUSED = 1,
  TP_EXIT_USAGE = 2,
  TP_EXIT_DATAERR = 65,
  TP_EXIT_UNAVAILABLE = 69,
  TP_EXIT_CANTCREAT = 73,   /* The work is done, but its result could not be written. */
  TP_EXIT_IOERR = 74,       /* Local storage failed: nothing was stored. */
} TpExit;

/* Errors the commands raise themselves; the code is the exit code (a TpExit). */
#define TP_CLI_ERROR (tp_cli_error_quark ())
GQuark tp_cli_error_quark (void);

/* A command: argv[0] is its name. It prints its result on stdout and returns TRUE, or returns
 * FALSE with an error, which tp_cli_run prints (one "touchpoint: " line per line of the
 * message) and turns into the exit code. A command may print a result and still fail (a
 * refused redemption prints the coupon's details as JSON, then exits 1). */
typedef gboolean (*TpCliFunc) (int      argc,
                               char   **argv,
                               GError **error);

typedef struct
{
  const char *name;
  TpCliFunc   run;
  const char *summary;
} TpCliCommand;

/* argv[1] is the command's name; returns the exit code. */
int      tp_cli_run        (int         argc,
                            char      **argv);
/* Runs the subcommand named anywhere among the arguments (`touchpoint --data-dir DIR stats`
 * as well as `touchpoint stats --data-dir DIR`) and returns TRUE with its exit code; refuses
 * a word that is no command (exit 2). FALSE when there is no command: start the kiosk. */
gboolean tp_cli_dispatch   (int         argc,
                            char      **argv,
                            int        *exit_code);
/* Prints error on stderr, a "touchpoint: " line per line, and returns its exit code. */
int      tp_cli_report     (const GError *error);

G_END_DECLS
