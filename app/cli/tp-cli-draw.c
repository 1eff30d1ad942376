/* tp-cli-draw.c: `touchpoint draw PRIZE [--winners N] [--json] | list [--json] | verify ROUND |
 * show ROUND | unclaimed ROUND LEAD_ID | exclude LEAD_ID`: prize draws anyone can verify. */
#define G_LOG_DOMAIN "tp-cli-draw"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-draw.h"
#include "tp-json.h"
#include "tp-store-draw.h"

/* A winner as a screen others see shows them: masked. */
static void
add_winner (JsonBuilder *b,
            TpStore     *store,
            TpEvent     *event,
            const char  *lead_id)
{
  g_autoptr(TpLeadRecord) r = tp_store_get_lead (store, lead_id, NULL);
  const char *name = NULL, *email = NULL, *phone = NULL;
  g_autofree char *masked_name = NULL, *masked_email = NULL, *masked_phone = NULL;

  for (guint i = 0; r && i < event->fields->len; i++)
    {
      TpField *f = event->fields->pdata[i];
      const char *value = g_hash_table_lookup (r->fields, f->id);

      if (f->type == TP_FIELD_EMAIL && email == NULL)
        email = value;
      else if (f->type == TP_FIELD_PHONE && phone == NULL)
        phone = value;
      else if (f->type == TP_FIELD_TEXT && name == NULL && g_str_equal (f->id, "name"))
        name = value;
    }
  masked_name = tp_draw_mask_name (name);
  masked_email = tp_draw_mask_email (email);
  masked_phone = tp_draw_mask_phone (phone);
  json_builder_begin_object (b);
  tp_json_add_string (b, "lead_id", lead_id);
  tp_json_add_string (b, "name", masked_name);
  tp_json_add_string (b, "email", masked_email);
  tp_json_add_string (b, "phone", masked_phone);
  json_builder_end_object (b);
}

static JsonNode *
round_to_json (TpDrawRound *r,
               TpStore     *store,
               TpEvent     *event,
               gboolean     with_entries)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  tp_json_add_int (b, "round", r->round);
  tp_json_add_string (b, "prize", r->prize_id);
  tp_json_add_string (b, "at", r->at);
  tp_json_add_string (b, "by", r->actor);
  tp_json_add_int (b, "entries", g_strv_length (r->entries));
  tp_json_add_string (b, "fingerprint", r->fingerprint);
  tp_json_add_string (b, "commitment", r->commitment);
  tp_json_add_string (b, "seed", r->seed);
  tp_json_add_int (b, "wanted", r->wanted);
  json_builder_set_member_name (b, "winners");
  json_builder_begin_array (b);
  for (guint i = 0; r->winners[i]; i++)
    add_winner (b, store, event, r->winners[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unclaimed");
  json_builder_begin_array (b);
  for (guint i = 0; r->unclaimed[i]; i++)
    json_builder_add_string_value (b, r->unclaimed[i]);
  json_builder_end_array (b);
  if (r->replaces)
    tp_json_add_int (b, "replaces", r->replaces);
  if (with_entries)
    {
      json_builder_set_member_name (b, "entry_ids");
      json_builder_begin_array (b);
      for (guint i = 0; r->entries[i]; i++)
        json_builder_add_string_value (b, r->entries[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_round (TpDrawRound *r,
             TpStore     *store,
             TpEvent     *event)
{
  g_autoptr(JsonNode) node = round_to_json (r, store, event, FALSE);
  JsonArray *winners = json_object_get_array_member (json_node_get_object (node), "winners");

  g_print ("Round %" G_GINT64_FORMAT " of %s, %s by %s: %u entries\n", r->round, r->prize_id, r->at, r->actor,
           g_strv_length (r->entries));
  g_print ("  entries' fingerprint  %s\n  seed's commitment     %s\n  seed                  %s\n", r->fingerprint,
           r->commitment, r->seed);
  for (guint i = 0; i < json_array_get_length (winners); i++)
    {
      JsonObject *w = json_array_get_object_element (winners, i);
      const char *id = json_object_get_string_member (w, "lead_id");

      g_print ("  %u. %s  %s  %s  (%s)%s\n", i + 1, json_object_get_string_member (w, "name"),
               json_object_get_string_member (w, "email"), json_object_get_string_member (w, "phone"), id,
               g_strv_contains ((const char * const *) r->unclaimed, id) ? "  unclaimed" : "");
    }
}

static gboolean
parse_round (const char  *text,
             gint64      *round,
             GError     **error)
{
  if (!g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, round, NULL))
    return tp_cli_fail (error, TP_EXIT_USAGE, "\"%s\" is not a round number", text);
  return TRUE;
}

gboolean
tp_cli_draw (int      argc,
             char   **argv,
             GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean as_json = FALSE;
  int winners = 0;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "winners", 0, 0, G_OPTION_ARG_INT, &winners, "How many win this round (default: the prize's)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "exclude: why (e.g. \"staff\", \"test\")", "TEXT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PRIZE | list | show ROUND | verify ROUND | "
                                                            "unclaimed ROUND LEAD_ID | exclude LEAD_ID");
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *actor = tp_audit_os_actor ();
  const char *verb;
  gint64 round = 0;

  g_option_context_set_summary (context,
                                "PRIZE              draws one round: the entries are frozen and fingerprinted, a\n"
                                "                   random seed is committed to, the winners are picked and the\n"
                                "                   seed revealed (docs/draws.md). Exit 1 when no entry is left.\n"
                                "list               every round\n"
                                "show ROUND         one round, with its entries (--json: for an outside verifier)\n"
                                "verify ROUND       recomputes the winners: exit 0 when they match, 1 otherwise\n"
                                "unclaimed ROUND ID marks an absent winner; draw again for a replacement round\n"
                                "exclude ID         keeps a lead out of every draw (a test or staff entry)");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc < 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint draw` needs a PRIZE, or list, show, verify, unclaimed or "
                        "exclude");
  if (winners < 0 || winners > 1000)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--winners must be from 1 to 1000");
  verb = argv[1];
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;

  if (g_str_equal (verb, "list"))
    {
      g_autoptr(GPtrArray) rounds = tp_store_draw_list (store, error);
      g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
      g_autoptr(JsonNode) node = NULL;

      if (rounds == NULL)
        return FALSE;
      if (!as_json)
        {
          if (rounds->len == 0)
            g_print ("No round has been drawn yet.\n");
          for (guint i = 0; i < rounds->len; i++)
            print_round (rounds->pdata[i], store, event);
          return TRUE;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rounds");
      json_builder_begin_array (b);
      for (guint i = 0; i < rounds->len; i++)
        {
          g_autoptr(JsonNode) one = round_to_json (rounds->pdata[i], store, event, FALSE);

          json_builder_add_value (b, g_steal_pointer (&one));
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      tp_cli_print_json (node);
      return TRUE;
    }
  if (g_str_equal (verb, "show") || g_str_equal (verb, "verify"))
    {
      g_autoptr(TpDrawRound) r = NULL;
      g_autoptr(GError) local = NULL;

      if (argc != 3 || !parse_round (argv[2], &round, error))
        return argc == 3 ? FALSE : tp_cli_fail (error, TP_EXIT_USAGE, "`draw %s` needs a ROUND", verb);
      if (!(r = tp_store_draw_get (store, round, error)))
        return FALSE;
      if (g_str_equal (verb, "show"))
        {
          g_autoptr(JsonNode) node = round_to_json (r, store, event, TRUE);

          if (as_json)
            tp_cli_print_json (node);
          else
            print_round (r, store, event);
          return TRUE;
        }
      if (!tp_draw_round_verify (r, &local))
        return tp_cli_fail (error, TP_EXIT_REFUSED, "%s", local->message);
      g_print ("Round %" G_GINT64_FORMAT " verifies: its %u entries match the fingerprint, its seed the commitment, "
               "and the seed picks the recorded winners.\n", round, g_strv_length (r->entries));
      return TRUE;
    }
  if (g_str_equal (verb, "unclaimed"))
    {
      if (argc != 4 || !parse_round (argv[2], &round, error))
        return argc == 4 ? FALSE : tp_cli_fail (error, TP_EXIT_USAGE, "`draw unclaimed` needs ROUND and LEAD_ID");
      if (!tp_store_draw_unclaimed (store, round, argv[3], actor, error))
        return FALSE;
      g_print ("Marked unclaimed. Draw a replacement with `touchpoint draw PRIZE --winners 1`: it is recorded as a "
               "round of its own.\n");
      return TRUE;
    }
  if (g_str_equal (verb, "exclude"))
    {
      if (argc != 3)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`draw exclude` needs a LEAD_ID");
      if (!tp_store_draw_exclude (store, argv[2], reason ? reason : "excluded by staff", actor, error))
        return FALSE;
      g_print ("Lead %s is kept out of every draw.\n", argv[2]);
      return TRUE;
    }

  /* A prize: one round. */
  if (argc != 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint draw PRIZE` takes no other argument");
  {
    g_autoptr(TpDrawRound) r = tp_store_draw (store, event, verb, winners, 0, actor, error);

    if (r == NULL)
      {
        if (error && *error && (*error)->domain == TP_STORE_ERROR && (*error)->code == TP_STORE_ERROR_NOT_FOUND)
          {
            g_autofree char *message = g_strdup ((*error)->message);

            g_clear_error (error);
            return tp_cli_fail (error, TP_EXIT_REFUSED, "%s", message);
          }
        return FALSE;
      }
    if (as_json)
      {
        g_autoptr(JsonNode) node = round_to_json (r, store, event, FALSE);

        tp_cli_print_json (node);
      }
    else
      print_round (r, store, event);
  }
  return TRUE;
}
