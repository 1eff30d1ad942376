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

typedef struct
{
  char          *path;     /* "fields.email", "consents.privacy", "answers.nps", "age_confirmed", "locale" */
  char          *id;       /* The field, consent or question id; the locale asked for; NULL for age. */
  TpProblemCode  code;
} TpProblem;

typedef struct
{
  GPtrArray *problems;     /* TpProblem, in the event's order */
} TpValidation;

void          tp_validation_free      (TpValidation *validation);
/* The first problem for path, or NULL. */
const TpProblem *tp_validation_find   (TpValidation *validation,
                                       const char   *path);
/* A sentence for a person in locale ("ko" or "en"), naming the field by its label. */
char         *tp_problem_describe     (const TpProblem *problem,
                                       TpEvent         *event,
                                       const char      *locale);
/* All problems as one message, each starting with its path: for the command line. */
char         *tp_validation_to_string (TpValidation *validation,
                                       TpEvent      *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpValidation, tp_validation_free)

/* Checks a submission against the event. Returns NULL when it is valid. */
TpValidation *tp_submission_validate  (TpSubmission *submission,
                                       TpEvent      *event);
/* Validates one field value alone, for inline messages while typing. */
gboolean      tp_field_value_check    (const TpField *field,
                                       const char    *value,
                                       TpProblemCode *code);

G_END_DECLS
