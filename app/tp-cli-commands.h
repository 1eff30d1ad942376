/* tp-cli-commands.h: subcommands that live in other files (redeem, sync, pin, ...). */
#pragma once

#include "tp-cli.h"

G_BEGIN_DECLS

/* Each module adds its entry points here and to TP_CLI_EXTRA_COMMANDS. */

#define TP_CLI_EXTRA_COMMANDS

G_END_DECLS
