/* tp-store-leads.h: reading stored leads back, with their fields, consents, answers and tags. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* One stored lead with everything that belongs to it. */
typedef struct
{
  gint64      rowid;
  char       *lead_id;
  char       *event_id;
  char       *kiosk_id;
  gint64      seq;
  char       *locale;
  char       *captured_at;
  char       *offer;
  char       *erased_at;     /* NULL unless erased. */
  GHashTable *fields;        /* id → value */
  GHashTable *consents;      /* purpose → TpConsentRecord (the latest decision) */
  GHashTable *answers;       /* question id → TpAnswer */
  char      **tags;
  char       *coupon_code;
  char       *coupon_expires_at;
} TpLeadRecord;

typedef struct
{
  char     *purpose;
  gboolean  granted;
  char     *version;
  char     *text_sha256;
  char     *locale;
  char     *recorded_at;
} TpConsentRecord;

void          tp_consent_record_free (TpConsentRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpConsentRecord, tp_consent_record_free)

void          tp_lead_record_free    (TpLeadRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLeadRecord, tp_lead_record_free)

TpLeadRecord *tp_store_get_lead      (TpStore      *self,
                                      const char   *lead_id,
                                      GError      **error);
/* Returns FALSE from the callback to stop early. */
typedef gboolean (*TpLeadFunc) (TpLeadRecord *record,
                                gpointer      user_data);
gboolean      tp_store_foreach_lead  (TpStore      *self,
                                      TpLeadFunc    func,
                                      gpointer      user_data,
                                      GError      **error);
gint64        tp_store_count_leads   (TpStore      *self,
                                      GError      **error);
/* The distinct ids that stored leads use, sorted: kind is "fields", "consents" or "answers".
 * An export made with another event's definition still finds a column for every value. */
char        **tp_store_list_used_ids (TpStore      *self,
                                      const char   *kind,
                                      GError      **error);

G_END_DECLS
