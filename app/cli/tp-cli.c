/* tp-cli.c: the subcommands that need no display: event, capture, stats, export. */
#define G_LOG_DOMAIN "tp-cli"

#include "tp-cli-common.h"
#include "tp-cli-commands.h"
#include "tp-coupon.h"
#include "tp-export.h"
#include "tp-i18n.h"
#include "tp-json.h"
#include "tp-lead.h"
#include "tp-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
tp_cli_common_clear (TpCliCommon *common)
{
  g_clear_pointer (&common->event_path, g_free);
  g_clear_pointer (&common->data_dir, g_free);
}

void
tp_cli_add_common (GOptionContext *context,
                   TpCliCommon    *common)
{
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_FILENAME, &common->event_path,
      "The event definition (default: the bundled demo event)", "FILE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &common->data_dir,
      "Where the lead store lives (default: $TOUCHPOINT_DATA_DIR, else $XDG_DATA_HOME/touchpoint)", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

gboolean
tp_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("touchpoint: %s (see `touchpoint %s --help`)\n", error->message, (*argv)[0]);
      return FALSE;
    }
  return TRUE;
}

int
tp_cli_fail (int         code,
             const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("touchpoint: %s\n", message);
  return code;
}

int
tp_cli_exit_code_for (const GError *error)
{
  if (error->domain == TP_STORE_ERROR)
    return error->code == TP_STORE_ERROR_NOT_FOUND ? TP_EXIT_REFUSED : TP_EXIT_IOERR;
  if (error->domain == TP_EVENT_ERROR && error->code == TP_EVENT_ERROR_IO)
    return TP_EXIT_DATAERR;
  if (error->domain == G_IO_ERROR)
    return TP_EXIT_IOERR;
  return TP_EXIT_DATAERR;
}

TpEvent *
tp_cli_load_event (TpCliCommon *common,
                   int         *exit_code)
{
  g_autoptr(GError) error = NULL;
  TpEvent *event = tp_event_load (common->event_path, &error);

  if (event == NULL)
    *exit_code = tp_cli_fail (TP_EXIT_DATAERR, "%s", error->message);
  return event;
}

TpStore *
tp_cli_open_store (TpCliCommon *common,
                   int         *exit_code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tp_store_resolve_dir (common->data_dir);
  TpStore *store = tp_store_new (dir, &error);

  if (store == NULL)
    *exit_code = tp_cli_fail (TP_EXIT_IOERR, "%s", error->message);
  return store;
}

void
tp_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* ---- touchpoint event ------------------------------------------------------------------- */

static int
event_new_key (void)
{
  guint8 key[32];
  g_autofree char *encoded = NULL;
  int fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || read (fd, key, sizeof key) != sizeof key)
    {
      if (fd >= 0)
        close (fd);
      return tp_cli_fail (TP_EXIT_IOERR, "Cannot read random bytes from /dev/urandom");
    }
  close (fd);
  encoded = g_base64_encode (key, sizeof key);
  g_print ("%s\n", encoded);
  return TP_EXIT_OK;
}

static int
cmd_event (int    argc,
           char **argv)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("check FILE | show [FILE] | new-key");
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *verb;

  g_option_context_set_summary (context,
                                "check FILE   checks an event definition (exit 65 names the bad value)\n"
                                "show [FILE]  prints the normalized definition (default: the demo)\n"
                                "new-key      prints a new random coupon key for an event file");
  tp_cli_add_common (context, &common);
  if (!tp_cli_parse (context, &argc, &argv))
    return TP_EXIT_USAGE;
  if (argc < 2)
    return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint event` needs check FILE, show [FILE] or new-key");
  verb = argv[1];

  if (g_str_equal (verb, "new-key"))
    return argc == 2 ? event_new_key () : tp_cli_fail (TP_EXIT_USAGE, "`event new-key` takes no argument");

  if (g_str_equal (verb, "check"))
    {
      if (argc != 3)
        return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint event check` needs exactly one FILE");
      event = tp_event_new_from_file (argv[2], &error);
      if (event == NULL)
        return tp_cli_fail (TP_EXIT_DATAERR, "%s", error->message);
      g_print ("%s: valid event \"%s\" (%u fields, %u consents, %u questions, %u offers)\n", argv[2],
               event->id, event->fields->len, event->consents->len, event->survey->len, event->offers->len);
      return TP_EXIT_OK;
    }

  if (g_str_equal (verb, "show"))
    {
      g_autoptr(JsonNode) node = NULL;

      if (argc > 3)
        return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint event show` takes at most one FILE");
      event = tp_event_load (argc == 3 ? argv[2] : common.event_path, &error);
      if (event == NULL)
        return tp_cli_fail (TP_EXIT_DATAERR, "%s", error->message);
      node = tp_event_to_json (event);
      tp_cli_print_json (node);
      return TP_EXIT_OK;
    }

  return tp_cli_fail (TP_EXIT_USAGE, "unknown `event` action \"%s\" (use check, show or new-key)", verb);
}

/* ---- touchpoint capture ----------------------------------------------------------------- */

static char *
read_input (const char  *path,
            gsize       *length,
            GError     **error)
{
  char *data = NULL;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem));
      data = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
      /* An empty standard input gives no buffer at all; it is an empty submission, not a
       * failure to read, so the parser reports it. */
      return data ? data : g_strdup ("");
    }
  if (!g_file_get_contents (path, &data, length, error))
    return NULL;
  return data;
}

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

static int
cmd_capture (int    argc,
             char **argv)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autofree char *json_path = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "The submission as JSON, or - for standard input", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("--json FILE|-");
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(TpSubmission) submission = NULL;
  g_autoptr(TpValidation) validation = NULL;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  const char *source;
  gsize length = 0;
  int code = TP_EXIT_OK;

  g_option_context_set_summary (context, "Stores one submission with the kiosk's validation and transaction,\n"
                                         "and prints the lead id, tags, offer and coupon as JSON.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv))
    return TP_EXIT_USAGE;
  if (json_path == NULL || argc != 1)
    return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint capture` needs --json FILE (or --json - for standard input)");
  source = g_str_equal (json_path, "-") ? "standard input" : json_path;

  if (!(event = tp_cli_load_event (&common, &code)))
    return code;

  data = read_input (json_path, &length, &error);
  if (data == NULL)
    return tp_cli_fail (TP_EXIT_DATAERR, "cannot read %s: %s", source, error->message);
  if (!g_utf8_validate (data, length, NULL))
    return tp_cli_fail (TP_EXIT_DATAERR, "%s: the submission is not valid UTF-8", source);
  tp_json_mask_nul_escapes (data, length);
  if (!tp_json_depth_ok (data, length))
    return tp_cli_fail (TP_EXIT_DATAERR, "%s: not a submission: nested deeper than %d levels", source,
                        TP_JSON_MAX_DEPTH);
  if (!json_parser_load_from_data (parser, data, length, &error))
    return tp_cli_fail (TP_EXIT_DATAERR, "%s: not valid JSON: %s", source, error->message);
  submission = tp_submission_new_from_json (json_parser_get_root (parser), &error);
  if (submission == NULL)
    return tp_cli_fail (TP_EXIT_DATAERR, "%s: %s", source, error->message);

  if (submission->locale == NULL)
    submission->locale = g_strdup (event->default_locale);

  /* Validate before the store is touched: bad input leaves no trace, not even a new folder. */
  validation = tp_submission_validate (submission, event);
  if (validation)
    {
      g_autofree char *message = tp_validation_to_string (validation, event);
      g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        g_printerr ("touchpoint: %s: %s\n", source, lines[i]);
      return TP_EXIT_DATAERR;
    }

  if (!(store = tp_cli_open_store (&common, &code)))
    return code;
  capture = tp_store_capture (store, event, submission, NULL, NULL, &error);
  if (capture == NULL)
    return tp_cli_fail (tp_cli_exit_code_for (error), "%s", error->message);

  out = capture_to_json (capture);
  tp_cli_print_json (out);
  if (fflush (stdout) != 0 || ferror (stdout))
    return tp_cli_fail (TP_EXIT_IOERR, "lead %s was stored, but its result (the coupon) cannot be written "
                        "to standard output: %s", capture->lead_id, g_strerror (errno));
  return TP_EXIT_OK;
}

/* ---- touchpoint stats ------------------------------------------------------------------- */

static void
print_count (const char *indent,
             int         width,
             const char *name,
             gint64      count)
{
  g_print ("%s%-*s %" G_GINT64_FORMAT "\n", indent, width, name, count);
}

static void
print_counts (const char *title,
              GArray     *counts)
{
  g_print ("%s:\n", title);
  if (counts->len == 0)
    g_print ("  (none)\n");
  for (guint i = 0; i < counts->len; i++)
    print_count ("  ", 20, g_array_index (counts, TpStatsCount, i).name, g_array_index (counts, TpStatsCount, i).count);
}

static void
print_states (const char            *indent,
              int                    width,
              const TpStatsDelivery *delivery)
{
  for (guint s = 0; s < TP_DELIVERY_N_STATES; s++)
    print_count (indent, width, tp_delivery_state_to_string (s), delivery->states[s]);
}

static int
cmd_stats (int    argc,
           char **argv)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  int code = TP_EXIT_OK;

  g_option_context_set_summary (context, "Counts leads, consents, offers, coupons and outbox states.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv))
    return TP_EXIT_USAGE;
  if (argc != 1)
    return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint stats` takes no arguments");
  if (!(store = tp_cli_open_store (&common, &code)))
    return code;
  stats = tp_store_get_stats (store, &error);
  if (stats == NULL)
    return tp_cli_fail (tp_cli_exit_code_for (error), "%s", error->message);
  if (as_json)
    {
      g_autoptr(JsonNode) node = tp_stats_to_json (stats);

      tp_cli_print_json (node);
      return TP_EXIT_OK;
    }

  g_print ("Kiosk: number %u (%s)\n", stats->kiosk_number, stats->kiosk_id);
  g_print ("Leads: %" G_GINT64_FORMAT "\n", stats->leads);
  print_counts ("Consents granted", stats->consents_granted);
  print_counts ("Consents refused", stats->consents_refused);
  print_counts ("Offers", stats->offers);
  print_counts ("Tags", stats->tags);
  g_print ("Coupons:\n");
  print_count ("  ", 20, "issued", stats->coupons_issued);
  print_count ("  ", 20, "redeemed", stats->coupons_redeemed);
  /* The outbox shows its states per target when there are several targets. */
  g_print ("Outbox:\n");
  if (stats->outbox->len == 1)
    print_states ("  ", 20, &g_array_index (stats->outbox, TpStatsDelivery, 0));
  else
    for (guint i = 0; i < stats->outbox->len; i++)
      {
        const TpStatsDelivery *d = &g_array_index (stats->outbox, TpStatsDelivery, i);

        g_print ("  %s:\n", d->target);
        print_states ("    ", 18, d);
      }
  return TP_EXIT_OK;
}

/* ---- touchpoint export ------------------------------------------------------------------ */

static int
cmd_export (int    argc,
            char **argv)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean csv = FALSE;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV (RFC 4180, UTF-8 with BOM)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int code = TP_EXIT_OK;

  g_option_context_set_summary (context, "Exports every lead, one row each.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv))
    return TP_EXIT_USAGE;
  if (!csv || argc != 1)
    return tp_cli_fail (TP_EXIT_USAGE, "`touchpoint export` needs --csv (the only format so far)");
  if (!(event = tp_cli_load_event (&common, &code)) || !(store = tp_cli_open_store (&common, &code)))
    return code;

  /* "-o -" means standard output, as "--json -" means standard input. */
  if (g_strcmp0 (output, "-") == 0)
    g_clear_pointer (&output, g_free);
  if (output)
    {
      /* Written beside the target and renamed into place: a failed export leaves no half file. */
      file = g_file_new_for_commandline_arg (output);
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error));
      if (out == NULL)
        return tp_cli_fail (TP_EXIT_IOERR, "cannot write %s: %s", output, error->message);
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  if (!tp_export_csv (store, event, out, &error))
    {
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      /* Closing a cancelled replace stream leaves the old file as it was. */
      g_cancellable_cancel (cancelled);
      g_output_stream_close (out, cancelled, NULL);
      return tp_cli_fail (tp_cli_exit_code_for (error), "export failed%s%s: %s",
                          output ? " for " : "", output ? output : "", error->message);
    }
  if (!g_output_stream_close (out, NULL, &error))
    return tp_cli_fail (TP_EXIT_IOERR, "cannot finish %s: %s", output ? output : "the export", error->message);
  return TP_EXIT_OK;
}

/* ---- Dispatch --------------------------------------------------------------------------- */

static int cmd_help (int argc, char **argv);

static const TpCliCommand commands[] = {
  { "event", cmd_event, "check, show or make a key for an event definition" },
  { "capture", cmd_capture, "store one submission given as JSON" },
  { "stats", cmd_stats, "counts of leads, consents, offers, coupons and outbox states" },
  { "export", cmd_export, "export leads as CSV" },
  TP_CLI_EXTRA_COMMANDS
  { "help", cmd_help, "this list" },
};

static int
cmd_help (int    argc,
          char **argv)
{
  g_print ("Usage:\n"
           "  touchpoint [--event FILE] [--data-dir DIR] [--windowed]   start the kiosk\n"
           "  touchpoint COMMAND [OPTIONS]                               work without a display\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, commands[i].summary);
  g_print ("\nEvery command takes --event FILE and --data-dir DIR; `touchpoint COMMAND --help` says more.\n");
  return TP_EXIT_OK;
}

gboolean
tp_cli_is_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return TRUE;
  return FALSE;
}

int
tp_cli_run (int    argc,
            char **argv)
{
  g_set_prgname ("touchpoint");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, argv[1]))
      {
        g_autofree char *name = g_strdup_printf ("touchpoint %s", argv[1]);

        int code;

        g_set_prgname (name);
        /* argv[0] becomes the subcommand, as GOptionContext expects. */
        code = commands[i].run (argc - 1, argv + 1);
        /* Results go through stdio: a full disk or a closed pipe shows only now, and a result
         * that was never written must not look like success to the caller's script. */
        if (fflush (stdout) != 0 || ferror (stdout))
          {
            int saved = errno;

            if (code == TP_EXIT_OK)
              code = tp_cli_fail (TP_EXIT_IOERR, "cannot write the result to standard output: %s",
                                  g_strerror (saved));
          }
        return code;
      }
  return tp_cli_fail (TP_EXIT_USAGE, "unknown command \"%s\" (see `touchpoint help`)", argv[1]);
}

gboolean
tp_cli_dispatch (int    argc,
                 char **argv,
                 int   *exit_code)
{
  /* The kiosk's options that take a value in the next argument. */
  static const char * const with_value[] = { "--event", "--data-dir", NULL };
  g_autofree char **reordered = NULL;
  int at = -1;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_strv_contains (with_value, argv[i]))
        {
          i++;
          continue;
        }
      if (argv[i][0] != '-')
        {
          at = i;
          break;
        }
    }
  if (at < 0)
    return FALSE;

  /* A typo such as `touchpoint stast` must not start a full-screen kiosk. */
  if (!tp_cli_is_command (argv[at]))
    {
      g_set_prgname ("touchpoint");
      *exit_code = tp_cli_fail (TP_EXIT_USAGE, "unknown command \"%s\" (see `touchpoint help`)", argv[at]);
      return TRUE;
    }

  /* The command first; the options before it then go to the command, which takes them too. */
  reordered = g_new0 (char *, argc + 1);
  reordered[0] = argv[0];
  reordered[1] = argv[at];
  for (int i = 1, j = 2; i < argc; i++)
    if (i != at)
      reordered[j++] = argv[i];
  *exit_code = tp_cli_run (argc, reordered);
  return TRUE;
}
