/* fuzz-badge.c: a badge scanner's burst (vCard 3.0/4.0, MECARD) from hostile bytes: parsed or
 * refused with an error, never a crash, and what it yields is valid UTF-8 for the form. */
#include "fuzz.h"

#include "tp-badge.h"

const char *fuzz_name = "badge";
const guint fuzz_rounds = 20000;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpBadge) badge = NULL;

  badge = tp_badge_parse (text, &error);
  if (badge == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  /* From text (what a scanner types), the form gets text. */
  if (g_utf8_validate (text, -1, NULL))
    {
      const char *values[] = { badge->name, badge->family_name, badge->given_name, badge->email, badge->phone,
                               badge->company };

      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        g_assert_true (values[i] == NULL || g_utf8_validate (values[i], -1, NULL));
    }
  return 0;
}
