/* tp-store-purge.h: destroying leads whose retention has ended (PIPA Art. 21), with a record. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint  expired;        /* Leads of the event past their retention. */
  guint  purged;         /* Destroyed by this run (0 in a dry run). */
  guint  unsynced;       /* Expired but not (all) in the CRM: kept unless forced. */
  guint  other_events;   /* Leads of other events: their retention is in their own event file. */
  char  *rule;           /* The rule applied, for the record ("captured + 365 days (privacy) ..."). */
} TpPurgeReport;

void     tp_purge_report_clear (TpPurgeReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TpPurgeReport, tp_purge_report_clear)

/* A lead of event is expired once the longest retention (retention_days) of the consents it
 * granted, by their latest decision, has passed since it was captured. Expired leads are
 * erased as on request (the CRM deletion only with event's retention.delete_from_crm); one not
 * synced to every CRM target is kept unless force. A destruction record (when, how many, which
 * event, which rule, by whom; no personal data) and an audit entry commit with the purge. now
 * may be NULL for the current time; with dry_run nothing changes and the report says what
 * would. */
gboolean tp_store_purge         (TpStore        *self,
                                 TpEvent        *event,
                                 GDateTime      *now,
                                 gboolean        dry_run,
                                 gboolean        force,
                                 const char     *actor,
                                 TpPurgeReport  *report,
                                 GError        **error);

/* The same on the store's thread, never forced: what the kiosk runs as it starts. The callback
 * runs in the caller's thread-default context; *purged tells how many went. */
void     tp_store_purge_async   (TpStore             *self,
                                 TpEvent             *event,
                                 const char          *actor,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean tp_store_purge_finish  (TpStore             *self,
                                 GAsyncResult        *result,
                                 guint               *purged,
                                 GError             **error);

typedef struct
{
  char    *at;
  char    *event_id;
  char    *rule;
  gint64   leads;
  gboolean forced;
  char    *actor;
} TpDestruction;

void       tp_destruction_free  (TpDestruction *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpDestruction, tp_destruction_free)
/* Every destruction record, oldest first (TpDestruction). */
GPtrArray *tp_store_list_destructions (TpStore  *self,
                                       GError  **error);

G_END_DECLS
