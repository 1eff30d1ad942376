/* tp-export.c: the table every export format writes: its columns and, per lead, typed cells. */
#define G_LOG_DOMAIN "tp-export"

#include "tp-export.h"
#include "tp-store-private.h"

#include <string.h>

static void
column_free (gpointer data)
{
  TpExportColumn *column = data;

  g_free (column->name);
  g_free (column);
}

static void
add_column (GPtrArray    *columns,
            TpExportKind  kind,
            char         *name)
{
  TpExportColumn *column = g_new0 (TpExportColumn, 1);

  column->name = name;
  column->kind = kind;
  g_ptr_array_add (columns, column);
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

/* Which ids each part of a lead contributes, and how to read them. */
typedef struct
{
  char     **fields;
  gboolean  *field_is_phone;
  char     **consents;
  char     **questions;
  gboolean  *question_is_number;
} Layout;

static void
layout_clear (Layout *layout)
{
  g_clear_pointer (&layout->fields, g_strfreev);
  g_clear_pointer (&layout->field_is_phone, g_free);
  g_clear_pointer (&layout->consents, g_strfreev);
  g_clear_pointer (&layout->questions, g_strfreev);
  g_clear_pointer (&layout->question_is_number, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Layout, layout_clear)

static gboolean
layout_init (Layout   *layout,
             TpStore  *store,
             TpEvent  *event,
             GError  **error)
{
  g_autoptr(GPtrArray) field_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) consent_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) question_ids = g_ptr_array_new ();
  guint n;

  for (guint i = 0; i < event->fields->len; i++)
    g_ptr_array_add (field_ids, ((TpField *) event->fields->pdata[i])->id);
  for (guint i = 0; i < event->consents->len; i++)
    g_ptr_array_add (consent_ids, ((TpConsent *) event->consents->pdata[i])->id);
  for (guint i = 0; i < event->survey->len; i++)
    g_ptr_array_add (question_ids, ((TpQuestion *) event->survey->pdata[i])->id);
  if (!(layout->fields = column_ids (field_ids, store, "fields", error)) ||
      !(layout->consents = column_ids (consent_ids, store, "consents", error)) ||
      !(layout->questions = column_ids (question_ids, store, "answers", error)))
    return FALSE;

  n = g_strv_length (layout->fields);
  layout->field_is_phone = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const TpField *field = tp_event_get_field (event, layout->fields[i]);

      /* A field another event defined: its id is all there is to go by. */
      layout->field_is_phone[i] = field ? field->type == TP_FIELD_PHONE : g_str_equal (layout->fields[i], "phone");
    }
  n = g_strv_length (layout->questions);
  layout->question_is_number = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const TpQuestion *q = tp_event_get_question (event, layout->questions[i]);

      layout->question_is_number[i] = q && (q->type == TP_QUESTION_RATING || q->type == TP_QUESTION_NPS);
    }
  return TRUE;
}

static GPtrArray *
layout_columns (Layout *layout)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);

  add_column (columns, TP_EXPORT_TEXT, g_strdup ("lead_id"));
  add_column (columns, TP_EXPORT_NUMBER, g_strdup ("seq"));
  add_column (columns, TP_EXPORT_TIME, g_strdup ("captured_at"));
  add_column (columns, TP_EXPORT_TEXT, g_strdup ("event_id"));
  add_column (columns, TP_EXPORT_TEXT, g_strdup ("locale"));
  for (guint i = 0; layout->fields[i]; i++)
    add_column (columns, TP_EXPORT_TEXT, g_strdup (layout->fields[i]));
  for (guint i = 0; layout->consents[i]; i++)
    {
      add_column (columns, TP_EXPORT_TEXT, g_strdup_printf ("consent_%s", layout->consents[i]));
      add_column (columns, TP_EXPORT_TEXT, g_strdup_printf ("consent_%s_version", layout->consents[i]));
    }
  for (guint i = 0; layout->questions[i]; i++)
    add_column (columns, layout->question_is_number[i] ? TP_EXPORT_NUMBER : TP_EXPORT_TEXT,
                g_strdup_printf ("answer_%s", layout->questions[i]));
  add_column (columns, TP_EXPORT_TEXT, g_strdup ("tags"));
  add_column (columns, TP_EXPORT_TEXT, g_strdup ("offer"));
  add_column (columns, TP_EXPORT_TEXT, g_strdup ("coupon_code"));
  add_column (columns, TP_EXPORT_TIME, g_strdup ("coupon_expires_at"));
  return columns;
}

char *
tp_phone_format_national (const char *e164)
{
  g_autofree char *national = NULL;
  gsize n, head;

  if (e164 == NULL || !g_str_has_prefix (e164, "+82") || e164[3] == '\0' ||
      strspn (e164 + 3, "0123456789") != strlen (e164 + 3))
    return g_strdup (e164);
  national = g_strconcat ("0", e164 + 3, NULL);
  n = strlen (national);
  /* Seoul 02-XXX(X)-XXXX; mobile 010-XXXX-XXXX; area codes and 070: 0XX-XXX(X)-XXXX. */
  head = national[1] == '2' ? 2 : 3;
  if (n < head + 7 || n > head + 8)
    return g_strdup (e164);
  return g_strdup_printf ("%.*s-%.*s-%s", (int) head, national, (int) (n - head - 4), national + head,
                          national + n - 4);
}

static void
set_text (TpExportCell *cell,
          char         *text)
{
  cell->text = text && *text ? text : (g_free (text), NULL);
}

static void
set_time (TpExportCell *cell,
          const char   *iso)
{
  cell->text = iso && *iso ? g_strdup (iso) : NULL;
  cell->time = cell->text ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
}

typedef struct
{
  Layout          *layout;
  GCancellable    *cancellable;
  guint            n_columns;
  TpExportRowFunc  func;
  gpointer         user_data;
  GError         **error;
  gboolean         failed;
} RowState;

static void
cells_clear (TpExportCell *cells,
             guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (cells[i].text);
      g_clear_pointer (&cells[i].time, g_date_time_unref);
    }
}

static gboolean
emit_row (TpLeadRecord *r,
          gpointer      user_data)
{
  RowState *state = user_data;
  Layout *layout = state->layout;
  g_autofree TpExportCell *cells = NULL;
  guint c = 0;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (state->cancellable, state->error))
    {
      state->failed = TRUE;
      return FALSE;
    }
  cells = g_new0 (TpExportCell, state->n_columns);

  set_text (&cells[c++], g_strdup (r->lead_id));
  cells[c].number = r->seq;
  set_text (&cells[c++], g_strdup_printf ("%" G_GINT64_FORMAT, r->seq));
  set_time (&cells[c++], r->captured_at);
  set_text (&cells[c++], g_strdup (r->event_id));
  set_text (&cells[c++], g_strdup (r->locale));
  for (guint i = 0; layout->fields[i]; i++)
    {
      const char *value = g_hash_table_lookup (r->fields, layout->fields[i]);

      set_text (&cells[c++], layout->field_is_phone[i] ? tp_phone_format_national (value) : g_strdup (value));
    }
  for (guint i = 0; layout->consents[i]; i++)
    {
      TpConsentRecord *cr = g_hash_table_lookup (r->consents, layout->consents[i]);

      set_text (&cells[c++], g_strdup (cr ? (cr->granted ? "yes" : "no") : NULL));
      set_text (&cells[c++], g_strdup (cr ? cr->version : NULL));
    }
  for (guint i = 0; layout->questions[i]; i++)
    {
      TpAnswer *a = g_hash_table_lookup (r->answers, layout->questions[i]);

      if (a && a->kind == TP_ANSWER_NUMBER)
        cells[c].number = a->number;
      set_text (&cells[c++], a ? tp_answer_to_display (a) : NULL);
    }
  set_text (&cells[c++], g_strjoinv (";", r->tags));
  set_text (&cells[c++], g_strdup (r->offer));
  set_text (&cells[c++], g_strdup (r->coupon_code));
  set_time (&cells[c++], r->coupon_expires_at);
  g_assert (c == state->n_columns);

  ok = state->func (cells, state->user_data, state->error);
  cells_clear (cells, state->n_columns);
  state->failed = !ok;
  return ok;
}

gboolean
tp_export_table (TpStore           *store,
                 TpEvent           *event,
                 TpExportHeaderFunc header_func,
                 TpExportRowFunc    row_func,
                 gpointer           user_data,
                 GCancellable      *cancellable,
                 GError           **error)
{
  /* The columns and the rows come from one state of the store: no capture lands in between. */
  TP_STORE_LOCKED (store);
  g_auto(Layout) layout = { 0 };
  g_autoptr(GPtrArray) columns = NULL;
  RowState state = { &layout, cancellable, 0, row_func, user_data, error, FALSE };

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (!layout_init (&layout, store, event, error))
    return FALSE;
  columns = layout_columns (&layout);
  state.n_columns = columns->len;
  if (!header_func (columns, user_data, error))
    return FALSE;
  if (!tp_store_foreach_lead (store, emit_row, &state, error))
    return FALSE;
  return !state.failed;
}
