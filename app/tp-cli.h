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

G_END_DECLS
