/* bench-coupon.c: the cost of a coupon at capture time: issuing (sign + encode) and encoding
 * its QR (libqrencode, level M). Target: p99 ≤ 1 ms a coupon. */
#include "tp-coupon.h"
#include "tp-data-resources.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

#define WARM_UP     1000
#define ITERATIONS  10000

static int
compare (const void *a,
         const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* One coupon: what the capture transaction and the reward screen do for every visitor. */
static gsize
one_coupon (TpEvent   *event,
            guint64    seq,
            GDateTime *now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCoupon) coupon = tp_coupon_issue (event, "welcome-10", 4821, seq, now, &error);
  g_autofree char *payload = NULL;
  QRcode *qr;
  gsize width;

  if (coupon == NULL)
    g_error ("Issuing failed: %s", error->message);
  payload = tp_coupon_payload (event, coupon->code);
  qr = QRcode_encodeString (payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    g_error ("QR encoding failed");
  width = qr->width;
  QRcode_free (qr);
  return width;
}

static void
run (const char *label,
     TpEvent    *event)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gint64 *times = g_new (gint64, ITERATIONS);
  gsize width = 0;
  double p50, p99, max;

  for (guint i = 0; i < WARM_UP; i++)
    width = one_coupon (event, i + 1, now);
  for (guint i = 0; i < ITERATIONS; i++)
    {
      gint64 start = g_get_monotonic_time ();

      width = one_coupon (event, WARM_UP + i + 1, now);
      times[i] = g_get_monotonic_time () - start;
    }
  qsort (times, ITERATIONS, sizeof *times, compare);
  p50 = times[ITERATIONS / 2];
  p99 = times[ITERATIONS * 99 / 100 - 1];
  max = times[ITERATIONS - 1];
  printf ("coupon issue + QR (%s, %zu modules): %d iterations, p50 %.0f µs, p99 %.0f µs, max %.0f µs: "
          "p99 %s 1 ms\n", label, width, ITERATIONS, p50, p99, max, p99 <= 1000 ? "≤" : ">");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TpEvent) demo = tp_event_new_demo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TpEvent) with_url = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  gsize length;

  run ("bare code", demo);

  /* The same with a URL template, the longer payload a phone opens. */
  bytes = g_resource_lookup_data (tp_data_get_resource (), "/io/github/touchpoint/Kiosk/demo-event.json", 0, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, &length), -1, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                                "coupon"),
                                 "url", "https://maru-tea.example/c/{code}");
  text = json_to_string (json_parser_get_root (parser), FALSE);
  with_url = tp_event_new_from_data (text, -1, "bench", &error);
  g_assert_no_error (error);
  run ("URL", with_url);
  return 0;
}
