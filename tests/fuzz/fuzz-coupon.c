/* fuzz-coupon.c: typed or scanned coupon codes from hostile bytes: normalised to the canonical
 * form or refused, and verified against the demo event without a crash; whatever verifies must
 * normalise to itself and verify again. */
#include "fuzz.h"

#include "tp-coupon.h"

#include <string.h>

const char *fuzz_name = "coupon";
const guint fuzz_rounds = 20000;

static TpEvent *demo_event;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *typed = g_strndup ((const char *) data, size);
  g_autofree char *normal = NULL;
  g_autoptr(TpCoupon) coupon = NULL;
  g_autoptr(GError) error = NULL;

  if (demo_event == NULL)
    demo_event = tp_event_new_demo ();
  normal = tp_coupon_normalize (typed);
  if (normal)
    {
      g_autofree char *again = tp_coupon_normalize (normal);

      /* The canonical form is a fixed point. */
      g_assert_cmpstr (again, ==, normal);
    }
  coupon = tp_coupon_verify (demo_event, typed, &error);
  if (coupon == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  {
    g_autoptr(TpCoupon) twice = tp_coupon_verify (demo_event, coupon->code, NULL);

    g_assert_nonnull (twice);
    g_assert_cmpstr (twice->code, ==, coupon->code);
  }
  return 0;
}
