/* tp-cli-leads.c: `touchpoint leads [--search TEXT] [--limit N] [--json]`: the leads, newest
 * first, found as the console finds them. */
#define G_LOG_DOMAIN "tp-cli-leads"

#include "tp-audit.h"
#include "tp-cli-commands.h"
#include "tp-cli-common.h"
#include "tp-export.h"
#include "tp-json.h"
#include "tp-store-search.h"

#include <string.h>

#define DEFAULT_LIMIT 50
#define MAX_CELL 28

static void
add_nullable (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* The contract: {"total": N, "leads": [{"lead_id", "seq", "captured_at", "name", "email",
 * "phone", "company", "tags", "offer", "rating"}]}. */
static JsonNode *
page_to_json (const TpLeadPage *page)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  tp_json_add_int (b, "total", page->total);
  json_builder_set_member_name (b, "leads");
  json_builder_begin_array (b);
  for (guint i = 0; i < page->rows->len; i++)
    {
      const TpLeadRow *row = page->rows->pdata[i];

      json_builder_begin_object (b);
      tp_json_add_string (b, "lead_id", row->lead_id);
      tp_json_add_int (b, "seq", row->seq);
      tp_json_add_string (b, "captured_at", row->captured_at);
      add_nullable (b, "name", row->name);
      add_nullable (b, "email", row->email);
      add_nullable (b, "phone", row->phone);
      add_nullable (b, "company", row->company);
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      for (guint t = 0; row->tags[t]; t++)
        json_builder_add_string_value (b, row->tags[t]);
      json_builder_end_array (b);
      add_nullable (b, "offer", row->offer);
      add_nullable (b, "rating", row->rating);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Columns on a terminal: Hangul and other wide characters take two. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *c = text; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (g_unichar_iszerowidth (u))
        continue;
      width += g_unichar_iswide (u) ? 2 : 1;
    }
  return width;
}

/* text cut to at most max columns, with an ellipsis when cut. */
static char *
fit (const char *text,
     guint       max)
{
  GString *out = g_string_new (NULL);
  guint width = 0;

  if (display_width (text) <= max)
    return g_string_free (g_string_append (out, text), FALSE);
  for (const char *c = text; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      guint w = g_unichar_iswide (u) ? 2 : 1;

      if (width + w > max - 1)
        break;
      g_string_append_unichar (out, u);
      width += w;
    }
  g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static char *
local_time (TpEvent    *event,
            const char *utc)
{
  g_autoptr(GDateTime) time = utc ? g_date_time_new_from_iso8601 (utc, NULL) : NULL;
  g_autoptr(GDateTime) local = time ? g_date_time_to_timezone (time, event->tz) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (utc ? utc : "");
}

enum { COL_SEQ, COL_TIME, COL_NAME, COL_EMAIL, COL_PHONE, COL_COMPANY, COL_TAGS, COL_OFFER, N_COLS };

static void
print_table (TpEvent          *event,
             const TpLeadPage *page)
{
  static const char * const headers[N_COLS] = { "#", "Captured", "Name", "Email", "Phone", "Company", "Tags", "Offer" };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  guint widths[N_COLS];

  for (guint c = 0; c < N_COLS; c++)
    widths[c] = display_width (headers[c]);
  for (guint i = 0; i < page->rows->len; i++)
    {
      const TpLeadRow *row = page->rows->pdata[i];
      g_autofree char *tags = g_strjoinv (", ", row->tags);
      g_autofree char *phone = row->phone ? tp_phone_format_national (row->phone) : NULL;
      char *values[N_COLS] = {
        g_strdup_printf ("%" G_GINT64_FORMAT, row->seq),
        local_time (event, row->captured_at),
        fit (row->name ? row->name : "", MAX_CELL),
        fit (row->email ? row->email : "", MAX_CELL),
        g_strdup (phone ? phone : ""),
        fit (row->company ? row->company : "", MAX_CELL),
        fit (tags, MAX_CELL),
        g_strdup (row->offer ? row->offer : ""),
      };

      for (guint c = 0; c < N_COLS; c++)
        {
          widths[c] = MAX (widths[c], display_width (values[c]));
          g_ptr_array_add (cells, values[c]);
        }
    }
  for (guint r = 0; r <= page->rows->len; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < N_COLS; c++)
        {
          const char *text = r == 0 ? headers[c] : cells->pdata[(r - 1) * N_COLS + c];
          guint pad = widths[c] - display_width (text);

          /* The number stands to the right, as numbers do. */
          if (c == COL_SEQ)
            for (guint p = 0; p < pad; p++)
              g_string_append_c (line, ' ');
          g_string_append (line, text);
          if (c != COL_SEQ && c + 1 < N_COLS)
            for (guint p = 0; p < pad; p++)
              g_string_append_c (line, ' ');
          if (c + 1 < N_COLS)
            g_string_append (line, "  ");
        }
      g_print ("%s\n", line->str);
    }
  if (page->total == 1)
    g_print ("\n1 lead\n");
  else if ((gint64) page->rows->len == page->total)
    g_print ("\n%" G_GINT64_FORMAT " leads\n", page->total);
  else
    g_print ("\n%u of %" G_GINT64_FORMAT " leads, newest first (--limit N shows more)\n", page->rows->len, page->total);
}

gboolean
tp_cli_leads (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autofree char *search = NULL;
  int limit = DEFAULT_LIMIT;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      "Only leads whose name, email, phone or company contains TEXT (any case; phone digits with or without dashes)",
      "TEXT" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Show at most N leads (default 50)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpLeadQuery) query = tp_lead_query_new ();
  g_autoptr(TpLeadPage) page = NULL;
  TpLeadRange range = { .count = TRUE };

  g_option_context_set_summary (context, "Lists the leads, newest first, or those a search finds, as the console does.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint leads` takes no arguments (a search goes in --search TEXT)");
  if (limit < 1)
    return tp_cli_fail (error, TP_EXIT_USAGE, "--limit must be a whole number of 1 or more, not %d", limit);
  if (search && !g_utf8_validate (search, -1, NULL))
    return tp_cli_fail (error, TP_EXIT_USAGE, "--search must be UTF-8 text");
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;

  query->text = g_steal_pointer (&search);
  range.limit = limit;
  page = tp_store_find_leads (store, query, &range, error);
  if (page == NULL)
    return FALSE;
  if (as_json)
    {
      g_autoptr(JsonNode) node = page_to_json (page);

      tp_cli_print_json (node);
    }
  else if (page->total == 0)
    g_print (query->text ? "No lead matches.\n" : "No leads yet.\n");
  else
    print_table (event, page);

  /* Personal data was shown: who listed how many leads, in the access log (never the query,
   * which may itself be a name). */
  {
    g_autofree char *actor = tp_audit_os_actor ();
    g_autofree char *detail = g_strdup_printf ("listed %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " leads%s",
                                               (gint64) page->rows->len, (gint64) page->total,
                                               query->text ? " (a search)" : "");
    g_autoptr(GError) local = NULL;

    if (!tp_audit_append (store, actor, TP_AUDIT_VIEW, NULL, detail, &local))
      g_printerr ("touchpoint: warning: the listing is not in the audit log (%s)\n", local->message);
  }
  return TRUE;
}
