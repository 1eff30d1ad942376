/* tp-fake-crm-private.h: what the fake CRM's server and its three CRM shapes share. */
#pragma once

#include "tp-fake-crm.h"

G_BEGIN_DECLS

#define SF_UPSERT "/services/data/v59.0/composite/sobjects/Lead/Touchpoint_Lead_Id__c"
#define SF_DELETE_BY_KEY "/services/data/v59.0/sobjects/Lead/Touchpoint_Lead_Id__c/"
#define SF_DELETE_BY_ID "/services/data/v59.0/sobjects/Lead/"
#define SF_EXTERNAL_ID "Touchpoint_Lead_Id__c"
#define HS_UPSERT "/crm/v3/objects/contacts/batch/upsert"
#define HS_DELETE "/crm/v3/objects/contacts/gdpr-delete"
#define HS_ID_PROPERTY "touchpoint_lead_id"

struct _TpFakeCrm
{
  GSocket      *listener;
  guint16       port;
  GThread      *acceptor;
  GCancellable *cancellable;
  GMutex        lock;
  GPtrArray    *threads;       /* connection threads, joined at the end */

  /* Settings. */
  char         *token;
  double        fault_rate;
  guint         fault_kinds;
  GRand        *rand;
  TpFakeFault   forced;
  guint         forced_count;
  guint         retry_after;
  guint         stall_ms;
  guint         latency_min_ms;
  guint         latency_max_ms;
  guint         limit_max;
  guint         limit_interval_ms;
  guint         limit_flags;
  guint         daily_max;
  guint         api_used;
  guint         api_max;
  gboolean      echo_properties;
  gboolean      echo_trace_ids;
  TpFakeDuplicateRule duplicates;
  guint         drop_on_reuse;
  gboolean      keep_bodies;
  GPtrArray    *bodies;

  /* State. */
  GHashTable   *records;       /* key → JsonObject (properties) */
  GHashTable   *stores;        /* key → creations */
  GHashTable   *deletes;       /* key → deletions */
  GHashTable   *idempotency;   /* webhook key → Cached */
  GHashTable   *contacts;      /* HubSpot contact id → JsonObject */
  GHashTable   *by_email;      /* HubSpot: folded email → contact id */
  GHashTable   *by_lead;       /* HubSpot: lead id property → contact id */
  GHashTable   *sf_ids;        /* Salesforce external id value → Id */
  GHashTable   *sf_leads;      /* Salesforce Id → JsonObject, every Lead (also those made by hand) */
  GHashTable   *sf_by_email;   /* Salesforce: email in lower case → Id */
  GQueue        arrivals;      /* HubSpot: arrival times (monotonic µs) in the burst window */
  guint         daily_used;
  guint         next_id;
  guint         n_requests;
  guint         n_faults;
  guint         n_rate_limited;
  guint         n_connections;
  guint         in_air;
  guint         max_in_air;
  GHashTable   *last_headers;
  GBytes       *last_body;
};

typedef struct
{
  char       *method;
  char       *path;
  GHashTable *headers;   /* lower-case name → value */
  GBytes     *body;
  JsonNode   *json;      /* The body parsed (outside the lock), or NULL. */
} TpFakeRequest;

typedef struct
{
  int         status;
  GString    *body;
  GPtrArray  *headers;   /* "Name: value" */
  TpFakeFault after;     /* RESET_AFTER, SLOW_BODY or MALFORMED: how to deliver it. */
} TpFakeResponse;

/* The CRM shapes; each is called with the lock held. */
void        tp_fake_webhook_handle           (TpFakeCrm      *self,
                                              TpFakeRequest  *r,
                                              gboolean        partial,
                                              TpFakeResponse *resp);
void        tp_fake_hubspot_handle_upsert    (TpFakeCrm      *self,
                                              TpFakeRequest  *r,
                                              gboolean        partial,
                                              TpFakeResponse *resp);
void        tp_fake_hubspot_handle_delete    (TpFakeCrm      *self,
                                              TpFakeRequest  *r,
                                              TpFakeResponse *resp);
void        tp_fake_salesforce_handle_upsert (TpFakeCrm      *self,
                                              TpFakeRequest  *r,
                                              gboolean        partial,
                                              TpFakeResponse *resp);
void        tp_fake_salesforce_handle_delete (TpFakeCrm      *self,
                                              TpFakeRequest  *r,
                                              TpFakeResponse *resp);

/* Keeps a Lead (and the index of emails) under its Salesforce Id. */
void        tp_fake_salesforce_add_lead      (TpFakeCrm      *self,
                                              const char     *sf_id,
                                              JsonObject     *lead);

/* Helpers. */
void        tp_fake_cached_free              (gpointer        data);
JsonNode   *tp_fake_parse                    (GBytes         *body);
char       *tp_fake_to_string                (JsonNode       *node);
const char *tp_fake_get_string               (JsonObject     *obj,
                                              const char     *member);
void        tp_fake_error_body               (TpFakeResponse *resp,
                                              int             status,
                                              const char     *category,
                                              const char     *message);
void        tp_fake_count                    (GHashTable     *table,
                                              const char     *key);
/* A CRM's own rule, for rejection tests: such addresses are refused. */
gboolean    tp_fake_refused_email            (const char     *email);
/* Refused so badly that the whole request fails (a 400 for the batch, as HubSpot does). */
gboolean    tp_fake_poison_email             (const char     *email);

G_END_DECLS
