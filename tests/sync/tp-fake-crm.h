/* tp-fake-crm.h: a loopback CRM for the tests: webhook, HubSpot and Salesforce shapes, with faults. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

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
/* Added to every request (to give a crash test something to kill). */
void        tp_fake_crm_set_latency_ms   (TpFakeCrm   *self,
                                          guint        ms);
/* Keeps every request body (for the benchmark's curl floor). */
void        tp_fake_crm_set_keep_bodies  (TpFakeCrm   *self,
                                          gboolean     keep);
GPtrArray  *tp_fake_crm_take_bodies      (TpFakeCrm   *self);
/* Forgets every record and counter. */
void        tp_fake_crm_reset            (TpFakeCrm   *self);

/* What it holds. "Stores" count how often a lead's record was created: exactly once is 1. */
guint       tp_fake_crm_count_stores     (TpFakeCrm   *self,
                                          const char  *lead_id);
guint       tp_fake_crm_count_deletes    (TpFakeCrm   *self,
                                          const char  *lead_id);
/* Leads currently held (created and not deleted), contacts for HubSpot. */
guint       tp_fake_crm_n_records        (TpFakeCrm   *self);
/* Leads stored more than once: the count of duplicates, which must be 0. */
guint       tp_fake_crm_n_duplicates     (TpFakeCrm   *self);
guint       tp_fake_crm_n_requests       (TpFakeCrm   *self);
guint       tp_fake_crm_n_faults         (TpFakeCrm   *self);
/* The record held for a lead (its properties), or NULL. */
JsonObject *tp_fake_crm_get_record       (TpFakeCrm   *self,
                                          const char  *lead_id);
/* The last request's headers and body, as received. */
char       *tp_fake_crm_last_header      (TpFakeCrm   *self,
                                          const char  *name);
GBytes     *tp_fake_crm_last_body        (TpFakeCrm   *self);

G_END_DECLS
