/* fuzz-inputs.c: event definitions and submissions from hostile bytes must never crash, and every
 * refusal must name a path. Built as a libFuzzer target with -Dfuzzing (clang), and otherwise as a
 * test that replays deterministic mutations of the demo files. */
#include "tests/tp-test-util.h"
#include "fuzz-mutate.h"

#include "tp-data-resources.h"
#include "tp-json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static TpEvent *demo_event;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *masked = NULL;

  if (demo_event == NULL)
    demo_event = tp_event_new_demo ();

  /* As an event definition: parsed, or refused with "source: path: ..." */
  event = tp_event_new_from_data ((const char *) data, size, "fuzz.json", &error);
  if (event == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "fuzz.json: "));
    }
  else
    {
      g_autoptr(JsonNode) shown = tp_event_to_json (event);
      g_assert_nonnull (shown);
    }
  g_clear_error (&error);

  /* As a submission for the demo event, read the way `touchpoint capture` reads it. */
  /* Not g_memdup2 (data, size + 1): libFuzzer's input has no byte after its end. */
  masked = g_malloc (size + 1);
  memcpy (masked, data, size);
  masked[size] = '\0';
  tp_json_mask_nul_escapes (masked, size);
  if (g_utf8_validate (masked, size, NULL) && tp_json_depth_ok (masked, size) &&
      json_parser_load_from_data (parser, masked, size, NULL))
    {
      g_autoptr(TpSubmission) s = tp_submission_new_from_json (json_parser_get_root (parser), &error);

      if (s)
        {
          g_autoptr(TpValidation) v = NULL;
          g_autoptr(TpSegmentResult) r = NULL;

          if (s->locale == NULL)
            s->locale = g_strdup ("en");
          v = tp_submission_validate (s, demo_event);
          for (guint i = 0; v && i < v->problems->len; i++)
            {
              g_autofree char *text = tp_problem_describe (v->problems->pdata[i], demo_event, "ko");
              g_assert_nonnull (text);
            }
          r = tp_segments_evaluate (demo_event, s->answers);
          g_assert_nonnull (r->offer);
        }
      else
        g_assert_nonnull (error);
    }
  return 0;
}

#ifndef TP_LIBFUZZER

static void
replay (const char *seed_text,
        guint       rounds)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GString) bytes = g_string_new (seed_text);
      guint edits = g_rand_int_range (rand, 1, 6);

      for (guint e = 0; e < edits; e++)
        fuzz_mutate (bytes, rand);
      LLVMFuzzerTestOneInput ((const uint8_t *) bytes->str, bytes->len);
    }
}

static void
test_event_mutations (void)
{
  g_autoptr(GBytes) demo = g_resource_lookup_data (tp_data_get_resource (),
                                                   "/io/github/touchpoint/Kiosk/demo-event.json", 0, NULL);

  replay (g_bytes_get_data (demo, NULL), 20000);
}

static void
test_submission_mutations (void)
{
  g_autofree char *json = tp_test_demo_submission_json ();

  replay (json, 50000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/fuzz/event", test_event_mutations);
  g_test_add_func ("/touchpoint/fuzz/submission", test_submission_mutations);
  return g_test_run ();
}

#endif
