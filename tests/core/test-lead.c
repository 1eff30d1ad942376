/* test-lead.c: submission validation: each bad input names its field; phone and email formats. */
#include "tests/tp-test-util.h"
#include "tp-data-resources.h"
#include "tp-i18n.h"

#include <string.h>

typedef void (*Spoil) (TpSubmission *s);

#define SPOIL(name, ...) static void name (TpSubmission *s) { __VA_ARGS__; }

SPOIL (no_name, tp_submission_set_field (s, "name", NULL))
SPOIL (blank_name, tp_submission_set_field (s, "name", "   "))
/* Names that show nothing: zero-width space and joiner, byte order mark, Hangul fillers,
 * direction marks. */
SPOIL (zwsp_name, tp_submission_set_field (s, "name", "\u200B"))
SPOIL (zwj_name, tp_submission_set_field (s, "name", "\u200D\u200D"))
SPOIL (bom_name, tp_submission_set_field (s, "name", "\uFEFF"))
SPOIL (filler_name, tp_submission_set_field (s, "name", "\u3164\u3164\u3164"))
SPOIL (halfwidth_filler_name, tp_submission_set_field (s, "name", "\uFFA0 \u115F\u1160"))
SPOIL (marks_name, tp_submission_set_field (s, "name", "\u200F\u200E\u061C"))
SPOIL (long_name, tp_submission_set_field (s, "name", "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차"))
SPOIL (bad_utf8_name, tp_submission_set_field (s, "name", "Hong\xff\xfe"))
SPOIL (control_name, tp_submission_set_field (s, "name", "Hong\x07Gil"))
SPOIL (newline_name, tp_submission_set_field (s, "name", "Hong\nGil"))
SPOIL (bidi_name, tp_submission_set_field (s, "name", "Hong\xe2\x80\xaeGil"))
SPOIL (bad_email, tp_submission_set_field (s, "email", "hong.example.com"))
SPOIL (bad_email2, tp_submission_set_field (s, "email", "hong@@example.com"))
SPOIL (bad_email3, tp_submission_set_field (s, "email", "hong@example"))
SPOIL (bad_email4, tp_submission_set_field (s, "email", ".hong@example.com"))
SPOIL (bad_email5, tp_submission_set_field (s, "email", "hong@exa_mple.com"))
SPOIL (no_email, tp_submission_set_field (s, "email", ""))
SPOIL (bad_phone, tp_submission_set_field (s, "phone", "12345"))
SPOIL (bad_phone2, tp_submission_set_field (s, "phone", "010-1234-567a"))
SPOIL (bad_phone3, tp_submission_set_field (s, "phone", "+0 1234 5678"))
SPOIL (bad_phone4, tp_submission_set_field (s, "phone", "015-1234-5678"))
SPOIL (long_company, tp_submission_set_field (s, "company", "x\x01"))
SPOIL (unknown_field, tp_submission_set_field (s, "birthday", "2000-01-01"))
SPOIL (privacy_refused, tp_submission_set_consent (s, "privacy", FALSE))
SPOIL (privacy_missing, g_hash_table_remove (s->consents, "privacy"))
SPOIL (unknown_consent, tp_submission_set_consent (s, "sell-data", TRUE))
SPOIL (under_age, s->age_confirmed = FALSE)
SPOIL (bad_locale, g_free (s->locale); s->locale = g_strdup ("fr"))
SPOIL (no_answer, tp_submission_set_answer (s, "visit_reason", NULL))
SPOIL (bad_option, tp_submission_set_answer (s, "visit_reason", tp_answer_new_string ("shopping")))
SPOIL (single_as_list, const char *l[] = { "gift", NULL }; tp_submission_set_answer (s, "visit_reason", tp_answer_new_list (l)))
SPOIL (multi_as_string, tp_submission_set_answer (s, "interests", tp_answer_new_string ("green")))
SPOIL (multi_empty, const char *l[] = { NULL }; tp_submission_set_answer (s, "interests", tp_answer_new_list (l)))
SPOIL (multi_bad, const char *l[] = { "green", "coffee", NULL }; tp_submission_set_answer (s, "interests", tp_answer_new_list (l)))
SPOIL (multi_twice, const char *l[] = { "green", "green", NULL }; tp_submission_set_answer (s, "interests", tp_answer_new_list (l)))
SPOIL (rating_high, tp_submission_set_answer (s, "booth_rating", tp_answer_new_number (6)))
SPOIL (rating_low, tp_submission_set_answer (s, "booth_rating", tp_answer_new_number (0)))
SPOIL (rating_text, tp_submission_set_answer (s, "booth_rating", tp_answer_new_string ("5")))
SPOIL (nps_high, tp_submission_set_answer (s, "nps", tp_answer_new_number (11)))
SPOIL (nps_negative, tp_submission_set_answer (s, "nps", tp_answer_new_number (-1)))
SPOIL (text_number, tp_submission_set_answer (s, "wish", tp_answer_new_number (3)))
SPOIL (text_control, tp_submission_set_answer (s, "wish", tp_answer_new_string ("a\x1b[31mred")))
SPOIL (text_long, g_autofree char *t = g_strnfill (301, 'x'); tp_submission_set_answer (s, "wish", tp_answer_new_string (t)))
SPOIL (unknown_question, tp_submission_set_answer (s, "favourite_colour", tp_answer_new_string ("red")))

typedef struct
{
  const char    *name;
  Spoil          spoil;
  TpProblemKind  kind;
  const char    *id;     /* The field, consent or question the case spoils. */
  const char    *path;   /* What the command line says: part of its contract. */
  TpProblemCode  code;
} BadInput;

/* The kinds, short for the table. */
#define LOCALE TP_PROBLEM_KIND_LOCALE
#define CONSENT TP_PROBLEM_KIND_CONSENT
#define AGE TP_PROBLEM_KIND_AGE
#define FIELD TP_PROBLEM_KIND_FIELD
#define QUESTION TP_PROBLEM_KIND_QUESTION

static const BadInput bad_inputs[] = {
  { "no name", no_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "blank name", blank_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "zero-width space", zwsp_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "zero-width joiners", zwj_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "byte order mark", bom_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "Hangul fillers", filler_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "half-width and jamo fillers", halfwidth_filler_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "direction marks", marks_name, FIELD, "name", "fields.name", TP_PROBLEM_REQUIRED },
  { "long name", long_name, FIELD, "name", "fields.name", TP_PROBLEM_TOO_LONG },
  { "bad UTF-8", bad_utf8_name, FIELD, "name", "fields.name", TP_PROBLEM_BAD_UTF8 },
  { "control character", control_name, FIELD, "name", "fields.name", TP_PROBLEM_CONTROL_CHARS },
  { "newline in a field", newline_name, FIELD, "name", "fields.name", TP_PROBLEM_CONTROL_CHARS },
  { "bidi override", bidi_name, FIELD, "name", "fields.name", TP_PROBLEM_CONTROL_CHARS },
  { "email without @", bad_email, FIELD, "email", "fields.email", TP_PROBLEM_BAD_EMAIL },
  { "email with two @", bad_email2, FIELD, "email", "fields.email", TP_PROBLEM_BAD_EMAIL },
  { "email without a dot", bad_email3, FIELD, "email", "fields.email", TP_PROBLEM_BAD_EMAIL },
  { "email starting with a dot", bad_email4, FIELD, "email", "fields.email", TP_PROBLEM_BAD_EMAIL },
  { "email domain with _", bad_email5, FIELD, "email", "fields.email", TP_PROBLEM_BAD_EMAIL },
  { "empty email", no_email, FIELD, "email", "fields.email", TP_PROBLEM_REQUIRED },
  { "short phone", bad_phone, FIELD, "phone", "fields.phone", TP_PROBLEM_BAD_PHONE },
  { "phone with a letter", bad_phone2, FIELD, "phone", "fields.phone", TP_PROBLEM_BAD_PHONE },
  { "country code 0", bad_phone3, FIELD, "phone", "fields.phone", TP_PROBLEM_BAD_PHONE },
  { "015 is no mobile prefix", bad_phone4, FIELD, "phone", "fields.phone", TP_PROBLEM_BAD_PHONE },
  { "optional field with control", long_company, FIELD, "company", "fields.company", TP_PROBLEM_CONTROL_CHARS },
  { "unknown field", unknown_field, FIELD, "birthday", "fields.birthday", TP_PROBLEM_UNKNOWN },
  { "privacy refused", privacy_refused, CONSENT, "privacy", "consents.privacy", TP_PROBLEM_NOT_GRANTED },
  { "privacy not given", privacy_missing, CONSENT, "privacy", "consents.privacy", TP_PROBLEM_NOT_GRANTED },
  { "unknown consent", unknown_consent, CONSENT, "sell-data", "consents.sell-data", TP_PROBLEM_UNKNOWN },
  { "under age", under_age, AGE, NULL, "age_confirmed", TP_PROBLEM_UNDER_AGE },
  { "locale", bad_locale, LOCALE, "fr", "locale", TP_PROBLEM_BAD_LOCALE },
  { "required answer missing", no_answer, QUESTION, "visit_reason", "answers.visit_reason", TP_PROBLEM_REQUIRED },
  { "not an option", bad_option, QUESTION, "visit_reason", "answers.visit_reason", TP_PROBLEM_BAD_OPTION },
  { "list for single", single_as_list, QUESTION, "visit_reason", "answers.visit_reason", TP_PROBLEM_WRONG_TYPE },
  { "string for multi", multi_as_string, QUESTION, "interests", "answers.interests", TP_PROBLEM_WRONG_TYPE },
  { "empty multi", multi_empty, QUESTION, "interests", "answers.interests", TP_PROBLEM_REQUIRED },
  { "multi with a bad option", multi_bad, QUESTION, "interests", "answers.interests", TP_PROBLEM_BAD_OPTION },
  { "multi twice", multi_twice, QUESTION, "interests", "answers.interests", TP_PROBLEM_DUPLICATE },
  { "rating 6 of 5", rating_high, QUESTION, "booth_rating", "answers.booth_rating", TP_PROBLEM_OUT_OF_RANGE },
  { "rating 0", rating_low, QUESTION, "booth_rating", "answers.booth_rating", TP_PROBLEM_OUT_OF_RANGE },
  { "rating as text", rating_text, QUESTION, "booth_rating", "answers.booth_rating", TP_PROBLEM_WRONG_TYPE },
  { "nps 11", nps_high, QUESTION, "nps", "answers.nps", TP_PROBLEM_OUT_OF_RANGE },
  { "nps -1", nps_negative, QUESTION, "nps", "answers.nps", TP_PROBLEM_OUT_OF_RANGE },
  { "number for text", text_number, QUESTION, "wish", "answers.wish", TP_PROBLEM_WRONG_TYPE },
  { "escape sequence in text", text_control, QUESTION, "wish", "answers.wish", TP_PROBLEM_CONTROL_CHARS },
  { "text too long", text_long, QUESTION, "wish", "answers.wish", TP_PROBLEM_TOO_LONG },
  { "unknown question", unknown_question, QUESTION, "favourite_colour", "answers.favourite_colour", TP_PROBLEM_UNKNOWN },
};

static void
test_valid (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = tp_submission_validate (s, event);

  g_assert_null (v);
}

static void
test_bad_inputs (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      const BadInput *c = &bad_inputs[i];
      g_autoptr(TpSubmission) s = tp_test_demo_submission ();
      g_autoptr(TpValidation) v = NULL;
      const TpProblem *p;
      g_autofree char *en = NULL;
      g_autofree char *path = NULL;

      c->spoil (s);
      v = tp_submission_validate (s, event);
      if (v == NULL)
        g_error ("%s: accepted, expected a problem at %s", c->name, c->path);
      /* Exactly one problem, at the field the case spoiled. */
      if (v->problems->len != 1)
        {
          g_autofree char *all = tp_validation_to_string (v, event);
          g_error ("%s: expected one problem at %s, got:\n%s", c->name, c->path, all);
        }
      /* It is typed: the kind and the id say where it belongs, without reading a path. */
      p = v->problems->pdata[0];
      if (p->kind != c->kind || g_strcmp0 (p->id, c->id) != 0)
        g_error ("%s: problem of kind %d about %s, expected kind %d about %s", c->name, p->kind, p->id,
                 c->kind, c->id);
      g_assert_true (tp_validation_find (v, c->kind, c->id) == p);
      if (p->code != c->code)
        g_error ("%s: problem code %d, expected %d", c->name, p->code, c->code);
      path = tp_problem_to_path (p);
      g_assert_cmpstr (path, ==, c->path);
      en = tp_problem_describe (p, event, "en");
      g_assert_cmpuint (strlen (en), >, 5);
    }
}

/* Each page of the kiosk asks for its own kinds of problem and gets those only, in the order
 * of the whole validation. */
static void
test_page_kinds (void)
{
  static const TpProblemKind pages[] = {
    CONSENT | AGE, FIELD, QUESTION, LOCALE, CONSENT, AGE, FIELD | QUESTION, TP_PROBLEM_KIND_ALL,
  };
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) all = NULL;

  /* One problem of every kind, two of fields. */
  g_free (s->locale);
  s->locale = g_strdup ("fr");
  tp_submission_set_consent (s, "privacy", FALSE);
  s->age_confirmed = FALSE;
  tp_submission_set_field (s, "name", NULL);
  tp_submission_set_field (s, "phone", "12345");
  tp_submission_set_answer (s, "nps", NULL);
  all = tp_submission_validate (s, event);
  g_assert_nonnull (all);
  g_assert_cmpuint (all->problems->len, ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(TpValidation) page = tp_submission_validate_kinds (s, event, pages[i]);
      guint k = 0;

      g_assert_nonnull (page);
      for (guint j = 0; j < all->problems->len; j++)
        {
          const TpProblem *expected = all->problems->pdata[j];
          const TpProblem *got;

          if (!(expected->kind & pages[i]))
            continue;
          g_assert_cmpuint (k, <, page->problems->len);
          got = page->problems->pdata[k++];
          g_assert_cmpint (got->kind, ==, expected->kind);
          g_assert_cmpstr (got->id, ==, expected->id);
          g_assert_cmpint (got->code, ==, expected->code);
        }
      g_assert_cmpuint (k, ==, page->problems->len);
    }

  /* A page with nothing wrong gets no validation at all. */
  s->age_confirmed = TRUE;
  g_assert_null (tp_submission_validate_kinds (s, event, AGE));
}

/* A field and a question may have the same id: the message is the field's, from the kind. */
static void
test_shared_id (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tp_data_get_resource (),
                                                    "/io/github/touchpoint/Kiosk/demo-event.json", 0, NULL);
  g_autoptr(GString) json = g_string_new (g_bytes_get_data (bytes, NULL));
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *en = NULL;

  g_assert_cmpuint (g_string_replace (json, "\"id\": \"wish\"", "\"id\": \"name\"", 1), ==, 1);
  event = tp_event_new_from_data (json->str, json->len, "shared-id", &error);
  g_assert_no_error (error);
  tp_submission_set_answer (s, "wish", NULL);
  tp_submission_set_field (s, "name", NULL);
  v = tp_submission_validate (s, event);
  g_assert_nonnull (v);
  g_assert_cmpuint (v->problems->len, ==, 1);
  g_assert_nonnull (tp_validation_find (v, FIELD, "name"));
  g_assert_null (tp_validation_find (v, QUESTION, "name"));
  en = tp_problem_describe (v->problems->pdata[0], event, "en");
  g_assert_cmpstr (en, ==, "Name is required.");
}

static void
test_optional_may_be_absent (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = NULL;

  tp_submission_set_answer (s, "wish", NULL);
  tp_submission_set_answer (s, "purchase_timing", NULL);
  tp_submission_set_field (s, "company", "");
  g_hash_table_remove (s->consents, "marketing");
  v = tp_submission_validate (s, event);
  g_assert_null (v);
}

static void
test_phone_formats (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "010-1234-5678", "+821012345678" },
    { "01012345678", "+821012345678" },
    { "010 1234 5678", "+821012345678" },
    { "011-123-4567", "+82111234567" },
    { "(010) 1234.5678", "+821012345678" },
    { "+82 10-1234-5678", "+821012345678" },
    { "+82 010 1234 5678", "+821012345678" },
    { "0082 10 1234 5678", "+821012345678" },
    { "02-123-4567", "+8221234567" },
    { "031-123-4567", "+82311234567" },
    { "+44 7700 900123", "+447700900123" },
    { "+1 (415) 555-2671", "+14155552671" },
    { "1234", NULL },
    { "010-1234-56789", NULL },
    { "+82 15 1234 5678", NULL },
    { "+1234567", NULL },
    { "+12345678901234567", NULL },
    { "010-1234-5678 ext", NULL },
    { "++821012345678", NULL },
    /* Typed with a Korean input method in full-width mode, or pasted from a document. */
    { "０１０－１２３４－５６７８", "+821012345678" },
    { "＋８２ １０ １２３４ ５６７８", "+821012345678" },
    { "010–1234–5678", "+821012345678" },
    { "010—1234‐5678", "+821012345678" },
    { "010\u00a01234\u30005678", "+821012345678" },
    { "010-1234-567８ ext", NULL },
    { "٠١٠-1234-5678", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tp_phone_normalize (cases[i].in);

      if (g_strcmp0 (out, cases[i].out) != 0)
        g_error ("%s: got %s, expected %s", cases[i].in, out, cases[i].out);
    }
}

static void
test_email_formats (void)
{
  static const char * const good[] = { "a@b.co", "hong.gil-dong+booth@example.co.kr", "x_y@mail.example.com",
                                       "user@bücher.example", NULL };
  static const char * const bad[] = { "", "a", "@b.co", "a@", "a@b", "a@b.c", "a@.b.co", "a@b..co", "a..b@c.co",
                                      "a@-b.co", "a@b-.co", "a b@c.co", "a@b.c0", "한글@example.com", NULL };

  for (guint i = 0; good[i]; i++)
    if (!tp_email_is_valid (good[i]))
      g_error ("refused a good address: %s", good[i]);
  for (guint i = 0; bad[i]; i++)
    if (tp_email_is_valid (bad[i]))
      g_error ("accepted a bad address: %s", bad[i]);
}

static void
test_json_shape (void)
{
  static const struct { const char *json; const char *path; } cases[] = {
    { "[]", "$" },
    { "{\"fields\": []}", "fields" },
    { "{\"fields\": {\"name\": 3}}", "fields.name" },
    { "{\"consents\": {\"privacy\": \"yes\"}}", "consents.privacy" },
    { "{\"age_confirmed\": 1}", "age_confirmed" },
    { "{\"answers\": {\"nps\": 9.5}}", "answers.nps" },
    { "{\"answers\": {\"interests\": [1, 2]}}", "answers.interests[0]" },
    { "{\"answers\": {\"nps\": {}}}", "answers.nps" },
    { "{\"locale\": 7}", "locale" },
    { "{\"coupon\": \"free\"}", "coupon" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpSubmission) s = tp_submission_new_from_json (node, &error);

      g_assert_null (s);
      g_assert_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED);
      if (!g_str_has_prefix (error->message, cases[i].path) || error->message[strlen (cases[i].path)] != ':')
        g_error ("%s: got \"%s\", expected it to name %s", cases[i].json, error->message, cases[i].path);
    }
}

/* Answers written as 10.0 (Python's json, spreadsheets) are the whole number they show;
 * 9.5 is refused above, and 1e300 fits no scale. */
static void
test_json_whole_numbers (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TpSubmission) s = NULL;
  g_autoptr(TpAnswer) huge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = tp_test_demo_submission_json ();
  g_autofree char *decimal = NULL;
  const char *whole = "\"booth_rating\": 5, \"nps\": 10";
  char *at = strstr (json, whole);
  const TpAnswer *a;

  g_assert_nonnull (at);
  decimal = g_strdup_printf ("%.*s\"booth_rating\": 4.0, \"nps\": 10.0%s",
                             (int) (at - json), json, at + strlen (whole));
  node = json_from_string (decimal, &error);
  g_assert_no_error (error);
  s = tp_submission_new_from_json (node, &error);
  g_assert_no_error (error);
  a = g_hash_table_lookup (s->answers, "nps");
  g_assert_cmpint (a->kind, ==, TP_ANSWER_NUMBER);
  g_assert_cmpint (a->number, ==, 10);
  g_assert_cmpint (((const TpAnswer *) g_hash_table_lookup (s->answers, "booth_rating"))->number, ==, 4);
  g_assert_null (tp_submission_validate (s, event));

  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("1e300", NULL);
  huge = tp_answer_new_from_json (node, &error);
  g_assert_null (huge);
  g_assert_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED);
}

/* A language the event does not offer: the message says which was asked for and which exist. */
static void
test_locale_message (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = NULL;
  g_autofree char *text = NULL;

  g_free (s->locale);
  s->locale = g_strdup ("fr");
  v = tp_submission_validate (s, event);
  g_assert_nonnull (v);
  text = tp_validation_to_string (v, event);
  g_assert_true (g_str_has_prefix (text, "locale: "));
  g_assert_nonnull (strstr (text, "fr"));
  g_assert_nonnull (strstr (text, "ko, en"));
}

/* The command line's messages name each field in the language of the sentence. */
static void
test_message_language (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpValidation) v = NULL;
  g_autofree char *ko = NULL, *en = NULL;

  tp_submission_set_field (s, "name", NULL);
  v = tp_submission_validate (s, event);
  g_assert_nonnull (v);

  tp_i18n_init ();
  tp_i18n_set_language ("ko");
  g_assert_cmpstr (tp_i18n_message_language (), ==, "ko");
  ko = tp_validation_to_string (v, event);
  tp_i18n_set_language ("en");
  g_assert_cmpstr (tp_i18n_message_language (), ==, "en");
  en = tp_validation_to_string (v, event);

  g_test_message ("%s / %s", ko, en);
  g_assert_true (g_str_has_prefix (ko, "fields.name: 이름"));
  g_assert_true (g_str_has_prefix (en, "fields.name: Name"));
}

/* A Korean message is a natural sentence: no "이(가)" or "은(는)" for a particle the
 * translation cannot know, and no question or consent quoted into it (the message stands
 * beside them). */
static void
assert_natural_korean (const TpProblem *problem,
                       TpEvent         *event,
                       const char      *quoted)
{
  static const char * const alternations[] = { "(가)", "(는)", "(를)", "(으)", "(와)", "(과)", "(이)", NULL };
  g_autofree char *text = tp_problem_describe (problem, event, "ko");

  g_test_message ("%s %d: %s", problem->id, problem->code, text);
  for (guint i = 0; alternations[i]; i++)
    if (strstr (text, alternations[i]))
      g_error ("\"%s\" picks no particle: %s", text, alternations[i]);
  if (quoted && strstr (text, quoted))
    g_error ("\"%s\" quotes \"%s\"", text, quoted);
}

static void
test_korean_messages (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  TpProblem problem = { 0 };
  g_autofree char *consent = NULL, *question = NULL, *field = NULL;

  tp_i18n_init ();
  tp_i18n_set_language ("ko");
  for (TpProblemCode code = TP_PROBLEM_REQUIRED; code <= TP_PROBLEM_BAD_LOCALE; code++)
    {
      problem.code = code;
      problem.kind = TP_PROBLEM_KIND_FIELD;
      for (guint i = 0; i < event->fields->len; i++)
        {
          problem.id = ((TpField *) event->fields->pdata[i])->id;
          assert_natural_korean (&problem, event, NULL);
        }
      problem.kind = TP_PROBLEM_KIND_QUESTION;
      for (guint i = 0; i < event->survey->len; i++)
        {
          const TpQuestion *q = event->survey->pdata[i];

          problem.id = q->id;
          assert_natural_korean (&problem, event, tp_text_get (q->label, "ko"));
        }
      /* A consent is refused or unknown, nothing else. */
      problem.kind = TP_PROBLEM_KIND_CONSENT;
      for (guint i = 0; (code == TP_PROBLEM_NOT_GRANTED || code == TP_PROBLEM_UNKNOWN) && i < event->consents->len; i++)
        {
          const TpConsent *c = event->consents->pdata[i];

          problem.id = c->id;
          assert_natural_korean (&problem, event, tp_text_get (c->title, "ko"));
        }
      problem.kind = TP_PROBLEM_KIND_LOCALE;
      problem.id = (char *) "fr";
      assert_natural_korean (&problem, event, NULL);
    }

  /* The two the kiosk shows most. */
  problem = (TpProblem) { .kind = TP_PROBLEM_KIND_CONSENT, .id = (char *) "privacy", .code = TP_PROBLEM_NOT_GRANTED };
  consent = tp_problem_describe (&problem, event, "ko");
  g_assert_cmpstr (consent, ==, "등록하려면 이 내용에 동의해 주세요.");
  problem = (TpProblem) { .kind = TP_PROBLEM_KIND_QUESTION, .id = (char *) "visit_reason", .code = TP_PROBLEM_REQUIRED };
  question = tp_problem_describe (&problem, event, "ko");
  g_assert_cmpstr (question, ==, "이 질문에 답해 주세요.");
  problem = (TpProblem) { .kind = TP_PROBLEM_KIND_FIELD, .id = (char *) "name", .code = TP_PROBLEM_TOO_LONG };
  field = tp_problem_describe (&problem, event, "ko");
  g_assert_cmpstr (field, ==, "이름 항목은 50자까지 입력할 수 있습니다.");
  tp_i18n_set_language ("en");
}

static void
test_segments (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpSegmentResult) r = NULL;
  g_autoptr(TpSegmentResult) r2 = NULL;
  const char *none[] = { "black", NULL };

  /* NPS 10 tags a promoter; green tea with a top rating chooses the tasting class. */
  r = tp_segments_evaluate (event, s->answers);
  g_assert_true (g_strv_contains ((const char * const *) r->tags, "promoter"));
  g_assert_true (g_strv_contains ((const char * const *) r->tags, "tea-lover"));
  g_assert_cmpstr (r->offer, ==, "tasting-class");
  g_assert_cmpstr (r->segment, ==, "tea-lover");

  /* Nothing matches an offer: the default. A detractor is tagged. */
  tp_submission_set_answer (s, "interests", tp_answer_new_list (none));
  tp_submission_set_answer (s, "nps", tp_answer_new_number (3));
  r2 = tp_segments_evaluate (event, s->answers);
  g_assert_cmpstr (r2->offer, ==, "welcome-10");
  g_assert_null (r2->segment);
  g_assert_cmpstrv (r2->tags, ((const char * const[]) { "detractor", NULL }));
}

static void
test_clear_wipes (void)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();

  tp_submission_clear (s);
  g_assert_cmpuint (g_hash_table_size (s->fields), ==, 0);
  g_assert_cmpuint (g_hash_table_size (s->answers), ==, 0);
  g_assert_cmpuint (g_hash_table_size (s->consents), ==, 0);
  g_assert_false (s->age_confirmed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/lead/valid", test_valid);
  g_test_add_func ("/touchpoint/lead/bad-inputs", test_bad_inputs);
  g_test_add_func ("/touchpoint/lead/page-kinds", test_page_kinds);
  g_test_add_func ("/touchpoint/lead/shared-id", test_shared_id);
  g_test_add_func ("/touchpoint/lead/optional", test_optional_may_be_absent);
  g_test_add_func ("/touchpoint/lead/phone", test_phone_formats);
  g_test_add_func ("/touchpoint/lead/email", test_email_formats);
  g_test_add_func ("/touchpoint/lead/json-shape", test_json_shape);
  g_test_add_func ("/touchpoint/lead/json-whole-numbers", test_json_whole_numbers);
  g_test_add_func ("/touchpoint/lead/locale-message", test_locale_message);
  g_test_add_func ("/touchpoint/lead/message-language", test_message_language);
  g_test_add_func ("/touchpoint/lead/korean-messages", test_korean_messages);
  g_test_add_func ("/touchpoint/lead/segments", test_segments);
  g_test_add_func ("/touchpoint/lead/clear", test_clear_wipes);
  return g_test_run ();
}
