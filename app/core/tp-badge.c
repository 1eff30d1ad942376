/* tp-badge.c: vCard and MECARD parsing for badge scans, with the keyboard-layout '@' repair. */
#define G_LOG_DOMAIN "tp-badge"

#include "tp-badge.h"
#include "tp-lead.h"

#include <string.h>

G_DEFINE_QUARK (tp-badge-error-quark, tp_badge_error)

static void
wipe_free (char *s)
{
  if (s)
    explicit_bzero (s, strlen (s));
  g_free (s);
}

void
tp_badge_free (TpBadge *badge)
{
  if (badge == NULL)
    return;
  wipe_free (badge->name);
  wipe_free (badge->family_name);
  wipe_free (badge->given_name);
  wipe_free (badge->email);
  wipe_free (badge->phone);
  wipe_free (badge->company);
  g_free (badge);
}

static void
replace (char **slot,
         char  *value)
{
  wipe_free (*slot);
  *slot = value;
}

/* ---- Values ----------------------------------------------------------------------------- */

/* Resolves the '@' markers (see TP_BADGE_AT_CANDIDATE in the header). */
static char *
resolve_markers (const char *value,
                 gboolean    email)
{
  GString *out = g_string_new (NULL);
  guint markers = 0;
  gboolean has_at = strchr (value, '@') != NULL;

  for (const char *c = value; *c; c = g_utf8_next_char (c))
    if (g_utf8_get_char (c) == TP_BADGE_AT_CANDIDATE)
      markers++;

  for (const char *c = value; *c; c = g_utf8_next_char (c))
    {
      const char *next;

      if (g_utf8_get_char (c) != TP_BADGE_AT_CANDIDATE)
        {
          g_string_append_len (out, c, g_utf8_next_char (c) - c);
          continue;
        }
      next = g_utf8_next_char (c);
      if (*next == '\0')
        break;
      if (email && !has_at && markers == 1)
        g_string_append_c (out, '@');
      else
        g_string_append_len (out, next, g_utf8_next_char (next) - next);
      c = next;
    }

  /* A scanner set up for a British layout on a US keyboard types '"' for '@'. Repair it only
   * when that is the one way to get a valid address. */
  if (email && strchr (out->str, '@') == NULL)
    {
      char *quote = strchr (out->str, '"');

      if (quote && strchr (quote + 1, '"') == NULL)
        {
          *quote = '@';
          if (!tp_email_is_valid (out->str))
            *quote = '"';
        }
    }
  return g_string_free (out, FALSE);
}

/* Trims, turns line breaks and other controls into spaces, resolves markers; NULL if empty. */
static char *
clean_value (const char *value,
             gboolean    email)
{
  g_autofree char *resolved = NULL;
  GString *out;

  if (value == NULL)
    return NULL;
  resolved = resolve_markers (value, email);
  out = g_string_new (NULL);
  for (const char *c = resolved; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u < 0x20 || (u >= 0x7f && u < 0xa0) || u == 0x2028 || u == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, u);
    }
  explicit_bzero (resolved, strlen (resolved));
  g_strstrip (out->str);
  if (out->str[0] == '\0')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_cjk (const char *s)
{
  for (; s && *s; s = g_utf8_next_char (s))
    switch (g_unichar_get_script (g_utf8_get_char (s)))
      {
      case G_UNICODE_SCRIPT_HANGUL:
      case G_UNICODE_SCRIPT_HAN:
      case G_UNICODE_SCRIPT_HIRAGANA:
      case G_UNICODE_SCRIPT_KATAKANA:
        return TRUE;
      default:
        break;
      }
  return FALSE;
}

/* Korean, Chinese and Japanese names read family name first, without a space. */
static char *
compose_name (const char *family,
              const char *given)
{
  if (family && given)
    {
      if (is_cjk (family) || is_cjk (given))
        return g_strconcat (family, given, NULL);
      return g_strconcat (given, " ", family, NULL);
    }
  return g_strdup (family ? family : given);
}

/* Splits at separator where it is not escaped by a backslash; the parts keep their escapes. */
static GPtrArray *
split_unescaped (const char *value,
                 char        separator)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) wipe_free);
  const char *start = value;

  for (const char *c = value; ; c++)
    {
      if (*c == '\\' && c[1] != '\0')
        {
          c++;
          continue;
        }
      if (*c == separator || *c == '\0')
        {
          g_ptr_array_add (parts, g_strndup (start, c - start));
          if (*c == '\0')
            break;
          start = c + 1;
        }
    }
  return parts;
}

/* vCard text escapes: \n and \N are line breaks (a space here), \, \; \: \\ the character. */
static char *
unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *c = value; *c; c++)
    {
      if (*c == '\\' && c[1] != '\0')
        {
          c++;
          g_string_append_c (out, (*c == 'n' || *c == 'N') ? ' ' : *c);
        }
      else
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

/* ---- vCard ------------------------------------------------------------------------------ */

typedef struct
{
  char     *charset;
  char     *encoding;
  gboolean  pref;
  gboolean  cell;
} Params;

static void
params_clear (Params *p)
{
  g_clear_pointer (&p->charset, g_free);
  g_clear_pointer (&p->encoding, g_free);
}

static void
set_string (char       **slot,
            const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
add_type (Params     *p,
          const char *type)
{
  if (g_ascii_strcasecmp (type, "pref") == 0)
    p->pref = TRUE;
  else if (g_ascii_strcasecmp (type, "cell") == 0 || g_ascii_strcasecmp (type, "mobile") == 0)
    p->cell = TRUE;
}

/* One parameter: NAME=value[,value...] with optional quotes, or a bare 2.1 type ("CELL"). */
static void
parse_param (Params     *p,
             const char *param)
{
  const char *eq = strchr (param, '=');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (eq == NULL)
    {
      add_type (p, param);
      return;
    }
  name = g_ascii_strup (param, eq - param);
  value = g_strdup (eq + 1);
  if (value[0] == '"' && strlen (value) >= 2 && value[strlen (value) - 1] == '"')
    {
      value[strlen (value) - 1] = '\0';
      memmove (value, value + 1, strlen (value));
    }
  if (g_str_equal (name, "CHARSET"))
    set_string (&p->charset, value);
  else if (g_str_equal (name, "ENCODING"))
    set_string (&p->encoding, value);
  else if (g_str_equal (name, "PREF"))
    p->pref = TRUE;
  else if (g_str_equal (name, "TYPE"))
    {
      g_auto(GStrv) types = g_strsplit (value, ",", -1);

      for (guint i = 0; types[i]; i++)
        add_type (p, types[i]);
    }
}

static int
hex_value (char c)
{
  if (g_ascii_isxdigit (c))
    return g_ascii_xdigit_value (c);
  return -1;
}

/* Decodes QUOTED-PRINTABLE or BASE64 and converts from CHARSET; text already typed as
 * characters needs neither. */
static char *
decode_value (const char    *name,
              const Params  *p,
              const char    *value,
              GError       **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *converted = NULL;
  const char *charset = p->charset ? p->charset : "UTF-8";

  if (p->encoding && g_ascii_strcasecmp (p->encoding, "QUOTED-PRINTABLE") == 0)
    {
      bytes = g_byte_array_new ();
      for (const char *c = value; *c; c++)
        {
          if (*c == '=' && hex_value (c[1]) >= 0 && hex_value (c[2]) >= 0)
            {
              guint8 b = hex_value (c[1]) * 16 + hex_value (c[2]);

              g_byte_array_append (bytes, &b, 1);
              c += 2;
            }
          else
            g_byte_array_append (bytes, (const guint8 *) c, 1);
        }
    }
  else if (p->encoding && (g_ascii_strcasecmp (p->encoding, "B") == 0 ||
                           g_ascii_strcasecmp (p->encoding, "BASE64") == 0))
    {
      gsize len = 0;
      guchar *raw = g_base64_decode (value, &len);

      bytes = g_byte_array_new_take (raw, len);
    }
  else
    return g_strdup (value);

  /* An empty value has no bytes at all (and g_convert takes no NULL). */
  if (bytes->len == 0)
    return g_strdup ("");
  converted = g_convert ((const char *) bytes->data, bytes->len, "UTF-8", charset, NULL, NULL, NULL);
  explicit_bzero (bytes->data, bytes->len);
  if (converted == NULL || !g_utf8_validate (converted, -1, NULL))
    {
      g_set_error (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                   "vCard %s: the value cannot be read as %s", name, charset);
      return NULL;
    }
  return g_steal_pointer (&converted);
}

/* Splits text at the first separator outside double quotes. */
static const char *
find_unquoted (const char *text,
               char        separator)
{
  gboolean quoted = FALSE;

  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        quoted = !quoted;
      else if (*c == separator && !quoted)
        return c;
    }
  return NULL;
}

/* Logical lines: CRLF, CR or LF line ends; a line starting with a space or tab continues the
 * one before (folding); a QUOTED-PRINTABLE line ending in '=' continues on the next (2.1). */
static GPtrArray *
unfold_lines (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) wipe_free);
  g_autofree char *normal = g_strdup (text);
  g_auto(GStrv) raw = NULL;
  GString *current = NULL;
  char *w = normal;

  for (const char *c = text; *c; c++)
    {
      if (*c == '\r')
        {
          *w++ = '\n';
          if (c[1] == '\n')
            c++;
        }
      else
        *w++ = *c;
    }
  *w = '\0';
  raw = g_strsplit (normal, "\n", -1);
  explicit_bzero (normal, strlen (normal));

  for (guint i = 0; raw[i]; i++)
    {
      const char *line = raw[i];

      if (current && (line[0] == ' ' || line[0] == '\t'))
        {
          g_string_append (current, line + 1);
          continue;
        }
      if (current && current->len > 0 && current->str[current->len - 1] == '=')
        {
          const char *colon = find_unquoted (current->str, ':');
          g_autofree char *head = colon ? g_ascii_strup (current->str, colon - current->str) : NULL;

          if (head && strstr (head, "QUOTED-PRINTABLE"))
            {
              g_string_truncate (current, current->len - 1);
              g_string_append (current, line);
              continue;
            }
        }
      if (current)
        g_ptr_array_add (lines, g_string_free (current, FALSE));
      current = g_string_new (line);
    }
  if (current)
    g_ptr_array_add (lines, g_string_free (current, FALSE));
  for (guint i = 0; raw[i]; i++)
    explicit_bzero (raw[i], strlen (raw[i]));
  return lines;
}

typedef struct
{
  char *value;
  int   score;
} Candidate;

static void
offer (Candidate  *best,
       char       *value,
       int         score)
{
  if (value == NULL)
    return;
  if (best->value == NULL || score > best->score)
    {
      wipe_free (best->value);
      best->value = value;
      best->score = score;
    }
  else
    wipe_free (value);
}

static gboolean
parse_vcard (const char  *text,
             TpBadge     *badge,
             GError     **error)
{
  g_autoptr(GPtrArray) lines = unfold_lines (text);
  Candidate email = { NULL, 0 }, phone = { NULL, 0 };
  gboolean begun = FALSE, ended = FALSE;
  char *name = NULL;
  gboolean ok = TRUE;

  for (guint i = 0; ok && !ended && i < lines->len; i++)
    {
      const char *line = lines->pdata[i];
      const char *colon;
      g_autofree char *head = NULL;
      g_autofree char *prop = NULL;
      g_autofree char *value = NULL;
      g_auto(GStrv) parts = NULL;
      Params params = { 0 };
      const char *dot;

      if (*line == '\0')
        continue;
      colon = find_unquoted (line, ':');
      if (colon == NULL)
        {
          g_set_error (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                       "vCard line %u has no ':' between the property and its value", i + 1);
          ok = FALSE;
          break;
        }
      if (colon == line || *line == ';')
        {
          /* g_strsplit of an empty head gives no parts at all. */
          g_set_error (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                       "vCard line %u has no property name before its value", i + 1);
          ok = FALSE;
          break;
        }
      head = g_strndup (line, colon - line);
      parts = g_strsplit (head, ";", -1);
      dot = strrchr (parts[0], '.');
      prop = g_ascii_strup (dot ? dot + 1 : parts[0], -1);

      if (!begun)
        {
          if (!g_str_equal (prop, "BEGIN") || g_ascii_strcasecmp (colon + 1, "VCARD") != 0)
            {
              g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_UNKNOWN, "not a vCard");
              ok = FALSE;
            }
          begun = TRUE;
          continue;
        }
      if (g_str_equal (prop, "END"))
        {
          ended = TRUE;
          continue;
        }
      if (g_str_equal (prop, "VERSION"))
        {
          if (!g_str_equal (colon + 1, "2.1") && !g_str_equal (colon + 1, "3.0") && !g_str_equal (colon + 1, "4.0"))
            {
              g_set_error (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                           "vCard version %s is not supported (use 3.0 or 4.0)", colon + 1);
              ok = FALSE;
            }
          continue;
        }
      if (!g_str_equal (prop, "FN") && !g_str_equal (prop, "N") && !g_str_equal (prop, "EMAIL") &&
          !g_str_equal (prop, "TEL") && !g_str_equal (prop, "ORG"))
        continue;

      for (guint p = 1; parts[p]; p++)
        parse_param (&params, parts[p]);
      value = decode_value (prop, &params, colon + 1, error);
      if (value == NULL)
        {
          params_clear (&params);
          ok = FALSE;
          break;
        }

      if (g_str_equal (prop, "FN"))
        {
          g_autofree char *raw = unescape (value);
          replace (&name, clean_value (raw, FALSE));
          explicit_bzero (raw, strlen (raw));
        }
      else if (g_str_equal (prop, "N"))
        {
          g_autoptr(GPtrArray) comps = split_unescaped (value, ';');
          g_autofree char *family = unescape (comps->pdata[0]);
          g_autofree char *given = comps->len > 1 ? unescape (comps->pdata[1]) : NULL;

          replace (&badge->family_name, clean_value (family, FALSE));
          replace (&badge->given_name, clean_value (given, FALSE));
        }
      else if (g_str_equal (prop, "EMAIL"))
        {
          g_autofree char *raw = unescape (value);
          const char *v = g_ascii_strncasecmp (raw, "mailto:", 7) == 0 ? raw + 7 : raw;

          offer (&email, clean_value (v, TRUE), params.pref ? 1 : 0);
        }
      else if (g_str_equal (prop, "TEL"))
        {
          g_autofree char *raw = unescape (value);
          const char *v = g_ascii_strncasecmp (raw, "tel:", 4) == 0 ? raw + 4 : raw;

          /* The kiosk asks for a mobile number: a cell phone wins over a preferred one. */
          offer (&phone, clean_value (v, FALSE), (params.cell ? 2 : 0) + (params.pref ? 1 : 0));
        }
      else if (g_str_equal (prop, "ORG"))
        {
          g_autoptr(GPtrArray) comps = split_unescaped (value, ';');
          g_autofree char *org = unescape (comps->pdata[0]);

          replace (&badge->company, clean_value (org, FALSE));
        }
      explicit_bzero (value, strlen (value));
      params_clear (&params);
    }

  if (ok && !ended)
    {
      g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                           "the vCard has no END:VCARD line (the scan may be cut short)");
      ok = FALSE;
    }
  if (!ok)
    {
      wipe_free (name);
      wipe_free (email.value);
      wipe_free (phone.value);
      return FALSE;
    }
  badge->name = name ? name : compose_name (badge->family_name, badge->given_name);
  badge->email = email.value;
  badge->phone = phone.value;
  return TRUE;
}

/* ---- MECARD ----------------------------------------------------------------------------- */

/* MECARD escapes: a backslash makes the next character literal. */
static char *
mecard_unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *c = value; *c; c++)
    {
      if (*c == '\\' && c[1] != '\0')
        c++;
      g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_mecard (const char  *body,
              TpBadge     *badge,
              GError     **error)
{
  const char *c = body;

  for (;;)
    {
      const char *key_end, *value_start;
      g_autofree char *key = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *value = NULL;

      if (*c == ';')
        {
          /* ";;" ends the card; only blank space may follow. */
          for (c++; *c; c++)
            if (!g_ascii_isspace (*c))
              {
                g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                                     "the MECARD has text after its end (\";;\")");
                return FALSE;
              }
          return TRUE;
        }
      if (*c == '\0' || g_ascii_isspace (*c))
        {
          g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                               "the MECARD does not end with \";;\" (the scan may be cut short)");
          return FALSE;
        }
      key_end = strchr (c, ':');
      if (key_end == NULL)
        {
          g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                               "a MECARD field has no ':' after its name");
          return FALSE;
        }
      key = g_ascii_strup (c, key_end - c);
      value_start = key_end + 1;
      for (c = value_start; *c && *c != ';'; c++)
        if (*c == '\\' && c[1] != '\0')
          c++;
      if (*c != ';')
        {
          g_set_error (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED,
                       "the MECARD field %s does not end with ';' (the scan may be cut short)", key);
          return FALSE;
        }
      raw = g_strndup (value_start, c - value_start);
      c++;

      if (g_str_equal (key, "N"))
        {
          g_autoptr(GPtrArray) comps = split_unescaped (raw, ',');
          g_autofree char *family = mecard_unescape (comps->pdata[0]);
          g_autofree char *given = comps->len > 1 ? mecard_unescape (comps->pdata[1]) : NULL;

          replace (&badge->family_name, clean_value (family, FALSE));
          replace (&badge->given_name, clean_value (given, FALSE));
        }
      else if (g_str_equal (key, "EMAIL") && badge->email == NULL)
        {
          value = mecard_unescape (raw);
          badge->email = clean_value (value, TRUE);
        }
      else if (g_str_equal (key, "TEL") && badge->phone == NULL)
        {
          value = mecard_unescape (raw);
          badge->phone = clean_value (value, FALSE);
        }
      else if (g_str_equal (key, "ORG") && badge->company == NULL)
        {
          value = mecard_unescape (raw);
          badge->company = clean_value (value, FALSE);
        }
      explicit_bzero (raw, strlen (raw));
      if (value)
        explicit_bzero (value, strlen (value));
    }
}

/* ---- Entry points ----------------------------------------------------------------------- */

static gboolean
has_prefix_ci (const char *s,
               const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

TpBadge *
tp_badge_parse (const char  *payload,
                GError     **error)
{
  g_autoptr(TpBadge) badge = NULL;
  const char *start;

  g_return_val_if_fail (payload != NULL, NULL);

  if (!g_utf8_validate (payload, -1, NULL))
    {
      g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_MALFORMED, "the scan is not valid UTF-8 text");
      return NULL;
    }
  start = payload;
  while (*start && (g_unichar_isspace (g_utf8_get_char (start)) || g_utf8_get_char (start) == 0xfeff))
    start = g_utf8_next_char (start);

  badge = g_new0 (TpBadge, 1);
  if (has_prefix_ci (start, "BEGIN:VCARD"))
    {
      if (!parse_vcard (start, badge, error))
        return NULL;
    }
  else if (has_prefix_ci (start, "MECARD:"))
    {
      if (!parse_mecard (start + strlen ("MECARD:"), badge, error))
        return NULL;
      if (badge->family_name || badge->given_name)
        badge->name = compose_name (badge->family_name, badge->given_name);
    }
  else
    {
      g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_UNKNOWN,
                           "the scan is neither a vCard nor a MECARD");
      return NULL;
    }

  if (!badge->name && !badge->email && !badge->phone && !badge->company)
    {
      g_set_error_literal (error, TP_BADGE_ERROR, TP_BADGE_ERROR_EMPTY,
                           "the badge holds no name, email, phone or company");
      return NULL;
    }
  return g_steal_pointer (&badge);
}

const char *
tp_badge_value_for_field (const TpBadge *badge,
                          const TpField *field)
{
  static const char * const name_ids[] = { "name", "full_name", "fullname", NULL };
  static const char * const company_ids[] = { "company", "organization", "organisation", "org", NULL };
  static const char * const given_ids[] = { "given_name", "first_name", "firstname", NULL };
  static const char * const family_ids[] = { "family_name", "last_name", "lastname", "surname", NULL };

  g_return_val_if_fail (badge != NULL && field != NULL, NULL);

  switch (field->type)
    {
    case TP_FIELD_EMAIL:
      return badge->email;
    case TP_FIELD_PHONE:
      return badge->phone;
    case TP_FIELD_TEXT:
    default:
      if (g_strv_contains (name_ids, field->id))
        return badge->name;
      if (g_strv_contains (company_ids, field->id))
        return badge->company;
      if (g_strv_contains (given_ids, field->id))
        return badge->given_name;
      if (g_strv_contains (family_ids, field->id))
        return badge->family_name;
      return NULL;
    }
}
