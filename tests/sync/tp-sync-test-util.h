/* tp-sync-test-util.h: helpers for the sync tests: many leads fast, settings for the fake CRM. */
#pragma once

#include "sync/tp-syncer.h"
#include "tp-fake-crm.h"

G_BEGIN_DECLS

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
