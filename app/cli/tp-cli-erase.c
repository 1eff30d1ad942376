/* tp-cli-erase.c: `touchpoint erase` and `touchpoint consent withdraw`: a person's request,
 * found by email, phone or lead id, carried out and logged. */
#define G_LOG_DOMAIN "tp-cli-erase"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-json.h"
#include "tp-store-consent.h"
#include "tp-store-erase.h"

typedef struct
{
  char *email;
  char *phone;
  char *lead;
} Person;

static void
person_clear (Person *p)
{
  g_clear_pointer (&p->email, g_free);
  g_clear_pointer (&p->phone, g_free);
  g_clear_pointer (&p->lead, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Person, person_clear)

static void
add_person_options (GOptionContext *context,
                    Person         *person)
{
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &person->email, "Every lead with this email address", "ADDRESS" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &person->phone, "Every lead with this phone number", "NUMBER" },
    { "lead", 0, 0, G_OPTION_ARG_STRING, &person->lead, "The lead with this id", "ID" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

/* The person's leads; the detail for the audit log says how they were found, never the value. */
static char **
find_person (TpStore     *store,
             Person      *person,
             const char  *command,
             const char **how,
             GError     **error)
{
  guint given = (person->email != NULL) + (person->phone != NULL) + (person->lead != NULL);

  if (given != 1)
    {
      tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint %s` needs one of --email ADDRESS, --phone NUMBER or --lead ID",
                   command);
      return NULL;
    }
  if (person->lead && !g_uuid_string_is_valid (person->lead))
    {
      tp_cli_fail (error, TP_EXIT_USAGE, "--lead \"%s\" is not a lead id (a UUID)", person->lead);
      return NULL;
    }
  *how = person->email ? "by email" : person->phone ? "by phone" : "by lead id";
  return tp_store_find_person (store, person->email ? TP_PERSON_EMAIL : person->phone ? TP_PERSON_PHONE : TP_PERSON_LEAD,
                               person->email ? person->email : person->phone ? person->phone : person->lead, error);
}

static void
print_result (gboolean     as_json,
              const char  *member,
              guint        count,
              char       **leads,
              const char  *sentence)
{
  if (as_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (b);
      tp_json_add_int (b, member, count);
      json_builder_set_member_name (b, "leads");
      json_builder_begin_array (b);
      for (guint i = 0; leads[i]; i++)
        json_builder_add_string_value (b, leads[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      tp_cli_print_json (node);
      return;
    }
  g_print ("%s\n", sentence);
  for (guint i = 0; leads[i]; i++)
    g_print ("  %s\n", leads[i]);
}

gboolean
tp_cli_erase (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_auto(Person) person = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpStore) store = NULL;
  g_auto(GStrv) leads = NULL;
  g_autofree char *actor = tp_audit_os_actor ();
  g_autofree char *sentence = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the result as JSON", NULL },
    { NULL }
  };
  const char *how = NULL;

  g_option_context_set_summary (context,
                                "Erases a person's personal data on request: name, email, phone, company,\n"
                                "free-text answers and notes of every lead found. The consent records stay, as\n"
                                "proof, without personal data; the CRM deletion is sent by the next sync.\n"
                                "Exit status: 0 erased, 1 nothing matched.");
  tp_cli_add_common (context, &common);
  add_person_options (context, &person);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint erase` takes no arguments, only options");
  if (!(store = tp_cli_open_store (&common, error)))
    return FALSE;
  if (!(leads = find_person (store, &person, "erase", &how, error)))
    return FALSE;
  if (leads[0] == NULL)
    return tp_cli_fail (error, TP_EXIT_REFUSED, "no lead matched (nothing was erased)");
  if (!tp_store_erase_leads (store, (const char * const *) leads, actor, how, error))
    return FALSE;
  sentence = g_strdup_printf ("Erased %u lead%s; the CRM deletion is sent by the next `touchpoint sync`.",
                              g_strv_length (leads), g_strv_length (leads) == 1 ? "" : "s");
  print_result (as_json, "erased", g_strv_length (leads), leads, sentence);
  return TRUE;
}

gboolean
tp_cli_consent (int      argc,
                char   **argv,
                GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_auto(Person) person = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("withdraw");
  g_autoptr(TpStore) store = NULL;
  g_auto(GStrv) leads = NULL;
  g_autofree char *actor = tp_audit_os_actor ();
  g_autofree char *purpose = NULL;
  g_autofree char *sentence = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "purpose", 0, 0, G_OPTION_ARG_STRING, &purpose, "The consent withdrawn (default: marketing)", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the result as JSON", NULL },
    { NULL }
  };
  const char *how = NULL;
  guint changed = 0;

  g_option_context_set_summary (context,
                                "withdraw  records that the person withdrew their marketing consent (a new\n"
                                "          record; the earlier one stays as history). The next sync sets the\n"
                                "          CRM's opt-out. Exit status: 0 done, 1 nothing matched.");
  tp_cli_add_common (context, &common);
  add_person_options (context, &person);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 2 || !g_str_equal (argv[1], "withdraw"))
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint consent` needs withdraw and one of --email, --phone "
                        "or --lead");
  if (!(store = tp_cli_open_store (&common, error)))
    return FALSE;
  if (!(leads = find_person (store, &person, "consent withdraw", &how, error)))
    return FALSE;
  if (leads[0] == NULL)
    return tp_cli_fail (error, TP_EXIT_REFUSED, "no lead matched (nothing was changed)");
  if (!tp_store_withdraw_consent (store, (const char * const *) leads, purpose ? purpose : "marketing", actor,
                                  &changed, error))
    return FALSE;
  sentence = g_strdup_printf ("Recorded the withdrawal of the %s consent for %u of %u lead%s (the others had not "
                              "granted it); the next `touchpoint sync` sets the CRM's opt-out.",
                              purpose ? purpose : "marketing", changed, g_strv_length (leads),
                              g_strv_length (leads) == 1 ? "" : "s");
  print_result (as_json, "withdrawn", changed, leads, sentence);
  return TRUE;
}
