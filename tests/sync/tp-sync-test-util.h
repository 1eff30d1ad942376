/* tp-sync-test-util.h: helpers for the sync tests: many leads fast, settings for the fake CRM. */
#pragma once

#include "sync/tp-syncer.h"
#include "tp-fake-crm.h"

G_BEGIN_DECLS

/* A data folder with a token file, and a fake CRM, for g_test_add. */
typedef struct
{
  char      *dir;
  char      *token_file;
  TpFakeCrm *crm;
} TpSyncFixture;

void          tp_sync_fixture_set_up    (TpSyncFixture *f,
                                         gconstpointer  data);
void          tp_sync_fixture_tear_down (TpSyncFixture *f,
                                         gconstpointer  data);

/* Stores n leads in the store at dir: the first through the real capture, the others as
 * copies of it made in one transaction (distinct ids, emails lead<N>@example.com, coupons).
 * Returns the lead ids in order. */
GPtrArray    *tp_sync_test_fill        (const char *dir,
                                        guint       n);
/* Stores one demo lead with this email (NULL: none) through the real capture; its id. */
char         *tp_sync_test_capture     (const char *dir,
                                        const char *email);
/* A token file (0600) in dir holding the fake's token. */
char         *tp_sync_test_token_file  (const char *dir);
/* Settings for target at the fake: fast backoff, short timeouts. */
TpSyncConfig *tp_sync_test_config      (TpFakeCrm  *crm,
                                        const char *target,
                                        const char *token_file);
/* Runs one sync of the data folder dir with config (taken); the run itself must not fail. */
TpSyncSummary *tp_sync_test_sync       (const char *dir,
                                        TpSyncConfig *config);
/* Writes dir/sync.json, which `touchpoint sync` reads. */
void          tp_sync_test_settings    (const char *dir,
                                        const char *json);
/* Runs `touchpoint sync --data-dir DIR` with the NULL-terminated args after it. */
int           tp_sync_test_cli         (const char         *dir,
                                        const char * const *args,
                                        char              **out,
                                        char              **err);
/* The records in each request body the fake kept (inputs, records or events). */
GArray       *tp_sync_test_batch_sizes (GPtrArray  *bodies);
/* The key the fake CRM holds lead_id's record under: for Salesforce, its email in lower case
 * when it has one (one Lead per person), else the lead id. */
char         *tp_sync_test_key         (const char *dir,
                                        const char *target,
                                        const char *lead_id);
/* States of every outbox row for target, indexed by TpDeliveryState. */
void          tp_sync_test_counts      (const char *dir,
                                        const char *target,
                                        gint64      counts[5]);

/* Every lead of ids is in the fake CRM exactly once, nothing else is, and every local state
 * for target is synced. */
void          tp_sync_test_assert_exactly_once (TpFakeCrm  *crm,
                                                const char *dir,
                                                const char *target,
                                                GPtrArray  *ids);

G_END_DECLS
