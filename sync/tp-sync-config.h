/* tp-sync-config.h: the sync settings (sync.json and the command line) and the sync error domain. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tp-store.h"
#include "tp-sync-mapping.h"

G_BEGIN_DECLS

#define TP_SYNC_ERROR (tp_sync_error_quark ())
GQuark tp_sync_error_quark (void);

typedef enum
{
  TP_SYNC_ERROR_CONFIG,       /* Bad settings: the message names the file and key or the option. */
  TP_SYNC_ERROR_TOKEN,        /* The token file is missing, empty or readable by others. */
  TP_SYNC_ERROR_UNREACHABLE,  /* No connection to the CRM (network down, DNS, refused). */
  TP_SYNC_ERROR_TLS,          /* The CRM's certificate could not be verified. */
  TP_SYNC_ERROR_AUTH,         /* The CRM refused the token (401, 403). */
  TP_SYNC_ERROR_TRANSIENT,    /* Timeout, reset, partial answer: the CRM may or may not have it. */
  TP_SYNC_ERROR_PROTOCOL,     /* The CRM answered something that cannot be read. */
  TP_SYNC_ERROR_CANCELLED,
  TP_SYNC_ERROR_BUSY,         /* Another sync of the same data folder is running. */
} TpSyncError;

typedef struct
{
  char      *target;           /* "webhook", "hubspot" or "salesforce" */
  char      *url;              /* The webhook's endpoint, or the CRM's base URL. */
  char      *token_file;
  char      *ca_file;          /* NULL: the system's certificates. */
  guint      batch_size;       /* 0: the CRM's maximum. */
  guint      connect_timeout;  /* Seconds. */
  guint      low_speed_time;   /* Abort a transfer slower than low_speed_limit bytes/s for this long. */
  guint      low_speed_limit;
  guint      timeout;          /* Seconds for one whole request. */
  guint      backoff_base_ms;
  guint      backoff_max_ms;
  guint      max_wait;         /* Seconds one run waits for retries that are due later before it stops. */
  guint      max_attempts;     /* Sends of a record the CRM never reports on before it is rejected. */
  guint      max_in_flight;    /* Requests in the air at most; 0: the target's default. */
  char      *hubspot_id_property;
  char      *salesforce_api_version;
  char      *salesforce_external_id;
  char      *salesforce_default_company;
  char      *salesforce_duplicate_header;  /* Sforce-Duplicate-Rule-Header's value; NULL: none. */
  guint      salesforce_api_reserve;       /* Percent of the org's daily API requests left to others. */
  GPtrArray *mapping;          /* TpSyncMapping; NULL: the target's default mapping. */
  char      *source;           /* The settings file, for messages; NULL when there is none. */
} TpSyncConfig;

TpSyncConfig *tp_sync_config_new          (void);
void          tp_sync_config_free         (TpSyncConfig  *config);
/* Reads a sync.json over the defaults; bad values are named "FILE: key: problem". */
TpSyncConfig *tp_sync_config_load         (const char    *path,
                                           GError       **error);
/* Checks the whole (after command-line overrides): target, URL (https, or http to loopback
 * only), token file present when needed, limits. */
gboolean      tp_sync_config_validate     (TpSyncConfig  *config,
                                           gboolean       need_token,
                                           GError       **error);
/* max_in_flight, or the target's default: 64 for HubSpot and Salesforce (HTTP/2 carries them
 * on one connection; HubSpot's window of 100 requests goes out within a few round trips), 8 for
 * a webhook (a small receiver may have few workers). */
guint         tp_sync_config_get_max_in_flight (TpSyncConfig *config);
/* The mapping in force: the configured one or the target's default. */
GPtrArray    *tp_sync_config_get_mapping  (TpSyncConfig  *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncConfig, tp_sync_config_free)

G_END_DECLS
