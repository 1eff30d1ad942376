/* tp-sync-mapping.h: the field mapping: which CRM property gets which value of a lead. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tp-store.h"

G_BEGIN_DECLS

/* Where a CRM property's value comes from (docs/sync.md lists the source syntax). */
typedef enum
{
  TP_SYNC_SOURCE_FIELD,            /* field.<id> */
  TP_SYNC_SOURCE_NAME_FIRST,       /* name.first: the given name(s) from the "name" field */
  TP_SYNC_SOURCE_NAME_LAST,        /* name.last: the family name */
  TP_SYNC_SOURCE_CONSENT,          /* consent.<purpose>: true or false */
  TP_SYNC_SOURCE_CONSENT_REFUSED,  /* !consent.<purpose>: the opposite (for opt-out fields) */
  TP_SYNC_SOURCE_CONSENT_VERSION,  /* consent.<purpose>.version: the text version decided on */
  TP_SYNC_SOURCE_CONSENT_AT,       /* consent.<purpose>.at: when */
  TP_SYNC_SOURCE_ANSWER,           /* answer.<question> */
  TP_SYNC_SOURCE_ANSWERS,          /* answers: every answer as "question: value" lines */
  TP_SYNC_SOURCE_TAGS,             /* tags, joined by ";" */
  TP_SYNC_SOURCE_OFFER,
  TP_SYNC_SOURCE_COUPON,
  TP_SYNC_SOURCE_COUPON_EXPIRES,   /* coupon.expires_at */
  TP_SYNC_SOURCE_EVENT,
  TP_SYNC_SOURCE_CAPTURED_AT,
  TP_SYNC_SOURCE_LEAD_ID,
  TP_SYNC_SOURCE_KIOSK,
  TP_SYNC_SOURCE_LOCALE,
  TP_SYNC_SOURCE_TEXT,             /* text:<literal> */
} TpSyncSourceKind;

typedef struct
{
  char             *property;   /* The CRM's name for it. */
  TpSyncSourceKind  kind;
  char             *arg;        /* Field, purpose, question or literal; NULL otherwise. */
} TpSyncMapping;

/* Parses "field.email", "consent.marketing.version", ... for property; NULL with error. */
TpSyncMapping *tp_sync_mapping_new        (const char    *property,
                                           const char    *source,
                                           GError       **error);
void          tp_sync_mapping_free        (TpSyncMapping *mapping);
/* The value for one lead, or NULL when the lead has none (the property is then left out). */
JsonNode     *tp_sync_mapping_evaluate    (const TpSyncMapping *mapping,
                                           TpLeadRecord        *record);
/* Splits a full name sensibly: "Jane Q Doe" → Jane Q / Doe; "홍 길동" → 길동 / 홍 (Korean
 * family name first); one word → no given name, the word as family name. */
void          tp_sync_split_name          (const char    *name,
                                           char         **first,
                                           char         **last);

/* A table's keys, sorted (the strings stay owned by the table). */
GPtrArray    *tp_sync_sorted_keys         (GHashTable    *table);

/* The target's default mapping (docs/sync.md); NULL for the webhook, which sends the whole lead. */
GPtrArray    *tp_sync_mapping_defaults    (const char    *target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSyncMapping, tp_sync_mapping_free)

G_END_DECLS
