/* tp-cli-staff.c: `touchpoint staff add|list|remove|set-pin|set-role`: staff accounts from the
 * command line, acting as the OS user (whoever can open the data folder may manage them). */
#define G_LOG_DOMAIN "tp-cli-staff"

#include "tp-cli-common.h"
#include "tp-cli-commands.h"
#include "tp-pin.h"
#include "tp-staff.h"

#include <string.h>

#define PIN_LINE_MAX 64

typedef struct
{
  char     *role;
  char     *pin_file;
  gboolean  json;
} StaffOptions;

static gboolean
parse_role (const char   *text,
            TpStaffRole  *role,
            GError      **error)
{
  if (text == NULL)
    return tp_cli_fail (error, TP_EXIT_USAGE, "this needs --role staff or --role admin");
  if (!tp_staff_role_from_string (text, role))
    return tp_cli_fail (error, TP_EXIT_USAGE, "unknown role \"%s\" (use staff or admin)", text);
  return TRUE;
}

/* The name as it will be stored; a bad one is bad input (65), before any PIN is asked for. */
static char *
check_name (const char  *name,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  char *normal = tp_staff_normalize_name (name, &local);

  if (normal == NULL)
    tp_cli_fail (error, TP_EXIT_DATAERR, "the name \"%s\" cannot be used: %s", name, local->message);
  return normal;
}

static gboolean
staff_add (TpCliCommon   *common,
           StaffOptions  *options,
           const char    *name,
           GError       **error)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStaffAccount) existing = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  g_autofree char *normal = NULL;
  char pin[PIN_LINE_MAX];
  TpStaffRole role;

  if (!parse_role (options->role, &role, error) || !(normal = check_name (name, error)))
    return FALSE;
  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  /* A name taken is refused before anyone types a PIN for it (the add looks again). */
  existing = tp_staff_get_account (store, normal, tp_pin_now (), NULL);
  if (existing)
    return tp_cli_fail (error, TP_EXIT_REFUSED, "there is already a staff account named \"%s\"", existing->name);
  if (!tp_cli_read_new_pin (options->pin_file, pin, sizeof pin, error))
    return FALSE;
  account = tp_staff_add (store, actor, normal, role, pin, error);
  explicit_bzero (pin, sizeof pin);
  if (account == NULL)
    return FALSE;
  g_print ("Added the %s account \"%s\".\n", tp_staff_role_to_string (account->role), account->name);
  return TRUE;
}

static void
print_list_json (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "staff");
  json_builder_begin_array (b);
  for (guint i = 0; i < accounts->len; i++)
    {
      const TpStaffAccount *account = accounts->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, account->name);
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, tp_staff_role_to_string (account->role));
      if (account->locked_until > 0)
        {
          g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (account->locked_until);
          g_autofree char *text = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");

          json_builder_set_member_name (b, "locked_until");
          json_builder_add_string_value (b, text);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tp_cli_print_json (root);
}

static gboolean
staff_list (TpCliCommon   *common,
            StaffOptions  *options,
            GError       **error)
{
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  if (!(accounts = tp_staff_list (store, tp_pin_now (), error)))
    return FALSE;
  if (options->json)
    {
      print_list_json (accounts);
      return TRUE;
    }
  if (accounts->len == 0)
    g_print ("No staff account yet: the kiosk asks for the first admin when it starts "
             "(or run `touchpoint staff add NAME --role admin`).\n");
  for (guint i = 0; i < accounts->len; i++)
    {
      const TpStaffAccount *account = accounts->pdata[i];

      g_print ("%s\t%s", account->name, tp_staff_role_to_string (account->role));
      if (account->lock_remaining > 0)
        g_print ("\tlocked for %" G_GINT64_FORMAT " more seconds", account->lock_remaining);
      g_print ("\n");
    }
  return TRUE;
}

static gboolean
staff_remove (TpCliCommon  *common,
              const char   *name,
              GError      **error)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStaffAccount) account = NULL;

  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  if (!(account = tp_staff_get_account (store, name, tp_pin_now (), error)) ||
      !tp_staff_remove (store, actor, account->name, error))
    return FALSE;
  g_print ("Removed the staff account \"%s\".\n", account->name);
  return TRUE;
}

static gboolean
staff_set_pin (TpCliCommon   *common,
               StaffOptions  *options,
               const char    *name,
               GError       **error)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  g_autoptr(TpStaffAccount) changed = NULL;
  char pin[PIN_LINE_MAX];

  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  /* An unknown name is refused before anyone types a PIN for it. */
  if (!(account = tp_staff_get_account (store, name, tp_pin_now (), error)))
    return FALSE;
  if (!tp_cli_read_new_pin (options->pin_file, pin, sizeof pin, error))
    return FALSE;
  changed = tp_staff_set_pin (store, actor, account->name, pin, error);
  explicit_bzero (pin, sizeof pin);
  if (changed == NULL)
    return FALSE;
  g_print ("The PIN of \"%s\" is set; its lock, if any, is lifted.\n", changed->name);
  return TRUE;
}

static gboolean
staff_set_role (TpCliCommon   *common,
                StaffOptions  *options,
                const char    *name,
                GError       **error)
{
  g_autoptr(TpActor) actor = tp_actor_new_os_user ();
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStaffAccount) account = NULL;
  TpStaffRole role;

  if (!parse_role (options->role, &role, error))
    return FALSE;
  if (!(store = tp_cli_open_store (common, error)))
    return FALSE;
  if (!(account = tp_staff_get_account (store, name, tp_pin_now (), error)) ||
      !tp_staff_set_role (store, actor, account->name, role, error))
    return FALSE;
  g_print ("\"%s\" is %s %s now.\n", account->name, role == TP_STAFF_ROLE_ADMIN ? "an" : "a",
           tp_staff_role_to_string (role));
  return TRUE;
}

static void
staff_options_clear (StaffOptions *options)
{
  g_clear_pointer (&options->role, g_free);
  g_clear_pointer (&options->pin_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StaffOptions, staff_options_clear)

gboolean
tp_cli_staff (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_auto(StaffOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("add NAME --role staff|admin | list | remove NAME | "
                                                            "set-pin NAME | set-role NAME --role staff|admin");
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role, "staff or admin (add, set-role)", "ROLE" },
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &options.pin_file,
      "Read the PIN from the first line of FILE (chmod 600) (add, set-pin)", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, "Print the list as JSON (list)", NULL },
    { NULL }
  };
  const char *verb;

  g_option_context_set_summary (context,
                                "Staff accounts: each person at the booth has a name, a role and a PIN.\n"
                                "staff may use the dashboard, leads, ratings and notes, redemption and\n"
                                "draws; admin may also export, sync, erase, purge, change settings and\n"
                                "manage accounts. The kiosk's first start creates the first admin.\n\n"
                                "add       adds an account; the PIN is asked twice without echo on a\n"
                                "          terminal, else read from the first line of standard input (and\n"
                                "          a repeat, if given), or from --pin-file FILE\n"
                                "list      the accounts, their roles and locks (never a PIN or its hash)\n"
                                "remove    removes an account (never the last admin)\n"
                                "set-pin   sets an account's PIN and lifts its lock\n"
                                "set-role  makes an account staff or admin (never demotes the last admin)");
  g_option_context_add_main_entries (context, entries, NULL);
  tp_cli_add_common (context, &common);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc < 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint staff` needs add, list, remove, set-pin or set-role");
  verb = argv[1];

  if (g_str_equal (verb, "list"))
    {
      if (argc != 2 || options.role || options.pin_file)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint staff list` takes only --json");
      return staff_list (&common, &options, error);
    }
  if (!g_strv_contains ((const char * const[]) { "add", "remove", "set-pin", "set-role", NULL }, verb))
    return tp_cli_fail (error, TP_EXIT_USAGE,
                        "unknown `staff` action \"%s\" (use add, list, remove, set-pin or set-role)", verb);
  if (argc != 3)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint staff %s` needs exactly one NAME", verb);
  if (options.json)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--json goes with `staff list`");
  if (options.role && !(g_str_equal (verb, "add") || g_str_equal (verb, "set-role")))
    return tp_cli_fail (error, TP_EXIT_USAGE, "--role goes with `staff add` and `staff set-role`");
  if (options.pin_file && !(g_str_equal (verb, "add") || g_str_equal (verb, "set-pin")))
    return tp_cli_fail (error, TP_EXIT_USAGE, "--pin-file goes with `staff add` and `staff set-pin`");

  if (g_str_equal (verb, "add"))
    return staff_add (&common, &options, argv[2], error);
  if (g_str_equal (verb, "remove"))
    return staff_remove (&common, argv[2], error);
  if (g_str_equal (verb, "set-pin"))
    return staff_set_pin (&common, &options, argv[2], error);
  return staff_set_role (&common, &options, argv[2], error);
}
