/* tp-cli-sync.c: `touchpoint sync`: send the outbox to the CRM, preview it, or show a lead's state. */
#define G_LOG_DOMAIN "tp-cli-sync"

#include "tp-audit.h"
#include "tp-cli-common.h"
#include "tp-json.h"
#include "tp-cli-commands.h"
#include "tp-i18n.h"
#include "tp-store-outbox.h"
#include "tp-syncer.h"

#include <stdio.h>
#include <unistd.h>

typedef struct
{
  gint64   started;
  gboolean shown;
} ProgressBar;

static void
format_duration (GString *out,
                 double   seconds)
{
  gint64 s = (gint64) (seconds + 0.5);

  if (s >= 3600)
    g_string_append_printf (out, "%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
  else
    g_string_append_printf (out, "%d:%02d", (int) (s / 60), (int) (s % 60));
}

static void
progress_cb (gint64   done,
             gint64   total,
             gpointer user_data)
{
  ProgressBar *bar = user_data;
  double elapsed = (g_get_monotonic_time () - bar->started) / (double) G_USEC_PER_SEC;
  double rate = elapsed > 0 ? done / elapsed : 0;
  g_autoptr(GString) line = g_string_new ("\r[");
  const int width = 30;
  int filled = total > 0 ? (int) (width * MIN (done, total) / total) : width;

  for (int i = 0; i < width; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append_printf (line, "] %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "  ", done, total);
  /* TRANSLATORS: sync speed in the progress bar */
  g_string_append_printf (line, _("%.0f/s"), rate);
  if (rate > 0 && done < total)
    {
      g_autoptr(GString) eta = g_string_new (NULL);

      format_duration (eta, (total - done) / rate);
      g_string_append (line, "  ");
      /* TRANSLATORS: time left in the progress bar, "1:05 left" */
      g_string_append_printf (line, _("%s left"), eta->str);
    }
  g_string_append (line, "\033[K");
  fputs (line->str, stderr);
  fflush (stderr);
  bar->shown = TRUE;
}

/* --dry-run --json: each request as {method, url, records, resend, headers, body}. */
static void
preview_json_cb (const TpSyncRequest *request,
                 const char * const  *headers,
                 guint                n_records,
                 gboolean             resend,
                 gpointer             user_data)
{
  JsonBuilder *b = user_data;
  gsize size = 0;
  const char *body = request->body ? g_bytes_get_data (request->body, &size) : NULL;
  g_autofree char *text = body ? g_strndup (body, size) : NULL;
  g_autoptr(JsonNode) parsed = text ? json_from_string (text, NULL) : NULL;

  json_builder_begin_object (b);
  tp_json_add_string (b, "method", request->method);
  tp_json_add_string (b, "url", request->url);
  tp_json_add_int (b, "records", n_records);
  tp_json_add_bool (b, "resend", resend);
  json_builder_set_member_name (b, "headers");
  json_builder_begin_array (b);
  for (guint i = 0; headers[i]; i++)
    json_builder_add_string_value (b, headers[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "body");
  if (parsed)
    json_builder_add_value (b, g_steal_pointer (&parsed));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
preview_cb (const TpSyncRequest *request,
            const char * const  *headers,
            guint                n_records,
            gboolean             resend,
            gpointer             user_data)
{
  guint *count = user_data;
  gsize size = 0;
  const char *body = request->body ? g_bytes_get_data (request->body, &size) : NULL;

  (*count)++;
  g_print ("### %u: %s %s (%u record%s%s)\n", *count, request->method, request->url, n_records,
           n_records == 1 ? "" : "s", resend ? ", sent before: same key" : "");
  for (guint i = 0; headers[i]; i++)
    g_print ("%s\n", headers[i]);
  g_print ("\n");
  if (body)
    {
      fwrite (body, 1, size, stdout);
      g_print ("\n");
    }
  g_print ("\n");
}

static JsonNode *
summary_to_json (TpSyncSummary *s)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  tp_json_add_string (b, "target", s->target);
  tp_json_add_int (b, "total", s->total);
  tp_json_add_int (b, "synced", s->synced);
  tp_json_add_int (b, "rejected", s->rejected);
  tp_json_add_int (b, "rejected_earlier", s->rejected_earlier);
  tp_json_add_int (b, "left", s->left);
  json_builder_set_member_name (b, "next_retry_at");
  if (s->next_retry_ms)
    {
      g_autofree char *at = tp_store_format_ms (s->next_retry_ms);
      json_builder_add_string_value (b, at);
    }
  else
    json_builder_add_null_value (b);
  tp_json_add_int (b, "requests", s->requests);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, s->seconds);
  json_builder_set_member_name (b, "last_error");
  if (s->last_error)
    json_builder_add_string_value (b, s->last_error);
  else
    json_builder_add_null_value (b);
  tp_json_add_bool (b, "unreachable", s->unreachable);
  tp_json_add_bool (b, "limited", s->limited);
  json_builder_set_member_name (b, "stop_reason");
  if (s->stop_reason)
    json_builder_add_string_value (b, s->stop_reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "rejections");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->rejections->len; i++)
    {
      TpSyncRejection *r = s->rejections->pdata[i];

      json_builder_begin_object (b);
      tp_json_add_string (b, "lead_id", r->lead_id);
      tp_json_add_string (b, "kind", r->kind);
      tp_json_add_string (b, "reason", r->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_summary (TpSyncSummary *s)
{
  double rate = s->seconds > 0 ? s->synced / s->seconds : 0;

  /* long long: xgettext cannot read G_GINT64_FORMAT inside a translatable string. */
  g_print (_("Synced %lld of %lld records to %s in %.1f s (%.0f records/s, %lld requests).\n"),
           (long long) s->synced, (long long) s->total, s->target, s->seconds, rate, (long long) s->requests);
  if (s->left > 0)
    {
      g_autofree char *at = s->next_retry_ms ? tp_store_format_ms (s->next_retry_ms) : g_strdup ("-");

      g_print (_("To retry: %lld records, next attempt at %s; run `touchpoint sync` again then.\n"),
               (long long) s->left, at);
      if (s->last_error)
        g_print (_("  Last error: %s\n"), s->last_error);
    }
  if (s->rejections->len > 0)
    {
      g_print (_("Rejected: %u records (the CRM refused them; they are not retried):\n"), s->rejections->len);
      for (guint i = 0; i < s->rejections->len; i++)
        {
          TpSyncRejection *r = s->rejections->pdata[i];

          g_print ("  %s (%s): %s\n", r->lead_id, r->kind, r->reason);
        }
    }
  /* A record rejected in an earlier run is not in the CRM either: never claim it is. */
  if (s->rejected_earlier > 0)
    g_print (_("%lld records were rejected in earlier runs and are not in the CRM; "
               "`touchpoint sync --status LEAD_ID` shows why.\n"), (long long) s->rejected_earlier);
  if (s->left == 0 && s->rejections->len == 0 && s->rejected_earlier == 0)
    g_print (_("Everything is in the CRM.\n"));
  else if (s->left == 0 && s->rejections->len == 0)
    g_print (_("Every other record is in the CRM.\n"));
}

static void
print_status (JsonNode *status)
{
  JsonObject *obj = json_node_get_object (status);
  JsonArray *rows = json_object_get_array_member (obj, "outbox");

  g_print (_("Lead %s\n"), json_object_get_string_member (obj, "lead_id"));
  if (!json_object_get_null_member (obj, "erased_at"))
    g_print (_("  Erased at %s\n"), json_object_get_string_member (obj, "erased_at"));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *target = json_object_get_null_member (row, "target") ? _("(no target yet)")
                           : json_object_get_string_member (row, "target");

      g_print ("  %-7s %-11s %-10s", json_object_get_string_member (row, "kind"), target,
               json_object_get_string_member (row, "state"));
      g_print (_(" attempts: %lld"), (long long) json_object_get_int_member (row, "attempts"));
      if (!json_object_get_null_member (row, "remote_id"))
        g_print (_(", CRM id: %s"), json_object_get_string_member (row, "remote_id"));
      if (!json_object_get_null_member (row, "next_attempt_at"))
        g_print (_(", next attempt: %s"), json_object_get_string_member (row, "next_attempt_at"));
      if (!json_object_get_null_member (row, "last_error"))
        g_print (_(", last error: %s"), json_object_get_string_member (row, "last_error"));
      g_print ("\n");
    }
}

gboolean
tp_cli_sync (int      argc,
             char   **argv,
             GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autofree char *target = NULL, *url = NULL, *token_file = NULL, *ca_file = NULL, *config_path = NULL;
  g_autofree char *status_lead = NULL;
  gboolean dry_run = FALSE, as_json = FALSE;
  int batch_size = 0;
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "webhook, hubspot or salesforce", "TARGET" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The webhook's address, or the CRM's base address", "URL" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      "File holding the access token (webhook: the signing secret); must be chmod 600", "FILE" },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "Trust this CA certificate file too", "FILE" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      "Sync settings (default: sync.json in the data folder, when it exists)", "FILE" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size, "Records per request (default: the CRM's maximum)", "N" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Print exactly what would be sent, send nothing", NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_lead, "Show one lead's sync state per target", "LEAD_ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the summary or status as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpSyncConfig) config = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpSyncer) syncer = NULL;
  g_autoptr(TpSyncSummary) summary = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *default_config = NULL;
  ProgressBar bar = { 0 };

  g_option_context_set_summary (context,
                                "Sends every lead in the outbox to the CRM, exactly once, and shows what happened.\n"
                                "Exit status: 0 all synced, 1 some rejected or left to retry, 69 the CRM could\n"
                                "not be reached. See docs/sync.md for sync.json and the field mapping.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint sync` takes no arguments, only options");
  if (batch_size < 0 || batch_size > 200)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--batch-size must be from 1 to 200");

  if (status_lead)
    {
      g_autoptr(JsonNode) status = NULL;

      if (!(store = tp_cli_open_store_to_read (&common, error)))
        return FALSE;
      if (!(status = tp_store_outbox_lead_status (store, status_lead, error)))
        return FALSE;
      if (as_json)
        tp_cli_print_json (status);
      else
        print_status (status);
      return TRUE;
    }

  if (!(dir = tp_cli_data_dir (&common, error)))
    return FALSE;
  default_config = g_build_filename (dir, "sync.json", NULL);
  if (config_path == NULL && g_file_test (default_config, G_FILE_TEST_EXISTS))
    config_path = g_steal_pointer (&default_config);
  if (config_path)
    {
      config = tp_sync_config_load (config_path, &local);
      if (config == NULL)
        return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
    }
  else
    config = tp_sync_config_new ();
  /* The command line wins over the file. */
  if (target)
    {
      g_free (config->target);
      config->target = g_strdup (target);
    }
  if (url)
    {
      g_free (config->url);
      config->url = g_strdup (url);
    }
  if (token_file)
    {
      g_free (config->token_file);
      config->token_file = g_strdup (token_file);
    }
  if (ca_file)
    {
      g_free (config->ca_file);
      config->ca_file = g_strdup (ca_file);
    }
  if (batch_size > 0)
    config->batch_size = batch_size;

  if (!(store = tp_cli_open_store (&common, error)))
    return FALSE;
  syncer = tp_syncer_new (store, g_steal_pointer (&config));
  if (dry_run && as_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
      g_autoptr(JsonNode) requests = NULL;

      json_builder_begin_object (b);
      tp_json_add_string (b, "target", tp_syncer_get_config (syncer)->target);
      json_builder_set_member_name (b, "requests");
      json_builder_begin_array (b);
      if (!tp_syncer_preview (syncer, preview_json_cb, b, error))
        return FALSE;
      json_builder_end_array (b);
      json_builder_end_object (b);
      requests = json_builder_get_root (b);
      tp_cli_print_json (requests);
      return TRUE;
    }
  if (dry_run)
    {
      guint count = 0;

      if (!tp_syncer_preview (syncer, preview_cb, &count, error))
        return FALSE;
      g_print (_("# Dry run: %u requests shown; nothing was sent and nothing changed.\n"), count);
      return TRUE;
    }

  if (!as_json && isatty (STDERR_FILENO))
    {
      bar.started = g_get_monotonic_time ();
      tp_syncer_set_progress_func (syncer, progress_cb, &bar, NULL);
    }
  summary = tp_syncer_run (syncer, NULL, error);
  if (bar.shown)
    fputs ("\n", stderr);
  /* A run writes a state per record: fold the log into the database, failed run or not, so
   * that it does not outgrow the database between runs. */
  tp_store_checkpoint (store, NULL);
  if (summary == NULL)
    return FALSE;
  /* Personal data left for the CRM: who sent what, in the access log. */
  {
    g_autofree char *actor = tp_audit_os_actor ();
    g_autofree char *detail = g_strdup_printf ("%s: %lld synced, %lld rejected, %lld left", summary->target,
                                               (long long) summary->synced, (long long) summary->rejected,
                                               (long long) summary->left);
    g_autoptr(GError) audit_error = NULL;

    if (!tp_audit_append (store, actor, TP_AUDIT_SYNC, NULL, detail, &audit_error))
      g_printerr ("touchpoint: warning: the sync is not in the audit log (%s)\n", audit_error->message);
  }

  if (as_json)
    {
      g_autoptr(JsonNode) node = summary_to_json (summary);
      tp_cli_print_json (node);
    }
  else
    print_summary (summary);
  /* The CRM's daily limit: not a failure to reach it; every record waits for the next run. */
  if (summary->limited)
    return tp_cli_fail (error, TP_EXIT_REFUSED, "%s", summary->stop_reason);
  if (summary->unreachable)
    return tp_cli_fail (error, TP_EXIT_UNAVAILABLE, "%s",
                        summary->stop_reason ? summary->stop_reason : "the CRM could not be reached");
  if (summary->rejected > 0 || summary->left > 0)
    return tp_cli_fail (error, TP_EXIT_REFUSED, "not every record is in the CRM yet (see the summary above)");
  return TRUE;
}
