/* tp-validation.h: a submission checked against the event, and its problems. */
#pragma once

#include <glib.h>

#include "tp-event.h"
#include "tp-submission.h"

G_BEGIN_DECLS

typedef enum
{
  TP_PROBLEM_REQUIRED,       /* Missing or empty. */
  TP_PROBLEM_TOO_LONG,
  TP_PROBLEM_BAD_UTF8,
  TP_PROBLEM_CONTROL_CHARS,
  TP_PROBLEM_BAD_EMAIL,
  TP_PROBLEM_BAD_PHONE,
  TP_PROBLEM_NOT_GRANTED,    /* A required consent was refused. */
  TP_PROBLEM_UNDER_AGE,      /* The age was not confirmed. */
  TP_PROBLEM_UNKNOWN,        /* Not in the event definition. */
  TP_PROBLEM_BAD_OPTION,     /* Not one of the question's options. */
  TP_PROBLEM_WRONG_TYPE,     /* Wrong kind of answer for the question. */
  TP_PROBLEM_OUT_OF_RANGE,   /* Number outside the scale, or too few/many choices. */
  TP_PROBLEM_DUPLICATE,      /* The same option twice. */
  TP_PROBLEM_BAD_LOCALE,
} TpProblemCode;

/* What a problem is about, and so where the kiosk shows it: the consent page has consents and
 * the age, the details page fields, the survey questions. Flags, so that a page can ask for the
 * kinds it shows. */
typedef enum
{
  TP_PROBLEM_KIND_LOCALE   = 1 << 0,  /* The submission's language. */
  TP_PROBLEM_KIND_CONSENT  = 1 << 1,
  TP_PROBLEM_KIND_AGE      = 1 << 2,  /* The age confirmation. */
  TP_PROBLEM_KIND_FIELD    = 1 << 3,
  TP_PROBLEM_KIND_QUESTION = 1 << 4,
} TpProblemKind;

#define TP_PROBLEM_KIND_ALL (TP_PROBLEM_KIND_LOCALE | TP_PROBLEM_KIND_CONSENT | TP_PROBLEM_KIND_AGE | \
                             TP_PROBLEM_KIND_FIELD | TP_PROBLEM_KIND_QUESTION)

typedef struct
{
  TpProblemKind  kind;     /* Exactly one kind. */
  char          *id;       /* The consent, field or question id (also one the event does not
                            * define, with TP_PROBLEM_UNKNOWN); the locale asked for, or NULL;
                            * NULL for the age. */
  TpProblemCode  code;
} TpProblem;

/* Where the problem is in the `touchpoint capture --json` shape: "locale", "consents.privacy",
 * "age_confirmed", "fields.email", "answers.nps". The command line starts its lines with it. */
char         *tp_problem_to_path      (const TpProblem *problem);
/* A sentence for a person in locale ("ko" or "en"), naming the field by its label. */
char         *tp_problem_describe     (const TpProblem *problem,
                                       TpEvent         *event,
                                       const char      *locale);

typedef struct
{
  GPtrArray *problems;     /* TpProblem: the locale, consents, age, fields, questions, each in the
                            * event's order, then ids the event does not define, sorted */
} TpValidation;

void          tp_validation_free      (TpValidation *validation);
/* The first problem of kind about id (NULL for the age), or NULL. */
const TpProblem *tp_validation_find   (TpValidation  *validation,
                                       TpProblemKind  kind,
                                       const char    *id);
/* All problems as one message, a line each, starting with its path: for the command line. */
char         *tp_validation_to_string (TpValidation *validation,
                                       TpEvent      *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpValidation, tp_validation_free)

/* Checks a submission against the event. Returns NULL when it is valid. */
TpValidation *tp_submission_validate  (TpSubmission  *submission,
                                       TpEvent       *event);
/* The problems of some kinds only: what one page of the kiosk shows. NULL when there are none. */
TpValidation *tp_submission_validate_kinds (TpSubmission  *submission,
                                            TpEvent       *event,
                                            TpProblemKind  kinds);
/* Validates one field value alone (inline messages while typing use it). When it is valid and
 * normal is not NULL, *normal gets its stored form (tp_field_value_normalize), or NULL for a
 * blank optional value. */
gboolean      tp_field_value_check    (const TpField  *field,
                                       const char     *value,
                                       char          **normal,
                                       TpProblemCode  *code);

G_END_DECLS
