/* tp-search-text.h: the text side of lead search: folding, the indexed document of a lead,
 * a typed query split into terms, and the SQLite functions and FTS5 tokenizer behind them. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Separates the parts of a document: no term can contain it, so no match spans two parts. */
#define TP_SEARCH_SEPARATOR "\x1f"

/* Terms of this many characters or more are found through the trigram index; shorter ones
 * through the index of every one- and two-character piece. */
#define TP_SEARCH_TRIGRAM_MIN 3

/* text as it is indexed and searched: NFKC, case-folded, control characters as spaces. */
char      *tp_search_fold          (const char  *text);

/* The document indexed for one lead, from its personal fields (parallel arrays of n field
 * ids and values, in any order): each value folded, and a phone number in E.164 also as its
 * digits ("821023456789") and, for Korea, its national form ("01023456789"). */
char      *tp_search_document      (const char * const *field_ids,
                                    const char * const *values,
                                    guint               n);

/* What was typed, as FTS5 queries: trigram_match for terms of 3 or more characters and
 * short_match for shorter ones, each NULL when there is no such term. Terms are separated by
 * white space and must all match; each is a quoted FTS5 phrase, so that nothing typed is
 * taken as query syntax. Something that looks like a phone number ("2345-6789",
 * "+82 10 2345 6789") is one term of its digits. Returns FALSE when nothing is to be
 * searched for (blank text). */
gboolean   tp_search_parse         (const char  *text,
                                    char       **trigram_match,
                                    char       **short_match);

/* Registers on db what the search index's SQL needs: the aggregate tp_search_doc(field_id,
 * value) and the FTS5 tokenizer tp_short. Every connection that writes personal data must
 * have them (the index is kept by triggers). */
gboolean   tp_search_register      (sqlite3     *db,
                                    GError     **error);

G_END_DECLS
