/* tp-export.h: leads out of the store as a table: CSV (RFC 4180, UTF-8 with BOM so Excel shows
 * Korean) or Excel .xlsx with typed cells. */
#pragma once

#include <gio/gio.h>

#include "tp-event.h"
#include "tp-store.h"
#include "tp-store-leads.h"

G_BEGIN_DECLS

/* What a column holds, so that each format writes it as what it is. */
typedef enum
{
  TP_EXPORT_TEXT,     /* Kept as text, even when it looks like a number or a date. */
  TP_EXPORT_NUMBER,   /* A whole number: seq, ratings, NPS. */
  TP_EXPORT_TIME,     /* A UTC time; the text is ISO 8601. */
} TpExportKind;

typedef struct
{
  char         *name;   /* The header: "lead_id", "phone", "consent_marketing", ... */
  TpExportKind  kind;
} TpExportColumn;

typedef struct
{
  char      *text;    /* NULL when empty; the CSV's cell, and the value of TEXT cells. */
  gint64     number;  /* NUMBER */
  GDateTime *time;    /* TIME, in UTC */
} TpExportCell;

/* Called once with the columns (TpExportColumn), then once per lead with one cell per column;
 * FALSE with error stops the export. */
typedef gboolean (*TpExportHeaderFunc) (GPtrArray           *columns,
                                        gpointer             user_data,
                                        GError             **error);
typedef gboolean (*TpExportRowFunc)    (const TpExportCell  *cells,
                                        gpointer             user_data,
                                        GError             **error);

/* Walks every lead as a table. The columns: id, seq, capture time, event, locale, fields,
 * consent decisions and versions, answers, tags, offer, coupon. They follow event, then come
 * the ids that only leads of other events use (the store may hold several events' leads, or
 * the admin may pass another --event): nothing is dropped. Phone numbers are given in the
 * national form the visitor typed (010-1234-5678), not as E.164 digits that spreadsheets read
 * as a number. */
gboolean tp_export_table (TpStore            *store,
                          TpEvent            *event,
                          TpExportHeaderFunc  header_func,
                          TpExportRowFunc     row_func,
                          gpointer            user_data,
                          GCancellable       *cancellable,
                          GError            **error);

/* One row per lead, as CSV. */
gboolean tp_export_csv  (TpStore        *store,
                         TpEvent        *event,
                         GOutputStream  *out,
                         GError        **error);
/* The same on the store's thread, which writes to out until the callback (in the caller's
 * thread-default context): leave out alone until then. Cancelling stops between two leads;
 * what was written stays written (write through a TpAtomicFile and drop it to keep the old
 * file). */
void     tp_export_csv_async  (TpStore              *store,
                               TpEvent              *event,
                               GOutputStream        *out,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data);
gboolean tp_export_csv_finish (TpStore              *store,
                               GAsyncResult         *result,
                               GError              **error);
/* One row per lead in an .xlsx workbook written to path: text stays text (phone numbers keep
 * their leading 0, versions and codes are not turned into dates or numbers), numbers are
 * numbers and times are times; the header row is frozen and has filters. */
gboolean tp_export_xlsx (TpStore        *store,
                         TpEvent        *event,
                         const char     *path,
                         GError        **error);

/* Writes contents as the one member of an AES-256 encrypted zip archive at zip_path (0600),
 * which 7-Zip and Bandizip open with password. */
gboolean tp_export_zip  (const char     *zip_path,
                         const char     *member,
                         GBytes         *contents,
                         const char     *password,
                         GError        **error);

/* Appends value as one RFC 4180 field; also neutralises formula injection (=, +, -, @). */
void     tp_csv_append_field (GString    *line,
                              const char *value);
/* +821012345678 → 010-1234-5678 (Korean numbers); any other value is returned as it is. */
char    *tp_phone_format_national (const char *e164);

G_END_DECLS
