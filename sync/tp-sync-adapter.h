/* tp-sync-adapter.h: what a CRM adapter does: encode a claimed batch, decode per-record results. */
#pragma once

#include <gio/gio.h>

#include "tp-store-outbox.h"
#include "tp-sync-config.h"
#include "tp-sync-http.h"

G_BEGIN_DECLS

/* One HTTP request for a batch. */
typedef struct
{
  char      *method;
  char      *url;
  GPtrArray *headers;    /* "Name: value"; never the Authorization header */
  GBytes    *body;       /* NULL for none */
} TpSyncRequest;

TpSyncRequest *tp_sync_request_new  (const char    *method,
                                     const char    *url);
void           tp_sync_request_free (TpSyncRequest *request);
/* Serializes a JSON tree as the body, compact, with a JSON content type. */
void           tp_sync_request_set_json (TpSyncRequest *request,
                                         JsonNode      *root);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncRequest, tp_sync_request_free)

typedef enum
{
  TP_SYNC_ITEM_UNREPORTED,  /* The answer said nothing about it: unknown, to send again. */
  TP_SYNC_ITEM_SYNCED,      /* The CRM confirmed this record. */
  TP_SYNC_ITEM_REJECTED,    /* The CRM refused it for good (validation): not to retry. */
  TP_SYNC_ITEM_RETRY,       /* The CRM refused it for now (lock, rate limit): retry later. */
  TP_SYNC_ITEM_DEFER,       /* Left out of this request by the adapter: send in a later batch. */
} TpSyncItemOutcome;

typedef struct
{
  TpSyncItemOutcome  outcome;
  char              *remote_id;  /* SYNCED */
  char              *message;    /* REJECTED, RETRY: the CRM's reason */
} TpSyncItemResult;

void tp_sync_item_result_clear (TpSyncItemResult *result);
void tp_sync_item_result_set   (TpSyncItemResult  *result,
                                TpSyncItemOutcome  outcome,
                                const char        *remote_id,
                                const char        *message);

typedef struct
{
  const char *name;
  guint       max_upserts;      /* Per request. */
  guint       max_deletes;
  gboolean    signs_body;       /* TRUE: the token is an HMAC secret, not a bearer token. */
  gboolean    no_rate_limit;    /* The CRM documents no per-second limit (Salesforce): after the first
                                 * answer, max_in_flight requests go at once. Otherwise the run learns
                                 * the limit from the answers, or doubles what it sends while none is
                                 * told. */
  /* Builds the request for batch; may leave items out by setting their result to DEFER. */
  TpSyncRequest *(*build)  (TpSyncConfig     *config,
                            TpOutboxBatch    *batch,
                            TpSyncItemResult *results,
                            GError          **error);
  /* Reads a 2xx answer (and 404 for deletions) into results for every item not deferred;
   * FALSE with TP_SYNC_ERROR_PROTOCOL when the answer cannot be read at all. */
  gboolean       (*parse)  (TpSyncConfig     *config,
                            TpOutboxBatch    *batch,
                            long              status,
                            GBytes           *body,
                            TpSyncItemResult *results,
                            GError          **error);
  /* The CRM's reason in an error answer, for a person to read (never NULL). */
  char          *(*reason) (long              status,
                            GBytes           *body);
  /* Whether an answer says that the CRM's daily (or org-wide) API limit is used up, or so
   * nearly that the run must stop: then a sentence for a person, and when to run again (Unix
   * ms; 0 when the CRM does not say). NULL: the target has no such limit. */
  gboolean       (*used_up) (TpSyncConfig         *config,
                             const TpSyncResponse *response,
                             char                **sentence,
                             gint64               *resume_ms);
  /* Requests the run may still send before the limit used_up watches: what the CRM's answer
   * says is left (less any share kept for others); -1 when it does not say. NULL: no limit. */
  gint64         (*requests_left) (TpSyncConfig         *config,
                                   const TpSyncResponse *response);
} TpSyncAdapter;

const TpSyncAdapter *tp_sync_adapter_lookup     (const char *target);
const TpSyncAdapter *tp_sync_webhook_adapter    (void);
const TpSyncAdapter *tp_sync_hubspot_adapter    (void);
const TpSyncAdapter *tp_sync_salesforce_adapter (void);

/* Shared by the adapters. */
/* The configured properties of a lead as a JSON object; stringify turns every value into a
 * string (HubSpot's property values are strings). */
JsonNode   *tp_sync_build_properties (TpSyncConfig *config,
                                      TpLeadRecord *record,
                                      gboolean      stringify);
/* Parses a body as JSON; NULL with TP_SYNC_ERROR_PROTOCOL naming what is wrong. */
JsonNode   *tp_sync_parse_json       (GBytes       *body,
                                      GError      **error);
/* Sets the error for an answer that is not JSON; a web page (a wrong --url, a captive portal,
 * a proxy's login page) is named as such. */
void        tp_sync_set_not_json_error (GError     **error,
                                        const char  *data,
                                        gsize        size,
                                        const char  *detail);
/* The base URL without a trailing slash, with path appended. */
char       *tp_sync_join_url         (const char   *base,
                                      const char   *path);
/* Safe readers for answers that may have any shape: NULL, FALSE or -1 when the member is
 * missing or of another type. */
const char *tp_sync_json_string      (JsonObject   *obj,
                                      const char   *member);
JsonObject *tp_sync_json_object      (JsonObject   *obj,
                                      const char   *member);
JsonArray  *tp_sync_json_array       (JsonObject   *obj,
                                      const char   *member);
gboolean    tp_sync_json_true        (JsonObject   *obj,
                                      const char   *member);
/* "HH:MM" in local time when ms is within a day, else the date too: for "run again after". */
char       *tp_sync_format_local     (gint64        ms);
/* A short reason from an error body: its "message", else its first characters. */
char       *tp_sync_reason_from_body (long          status,
                                      GBytes       *body);

G_END_DECLS
