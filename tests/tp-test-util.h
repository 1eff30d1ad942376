/* tp-test-util.h: helpers shared by the tests: temporary data folders, demo submissions. */
#pragma once

#include "tp-event.h"
#include "tp-lead.h"
#include "tp-store.h"

G_BEGIN_DECLS

/* A fresh folder under the test's temporary directory; removed by tp_test_rmdir. */
char         *tp_test_mkdtemp             (void);
void          tp_test_rmdir               (const char *path);
/* A complete, valid submission for the demo event (all required fields, answers, consents). */
TpSubmission *tp_test_demo_submission     (void);
/* Its JSON form for `touchpoint capture`. */
char         *tp_test_demo_submission_json (void);
/* Runs the touchpoint binary; returns the exit status, captures stdout and stderr. */
int           tp_test_run                 (const char * const *argv,
                                           const char         *stdin_text,
                                           char              **out,
                                           char              **err);

/* A fresh data folder with an open store and the demo event, for g_test_add. */
typedef struct
{
  char    *dir;
  TpStore *store;
  TpEvent *event;
} TpStoreFixture;

void          tp_store_fixture_set_up     (TpStoreFixture *f,
                                           gconstpointer   data);
void          tp_store_fixture_tear_down  (TpStoreFixture *f,
                                           gconstpointer   data);

G_END_DECLS
