/* tp-cli-commands.h: the commands of the table in tp-cli.c, one file each. */
#pragma once

#include "tp-cli.h"

G_BEGIN_DECLS

gboolean tp_cli_event   (int argc, char **argv, GError **error);
gboolean tp_cli_capture (int argc, char **argv, GError **error);
gboolean tp_cli_stats   (int argc, char **argv, GError **error);
gboolean tp_cli_leads   (int argc, char **argv, GError **error);
gboolean tp_cli_export  (int argc, char **argv, GError **error);
gboolean tp_cli_redeem  (int argc, char **argv, GError **error);
gboolean tp_cli_pin     (int argc, char **argv, GError **error);
gboolean tp_cli_sync    (int argc, char **argv, GError **error);
gboolean tp_cli_audit   (int argc, char **argv, GError **error);
gboolean tp_cli_erase   (int argc, char **argv, GError **error);
gboolean tp_cli_consent (int argc, char **argv, GError **error);
gboolean tp_cli_purge   (int argc, char **argv, GError **error);
gboolean tp_cli_draw    (int argc, char **argv, GError **error);
gboolean tp_cli_staff   (int argc, char **argv, GError **error);

G_END_DECLS
