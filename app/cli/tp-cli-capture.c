/* tp-cli-capture.c: `touchpoint capture --json FILE|-`: one submission, stored as the kiosk does. */
#define G_LOG_DOMAIN "tp-cli-capture"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-file.h"
#include "tp-json-strict.h"
#include "tp-lead.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static JsonNode *
capture_to_json (TpCapture *capture)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  tp_json_add_string (b, "lead_id", capture->lead_id);
  tp_json_add_int (b, "seq", capture->seq);
  tp_json_add_string (b, "captured_at", capture->captured_at);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; capture->tags[i]; i++)
    json_builder_add_string_value (b, capture->tags[i]);
  json_builder_end_array (b);
  tp_json_add_string (b, "offer", capture->offer);
  json_builder_set_member_name (b, "segment");
  if (capture->segment)
    json_builder_add_string_value (b, capture->segment);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "coupon");
  json_builder_begin_object (b);
  tp_json_add_string (b, "code", capture->coupon_code);
  tp_json_add_string (b, "offer", capture->offer);
  tp_json_add_string (b, "expires_at", capture->coupon_expires_at);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Reads and parses the submission; errors name the file (or standard input). */
static TpSubmission *
load_submission (const char  *json_path,
                 const char  *source,
                 GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  TpSubmission *submission;
  gsize length = 0;

  /* A caller may retry after a failure to read (74), never after bad input (65). */
  if (g_str_equal (json_path, "-")
      ? !tp_file_read_fd (STDIN_FILENO, source, TP_FILE_MAX_INPUT, &data, &length, &local)
      : !tp_file_read_regular (json_path, TP_FILE_MAX_INPUT, &data, &length, &local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Strict: a key given twice, 010 or a comment would otherwise be guessed at. */
  if (!(root = tp_json_parse_strict (data, length, &local)))
    {
      tp_cli_fail (error, TP_EXIT_DATAERR, "%s: not valid JSON: %s", source, local->message);
      return NULL;
    }
  submission = tp_submission_new_from_json (root, &local);
  if (submission == NULL)
    tp_cli_fail (error, TP_EXIT_DATAERR, "%s: %s", source, local->message);
  return submission;
}

gboolean
tp_cli_capture (int      argc,
                char   **argv,
                GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autofree char *json_path = NULL, *lead_id = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "The submission as JSON, or - for standard input", "FILE" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &lead_id,
      "The lead's id (a UUID) chosen by the caller: capturing again with the same id stores nothing "
      "and prints the first result, so a failed call can be retried safely", "UUID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--json FILE|-");
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpSubmission) submission = NULL;
  g_autoptr(TpValidation) validation = NULL;
  g_autoptr(TpCapturePlan) plan = NULL;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(JsonNode) out = NULL;
  const char *source;

  g_option_context_set_summary (context, "Stores one submission with the kiosk's validation and transaction,\n"
                                         "and prints the lead id, tags, offer and coupon as JSON.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (json_path == NULL || argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint capture` needs --json FILE (or --json - for standard input)");
  source = g_str_equal (json_path, "-") ? "standard input" : json_path;
  if (lead_id && !g_uuid_string_is_valid (lead_id))
    return tp_cli_fail (error, TP_EXIT_USAGE, "--id \"%s\" is not a UUID (e.g. %s)", lead_id,
                        "0b7d2c1e-5f7a-4c2e-9a51-3d6f8e2b1c47");

  if (!(event = tp_cli_load_event (&common, error)))
    return FALSE;
  if (!(submission = load_submission (json_path, source, error)))
    return FALSE;
  if (submission->locale == NULL)
    submission->locale = g_strdup (event->default_locale);

  /* Prepared before the store is touched: bad input leaves no trace, not even a new folder. */
  plan = tp_submission_prepare (submission, event, NULL, &validation, error);
  if (plan == NULL && validation == NULL)
    return FALSE;
  if (plan == NULL)
    {
      /* One line per typed problem: its path in the submission, then the sentence. */
      g_autofree char *message = tp_validation_to_string (validation, event);
      g_auto(GStrv) lines = g_strsplit (message, "\n", -1);
      g_autoptr(GString) named = g_string_new (NULL);

      /* One line per problem, each naming the input it is about. */
      for (guint i = 0; lines[i]; i++)
        g_string_append_printf (named, "%s%s: %s", i ? "\n" : "", source, lines[i]);
      g_clear_error (error);
      return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", named->str);
    }

  plan->lead_id = g_steal_pointer (&lead_id);
  if (!(store = tp_cli_open_store (&common, error)))
    return FALSE;
  capture = tp_store_capture_plan (store, plan, error);
  if (capture == NULL)
    return FALSE;

  out = capture_to_json (capture);
  tp_cli_print_json (out);
  /* 74 would tell the caller that nothing was stored, and a retry would store the lead twice:
   * this is 73 (the output could not be made), naming the lead to retry with --id. */
  if (fflush (stdout) != 0 || ferror (stdout))
    return tp_cli_fail (error, TP_EXIT_CANTCREAT, "lead %s is stored, but its result (the coupon) cannot be "
                        "written to standard output: %s; `touchpoint capture --id %s` prints it again",
                        capture->lead_id, g_strerror (errno), capture->lead_id);
  return TRUE;
}
