/* coupon-test-util.c: events, stores and coupons for the coupon tests. */
#include "coupon-test-util.h"

JsonNode *
coupon_test_demo_json (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-event.json", NULL);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

TpEvent *
coupon_test_event_from_json (JsonNode *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  g_autoptr(GError) error = NULL;
  TpEvent *event = tp_event_new_from_data (text, -1, "test", &error);

  g_assert_no_error (error);
  return event;
}

TpEvent *
coupon_test_event (const char *timezone,
                   const char *coupon_url)
{
  g_autoptr(JsonNode) root = coupon_test_demo_json ();
  JsonObject *obj = json_node_get_object (root);

  if (timezone)
    json_object_set_string_member (obj, "timezone", timezone);
  if (coupon_url)
    json_object_set_string_member (json_object_get_object_member (obj, "coupon"), "url", coupon_url);
  return coupon_test_event_from_json (root);
}

char *
coupon_test_capture (TpStore    *store,
                     TpEvent    *event,
                     const char *purchase_timing,
                     GDateTime  *now,
                     char      **offer,
                     char      **expires_at)
{
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(TpLeadRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (purchase_timing)
    tp_submission_set_answer (submission, "purchase_timing", tp_answer_new_string (purchase_timing));
  capture = tp_store_capture (store, event, submission, now, NULL, &error);
  g_assert_no_error (error);
  /* What the store kept, not only what capture said. */
  record = tp_store_get_lead (store, capture->lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->coupon_code, ==, capture->coupon_code);
  if (offer)
    *offer = g_strdup (record->offer);
  if (expires_at)
    *expires_at = g_strdup (record->coupon_expires_at);
  return g_strdup (record->coupon_code);
}

int
coupon_test_spawn (const char * const *argv,
                   char              **out,
                   char              **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL, *e = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out)
    *out = g_steal_pointer (&o);
  if (err)
    *err = g_steal_pointer (&e);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}
