/* tp-cli-common.h: what every command shares: options, opening the event and the store,
 * raising errors, printing JSON. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

void      tp_cli_common_clear      (TpCliCommon    *common);
/* Adds the shared options to a subcommand's option context. */
void      tp_cli_add_common        (GOptionContext *context,
                                    TpCliCommon    *common);
/* Parses argv (argv[0] is the subcommand); a usage error names `touchpoint NAME --help`. */
gboolean  tp_cli_parse             (GOptionContext *context,
                                    int            *argc,
                                    char         ***argv,
                                    GError        **error);
/* Sets a TP_CLI_ERROR whose code is the exit code; always returns FALSE. */
gboolean  tp_cli_fail              (GError        **error,
                                    TpExit          code,
                                    const char     *format,
                                    ...) G_GNUC_PRINTF (3, 4);
/* The exit code for any error: a TP_CLI_ERROR's own, or the one the contract gives the core's
 * and sync's errors (65 bad input, 74 storage, 69 CRM unreachable, ...). */
TpExit    tp_cli_exit_code_for     (const GError   *error);
TpEvent  *tp_cli_load_event        (TpCliCommon    *common,
                                    GError        **error);
/* The data folder of --data-dir, $TOUCHPOINT_DATA_DIR or the default; an empty --data-dir is
 * a usage error. */
char     *tp_cli_data_dir          (TpCliCommon    *common,
                                    GError        **error);
TpStore  *tp_cli_open_store        (TpCliCommon    *common,
                                    GError        **error);
/* For commands that only read: the store, or, when its folder cannot be written, the store
 * opened read-only. */
TpStore  *tp_cli_open_store_to_read (TpCliCommon   *common,
                                     GError       **error);
/* Reads one line from stdin into buf (without the newline); with a terminal, prompts on stderr
 * and turns echo off. FALSE at end of input. */
gboolean  tp_cli_read_secret_line  (const char     *prompt,
                                    char           *buf,
                                    gsize           size);
/* A new staff PIN (4 to 8 digits) into buf: from pin_file when given (a regular file that only
 * its owner can read, chmod 600; its first line), else from standard input: asked twice
 * without echo on a terminal, or its first line (and a repeat on the second, if given). FALSE
 * with an exit-65 error (2 when there is no way to ask); buf is wiped on failure. */
gboolean  tp_cli_read_new_pin      (const char     *pin_file,
                                    char           *buf,
                                    gsize           size,
                                    GError        **error);
/* Writes a JSON node, pretty, and a newline to stdout. */
void      tp_cli_print_json        (JsonNode       *node);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TpCliCommon, tp_cli_common_clear)

G_END_DECLS
