/* fuzz-json.c: the strict JSON check from hostile bytes: never a crash; whatever it accepts,
 * json-glib parses, and every refusal names a path. */
#include "fuzz.h"

#include "tp-json-strict.h"

const char *fuzz_name = "json";
const guint fuzz_rounds = 30000;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tp_json_parse_strict ((const char *) data, size, &error);

  if (node == NULL)
    {
      g_assert_nonnull (error);
      if (error->domain != TP_JSON_ERROR)
        g_printerr ("json-glib refused what the strict check accepted: %.*s\n%s\n", (int) size, data, error->message);
      g_assert_true (error->domain == TP_JSON_ERROR);
    }
  return 0;
}
