/* fuzz-csv.c: one CSV field from hostile bytes: the field is one RFC 4180 field (quoted when it
 * holds a quote, comma or line break; quotes doubled), and a cell never starts with =, +, -, @,
 * a tab or a carriage return (which a spreadsheet runs as a formula) unless it is a plain
 * signed number such as a phone number in E.164. */
#include "fuzz.h"

#include "tp-export.h"

#include <string.h>

const char *fuzz_name = "csv";
const guint fuzz_rounds = 20000;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = g_strndup ((const char *) data, size);
  g_autoptr(GString) line = g_string_new (NULL);
  const char *p;

  tp_csv_append_field (line, value);
  if (line->str[0] == '"')
    {
      /* Quoted: closed at the end, and every quote inside doubled. */
      g_assert_cmpuint (line->len, >=, 2);
      g_assert_cmpint (line->str[line->len - 1], ==, '"');
      for (p = line->str + 1; p < line->str + line->len - 1; p++)
        if (*p == '"')
          {
            g_assert_cmpint (p[1], ==, '"');
            p++;
          }
      p = line->str + 1;
    }
  else
    {
      /* Unquoted: nothing that would end or split the field. */
      g_assert_null (strpbrk (line->str, "\",\r\n"));
      p = line->str;
    }
  if (*p != '\0' && strchr ("=+-@\t\r", *p) != NULL)
    {
      const char *end = line->str[0] == '"' ? line->str + line->len - 1 : line->str + line->len;

      for (p++; p < end; p++)
        g_assert_true (g_ascii_isdigit (*p));
    }
  return 0;
}
