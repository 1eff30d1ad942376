/* tp-store-search.h: finding leads as the console and `touchpoint leads` do: search as you type
 * over their personal fields, filters, a sort order, a page at a time. */
#pragma once

#include <gio/gio.h>

#include "tp-store.h"

G_BEGIN_DECLS

typedef enum
{
  TP_LEAD_SORT_NEWEST,     /* Newest first, in the order the leads were captured: the default. */
  TP_LEAD_SORT_OLDEST,
  TP_LEAD_SORT_NAME,       /* By name (code point order: 가나다, A to Z); leads without one last. */
  TP_LEAD_SORT_NAME_DESC,
} TpLeadSort;

/* A lead's state across the CRM targets, from the deliveries of its upserts. */
typedef enum
{
  TP_LEAD_SYNC_PENDING,    /* Not at every target yet, or no target was synced to yet. */
  TP_LEAD_SYNC_SYNCED,     /* At every target. */
  TP_LEAD_SYNC_REJECTED,   /* A target refused it (the detail says why). */
} TpLeadSyncState;

#define TP_LEAD_SYNC_ANY (-1)

/* "pending", "synced", "rejected". */
const char  *tp_lead_sync_state_to_string   (TpLeadSyncState  state);
gboolean     tp_lead_sync_state_from_string (const char      *text,
                                             TpLeadSyncState *state);

/* Which leads, in which order. Erased leads are never found. */
typedef struct
{
  char        *text;             /* What was typed; NULL or blank: every lead. Any part of the name,
                                  * email, phone or company (any personal field), case-insensitive. */
  char        *tag;              /* Only leads with this tag; NULL: any. */
  char        *offer;            /* Only leads given this offer (its id); NULL: any. */
  char        *consent;          /* A consent purpose ("marketing"): only leads whose latest decision
                                  * on it is consent_granted (no record counts as not granted). */
  gboolean     consent_granted;
  int          sync;             /* A TpLeadSyncState, or TP_LEAD_SYNC_ANY. */
  /* Qualification hooks in here: NULL is any lead, "" is a lead without a rating, anything
   * else a rating. Until ratings are stored every lead is unrated. */
  char        *rating;
  TpLeadSort   sort;
} TpLeadQuery;

TpLeadQuery *tp_lead_query_new              (void);
TpLeadQuery *tp_lead_query_copy             (const TpLeadQuery *query);
void         tp_lead_query_free             (TpLeadQuery       *query);
gboolean     tp_lead_query_equal            (const TpLeadQuery *a,
                                             const TpLeadQuery *b);
/* TRUE when the query has a filter (tag, offer, consent, sync or rating), text aside. */
gboolean     tp_lead_query_has_filter       (const TpLeadQuery *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLeadQuery, tp_lead_query_free)

/* One lead as a list shows it. */
typedef struct
{
  gint64           rowid;        /* Capture order within this store. */
  char            *lead_id;
  gint64           seq;
  char            *captured_at;  /* UTC ISO 8601 */
  char            *name;         /* NULL when the lead has no such field. */
  char            *email;
  char            *phone;        /* E.164 */
  char            *company;
  char           **tags;         /* Sorted; never NULL. */
  char            *offer;
  char            *rating;       /* NULL: not rated (always, until qualification exists). */
  TpLeadSyncState  sync;
} TpLeadRow;

void         tp_lead_row_free               (TpLeadRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLeadRow, tp_lead_row_free)

/* Which of the matches to read. A list keeps the snapshot of its first read, so that leads
 * captured later do not move its pages, and reads those through newer_than. */
typedef struct
{
  gint64   snapshot;        /* Only leads with a row id up to this; 0: no bound. */
  gint64   newer_than;      /* Only leads with a row id above this; 0: no bound. */
  /* Newest and oldest first only: continue after this lead (its row id), so that a page
   * after one already read costs no more than the first; 0: from offset. */
  gint64   after;
  gint64   offset;
  guint    limit;           /* Rows to read; 0 reads none (a count alone). */
  gboolean count;           /* Also count every match (within snapshot and newer_than). */
  /* Nonzero: when the data version (tp_store_get_data_version) still equals this, nothing
   * is read and the page says unchanged. */
  gint64   unless_version;
} TpLeadRange;

typedef struct
{
  gboolean   unchanged;     /* unless_version matched: nothing else was read. */
  gint64     version;       /* The data version the page was read at. */
  gint64     newest;        /* The highest lead row id at that moment (0: no leads). */
  gint64     erased;        /* How many leads were erased by then. */
  gint64     total;         /* Matches, when counted; else -1. */
  GPtrArray *rows;          /* TpLeadRow, in the query's order. */
} TpLeadPage;

void         tp_lead_page_free              (TpLeadPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLeadPage, tp_lead_page_free)

/* Reads one page of the leads query matches, in one read transaction (the counts and rows
 * agree). Fast at 100,000 leads: newest first, a page costs about the same wherever it is. */
TpLeadPage  *tp_store_find_leads            (TpStore            *self,
                                             const TpLeadQuery  *query,
                                             const TpLeadRange  *range,
                                             GError            **error);
/* The same on the store's thread; the callback runs in the caller's thread-default context. */
void         tp_store_find_leads_async      (TpStore            *self,
                                             const TpLeadQuery  *query,
                                             const TpLeadRange  *range,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
TpLeadPage  *tp_store_find_leads_finish     (TpStore            *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Builds the search index again from the personal data as it is now. The index is kept up
 * to date by triggers in the same transaction as each change; this is for after an erasure
 * (the rebuilt index keeps no trace of erased data: the store zeroes what it frees) or
 * should the index ever be damaged. */
gboolean     tp_store_rebuild_search_index  (TpStore            *self,
                                             GError            **error);

G_END_DECLS
