/* tp-cli-commands.h: subcommands that live in other files (redeem, sync, pin, ...). */
#pragma once

#include "tp-cli.h"

G_BEGIN_DECLS

/* Each module adds its entry points here and to TP_CLI_EXTRA_COMMANDS. */

int tp_cli_pin (int argc, char **argv);
int tp_cli_redeem (int argc, char **argv);
int tp_cli_sync (int argc, char **argv);

#define TP_CLI_EXTRA_COMMANDS \
  { "redeem", tp_cli_redeem, "verify a coupon code offline and redeem it once" }, \
  { "pin", tp_cli_pin, "set the staff PIN, or see whether it is locked" }, \
  { "sync", tp_cli_sync, "send the leads to the CRM (webhook, HubSpot, Salesforce)" },

G_END_DECLS
