/* tp-sync-json-scan.c: a strict, streaming JSON reader (recursive descent, no tree). */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-json-scan.h"
#include "tp-sync-config.h"
#include "tp-sync-adapter.h"

#include <string.h>

#define MAX_DEPTH 64

typedef struct
{
  const char *p;
  const char *start;
  const char *end;
  TpJsonFunc  func;
  gpointer    user_data;
  TpJsonStep  path[MAX_DEPTH];
  GString    *keys[MAX_DEPTH];   /* The member names on the path, owned here. */
  GString    *value;
  const char *problem;
} Scanner;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
fail (Scanner    *s,
      const char *problem)
{
  if (s->problem == NULL)
    s->problem = problem;
  return FALSE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return fail (s, "a \\u escape is cut short");
  for (int i = 0; i < 4; i++)
    {
      int d = hex_digit (s->p[i]);

      if (d < 0)
        return fail (s, "a \\u escape has a non-hex digit");
      v = v * 16 + d;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* Reads a string (s->p at the opening quote) into out. */
static gboolean
read_string (Scanner *s,
             GString *out)
{
  const char *run;

  g_string_truncate (out, 0);
  s->p++;
  run = s->p;
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == '"')
        {
          g_string_append_len (out, run, s->p - run);
          s->p++;
          if (!g_utf8_validate (out->str, out->len, NULL))
            return fail (s, "a string is not valid UTF-8");
          return TRUE;
        }
      if ((guchar) c < 0x20)
        return fail (s, "a string holds a control character");
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      g_string_append_len (out, run, s->p - run);
      if (++s->p >= s->end)
        break;
      switch (*s->p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!read_hex4 (s, &u))
              return FALSE;
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                  return fail (s, "a surrogate pair is incomplete");
                s->p += 2;
                if (!read_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  return fail (s, "a surrogate pair is invalid");
                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (u >= 0xDC00 && u <= 0xDFFF)
              return fail (s, "a lone low surrogate");
            g_string_append_unichar (out, u);
            break;
          }
        default:
          return fail (s, "an unknown escape in a string");
        }
      run = s->p;
    }
  return fail (s, "a string is not closed");
}

static gboolean
read_number (Scanner *s)
{
  const char *begin = s->p;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return fail (s, "a number has no digits");
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, "a number has no digits after the point");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, "a number has no exponent digits");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  g_string_truncate (s->value, 0);
  g_string_append_len (s->value, begin, s->p - begin);
  return TRUE;
}

static gboolean
read_literal (Scanner    *s,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return fail (s, "an unexpected character");
  s->p += len;
  return TRUE;
}

static gboolean
read_value (Scanner *s,
            guint    depth)
{
  skip_space (s);
  if (s->p >= s->end)
    return fail (s, "the document ends too early");
  switch (*s->p)
    {
    case '{':
      if (depth >= MAX_DEPTH)
        return fail (s, "nested too deep");
      s->func (s->path, depth, TP_JSON_OBJECT, NULL, s->user_data);
      s->p++;
      skip_space (s);
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      for (;;)
        {
          skip_space (s);
          if (s->p >= s->end || *s->p != '"')
            return fail (s, "a member name is missing");
          if (s->keys[depth] == NULL)
            s->keys[depth] = g_string_new (NULL);
          if (!read_string (s, s->keys[depth]))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return fail (s, "a ':' is missing");
          s->p++;
          s->path[depth].key = s->keys[depth]->str;
          s->path[depth].index = 0;
          if (!read_value (s, depth + 1))
            return FALSE;
          skip_space (s);
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == '}')
            {
              s->p++;
              return TRUE;
            }
          return fail (s, "a ',' or '}' is missing");
        }
    case '[':
      if (depth >= MAX_DEPTH)
        return fail (s, "nested too deep");
      s->func (s->path, depth, TP_JSON_ARRAY, NULL, s->user_data);
      s->p++;
      skip_space (s);
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      for (guint i = 0;; i++)
        {
          s->path[depth].key = NULL;
          s->path[depth].index = i;
          if (!read_value (s, depth + 1))
            return FALSE;
          skip_space (s);
          if (s->p < s->end && *s->p == ',')
            {
              s->p++;
              continue;
            }
          if (s->p < s->end && *s->p == ']')
            {
              s->p++;
              return TRUE;
            }
          return fail (s, "a ',' or ']' is missing");
        }
    case '"':
      if (!read_string (s, s->value))
        return FALSE;
      s->func (s->path, depth, TP_JSON_STRING, s->value->str, s->user_data);
      return TRUE;
    case 't':
    case 'f':
      {
        const char *word = *s->p == 't' ? "true" : "false";

        if (!read_literal (s, word))
          return FALSE;
        s->func (s->path, depth, TP_JSON_BOOL, word, s->user_data);
        return TRUE;
      }
    case 'n':
      if (!read_literal (s, "null"))
        return FALSE;
      s->func (s->path, depth, TP_JSON_NULL, "null", s->user_data);
      return TRUE;
    default:
      if (!read_number (s))
        return FALSE;
      s->func (s->path, depth, TP_JSON_NUMBER, s->value->str, s->user_data);
      return TRUE;
    }
}

gboolean
tp_json_scan (const char  *data,
              gsize        length,
              TpJsonFunc   func,
              gpointer     user_data,
              GError     **error)
{
  Scanner s = { 0 };
  gboolean ok;

  s.p = s.start = data;
  s.end = data + length;
  s.func = func;
  s.user_data = user_data;
  s.value = g_string_sized_new (256);
  ok = data != NULL && read_value (&s, 0);
  if (ok)
    {
      skip_space (&s);
      if (s.p != s.end)
        ok = fail (&s, "there is more after the document");
    }
  if (!ok)
    {
      g_autofree char *detail = g_strdup_printf ("%s at byte %" G_GSIZE_FORMAT, s.problem ? s.problem : "empty",
                                                 (gsize) (s.p - s.start));

      tp_sync_set_not_json_error (error, data, length, detail);
    }
  for (guint i = 0; i < MAX_DEPTH; i++)
    if (s.keys[i])
      g_string_free (s.keys[i], TRUE);
  g_string_free (s.value, TRUE);
  return ok;
}
