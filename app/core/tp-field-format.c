/* tp-field-format.c: the formats of field values (email addresses, phone numbers) and the form
 * each value is stored in. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-field-format.h"
#include "tp-lead-private.h"

#include <string.h>

/* For tests: how many phone numbers were normalized (tp-lead-private.h). */
static guint phone_normalizations;

gboolean
tp_email_is_valid (const char *value)
{
  const char *at, *domain;
  gsize local_len;
  gboolean dot = FALSE, label_start = TRUE;
  const char *last_label = NULL;

  if (value == NULL || strlen (value) > 254)
    return FALSE;
  at = strchr (value, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;
  local_len = at - value;
  if (local_len == 0 || local_len > 64 || value[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *c = value; c < at; c++)
    {
      if (g_ascii_isalnum (*c) || strchr ("!#$%&'*+/=?^_`{|}~-", *c))
        continue;
      if (*c == '.' && c[1] != '.')
        continue;
      return FALSE;
    }
  domain = at + 1;
  if (*domain == '\0' || !g_utf8_validate (domain, -1, NULL))
    return FALSE;
  for (const char *c = domain; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u == '.')
        {
          if (label_start || c[-1] == '-')
            return FALSE;
          dot = TRUE;
          label_start = TRUE;
          continue;
        }
      if (u == '-' && label_start)
        return FALSE;
      if (u != '-' && !g_unichar_isalnum (u))
        return FALSE;
      if (label_start)
        last_label = c;
      label_start = FALSE;
    }
  if (!dot || label_start || last_label == NULL)
    return FALSE;
  /* The top-level domain has letters only, at least two. */
  if (g_utf8_strlen (last_label, -1) < 2)
    return FALSE;
  for (const char *c = last_label; *c; c = g_utf8_next_char (c))
    if (!g_unichar_isalpha (g_utf8_get_char (c)))
      return FALSE;
  return TRUE;
}

/* Digits only, with "+" kept in front; separators (space - . ( ) /) dropped; NULL when other
 * characters are present. */
static char *
phone_digits (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *c = value; *c; c++)
    {
      if (g_ascii_isdigit (*c))
        g_string_append_c (s, *c);
      else if (*c == '+' && s->len == 0 && c == value + strspn (value, " "))
        g_string_append_c (s, '+');
      else if (!strchr (" -.()/", *c))
        return g_string_free (s, TRUE), NULL;
    }
  return g_string_free (s, FALSE);
}

static gboolean
is_korean_national (const char *digits)
{
  gsize n = strlen (digits);

  if (digits[0] != '0')
    return FALSE;
  /* Mobile: 010, 011, 016, 017, 018, 019 with 7 or 8 more digits. */
  if (digits[1] == '1')
    return strchr ("016789", digits[2]) && digits[2] && (n == 10 || n == 11);
  /* Seoul 02 and the other area codes 031-064, and 070 internet phones. */
  if (digits[1] == '2')
    return n == 9 || n == 10;
  if (digits[1] >= '3' && digits[1] <= '7')
    return n == 10 || n == 11;
  return FALSE;
}

/* What a Korean input method or a word processor puts in a number: full-width digits, "＋",
 * "（）" and ideographic spaces (folded by NFKC), and hyphen-like dashes (folded here). */
static char *
phone_fold (const char *value)
{
  g_autofree char *nfkc = g_utf8_normalize (value, -1, G_NORMALIZE_NFKC);
  GString *s;

  if (nfkc == NULL)
    return NULL;
  s = g_string_sized_new (strlen (nfkc));
  for (const char *c = nfkc; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      /* U+2010..2015 hyphens and dashes, U+2212 minus sign. */
      if ((u >= 0x2010 && u <= 0x2015) || u == 0x2212)
        g_string_append_c (s, '-');
      else
        g_string_append_unichar (s, u);
    }
  return g_string_free (s, FALSE);
}

static char *
phone_normalize (const char *value)
{
  g_autofree char *folded = NULL;
  g_autofree char *digits = NULL;
  gsize n;

  if (value == NULL || !g_utf8_validate (value, -1, NULL) || !(folded = phone_fold (value)))
    return NULL;
  digits = phone_digits (folded);
  if (digits == NULL)
    return NULL;
  n = strlen (digits);
  if (digits[0] == '+')
    {
      /* E.164: a country code (not 0) and at most 15 digits in all. */
      if (n < 9 || n > 16 || digits[1] == '0')
        return NULL;
      if (g_str_has_prefix (digits, "+82"))
        {
          g_autofree char *national = g_strconcat ("0", digits + 3 + (digits[3] == '0'), NULL);

          if (!is_korean_national (national))
            return NULL;
          return g_strconcat ("+82", national + 1, NULL);
        }
      return g_steal_pointer (&digits);
    }
  if (g_str_has_prefix (digits, "00") && n >= 10)
    {
      g_autofree char *plus = g_strconcat ("+", digits + 2, NULL);
      return phone_normalize (plus);
    }
  if (is_korean_national (digits))
    return g_strconcat ("+82", digits + 1, NULL);
  return NULL;
}

char *
tp_phone_normalize (const char *value)
{
  g_atomic_int_inc (&phone_normalizations);
  return phone_normalize (value);
}

guint
tp_lead_count_phone_normalizations (void)
{
  return g_atomic_int_get (&phone_normalizations);
}

char *
tp_field_value_normalize (const TpField *field,
                          const char    *value)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *nfc = NULL;

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return NULL;
  trimmed = g_strstrip (g_strdup (value));
  nfc = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  switch (field->type)
    {
    case TP_FIELD_EMAIL:
      {
        char *at;
        g_autofree char *domain = NULL;

        if (!tp_email_is_valid (trimmed))
          return NULL;
        at = strrchr (nfc, '@');
        if (at == NULL)
          return NULL;
        domain = g_utf8_strdown (at + 1, -1);
        *at = '\0';
        return g_strconcat (nfc, "@", domain, NULL);
      }
    case TP_FIELD_PHONE:
      return tp_phone_normalize (nfc);
    case TP_FIELD_TEXT:
    default:
      return g_steal_pointer (&nfc);
    }
}
