/* coupon-test-util.h: events, stores and coupons for the coupon tests. */
#pragma once

#include "tests/tp-test-util.h"

G_BEGIN_DECLS

/* The demo event with another time zone and coupon URL (NULL: keep the demo's). */
TpEvent   *coupon_test_event      (const char *timezone,
                                   const char *coupon_url);
/* The demo event's JSON as an object to edit, and an event made from it. */
JsonNode  *coupon_test_demo_json  (void);
TpEvent   *coupon_test_event_from_json (JsonNode *root);
/* Captures the demo submission (with purchase_timing set when not NULL) and returns the
 * stored coupon code; offer and expires_at as stored. */
char      *coupon_test_capture    (TpStore    *store,
                                   TpEvent    *event,
                                   const char *purchase_timing,
                                   GDateTime  *now,
                                   char      **offer,
                                   char      **expires_at);
/* Runs a program, returns its exit status and standard output. */
int        coupon_test_spawn      (const char * const *argv,
                                   char              **out,
                                   char              **err);

G_END_DECLS
