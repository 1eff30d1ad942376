/* tp-json-strict.c: refuses ambiguous JSON before json-glib reads it. Hand-written because
 * json-glib 1.6 accepts what RFC 8259 does not (duplicate keys, last one winning; 010 read as
 * octal 8; 0x0A; comments; single quotes; a second document after the first) and no Debian 12
 * library checks all of that while naming the path of the offending value. */
#define G_LOG_DOMAIN "tp-json"

#include "tp-json-strict.h"

#include <string.h>

G_DEFINE_QUARK (tp-json-error-quark, tp_json_error)

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  GPtrArray  *path;    /* char *: ".name" or "[3]" per level */
  GError    **error;
} Reader;

static char *
path_string (Reader *r)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < r->path->len; i++)
    {
      const char *part = r->path->pdata[i];

      /* The first member has no dot: "consents.privacy", not ".consents.privacy". */
      g_string_append (out, out->len == 0 && part[0] == '.' ? part + 1 : part);
    }
  if (out->len == 0)
    g_string_append (out, "(top level)");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint
line_of (Reader *r)
{
  guint line = 1;

  for (gsize i = 0; i < r->pos && i < r->length; i++)
    if (r->data[i] == '\n')
      line++;
  return line;
}

static gboolean fail (Reader *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (Reader     *r,
      const char *format,
      ...)
{
  g_autofree char *path = path_string (r);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, TP_JSON_ERROR, TP_JSON_ERROR_INVALID, "%s: %s (line %u)", path, message, line_of (r));
  return FALSE;
}

static void
skip_space (Reader *r)
{
  while (r->pos < r->length)
    {
      char c = r->data[r->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      r->pos++;
    }
}

static int
peek (Reader *r)
{
  return r->pos < r->length ? (guchar) r->data[r->pos] : -1;
}

/* Names what stands where a value or a token should, for the message. */
static gboolean
unexpected (Reader     *r,
            const char *wanted)
{
  int c = peek (r);

  if (c < 0)
    return fail (r, "the text ends where %s should be", wanted);
  if (c == '/' && r->pos + 1 < r->length && (r->data[r->pos + 1] == '/' || r->data[r->pos + 1] == '*'))
    return fail (r, "comments are not allowed in JSON");
  if (c == '\'')
    return fail (r, "strings take double quotes (\"), not single quotes");
  if (c < 0x20 || c >= 0x7f)
    return fail (r, "unexpected character (byte 0x%02x) where %s should be", (guint) c, wanted);
  return fail (r, "unexpected \"%c\" where %s should be", c, wanted);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hexadecimal digits of a \u escape at r->pos; -1 when they are not. */
static int
read_hex4 (Reader *r)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = r->pos + i < r->length ? hex_value (r->data[r->pos + i]) : -1;

      if (h < 0)
        return -1;
      value = value * 16 + h;
    }
  r->pos += 4;
  return value;
}

/* Reads a string at r->pos (on its opening quote); with out, its decoded value. */
static gboolean
read_string (Reader   *r,
             GString  *out)
{
  r->pos++;
  while (r->pos < r->length)
    {
      guchar c = r->data[r->pos];

      if (c == '"')
        {
          r->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (r, "a string holds a raw control character (byte 0x%02x); write it as \\u%04x", c, c);
      if (c != '\\')
        {
          if (out)
            g_string_append_c (out, c);
          r->pos++;
          continue;
        }
      if (r->pos + 1 >= r->length)
        break;
      c = r->data[r->pos + 1];
      r->pos += 2;
      switch (c)
        {
        case '"': case '\\': case '/':
          if (out)
            g_string_append_c (out, c);
          break;
        case 'b': case 'f': case 'n': case 'r': case 't':
          if (out)
            g_string_append_c (out, c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\t');
          break;
        case 'u':
          {
            int value = read_hex4 (r);

            if (value < 0)
              return fail (r, "\\u in a string needs four hexadecimal digits");
            /* A character beyond U+FFFF is two escapes, a surrogate pair; half of one is no
             * character at all (and json-glib refuses it). */
            if (value >= 0xDC00 && value <= 0xDFFF)
              return fail (r, "a string holds half of a UTF-16 surrogate pair (\\u%04x)", (guint) value);
            if (value >= 0xD800 && value <= 0xDBFF)
              {
                int low;

                if (r->pos + 2 > r->length || r->data[r->pos] != '\\' || r->data[r->pos + 1] != 'u')
                  return fail (r, "a string holds half of a UTF-16 surrogate pair (\\u%04x)", (guint) value);
                r->pos += 2;
                low = read_hex4 (r);
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (r, "a string holds half of a UTF-16 surrogate pair (\\u%04x)", (guint) value);
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
              }
            /* Member names are compared decoded: "a" and "\u0061" are the same key. */
            if (out)
              g_string_append_unichar (out, value);
            break;
          }
        default:
          r->pos -= 1;
          return fail (r, "\"\\%c\" is not an escape JSON knows", c);
        }
    }
  return fail (r, "a string is not closed");
}

static gboolean
is_digit (int c)
{
  return c >= '0' && c <= '9';
}

/* number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ) */
static gboolean
read_number (Reader *r)
{
  gsize start = r->pos;

  if (peek (r) == '-')
    r->pos++;
  if (peek (r) == '0')
    {
      r->pos++;
      if (is_digit (peek (r)))
        {
          gsize end = r->pos;

          while (end < r->length && is_digit ((guchar) r->data[end]))
            end++;
          return fail (r, "numbers do not start with 0 (%.*s): write it without the leading zero, or as a string",
                       (int) (end - start), r->data + start);
        }
      if (peek (r) == 'x' || peek (r) == 'X')
        return fail (r, "hexadecimal numbers are not JSON");
    }
  else if (is_digit (peek (r)))
    while (is_digit (peek (r)))
      r->pos++;
  else
    return unexpected (r, "a digit");
  if (peek (r) == '.')
    {
      r->pos++;
      if (!is_digit (peek (r)))
        return unexpected (r, "a digit after the decimal point");
      while (is_digit (peek (r)))
        r->pos++;
    }
  if (peek (r) == 'e' || peek (r) == 'E')
    {
      r->pos++;
      if (peek (r) == '+' || peek (r) == '-')
        r->pos++;
      if (!is_digit (peek (r)))
        return unexpected (r, "a digit in the exponent");
      while (is_digit (peek (r)))
        r->pos++;
    }
  return TRUE;
}

static gboolean
read_word (Reader     *r,
           const char *word)
{
  gsize n = strlen (word);

  if (r->length - r->pos < n || memcmp (r->data + r->pos, word, n) != 0)
    {
      gsize end = r->pos;

      while (end < r->length && end - r->pos < 16 && g_ascii_isalnum (r->data[end]))
        end++;
      return fail (r, "\"%.*s\" is not a JSON value (true, false, null, a number, a string, an array "
                   "or an object)", (int) (end - r->pos), r->data + r->pos);
    }
  r->pos += n;
  return TRUE;
}

static gboolean read_value (Reader *r, guint depth);

static gboolean
read_object (Reader *r,
             guint   depth)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  r->pos++;
  skip_space (r);
  if (peek (r) == '}')
    {
      r->pos++;
      return TRUE;
    }
  for (;;)
    {
      g_autoptr(GString) name = g_string_new (NULL);

      skip_space (r);
      if (peek (r) != '"')
        return unexpected (r, "a member name in double quotes");
      if (!read_string (r, name))
        return FALSE;
      g_ptr_array_add (r->path, g_strconcat (".", name->str, NULL));
      if (g_hash_table_contains (seen, name->str))
        return fail (r, "this key appears twice in the same object; give it once");
      g_hash_table_add (seen, g_strdup (name->str));
      skip_space (r);
      if (peek (r) != ':')
        return unexpected (r, "\":\"");
      r->pos++;
      if (!read_value (r, depth + 1))
        return FALSE;
      g_ptr_array_remove_index (r->path, r->path->len - 1);
      skip_space (r);
      if (peek (r) == ',')
        {
          r->pos++;
          skip_space (r);
          if (peek (r) == '}')
            return fail (r, "a comma before \"}\" is not allowed in JSON");
          continue;
        }
      if (peek (r) == '}')
        {
          r->pos++;
          return TRUE;
        }
      return unexpected (r, "\",\" or \"}\"");
    }
}

static gboolean
read_array (Reader *r,
            guint   depth)
{
  guint index = 0;

  r->pos++;
  skip_space (r);
  if (peek (r) == ']')
    {
      r->pos++;
      return TRUE;
    }
  for (;; index++)
    {
      g_ptr_array_add (r->path, g_strdup_printf ("[%u]", index));
      if (!read_value (r, depth + 1))
        return FALSE;
      g_ptr_array_remove_index (r->path, r->path->len - 1);
      skip_space (r);
      if (peek (r) == ',')
        {
          r->pos++;
          skip_space (r);
          if (peek (r) == ']')
            return fail (r, "a comma before \"]\" is not allowed in JSON");
          continue;
        }
      if (peek (r) == ']')
        {
          r->pos++;
          return TRUE;
        }
      return unexpected (r, "\",\" or \"]\"");
    }
}

static gboolean
read_value (Reader *r,
            guint   depth)
{
  int c;

  /* depth counts from 0: at most TP_JSON_MAX_DEPTH levels, as tp_json_depth_ok allows. */
  if (depth >= TP_JSON_MAX_DEPTH)
    return fail (r, "nested deeper than %d levels", TP_JSON_MAX_DEPTH);
  skip_space (r);
  c = peek (r);
  switch (c)
    {
    case '{':
      return read_object (r, depth);
    case '[':
      return read_array (r, depth);
    case '"':
      return read_string (r, NULL);
    case 't':
      return read_word (r, "true");
    case 'f':
      return read_word (r, "false");
    case 'n':
      return read_word (r, "null");
    default:
      if (c == '-' || is_digit (c))
        return read_number (r);
      return unexpected (r, "a value");
    }
}

gboolean
tp_json_check_strict (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  Reader r = { data, length, 0, path, error };

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, TP_JSON_ERROR, TP_JSON_ERROR_INVALID, "the text is not valid UTF-8");
      return FALSE;
    }
  /* A byte order mark is not JSON, but editors on Windows write one: it is harmless. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.pos = 3;
  skip_space (&r);
  if (peek (&r) < 0)
    {
      g_set_error (error, TP_JSON_ERROR, TP_JSON_ERROR_INVALID, "the text is empty: no JSON value in it");
      return FALSE;
    }
  if (!read_value (&r, 0))
    return FALSE;
  skip_space (&r);
  if (r.pos < r.length)
    return fail (&r, "more text after the end of the JSON value: give one value only");
  return TRUE;
}

JsonNode *
tp_json_parse_strict (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *masked = NULL;

  if (!tp_json_check_strict (data, length, error))
    return NULL;
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  masked = g_malloc (length + 1);
  memcpy (masked, data, length);
  masked[length] = '\0';
  tp_json_mask_nul_escapes (masked, length);
  if (!json_parser_load_from_data (parser, masked, length, error))
    return NULL;
  return json_parser_steal_root (parser);
}
