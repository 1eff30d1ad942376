/* tp-export-xlsx.c: the export table as an Excel workbook (libxlsxwriter): typed cells, so that
 * phone numbers keep their leading 0 and versions stay text, times are times, and the header
 * row is frozen with filters. */
#define G_LOG_DOMAIN "tp-export"

#include "tp-export.h"

#include <xlsxwriter.h>

typedef struct
{
  lxw_workbook  *workbook;
  lxw_worksheet *sheet;
  lxw_format    *header;
  lxw_format    *text;
  lxw_format    *time;
  GPtrArray     *columns;
  lxw_row_t      row;
} XlsxState;

static gboolean
check (lxw_error    err,
       const char  *path,
       GError     **error)
{
  if (err == LXW_NO_ERROR)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write the workbook %s: %s", path, lxw_strerror (err));
  return FALSE;
}

static gboolean
header_cb (GPtrArray  *columns,
           gpointer    user_data,
           GError    **error)
{
  XlsxState *state = user_data;

  state->columns = g_ptr_array_ref (columns);
  for (guint i = 0; i < columns->len; i++)
    {
      TpExportColumn *column = columns->pdata[i];
      double width = column->kind == TP_EXPORT_TIME ? 24 : column->kind == TP_EXPORT_NUMBER ? 10 : 18;

      if (g_str_equal (column->name, "lead_id"))
        width = 38;
      /* Text columns are formatted as text ("@"): a value typed into them later stays text too. */
      worksheet_set_column (state->sheet, i, i, width, column->kind == TP_EXPORT_TEXT ? state->text : NULL);
      worksheet_write_string (state->sheet, 0, i, column->name, state->header);
    }
  worksheet_freeze_panes (state->sheet, 1, 0);
  state->row = 1;
  return TRUE;
}

static gboolean
row_cb (const TpExportCell  *cells,
        gpointer             user_data,
        GError             **error)
{
  XlsxState *state = user_data;
  lxw_row_t row = state->row++;

  if (row >= LXW_ROW_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "more leads than an Excel sheet holds (%u rows): export as CSV", LXW_ROW_MAX - 1);
      return FALSE;
    }
  for (guint i = 0; i < state->columns->len; i++)
    {
      const TpExportCell *cell = &cells[i];
      TpExportKind kind = ((TpExportColumn *) state->columns->pdata[i])->kind;

      if (cell->text == NULL)
        continue;
      if (kind == TP_EXPORT_NUMBER)
        worksheet_write_number (state->sheet, row, i, (double) cell->number, NULL);
      else if (kind == TP_EXPORT_TIME && cell->time)
        {
          lxw_datetime when = {
            g_date_time_get_year (cell->time), g_date_time_get_month (cell->time),
            g_date_time_get_day_of_month (cell->time), g_date_time_get_hour (cell->time),
            g_date_time_get_minute (cell->time), g_date_time_get_seconds (cell->time),
          };

          worksheet_write_datetime (state->sheet, row, i, &when, state->time);
        }
      else
        {
          /* Excel holds at most 32,767 characters in a cell; no field of ours comes near. */
          lxw_error err = worksheet_write_string (state->sheet, row, i, cell->text, state->text);

          if (err != LXW_NO_ERROR)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "lead %s, column %s: %s", cells[0].text,
                           ((TpExportColumn *) state->columns->pdata[i])->name, lxw_strerror (err));
              return FALSE;
            }
        }
    }
  return TRUE;
}

gboolean
tp_export_xlsx (TpStore     *store,
                TpEvent     *event,
                const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  /* constant_memory: rows go to disk as they are written, so 100,000 leads do not sit in memory;
   * its temporary files stay in the target's folder rather than a shared /tmp. */
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = dir, .use_zip64 = LXW_TRUE };
  XlsxState state = { 0 };
  gboolean ok;
  lxw_error err;

  state.workbook = workbook_new_opt (path, &options);
  if (state.workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create the workbook %s", path);
      return FALSE;
    }
  state.sheet = workbook_add_worksheet (state.workbook, "Leads");
  state.header = workbook_add_format (state.workbook);
  format_set_bold (state.header);
  format_set_bottom (state.header, LXW_BORDER_THIN);
  state.text = workbook_add_format (state.workbook);
  format_set_num_format (state.text, "@");
  state.time = workbook_add_format (state.workbook);
  format_set_num_format (state.time, "yyyy-mm-dd hh:mm:ss \"UTC\"");

  ok = tp_export_table (store, event, header_cb, row_cb, &state, NULL, error);
  if (ok && state.columns && state.columns->len > 0)
    worksheet_autofilter (state.sheet, 0, 0, state.row - 1, state.columns->len - 1);
  err = workbook_close (state.workbook);
  g_clear_pointer (&state.columns, g_ptr_array_unref);
  return ok && check (err, path, error);
}
