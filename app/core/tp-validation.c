/* tp-lead.c: a visitor's submission, its validation against the event, and segment rules. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-lead.h"
#include "tp-i18n.h"
#include "tp-json.h"

#include <string.h>

G_DEFINE_QUARK (tp-lead-error-quark, tp_lead_error)

/* ---- Answers ---------------------------------------------------------------------------- */

TpAnswer *
tp_answer_new_string (const char *string)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_STRING;
  a->string = g_strdup (string);
  return a;
}

TpAnswer *
tp_answer_new_list (const char * const *options)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_LIST;
  a->list = g_strdupv ((char **) options);
  if (a->list == NULL)
    a->list = g_new0 (char *, 1);
  return a;
}

TpAnswer *
tp_answer_new_number (gint64 number)
{
  TpAnswer *a = g_new0 (TpAnswer, 1);

  a->kind = TP_ANSWER_NUMBER;
  a->number = number;
  return a;
}

TpAnswer *
tp_answer_copy (const TpAnswer *answer)
{
  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return tp_answer_new_string (answer->string);
    case TP_ANSWER_LIST:
      return tp_answer_new_list ((const char * const *) answer->list);
    case TP_ANSWER_NUMBER:
    default:
      return tp_answer_new_number (answer->number);
    }
}

static void
wipe_string (char *s)
{
  if (s)
    explicit_bzero (s, strlen (s));
}

void
tp_answer_free (TpAnswer *answer)
{
  if (answer == NULL)
    return;
  wipe_string (answer->string);
  g_free (answer->string);
  for (guint i = 0; answer->list && answer->list[i]; i++)
    wipe_string (answer->list[i]);
  g_strfreev (answer->list);
  g_free (answer);
}

JsonNode *
tp_answer_to_json (const TpAnswer *answer)
{
  JsonNode *node;

  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return json_node_init_string (json_node_alloc (), answer->string);
    case TP_ANSWER_LIST:
      {
        JsonArray *array = json_array_new ();

        for (guint i = 0; answer->list[i]; i++)
          json_array_add_string_element (array, answer->list[i]);
        node = json_node_alloc ();
        json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), array);
        return node;
      }
    case TP_ANSWER_NUMBER:
    default:
      return json_node_init_int (json_node_alloc (), answer->number);
    }
}

TpAnswer *
tp_answer_new_from_json (JsonNode  *node,
                         GError   **error)
{
  gint64 number;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return tp_answer_new_string (json_node_get_string (node));
      /* 10.0 is the whole number 10 (many JSON writers keep the decimal point); 4.5 is not. */
      if (tp_json_node_get_whole (node, &number))
        return tp_answer_new_number (number);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) list = NULL;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *e = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
            {
              g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED,
                           "[%u]: expected an option id (a string)", i);
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (e));
        }
      list = g_strv_builder_end (builder);
      return tp_answer_new_list ((const char * const *) list);
    }
  g_set_error_literal (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED,
                       "expected an option id, a list of option ids, a whole number or a text");
  return NULL;
}

char *
tp_answer_to_display (const TpAnswer *answer)
{
  switch (answer->kind)
    {
    case TP_ANSWER_STRING:
      return g_strdup (answer->string);
    case TP_ANSWER_LIST:
      return g_strjoinv (";", answer->list);
    case TP_ANSWER_NUMBER:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, answer->number);
    }
}

/* ---- Submissions ------------------------------------------------------------------------ */

static void
wipe_free (gpointer data)
{
  wipe_string (data);
  g_free (data);
}

TpSubmission *
tp_submission_new (const char *locale)
{
  TpSubmission *s = g_new0 (TpSubmission, 1);

  s->locale = g_strdup (locale);
  s->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  s->consents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) tp_answer_free);
  return s;
}

void
tp_submission_clear (TpSubmission *submission)
{
  g_hash_table_remove_all (submission->fields);
  g_hash_table_remove_all (submission->consents);
  g_hash_table_remove_all (submission->answers);
  submission->age_confirmed = FALSE;
}

void
tp_submission_free (TpSubmission *submission)
{
  if (submission == NULL)
    return;
  g_free (submission->locale);
  g_hash_table_unref (submission->fields);
  g_hash_table_unref (submission->consents);
  g_hash_table_unref (submission->answers);
  g_free (submission);
}

void
tp_submission_set_field (TpSubmission *submission,
                         const char   *id,
                         const char   *value)
{
  if (value == NULL)
    g_hash_table_remove (submission->fields, id);
  else
    g_hash_table_insert (submission->fields, g_strdup (id), g_strdup (value));
}

void
tp_submission_set_consent (TpSubmission *submission,
                           const char   *id,
                           gboolean      granted)
{
  g_hash_table_insert (submission->consents, g_strdup (id), GINT_TO_POINTER (granted ? 1 : 0));
}

void
tp_submission_set_answer (TpSubmission *submission,
                          const char   *question,
                          TpAnswer     *answer)
{
  if (answer == NULL)
    g_hash_table_remove (submission->answers, question);
  else
    g_hash_table_insert (submission->answers, g_strdup (question), answer);
}

static gboolean
malformed (GError     **error,
           const char  *path,
           const char  *what)
{
  g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED, "%s: %s", path, what);
  return FALSE;
}

static JsonObject *
optional_object (JsonObject  *root,
                 const char  *name,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, name, "expected an object");
      return NULL;
    }
  return json_node_get_object (node);
}

TpSubmission *
tp_submission_new_from_json (JsonNode  *root_node,
                             GError   **error)
{
  static const char * const known[] = { "locale", "fields", "consents", "age_confirmed", "answers", NULL };
  g_autoptr(TpSubmission) s = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root, *obj;
  JsonNode *node;
  const char *locale = NULL;  /* Absent: the caller uses the event's default language. */

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      malformed (error, "$", root_node ? "the submission must be a JSON object" : "the submission is empty");
      return NULL;
    }
  root = json_node_get_object (root_node);
  members = json_object_get_members (root);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        malformed (error, l->data, "unknown member (expected locale, fields, consents, age_confirmed, answers)");
        return NULL;
      }

  if ((node = json_object_get_member (root, "locale")))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          malformed (error, "locale", "expected a string such as \"ko\" or \"en\"");
          return NULL;
        }
      locale = json_node_get_string (node);
    }
  s = tp_submission_new (locale);

  if ((obj = optional_object (root, "fields", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autofree char *path = g_strdup_printf ("fields.%s", (char *) l->data);

          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            {
              malformed (error, path, "expected a string");
              return NULL;
            }
          tp_submission_set_field (s, l->data, json_node_get_string (v));
        }
    }
  else if (error && *error)
    return NULL;

  if ((obj = optional_object (root, "consents", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autofree char *path = g_strdup_printf ("consents.%s", (char *) l->data);

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
            {
              malformed (error, path, "expected true or false");
              return NULL;
            }
          tp_submission_set_consent (s, l->data, json_node_get_boolean (v));
        }
    }
  else if (error && *error)
    return NULL;

  if ((node = json_object_get_member (root, "age_confirmed")))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          malformed (error, "age_confirmed", "expected true or false");
          return NULL;
        }
      s->age_confirmed = json_node_get_boolean (node);
    }

  if ((obj = optional_object (root, "answers", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autoptr(GError) local_error = NULL;
          TpAnswer *answer;

          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          answer = tp_answer_new_from_json (v, &local_error);
          if (answer == NULL)
            {
              g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED, "answers.%s%s%s",
                           (char *) l->data, local_error->message[0] == '[' ? "" : ": ",
                           local_error->message);
              return NULL;
            }
          tp_submission_set_answer (s, l->data, answer);
        }
    }
  else if (error && *error)
    return NULL;

  return g_steal_pointer (&s);
}

/* ---- Validation ------------------------------------------------------------------------- */

static void
problem_free (TpProblem *p)
{
  g_free (p->path);
  g_free (p->id);
  g_free (p);
}

void
tp_validation_free (TpValidation *validation)
{
  if (validation == NULL)
    return;
  g_ptr_array_unref (validation->problems);
  g_free (validation);
}

static void
add_problem (TpValidation  *v,
             const char    *section,
             const char    *id,
             TpProblemCode  code)
{
  TpProblem *p = g_new0 (TpProblem, 1);

  p->path = id ? g_strdup_printf ("%s.%s", section, id) : g_strdup (section);
  p->id = g_strdup (id);
  p->code = code;
  g_ptr_array_add (v->problems, p);
}

const TpProblem *
tp_validation_find (TpValidation *validation,
                    const char   *path)
{
  for (guint i = 0; validation && i < validation->problems->len; i++)
    {
      TpProblem *p = validation->problems->pdata[i];

      if (g_str_equal (p->path, path))
        return p;
    }
  return NULL;
}

/* Refuses C0/C1 controls, and line breaks unless multi_line; tabs never belong in a field. */
static gboolean
has_control_chars (const char *s,
                   gboolean    multi_line)
{
  for (const char *c = s; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (multi_line && (u == '\n' || u == '\r'))
        continue;
      if (u < 0x20 || (u >= 0x7f && u < 0xa0) || u == 0x2028 || u == 0x2029 ||
          (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_blank (const char *s)
{
  for (; s && *s; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

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

char *
tp_phone_normalize (const char *value)
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
      return tp_phone_normalize (plus);
    }
  if (is_korean_national (digits))
    return g_strconcat ("+82", digits + 1, NULL);
  return NULL;
}

gboolean
tp_field_value_check (const TpField *field,
                      const char    *value,
                      TpProblemCode *code)
{
  TpProblemCode c = (TpProblemCode) -1;

  if (value == NULL || is_blank (value))
    {
      if (field->required)
        c = TP_PROBLEM_REQUIRED;
    }
  else if (!g_utf8_validate (value, -1, NULL))
    c = TP_PROBLEM_BAD_UTF8;
  else if (has_control_chars (value, FALSE))
    c = TP_PROBLEM_CONTROL_CHARS;
  else if (g_utf8_strlen (value, -1) > field->max_length)
    c = TP_PROBLEM_TOO_LONG;
  else if (field->type == TP_FIELD_EMAIL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (value));
      if (!tp_email_is_valid (trimmed))
        c = TP_PROBLEM_BAD_EMAIL;
    }
  else if (field->type == TP_FIELD_PHONE)
    {
      g_autofree char *normal = tp_phone_normalize (value);
      if (normal == NULL)
        c = TP_PROBLEM_BAD_PHONE;
    }

  if (code)
    *code = c;
  return c == (TpProblemCode) -1;
}

static void
validate_answer (TpValidation     *v,
                 const TpQuestion *q,
                 const TpAnswer   *a)
{
  switch (q->type)
    {
    case TP_QUESTION_SINGLE:
      if (a->kind != TP_ANSWER_STRING)
        add_problem (v, "answers", q->id, TP_PROBLEM_WRONG_TYPE);
      else if (!tp_question_get_option (q, a->string))
        add_problem (v, "answers", q->id, TP_PROBLEM_BAD_OPTION);
      break;

    case TP_QUESTION_MULTI:
      {
        guint n;

        if (a->kind != TP_ANSWER_LIST)
          {
            add_problem (v, "answers", q->id, TP_PROBLEM_WRONG_TYPE);
            break;
          }
        n = g_strv_length (a->list);
        for (guint i = 0; i < n; i++)
          {
            if (!tp_question_get_option (q, a->list[i]))
              {
                add_problem (v, "answers", q->id, TP_PROBLEM_BAD_OPTION);
                return;
              }
            for (guint j = 0; j < i; j++)
              if (g_str_equal (a->list[i], a->list[j]))
                {
                  add_problem (v, "answers", q->id, TP_PROBLEM_DUPLICATE);
                  return;
                }
          }
        if (n == 0 && q->required)
          add_problem (v, "answers", q->id, TP_PROBLEM_REQUIRED);
        else if (n > 0 && (n < (guint) q->min || n > (guint) q->max))
          add_problem (v, "answers", q->id, TP_PROBLEM_OUT_OF_RANGE);
        break;
      }

    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      if (a->kind != TP_ANSWER_NUMBER)
        add_problem (v, "answers", q->id, TP_PROBLEM_WRONG_TYPE);
      else if (a->number < q->min || a->number > q->max)
        add_problem (v, "answers", q->id, TP_PROBLEM_OUT_OF_RANGE);
      break;

    case TP_QUESTION_TEXT:
    default:
      if (a->kind != TP_ANSWER_STRING)
        add_problem (v, "answers", q->id, TP_PROBLEM_WRONG_TYPE);
      else if (!g_utf8_validate (a->string, -1, NULL))
        add_problem (v, "answers", q->id, TP_PROBLEM_BAD_UTF8);
      else if (has_control_chars (a->string, TRUE))
        add_problem (v, "answers", q->id, TP_PROBLEM_CONTROL_CHARS);
      else if (g_utf8_strlen (a->string, -1) > q->max_length)
        add_problem (v, "answers", q->id, TP_PROBLEM_TOO_LONG);
      else if (q->required && is_blank (a->string))
        add_problem (v, "answers", q->id, TP_PROBLEM_REQUIRED);
      break;
    }
}

/* Reports ids of a submission section that the event does not define, sorted for stable output. */
static void
check_unknown (TpValidation *v,
               GHashTable   *table,
               const char   *section,
               gboolean    (*known) (TpEvent *, const char *),
               TpEvent      *event)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);

  for (GList *l = keys; l; l = l->next)
    if (!known (event, l->data))
      add_problem (v, section, l->data, TP_PROBLEM_UNKNOWN);
}

static gboolean
known_field (TpEvent *e, const char *id)
{
  return tp_event_get_field (e, id) != NULL;
}

static gboolean
known_consent (TpEvent *e, const char *id)
{
  return tp_event_get_consent (e, id) != NULL;
}

static gboolean
known_question (TpEvent *e, const char *id)
{
  return tp_event_get_question (e, id) != NULL;
}

TpValidation *
tp_submission_validate (TpSubmission *submission,
                        TpEvent      *event)
{
  g_autoptr(TpValidation) v = g_new0 (TpValidation, 1);

  v->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);

  if (!tp_event_has_locale (event, submission->locale))
    {
      add_problem (v, "locale", NULL, TP_PROBLEM_BAD_LOCALE);
      /* The message names the language asked for, beside those the event offers. */
      ((TpProblem *) g_ptr_array_index (v->problems, v->problems->len - 1))->id = g_strdup (submission->locale);
    }

  for (guint i = 0; i < event->consents->len; i++)
    {
      const TpConsent *c = event->consents->pdata[i];
      gboolean granted = GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, c->id));

      if (c->required && !granted)
        add_problem (v, "consents", c->id, TP_PROBLEM_NOT_GRANTED);
    }
  check_unknown (v, submission->consents, "consents", known_consent, event);

  if (!submission->age_confirmed)
    add_problem (v, "age_confirmed", NULL, TP_PROBLEM_UNDER_AGE);

  for (guint i = 0; i < event->fields->len; i++)
    {
      const TpField *f = event->fields->pdata[i];
      TpProblemCode code;

      if (!tp_field_value_check (f, g_hash_table_lookup (submission->fields, f->id), &code))
        add_problem (v, "fields", f->id, code);
    }
  check_unknown (v, submission->fields, "fields", known_field, event);

  for (guint i = 0; i < event->survey->len; i++)
    {
      const TpQuestion *q = event->survey->pdata[i];
      const TpAnswer *a = g_hash_table_lookup (submission->answers, q->id);

      if (a == NULL)
        {
          if (q->required)
            add_problem (v, "answers", q->id, TP_PROBLEM_REQUIRED);
          continue;
        }
      validate_answer (v, q, a);
    }
  check_unknown (v, submission->answers, "answers", known_question, event);

  if (v->problems->len == 0)
    return NULL;
  return g_steal_pointer (&v);
}

static const char *
problem_label (const TpProblem *problem,
               TpEvent         *event,
               const char      *locale)
{
  const TpField *f;
  const TpQuestion *q;
  const TpConsent *c;

  if (g_str_has_prefix (problem->path, "fields.") && (f = tp_event_get_field (event, problem->id)))
    return tp_text_get (f->label, locale);
  if (g_str_has_prefix (problem->path, "answers.") && (q = tp_event_get_question (event, problem->id)))
    return tp_text_get (q->label, locale);
  if (g_str_has_prefix (problem->path, "consents.") && (c = tp_event_get_consent (event, problem->id)))
    return tp_text_get (c->title, locale);
  return problem->id;
}

char *
tp_problem_describe (const TpProblem *problem,
                     TpEvent         *event,
                     const char      *locale)
{
  const char *label = problem_label (problem, event, locale);
  const TpField *f = problem->id ? tp_event_get_field (event, problem->id) : NULL;
  const TpQuestion *q = problem->id ? tp_event_get_question (event, problem->id) : NULL;

  switch (problem->code)
    {
    case TP_PROBLEM_REQUIRED:
      if (q)
        return g_strdup_printf (_("Please answer “%s”."), label);
      return g_strdup_printf (_("%s is required."), label);
    case TP_PROBLEM_TOO_LONG:
      return g_strdup_printf (_("%s is too long (at most %u characters)."), label,
                              f ? f->max_length : q ? q->max_length : 0);
    case TP_PROBLEM_BAD_UTF8:
      return g_strdup_printf (_("%s contains characters that cannot be read."), label);
    case TP_PROBLEM_CONTROL_CHARS:
      return g_strdup_printf (_("%s contains control characters; please type it again."), label);
    case TP_PROBLEM_BAD_EMAIL:
      return g_strdup (_("Please enter an email address such as name@example.com."));
    case TP_PROBLEM_BAD_PHONE:
      return g_strdup (_("Please enter a mobile number such as 010-1234-5678, or an international "
                         "number starting with +."));
    case TP_PROBLEM_NOT_GRANTED:
      return g_strdup_printf (_("“%s” is needed to register."), label);
    case TP_PROBLEM_UNDER_AGE:
      return g_strdup_printf (_("Please confirm that you are %u or older."), event->min_age);
    case TP_PROBLEM_UNKNOWN:
      return g_strdup_printf (_("“%s” is not part of this event."), problem->id);
    case TP_PROBLEM_BAD_OPTION:
      return g_strdup_printf (_("%s: please choose one of the options shown."), label);
    case TP_PROBLEM_WRONG_TYPE:
      return g_strdup_printf (_("%s: this kind of answer does not fit the question."), label);
    case TP_PROBLEM_OUT_OF_RANGE:
      if (q && q->type == TP_QUESTION_MULTI)
        return g_strdup_printf (_("%s: choose between %d and %d options."), label, q->min, q->max);
      return g_strdup_printf (_("%s: choose a value from %d to %d."), label, q ? q->min : 0, q ? q->max : 0);
    case TP_PROBLEM_DUPLICATE:
      return g_strdup_printf (_("%s: the same option is chosen twice."), label);
    case TP_PROBLEM_BAD_LOCALE:
      {
        g_autofree char *offered = g_strjoinv (", ", event->locales);

        if (problem->id == NULL)
          return g_strdup_printf (_("No language was given; this event offers %s."), offered);
        return g_strdup_printf (_("“%s” is not a language of this event; it offers %s."), problem->id, offered);
      }
    default:
      return g_strdup_printf (_("%s is not valid."), label);
    }
}

char *
tp_validation_to_string (TpValidation *validation,
                         TpEvent      *event)
{
  GString *s = g_string_new (NULL);
  /* Labels in the language of the sentences around them: not "Name 항목을 입력해 주세요." */
  const char *language = tp_i18n_message_language ();
  const char *locale = tp_event_has_locale (event, language) ? language : event->default_locale;

  for (guint i = 0; i < validation->problems->len; i++)
    {
      const TpProblem *p = validation->problems->pdata[i];
      g_autofree char *text = tp_problem_describe (p, event, locale);

      g_string_append_printf (s, "%s%s: %s", i ? "\n" : "", p->path, text);
    }
  return g_string_free (s, FALSE);
}

/* ---- Segments --------------------------------------------------------------------------- */

static gboolean
condition_holds (const TpCondition *c,
                 GHashTable        *answers)
{
  const TpAnswer *a = g_hash_table_lookup (answers, c->question);

  if (a == NULL)
    return FALSE;
  if (c->has_range)
    return a->kind == TP_ANSWER_NUMBER && a->number >= c->min && a->number <= c->max;
  if (a->kind == TP_ANSWER_STRING)
    return g_strv_contains ((const char * const *) c->any_of, a->string);
  if (a->kind == TP_ANSWER_LIST)
    for (guint i = 0; a->list[i]; i++)
      if (g_strv_contains ((const char * const *) c->any_of, a->list[i]))
        return TRUE;
  return FALSE;
}

TpSegmentResult *
tp_segments_evaluate (TpEvent    *event,
                      GHashTable *answers)
{
  TpSegmentResult *r = g_new0 (TpSegmentResult, 1);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < event->segments->len; i++)
    {
      const TpSegment *s = event->segments->pdata[i];
      gboolean all = TRUE;

      for (guint j = 0; all && j < s->conditions->len; j++)
        all = condition_holds (s->conditions->pdata[j], answers);
      if (!all)
        continue;
      for (guint t = 0; s->tags[t]; t++)
        if (!g_ptr_array_find_with_equal_func (tags, s->tags[t], g_str_equal, NULL))
          g_ptr_array_add (tags, g_strdup (s->tags[t]));
      if (s->offer && r->offer == NULL)
        {
          r->offer = g_strdup (s->offer);
          r->segment = g_strdup (s->id);
        }
    }
  if (r->offer == NULL)
    r->offer = g_strdup (tp_event_get_default_offer (event)->id);
  g_ptr_array_add (tags, NULL);
  r->tags = (char **) g_ptr_array_steal (tags, NULL);
  return r;
}

void
tp_segment_result_free (TpSegmentResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->tags);
  g_free (result->offer);
  g_free (result->segment);
  g_free (result);
}
