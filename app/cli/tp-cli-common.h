/* tp-cli-common.h: what every subcommand shares: options, opening the store, reporting errors. */
#pragma once

#include <gio/gio.h>

#include "tp-cli.h"
#include "tp-event.h"
#include "tp-store.h"

G_BEGIN_DECLS

/* --event FILE and --data-dir DIR, accepted by every subcommand. */
typedef struct
{
  char *event_path;
  char *data_dir;
} TpCliCommon;

void      tp_cli_common_clear      (TpCliCommon  *common);
/* Adds the shared options to a subcommand's option context. */
void      tp_cli_add_common        (GOptionContext *context,
                                    TpCliCommon    *common);
/* Parses argv (argv[0] is the subcommand); on a usage error prints it and returns FALSE. */
gboolean  tp_cli_parse             (GOptionContext *context,
                                    int            *argc,
                                    char         ***argv);
/* Prints "touchpoint: message" to stderr and returns code. */
int       tp_cli_fail              (int            code,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (2, 3);
/* The exit code for an error from the core (65, 74, ...). */
int       tp_cli_exit_code_for     (const GError  *error);
TpEvent  *tp_cli_load_event        (TpCliCommon   *common,
                                    int           *exit_code);
TpStore  *tp_cli_open_store        (TpCliCommon   *common,
                                    int           *exit_code);
/* Writes a JSON node, pretty, and a newline to stdout. */
void      tp_cli_print_json        (JsonNode      *node);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TpCliCommon, tp_cli_common_clear)

G_END_DECLS
