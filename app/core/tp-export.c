/* tp-export.c: CSV export of every lead, one row each. */
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

static void
append_row (GString    *out,
            GPtrArray  *cells)
{
  for (guint i = 0; i < cells->len; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      tp_csv_append_field (out, cells->pdata[i]);
    }
  g_string_append (out, "\r\n");
}

typedef struct
{
  char         **fields;     /* Column ids: the event's, then any other that stored leads use. */
  char         **consents;
  char         **questions;
  GOutputStream *out;
  GCancellable  *cancellable;
  GString       *buffer;
  GError       **error;
  gboolean       failed;
} ExportState;

static gboolean
flush (ExportState *state,
       gboolean     force)
{
  if (state->buffer->len < 64 * 1024 && !force)
    return TRUE;
  if (!g_output_stream_write_all (state->out, state->buffer->str, state->buffer->len, NULL, state->cancellable,
                                  state->error))
    {
      state->failed = TRUE;
      return FALSE;
    }
  g_string_truncate (state->buffer, 0);
  return TRUE;
}

static gboolean
export_lead (TpLeadRecord *r,
             gpointer      user_data)
{
  ExportState *state = user_data;
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tags = g_strjoinv (";", r->tags);

  if (g_cancellable_set_error_if_cancelled (state->cancellable, state->error))
    {
      state->failed = TRUE;
      return FALSE;
    }

  g_ptr_array_add (cells, g_strdup (r->lead_id));
  g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT, r->seq));
  g_ptr_array_add (cells, g_strdup (r->captured_at));
  g_ptr_array_add (cells, g_strdup (r->event_id));
  g_ptr_array_add (cells, g_strdup (r->locale));
  for (guint i = 0; state->fields[i]; i++)
    g_ptr_array_add (cells, g_strdup (g_hash_table_lookup (r->fields, state->fields[i])));
  for (guint i = 0; state->consents[i]; i++)
    {
      TpConsentRecord *cr = g_hash_table_lookup (r->consents, state->consents[i]);

      g_ptr_array_add (cells, g_strdup (cr ? (cr->granted ? "yes" : "no") : ""));
      g_ptr_array_add (cells, g_strdup (cr ? cr->version : ""));
    }
  for (guint i = 0; state->questions[i]; i++)
    {
      TpAnswer *a = g_hash_table_lookup (r->answers, state->questions[i]);

      g_ptr_array_add (cells, a ? tp_answer_to_display (a) : g_strdup (""));
    }
  g_ptr_array_add (cells, g_strdup (tags));
  g_ptr_array_add (cells, g_strdup (r->offer));
  g_ptr_array_add (cells, g_strdup (r->coupon_code));
  g_ptr_array_add (cells, g_strdup (r->coupon_expires_at));
  append_row (state->buffer, cells);
  return flush (state, FALSE);
}

/* The event's ids in its order, then the ids stored leads use that the event does not define
 * (leads captured with another event file): no stored value is left without a column. */
static char **
column_ids (GPtrArray   *defined,
            TpStore     *store,
            const char  *kind,
            GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) used = tp_store_list_used_ids (store, kind, error);

  if (used == NULL)
    return NULL;
  for (guint i = 0; i < defined->len; i++)
    g_strv_builder_add (builder, defined->pdata[i]);
  for (guint i = 0; used[i]; i++)
    if (!g_ptr_array_find_with_equal_func (defined, used[i], g_str_equal, NULL))
      g_strv_builder_add (builder, used[i]);
  return g_strv_builder_end (builder);
}

static gboolean
export_csv (TpStore        *store,
            TpEvent        *event,
            GOutputStream  *out,
            GCancellable   *cancellable,
            GError        **error)
{
  /* The columns and the rows come from one state of the store: no capture lands in between. */
  TP_STORE_LOCKED (store);
  g_autoptr(GString) buffer = g_string_new ("\xEF\xBB\xBF");  /* BOM: Excel then reads UTF-8. */
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) fields = NULL, consents = NULL, questions = NULL;
  ExportState state = { NULL, NULL, NULL, out, cancellable, buffer, error, FALSE };

  g_autoptr(GPtrArray) field_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) consent_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) question_ids = g_ptr_array_new ();

  for (guint i = 0; i < event->fields->len; i++)
    g_ptr_array_add (field_ids, ((TpField *) event->fields->pdata[i])->id);
  for (guint i = 0; i < event->consents->len; i++)
    g_ptr_array_add (consent_ids, ((TpConsent *) event->consents->pdata[i])->id);
  for (guint i = 0; i < event->survey->len; i++)
    g_ptr_array_add (question_ids, ((TpQuestion *) event->survey->pdata[i])->id);
  if (!(fields = column_ids (field_ids, store, "fields", error)) ||
      !(consents = column_ids (consent_ids, store, "consents", error)) ||
      !(questions = column_ids (question_ids, store, "answers", error)))
    return FALSE;
  state.fields = fields;
  state.consents = consents;
  state.questions = questions;

  g_ptr_array_add (header, g_strdup ("lead_id"));
  g_ptr_array_add (header, g_strdup ("seq"));
  g_ptr_array_add (header, g_strdup ("captured_at"));
  g_ptr_array_add (header, g_strdup ("event_id"));
  g_ptr_array_add (header, g_strdup ("locale"));
  for (guint i = 0; fields[i]; i++)
    g_ptr_array_add (header, g_strdup (fields[i]));
  for (guint i = 0; consents[i]; i++)
    {
      g_ptr_array_add (header, g_strdup_printf ("consent_%s", consents[i]));
      g_ptr_array_add (header, g_strdup_printf ("consent_%s_version", consents[i]));
    }
  for (guint i = 0; questions[i]; i++)
    g_ptr_array_add (header, g_strdup_printf ("answer_%s", questions[i]));
  g_ptr_array_add (header, g_strdup ("tags"));
  g_ptr_array_add (header, g_strdup ("offer"));
  g_ptr_array_add (header, g_strdup ("coupon_code"));
  g_ptr_array_add (header, g_strdup ("coupon_expires_at"));
  append_row (buffer, header);

  if (!tp_store_foreach_lead (store, export_lead, &state, error))
    return FALSE;
  if (state.failed)
    return FALSE;
  return flush (&state, TRUE) && g_output_stream_flush (out, cancellable, error);
}

gboolean
tp_export_csv (TpStore        *store,
               TpEvent        *event,
               GOutputStream  *out,
               GError        **error)
{
  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
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
