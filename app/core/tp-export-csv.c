/* tp-export-csv.c: the export table as CSV (RFC 4180, CRLF, UTF-8 with a BOM so that Excel
 * reads Korean). */
#define G_LOG_DOMAIN "tp-export"

#include "tp-export.h"
#include "tp-store-private.h"

#include <string.h>

void
tp_csv_append_field (GString    *line,
                     const char *value)
{
  gboolean formula;

  if (value == NULL)
    value = "";
  /* A cell starting with these is run as a formula by spreadsheets: keep it text. A plain
   * number such as a phone number in E.164 ("+8210...") is no formula and stays as it is. */
  formula = value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL &&
            value[1 + strspn (value + 1, "0123456789")] != '\0';
  if (!formula && strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  if (formula)
    g_string_append_c (line, '\'');
  for (const char *c = value; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *c);
    }
  g_string_append_c (line, '"');
}

typedef struct
{
  GOutputStream *out;
  GCancellable  *cancellable;
  GString       *buffer;
  guint          n_columns;
} CsvState;

static gboolean
flush (CsvState  *state,
       gboolean   force,
       GError   **error)
{
  if (state->buffer->len < 64 * 1024 && !force)
    return TRUE;
  if (!g_output_stream_write_all (state->out, state->buffer->str, state->buffer->len, NULL, state->cancellable,
                                  error))
    return FALSE;
  g_string_truncate (state->buffer, 0);
  return TRUE;
}

static gboolean
header_cb (GPtrArray  *columns,
           gpointer    user_data,
           GError    **error)
{
  CsvState *state = user_data;

  state->n_columns = columns->len;
  for (guint i = 0; i < columns->len; i++)
    {
      if (i)
        g_string_append_c (state->buffer, ',');
      tp_csv_append_field (state->buffer, ((TpExportColumn *) columns->pdata[i])->name);
    }
  g_string_append (state->buffer, "\r\n");
  return TRUE;
}

static gboolean
row_cb (const TpExportCell  *cells,
        gpointer             user_data,
        GError             **error)
{
  CsvState *state = user_data;

  for (guint i = 0; i < state->n_columns; i++)
    {
      if (i)
        g_string_append_c (state->buffer, ',');
      tp_csv_append_field (state->buffer, cells[i].text);
    }
  g_string_append (state->buffer, "\r\n");
  return flush (state, FALSE, error);
}

static gboolean
export_csv (TpStore        *store,
            TpEvent        *event,
            GOutputStream  *out,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GString) buffer = g_string_new ("\xEF\xBB\xBF");  /* BOM: Excel then reads UTF-8. */
  CsvState state = { out, cancellable, buffer, 0 };

  if (!tp_export_table (store, event, header_cb, row_cb, &state, cancellable, error))
    return FALSE;
  return flush (&state, TRUE, error) && g_output_stream_flush (out, cancellable, error);
}

gboolean
tp_export_csv (TpStore        *store,
               TpEvent        *event,
               GOutputStream  *out,
               GError        **error)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  return export_csv (store, event, out, NULL, error);
}

typedef struct
{
  TpEvent       *event;
  GOutputStream *out;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  tp_event_unref (job->event);
  g_object_unref (job->out);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  ExportJob *job = data;
  GError *error = NULL;

  if (export_csv (source, job->event, job->out, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tp_export_csv_async (TpStore             *store,
                     TpEvent             *event,
                     GOutputStream       *out,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (event != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (out));

  job = g_new0 (ExportJob, 1);
  job->event = tp_event_ref (event);
  job->out = g_object_ref (out);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_export_csv_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  tp_store_run_task (store, task, export_thread);
}

gboolean
tp_export_csv_finish (TpStore       *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tp_export_csv_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
