/* tp-search-text.c: the text side of lead search: folding, the indexed document of a lead,
 * a typed query split into terms, and the SQLite functions and FTS5 tokenizer behind them. */
#define G_LOG_DOMAIN "tp-search"

#include "tp-search-text.h"
#include "tp-store.h"

#include <stdlib.h>
#include <string.h>

char *
tp_search_fold (const char *text)
{
  g_autofree char *folded = NULL;
  char *normalized;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  folded = g_utf8_casefold (text, -1);
  normalized = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return g_strdup ("");
  /* The separator and any other control character must never be part of a term. */
  for (char *c = normalized; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      *c = ' ';
  return normalized;
}

/* "+821023456789": a plus and digits only, as phone numbers are stored. */
static gboolean
is_e164 (const char *value)
{
  gsize n = strlen (value);

  if (n < 8 || value[0] != '+')
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  return TRUE;
}

typedef struct
{
  const char *id;
  const char *value;
} Pair;

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a, *pb = b;
  int by_id = g_strcmp0 (pa->id, pb->id);

  return by_id != 0 ? by_id : g_strcmp0 (pa->value, pb->value);
}

char *
tp_search_document (const char * const *field_ids,
                    const char * const *values,
                    guint               n)
{
  g_autofree Pair *pairs = g_new0 (Pair, MAX (n, 1));
  GString *doc = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    pairs[i] = (Pair) { field_ids[i], values[i] };
  /* The same fields make the same document whatever order they are read in. */
  qsort (pairs, n, sizeof (Pair), compare_pairs);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *folded = NULL;

      if (pairs[i].value == NULL || *pairs[i].value == '\0')
        continue;
      folded = tp_search_fold (pairs[i].value);
      if (doc->len > 0)
        g_string_append (doc, TP_SEARCH_SEPARATOR);
      g_string_append (doc, folded);
      if (is_e164 (pairs[i].value))
        {
          /* Typed digits find the number with or without its country code. */
          g_string_append (doc, TP_SEARCH_SEPARATOR);
          g_string_append (doc, pairs[i].value + 1);
          if (g_str_has_prefix (pairs[i].value, "+82"))
            {
              g_string_append (doc, TP_SEARCH_SEPARATOR "0");
              g_string_append (doc, pairs[i].value + 3);
            }
        }
    }
  return g_string_free (doc, FALSE);
}

/* Digits with the separators people type in phone numbers, and at most a leading plus. */
static gboolean
looks_like_phone (const char *text)
{
  gboolean digit = FALSE;
  const char *c = text;

  while (g_ascii_isspace (*c))
    c++;
  if (*c == '+')
    c++;
  for (; *c; c++)
    {
      if (g_ascii_isdigit (*c))
        digit = TRUE;
      else if (!strchr (" -.()/", *c) && !g_ascii_isspace (*c))
        return FALSE;
    }
  return digit;
}

static void
append_phrase (GString    *match,
               const char *term)
{
  if (match->len > 0)
    g_string_append (match, " AND ");
  g_string_append_c (match, '"');
  for (const char *c = term; *c; c++)
    {
      /* Inside an FTS5 string a double quote is written twice; nothing else is special. */
      if (*c == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *c);
    }
  g_string_append_c (match, '"');
}

gboolean
tp_search_parse (const char  *text,
                 char       **trigram_match,
                 char       **short_match)
{
  g_autofree char *folded = tp_search_fold (text);
  g_autoptr(GString) trigram = g_string_new (NULL);
  g_autoptr(GString) shorter = g_string_new (NULL);
  g_auto(GStrv) terms = NULL;

  *trigram_match = NULL;
  *short_match = NULL;
  if (looks_like_phone (folded))
    {
      GString *digits = g_string_new (NULL);

      for (const char *c = folded; *c; c++)
        if (g_ascii_isdigit (*c))
          g_string_append_c (digits, *c);
      terms = g_new0 (char *, 2);
      terms[0] = g_string_free (digits, FALSE);
    }
  else
    terms = g_strsplit_set (g_strstrip (folded), " \t\n\r\f\v", -1);

  for (guint i = 0; terms[i]; i++)
    {
      glong length = g_utf8_strlen (terms[i], -1);

      if (length == 0)
        continue;
      append_phrase (length >= TP_SEARCH_TRIGRAM_MIN ? trigram : shorter, terms[i]);
    }
  if (trigram->len > 0)
    *trigram_match = g_string_free (g_steal_pointer (&trigram), FALSE);
  if (shorter->len > 0)
    *short_match = g_string_free (g_steal_pointer (&shorter), FALSE);
  return *trigram_match != NULL || *short_match != NULL;
}

/* ---- tp_search_doc (field_id, value): the document of a lead's personal fields --------- */

typedef struct
{
  GPtrArray *ids;
  GPtrArray *values;
} DocAggregate;

static void
doc_step (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  DocAggregate *agg = sqlite3_aggregate_context (context, sizeof (DocAggregate));

  if (agg == NULL)
    {
      sqlite3_result_error_nomem (context);
      return;
    }
  if (agg->ids == NULL)
    {
      agg->ids = g_ptr_array_new_with_free_func (g_free);
      agg->values = g_ptr_array_new_with_free_func (g_free);
    }
  if (sqlite3_value_type (argv[1]) == SQLITE_NULL)
    return;
  g_ptr_array_add (agg->ids, g_strdup ((const char *) sqlite3_value_text (argv[0])));
  g_ptr_array_add (agg->values, g_strdup ((const char *) sqlite3_value_text (argv[1])));
}

static void
doc_final (sqlite3_context *context)
{
  DocAggregate *agg = sqlite3_aggregate_context (context, 0);
  char *doc;

  if (agg == NULL || agg->ids == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  doc = tp_search_document ((const char * const *) agg->ids->pdata, (const char * const *) agg->values->pdata,
                            agg->ids->len);
  sqlite3_result_text (context, doc, -1, g_free);
  g_clear_pointer (&agg->ids, g_ptr_array_unref);
  g_clear_pointer (&agg->values, g_ptr_array_unref);
}

/* ---- The tp_short tokenizer: every piece of one and two characters ---------------------- */

/* FTS5 wants an object per table; nothing is configurable, so one static instance serves. */
static int short_instance;

static int
short_create (void             *context,
              const char      **args,
              int               n_args,
              Fts5Tokenizer   **out)
{
  *out = (Fts5Tokenizer *) &short_instance;
  return SQLITE_OK;
}

static void
short_delete (Fts5Tokenizer *tokenizer)
{
}

static gboolean
breaks_pieces (gunichar c)
{
  return c == 0x1f || g_unichar_isspace (c);
}

/* A document yields each character and each pair of neighbours (never across white space or
 * a separator: terms hold neither); a query term, which is one or two characters, is itself
 * the one token to look up. detail=none keeps only which leads hold a piece. */
static int
short_tokenize (Fts5Tokenizer *tokenizer,
                void          *context,
                int            flags,
                const char    *text,
                int            n_text,
                int          (*token) (void *, int, const char *, int, int, int))
{
  const char *end = text + n_text;
  const char *previous = NULL;

  if (flags & FTS5_TOKENIZE_QUERY)
    return n_text > 0 ? token (context, 0, text, n_text, 0, n_text) : SQLITE_OK;

  for (const char *c = text; c < end;)
    {
      gunichar u = g_utf8_get_char_validated (c, end - c);
      const char *next;
      int rc;

      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          /* Not UTF-8 (never written by Touchpoint): skip the byte. */
          previous = NULL;
          c++;
          continue;
        }
      next = g_utf8_next_char (c);
      if (breaks_pieces (u))
        {
          previous = NULL;
          c = next;
          continue;
        }
      rc = token (context, 0, c, next - c, c - text, next - text);
      if (rc == SQLITE_OK && previous)
        rc = token (context, 0, previous, next - previous, previous - text, next - text);
      if (rc != SQLITE_OK)
        return rc;
      previous = c;
      c = next;
    }
  return SQLITE_OK;
}

static fts5_api *
fts5_api_of (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return api;
}

gboolean
tp_search_register (sqlite3  *db,
                    GError  **error)
{
  static fts5_tokenizer short_tokenizer = { short_create, short_delete, short_tokenize };
  fts5_api *api;
  int rc;

  rc = sqlite3_create_function_v2 (db, "tp_search_doc", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, NULL, doc_step, doc_final, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO, "Setting up lead search failed: %s",
                   sqlite3_errstr (rc));
      return FALSE;
    }
  api = fts5_api_of (db);
  if (api == NULL || api->iVersion < 2)
    {
      g_set_error_literal (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
                           "Setting up lead search failed: this SQLite has no full-text search (FTS5)");
      return FALSE;
    }
  rc = api->xCreateTokenizer (api, "tp_short", NULL, &short_tokenizer, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO, "Setting up lead search failed: %s",
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}
