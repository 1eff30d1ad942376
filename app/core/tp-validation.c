/* tp-validation.c: a submission checked against the event; each problem names its field,
 * consent or question, and a sentence for a person describes it. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-validation.h"
#include "tp-field-format.h"
#include "tp-i18n.h"
#include "tp-lead-private.h"

static void
problem_free (TpProblem *p)
{
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
             TpProblemKind  kind,
             const char    *id,
             TpProblemCode  code)
{
  TpProblem *p = g_new0 (TpProblem, 1);

  p->kind = kind;
  p->id = g_strdup (id);
  p->code = code;
  g_ptr_array_add (v->problems, p);
}

const TpProblem *
tp_validation_find (TpValidation  *validation,
                    TpProblemKind  kind,
                    const char    *id)
{
  for (guint i = 0; validation && i < validation->problems->len; i++)
    {
      TpProblem *p = validation->problems->pdata[i];

      if (p->kind == kind && g_strcmp0 (p->id, id) == 0)
        return p;
    }
  return NULL;
}

char *
tp_problem_to_path (const TpProblem *problem)
{
  switch (problem->kind)
    {
    case TP_PROBLEM_KIND_LOCALE:
      return g_strdup ("locale");
    case TP_PROBLEM_KIND_AGE:
      return g_strdup ("age_confirmed");
    case TP_PROBLEM_KIND_CONSENT:
      return g_strdup_printf ("consents.%s", problem->id);
    case TP_PROBLEM_KIND_FIELD:
      return g_strdup_printf ("fields.%s", problem->id);
    case TP_PROBLEM_KIND_QUESTION:
    default:
      return g_strdup_printf ("answers.%s", problem->id);
    }
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

/* Characters that show nothing: format characters (zero-width space and joiners, byte order
 * mark, direction marks), and the Hangul fillers that fonts draw as blanks. */
static gboolean
is_invisible (gunichar u)
{
  GUnicodeType type = g_unichar_type (u);

  return g_unichar_isspace (u) || type == G_UNICODE_FORMAT || type == G_UNICODE_CONTROL ||
         u == 0x115F || u == 0x1160 || u == 0x3164 || u == 0xFFA0 || u == 0x2800 || u == 0x034F;
}

/* TRUE when s shows no character at all: "required" needs something a person can read. */
static gboolean
is_blank (const char *s)
{
  if (s && !g_utf8_validate (s, -1, NULL))
    return FALSE;  /* Not text: refused as such further on. */
  for (; s && *s; s = g_utf8_next_char (s))
    if (!is_invisible (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

gboolean
tp_field_value_check (const TpField  *field,
                      const char     *value,
                      char          **normal,
                      TpProblemCode  *code)
{
  TpProblemCode c = (TpProblemCode) -1;
  g_autofree char *stored = NULL;

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
  /* The format is checked by making the stored form: a phone number is normalized once. */
  else if (!(stored = tp_field_value_normalize (field, value)))
    c = field->type == TP_FIELD_EMAIL ? TP_PROBLEM_BAD_EMAIL : TP_PROBLEM_BAD_PHONE;

  if (code)
    *code = c;
  if (normal)
    *normal = c == (TpProblemCode) -1 ? g_steal_pointer (&stored) : NULL;
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
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_WRONG_TYPE);
      else if (!tp_question_get_option (q, a->string))
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_BAD_OPTION);
      break;

    case TP_QUESTION_MULTI:
      {
        guint n;

        if (a->kind != TP_ANSWER_LIST)
          {
            add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_WRONG_TYPE);
            break;
          }
        n = g_strv_length (a->list);
        for (guint i = 0; i < n; i++)
          {
            if (!tp_question_get_option (q, a->list[i]))
              {
                add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_BAD_OPTION);
                return;
              }
            for (guint j = 0; j < i; j++)
              if (g_str_equal (a->list[i], a->list[j]))
                {
                  add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_DUPLICATE);
                  return;
                }
          }
        if (n == 0 && q->required)
          add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_REQUIRED);
        else if (n > 0 && (n < (guint) q->min || n > (guint) q->max))
          add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_OUT_OF_RANGE);
        break;
      }

    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      if (a->kind != TP_ANSWER_NUMBER)
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_WRONG_TYPE);
      else if (a->number < q->min || a->number > q->max)
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_OUT_OF_RANGE);
      break;

    case TP_QUESTION_TEXT:
    default:
      if (a->kind != TP_ANSWER_STRING)
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_WRONG_TYPE);
      else if (!g_utf8_validate (a->string, -1, NULL))
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_BAD_UTF8);
      else if (has_control_chars (a->string, TRUE))
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_CONTROL_CHARS);
      else if (g_utf8_strlen (a->string, -1) > q->max_length)
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_TOO_LONG);
      else if (q->required && is_blank (a->string))
        add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_REQUIRED);
      break;
    }
}

/* Reports ids of a submission section that the event does not define, sorted for stable output. */
static void
check_unknown (TpValidation  *v,
               GHashTable    *table,
               TpProblemKind  kind,
               gboolean     (*known) (TpEvent *, const char *),
               TpEvent       *event)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) g_strcmp0);

  for (GList *l = keys; l; l = l->next)
    if (!known (event, l->data))
      add_problem (v, kind, l->data, TP_PROBLEM_UNKNOWN);
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
tp_submission_check (TpSubmission  *submission,
                     TpEvent       *event,
                     TpProblemKind  kinds,
                     GHashTable    *normal_fields)
{
  g_autoptr(TpValidation) v = g_new0 (TpValidation, 1);

  v->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);

  /* The message names the language asked for, beside those the event offers. */
  if ((kinds & TP_PROBLEM_KIND_LOCALE) && !tp_event_has_locale (event, submission->locale))
    add_problem (v, TP_PROBLEM_KIND_LOCALE, submission->locale, TP_PROBLEM_BAD_LOCALE);

  if (kinds & TP_PROBLEM_KIND_CONSENT)
    {
      for (guint i = 0; i < event->consents->len; i++)
        {
          const TpConsent *c = event->consents->pdata[i];
          gboolean granted = GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, c->id));

          if (c->required && !granted)
            add_problem (v, TP_PROBLEM_KIND_CONSENT, c->id, TP_PROBLEM_NOT_GRANTED);
        }
      check_unknown (v, submission->consents, TP_PROBLEM_KIND_CONSENT, known_consent, event);
    }

  if ((kinds & TP_PROBLEM_KIND_AGE) && !submission->age_confirmed)
    add_problem (v, TP_PROBLEM_KIND_AGE, NULL, TP_PROBLEM_UNDER_AGE);

  if (kinds & TP_PROBLEM_KIND_FIELD)
    {
      for (guint i = 0; i < event->fields->len; i++)
        {
          const TpField *f = event->fields->pdata[i];
          TpProblemCode code;
          char *normal = NULL;

          if (!tp_field_value_check (f, g_hash_table_lookup (submission->fields, f->id),
                                     normal_fields ? &normal : NULL, &code))
            add_problem (v, TP_PROBLEM_KIND_FIELD, f->id, code);
          else if (normal && *normal)
            g_hash_table_insert (normal_fields, g_strdup (f->id), normal);
          else
            tp_wipe_free (normal);
        }
      check_unknown (v, submission->fields, TP_PROBLEM_KIND_FIELD, known_field, event);
    }

  if (kinds & TP_PROBLEM_KIND_QUESTION)
    {
      for (guint i = 0; i < event->survey->len; i++)
        {
          const TpQuestion *q = event->survey->pdata[i];
          const TpAnswer *a = g_hash_table_lookup (submission->answers, q->id);

          if (a == NULL)
            {
              if (q->required)
                add_problem (v, TP_PROBLEM_KIND_QUESTION, q->id, TP_PROBLEM_REQUIRED);
              continue;
            }
          validate_answer (v, q, a);
        }
      check_unknown (v, submission->answers, TP_PROBLEM_KIND_QUESTION, known_question, event);
    }

  if (v->problems->len == 0)
    return NULL;
  return g_steal_pointer (&v);
}

TpValidation *
tp_submission_validate_kinds (TpSubmission  *submission,
                              TpEvent       *event,
                              TpProblemKind  kinds)
{
  return tp_submission_check (submission, event, kinds, NULL);
}

TpValidation *
tp_submission_validate (TpSubmission *submission,
                        TpEvent      *event)
{
  return tp_submission_check (submission, event, TP_PROBLEM_KIND_ALL, NULL);
}

char *
tp_problem_describe (const TpProblem *problem,
                     TpEvent         *event,
                     const char      *locale)
{
  /* Looked up by the kind of problem: a field and a question may share an id. */
  const TpField *f = problem->kind == TP_PROBLEM_KIND_FIELD ? tp_event_get_field (event, problem->id) : NULL;
  const TpQuestion *q = problem->kind == TP_PROBLEM_KIND_QUESTION ? tp_event_get_question (event, problem->id) : NULL;
  const TpConsent *c = problem->kind == TP_PROBLEM_KIND_CONSENT ? tp_event_get_consent (event, problem->id) : NULL;
  const char *label = f ? tp_text_get (f->label, locale)
                    : q ? tp_text_get (q->label, locale)
                    : c ? tp_text_get (c->title, locale)
                    : problem->id;

  /* A message is shown beside its box, field or question (and after its path on the command
   * line): a question's or a consent's own words are not repeated in it. Quoted into a
   * sentence they made stiff Korean ('"…무엇인가요?"에 답해 주세요', '"…동의"이(가) 필요합니다'):
   * a Korean particle depends on the last syllable of the word before it, which a translation
   * cannot know. A field's short label is kept, before a word that takes the particle. */
  switch (problem->code)
    {
    case TP_PROBLEM_REQUIRED:
      if (q)
        return g_strdup (_("Please answer this question."));
      return g_strdup_printf (_("%s is required."), label);
    case TP_PROBLEM_TOO_LONG:
      if (q)
        return g_strdup_printf (_("The answer is too long: at most %u characters."), q->max_length);
      return g_strdup_printf (_("%s is too long (at most %u characters)."), label, f ? f->max_length : 0);
    case TP_PROBLEM_BAD_UTF8:
      if (q)
        return g_strdup (_("The answer contains characters that cannot be read."));
      return g_strdup_printf (_("%s contains characters that cannot be read."), label);
    case TP_PROBLEM_CONTROL_CHARS:
      if (q)
        return g_strdup (_("The answer contains control characters; please type it again."));
      return g_strdup_printf (_("%s contains control characters; please type it again."), label);
    case TP_PROBLEM_BAD_EMAIL:
      return g_strdup (_("Please enter an email address such as name@example.com."));
    case TP_PROBLEM_BAD_PHONE:
      return g_strdup (_("Please enter a mobile number such as 010-1234-5678, or an international "
                         "number starting with +."));
    case TP_PROBLEM_NOT_GRANTED:
      return g_strdup (_("To register, please agree to this."));
    case TP_PROBLEM_UNDER_AGE:
      return g_strdup_printf (_("Please confirm that you are %u or older."), event->min_age);
    case TP_PROBLEM_UNKNOWN:
      return g_strdup_printf (_("“%s” is not part of this event."), problem->id);
    case TP_PROBLEM_BAD_OPTION:
      return g_strdup (_("Please choose one of the options shown."));
    case TP_PROBLEM_WRONG_TYPE:
      return g_strdup (_("This kind of answer does not fit the question."));
    case TP_PROBLEM_OUT_OF_RANGE:
      if (q && q->type == TP_QUESTION_MULTI)
        return g_strdup_printf (_("Please choose %d to %d options."), q->min, q->max);
      return g_strdup_printf (_("Please choose a number from %d to %d."), q ? q->min : 0, q ? q->max : 0);
    case TP_PROBLEM_DUPLICATE:
      return g_strdup (_("The same option is chosen twice."));
    case TP_PROBLEM_BAD_LOCALE:
      {
        g_autofree char *offered = g_strjoinv (", ", event->locales);

        if (problem->id == NULL)
          return g_strdup_printf (_("No language was given; this event offers %s."), offered);
        return g_strdup_printf (_("This event does not offer the language “%s”; it offers %s."), problem->id,
                                offered);
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
      g_autofree char *path = tp_problem_to_path (p);
      g_autofree char *text = tp_problem_describe (p, event, locale);

      g_string_append_printf (s, "%s%s: %s", i ? "\n" : "", path, text);
    }
  return g_string_free (s, FALSE);
}
