/* tp-draw.c: the draw's arithmetic (fingerprint, bias-free pick) and masking; no store here. */
#define G_LOG_DOMAIN "tp-draw"

#include "tp-draw.h"
#include "tp-export.h"

#include <sodium.h>
#include <string.h>

char *
tp_draw_fingerprint (const char * const *sorted_entries)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; sorted_entries[i]; i++)
    {
      g_checksum_update (sum, (const guchar *) sorted_entries[i], -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static guint64
draw_number (const guint8 *seed,
             const char   *prize,
             guint64       counter)
{
  g_autofree char *message = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, prize, counter);
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  guint64 r = 0;

  crypto_auth_hmacsha256 (mac, (const guchar *) message, strlen (message), seed);
  for (guint i = 0; i < 8; i++)
    r = (r << 8) | mac[i];
  return r;
}

char **
tp_draw_pick (const guint8       *seed,
              const char         *prize,
              const char * const *sorted_entries,
              guint               n)
{
  g_autoptr(GPtrArray) left = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) winners = g_strv_builder_new ();
  guint64 counter = 0;
  guint won = 0;

  for (guint i = 0; sorted_entries[i]; i++)
    g_ptr_array_add (left, (gpointer) sorted_entries[i]);
  while (won < n && left->len > 0)
    {
      guint64 m = left->len;
      /* excess = 2^64 mod m: numbers from 2^64 - excess up would favour the first entries. */
      guint64 excess = (G_MAXUINT64 % m + 1) % m;
      guint64 r = draw_number (seed, prize, counter++);
      guint index;

      if (excess != 0 && r > G_MAXUINT64 - excess)
        continue;
      index = r % m;
      g_strv_builder_add (winners, left->pdata[index]);
      g_ptr_array_remove_index (left, index);
      won++;
    }
  return g_strv_builder_end (winners);
}

char *
tp_draw_mask_name (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup ("");
  words = g_strsplit (name, " ", -1);
  for (guint w = 0; words[w]; w++)
    {
      glong n = g_utf8_strlen (words[w], -1);
      const char *p = words[w];

      if (w)
        g_string_append_c (out, ' ');
      for (glong i = 0; i < n; i++, p = g_utf8_next_char (p))
        {
          gboolean hangul = g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
          /* Korean names keep their first and last syllable (홍*동, 김*); others their first letter. */
          gboolean keep = i == 0 || (hangul && n >= 3 && i == n - 1);

          if (keep)
            g_string_append_unichar (out, g_utf8_get_char (p));
          else
            g_string_append_c (out, '*');
        }
      if (n == 1 && g_utf8_strlen (name, -1) == 1)
        g_string_assign (out, "*");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tp_draw_mask_email (const char *email)
{
  const char *at = email ? strrchr (email, '@') : NULL;

  if (at == NULL || at == email)
    return g_strdup (email && *email ? "***" : "");
  return g_strdup_printf ("%.*s***%s", (int) (g_utf8_next_char (email) - email), email, at);
}

char *
tp_draw_mask_phone (const char *phone)
{
  g_autofree char *national = tp_phone_format_national (phone);
  gsize n;

  if (national == NULL || *national == '\0')
    return g_strdup ("");
  n = strlen (national);
  /* 010-1234-5678 → 010-****-5678: the middle group hidden; anything else, all but the end. */
  if (n == 13 && national[3] == '-' && national[8] == '-')
    return g_strdup_printf ("%.3s-****-%s", national, national + 9);
  if (n > 4)
    {
      g_autofree char *stars = g_strnfill (n - 4, '*');

      return g_strconcat (stars, national + n - 4, NULL);
    }
  return g_strdup ("****");
}
