/* fuzz-mutate.c: one deterministic random edit of an input, shared by the replayed harnesses. */
#include "fuzz-mutate.h"

#include <string.h>

/* One random edit: flip, insert, delete or duplicate a span, or splice in a token. */
void
fuzz_mutate (GString *bytes,
             GRand   *rand)
{
  static const char *tokens[] = { "{", "}", "[", "]", "\"", ",", ":", "null", "true", "-1", "1e999", "\\u0000",
                                  "\xff", "\"\":", "99999999999999999999", "\"ko\"", "\"id\"", "[[[[[[",
                                  "\r\n", ";", "=", "BEGIN:VCARD", "END:VCARD", "ENCODING=QUOTED-PRINTABLE:",
                                  "=0D=0A", "MECARD:", ";;", "\\", "-", "O", "I", "https://", "\x00" };
  guint len = bytes->len;
  guint at = len ? g_rand_int_range (rand, 0, len) : 0;
  guint span = g_rand_int_range (rand, 1, 64);  /* MIN evaluates twice: draw it once. */

  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      if (len)
        bytes->str[at] ^= 1 << g_rand_int_range (rand, 0, 8);
      break;
    case 1:
      {
        const char *t = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];
        g_string_insert_len (bytes, at, t, MAX (strlen (t), 1));
        break;
      }
    case 2:
      if (len)
        g_string_erase (bytes, at, MIN (span % 16 + 1, len - at));
      break;
    case 3:
      if (len)
        {
          guint n = MIN (span, len - at);
          g_autofree char *copy = g_memdup2 (bytes->str + at, n);
          g_string_insert_len (bytes, g_rand_int_range (rand, 0, len), copy, n);
        }
      break;
    default:
      if (len)
        g_string_truncate (bytes, at);
      break;
    }
}

