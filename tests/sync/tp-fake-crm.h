/* tp-fake-crm.h: a loopback CRM for the tests: webhook, HubSpot and Salesforce shapes, with faults. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What it answers follows HubSpot's and Salesforce's own API documentation (docs/sync.md names
 * the parts), not this project's client: every HubSpot answer carries X-HubSpot-RateLimit-Max,
 * -Remaining and -Interval-Milliseconds, every Salesforce answer Sforce-Limit-Info; a 429 body
 * has errorType, policyName and correlationId; per-record results carry objectWriteTraceId. */

typedef enum
{
  TP_FAKE_FAULT_500          = 1 << 0,  /* 500, nothing stored. */
  TP_FAKE_FAULT_429          = 1 << 1,  /* 429 with Retry-After (and HubSpot's rate-limit headers). */
  TP_FAKE_FAULT_423          = 1 << 2,  /* 423 Locked. */
  TP_FAKE_FAULT_TIMEOUT      = 1 << 3,  /* No answer until the client gives up; nothing stored. */
  TP_FAKE_FAULT_SLOW_BODY    = 1 << 4,  /* A correct answer, trickled out slowly. */
  TP_FAKE_FAULT_RESET_BEFORE = 1 << 5,  /* Connection reset after reading the request, nothing stored. */
  TP_FAKE_FAULT_RESET_AFTER  = 1 << 6,  /* Stored, then the connection is reset: the answer is lost. */
  TP_FAKE_FAULT_PARTIAL      = 1 << 7,  /* Some records fail for now (207 / per-record errors). */
  TP_FAKE_FAULT_MALFORMED    = 1 << 8,  /* Stored, then an answer that is not JSON. */
} TpFakeFault;

#define TP_FAKE_FAULT_ALL 0x1ff

/* How HubSpot's burst limit behaves (tp_fake_crm_set_rate_limit). */
typedef enum
{
  TP_FAKE_LIMIT_HEADERS     = 1 << 0,  /* X-HubSpot-RateLimit-* on every HubSpot answer. */
  TP_FAKE_LIMIT_ENFORCE     = 1 << 1,  /* A request over the limit gets 429 TEN_SECONDLY_ROLLING. */
  TP_FAKE_LIMIT_RETRY_AFTER = 1 << 2,  /* Such a 429 carries Retry-After (whole seconds). */
} TpFakeLimitFlags;

/* Salesforce's duplicate rule for Leads with the same email. */
typedef enum
{
  TP_FAKE_DUPLICATES_NONE,   /* No rule: duplicates are saved. */
  TP_FAKE_DUPLICATES_ALERT,  /* Alert: refused with DUPLICATES_DETECTED unless the request says allowSave=true. */
  TP_FAKE_DUPLICATES_BLOCK,  /* Block: always refused with DUPLICATES_DETECTED. */
} TpFakeDuplicateRule;

typedef struct _TpFakeCrm TpFakeCrm;

/* Listens on 127.0.0.1 on a free port, in its own threads. */
TpFakeCrm  *tp_fake_crm_new              (void);
void        tp_fake_crm_free             (TpFakeCrm   *self);
guint16     tp_fake_crm_get_port         (TpFakeCrm   *self);
/* The --url for a target: the webhook's endpoint, or the CRM's base address. */
char       *tp_fake_crm_get_url          (TpFakeCrm   *self,
                                          const char  *target);
/* The bearer token (HubSpot, Salesforce) and webhook secret it expects. */
void        tp_fake_crm_set_token        (TpFakeCrm   *self,
                                          const char  *token);
/* Each request meets one of kinds with probability rate, drawn from seed. */
void        tp_fake_crm_set_faults       (TpFakeCrm   *self,
                                          double       rate,
                                          guint        kinds,
                                          guint32      seed);
/* The next count requests meet fault, whatever the rate. */
void        tp_fake_crm_force_fault      (TpFakeCrm   *self,
                                          TpFakeFault  fault,
                                          guint        count);
void        tp_fake_crm_set_retry_after  (TpFakeCrm   *self,
                                          guint        seconds);
/* How long a TIMEOUT fault keeps the client waiting. */
void        tp_fake_crm_set_stall_ms     (TpFakeCrm   *self,
                                          guint        ms);
/* Added to every answer: a CRM on the Internet takes 100 ms or more. */
void        tp_fake_crm_set_latency_ms   (TpFakeCrm   *self,
                                          guint        ms);
/* A random latency for each answer, from min_ms to max_ms. */
void        tp_fake_crm_set_latency_range (TpFakeCrm  *self,
                                           guint       min_ms,
                                           guint       max_ms);
/* HubSpot's burst limit: max requests in any interval_ms, counted as they arrive (default:
 * 100 in 10,000 ms, headers only, as a private app on a free account has). */
void        tp_fake_crm_set_rate_limit   (TpFakeCrm   *self,
                                          guint        max,
                                          guint        interval_ms,
                                          guint        flags);
/* HubSpot's daily limit: after max requests, 429 with policyName DAILY (0: none). */
void        tp_fake_crm_set_daily_limit  (TpFakeCrm   *self,
                                          guint        max);
/* Salesforce's daily API requests: used so far and the org's limit; past it, 403
 * REQUEST_LIMIT_EXCEEDED. Each request counts. */
void        tp_fake_crm_set_api_usage    (TpFakeCrm   *self,
                                          guint        used,
                                          guint        max);
/* What HubSpot's results repeat: the properties sent, and objectWriteTraceId (both by default). */
void        tp_fake_crm_set_hubspot_echo (TpFakeCrm   *self,
                                          gboolean     properties,
                                          gboolean     trace_ids);
void        tp_fake_crm_set_duplicate_rule (TpFakeCrm          *self,
                                            TpFakeDuplicateRule  rule);
/* A Lead someone made by hand in Salesforce (no external id); returns its Id. */
char       *tp_fake_crm_add_salesforce_lead (TpFakeCrm  *self,
                                             const char *email);
/* The next count requests that come on a connection used before are read and then dropped
 * unanswered (as a server closing an idle connection does): a client resends them. */
void        tp_fake_crm_drop_on_reuse    (TpFakeCrm   *self,
                                          guint        count);
/* Keeps every request body (for the benchmark's curl floor). */
void        tp_fake_crm_set_keep_bodies  (TpFakeCrm   *self,
                                          gboolean     keep);
GPtrArray  *tp_fake_crm_take_bodies      (TpFakeCrm   *self);
/* Forgets every record and counter. */
void        tp_fake_crm_reset            (TpFakeCrm   *self);

/* What it holds, by the record's key: the lead id (webhook, HubSpot's touchpoint_lead_id when
 * the contact was created) or the value of Salesforce's external id field. "Stores" count how
 * often a record was created: exactly once is 1. */
guint       tp_fake_crm_count_stores     (TpFakeCrm   *self,
                                          const char  *key);
guint       tp_fake_crm_count_deletes    (TpFakeCrm   *self,
                                          const char  *key);
/* Records currently held (created and not deleted), contacts for HubSpot. */
guint       tp_fake_crm_n_records        (TpFakeCrm   *self);
/* Records created more than once: the count of duplicates, which must be 0. */
guint       tp_fake_crm_n_duplicates     (TpFakeCrm   *self);
/* Requests received, including those answered with an error or not at all. */
guint       tp_fake_crm_n_requests       (TpFakeCrm   *self);
guint       tp_fake_crm_n_faults         (TpFakeCrm   *self);
/* Requests refused for a rate limit (429 TEN_SECONDLY_ROLLING or DAILY). */
guint       tp_fake_crm_n_rate_limited   (TpFakeCrm   *self);
/* Connections accepted, and the most requests it was handling at once. */
guint       tp_fake_crm_n_connections    (TpFakeCrm   *self);
guint       tp_fake_crm_max_concurrent   (TpFakeCrm   *self);
/* The record held under key (its properties), or NULL. */
JsonObject *tp_fake_crm_get_record       (TpFakeCrm   *self,
                                          const char  *key);
/* The last request's headers and body, as received. */
char       *tp_fake_crm_last_header      (TpFakeCrm   *self,
                                          const char  *name);
GBytes     *tp_fake_crm_last_body        (TpFakeCrm   *self);

G_END_DECLS
