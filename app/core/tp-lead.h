/* tp-lead.h: a visitor's submission (fields, consent decisions, answers) and its validation. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

#define TP_LEAD_ERROR (tp_lead_error_quark ())
GQuark tp_lead_error_quark (void);

typedef enum
{
  TP_LEAD_ERROR_INVALID,   /* Validation failed; see the TpValidation for every field. */
  TP_LEAD_ERROR_MALFORMED, /* The submission JSON does not have the expected shape. */
} TpLeadError;

typedef enum
{
  TP_ANSWER_STRING,   /* single: an option id; text: the text */
  TP_ANSWER_LIST,     /* multi: option ids */
  TP_ANSWER_NUMBER,   /* rating, nps */
} TpAnswerKind;

typedef struct
{
  TpAnswerKind   kind;
  char          *string;   /* STRING */
  char         **list;     /* LIST */
  gint64         number;   /* NUMBER */
} TpAnswer;

TpAnswer *tp_answer_new_string  (const char         *string);
TpAnswer *tp_answer_new_list    (const char * const *options);
TpAnswer *tp_answer_new_number  (gint64              number);
TpAnswer *tp_answer_copy        (const TpAnswer     *answer);
void      tp_answer_free        (TpAnswer           *answer);
JsonNode *tp_answer_to_json     (const TpAnswer     *answer);
/* NULL with error when the JSON value is none of the shapes above. */
TpAnswer *tp_answer_new_from_json (JsonNode         *node,
                                   GError          **error);
/* A human-readable form for exports: option ids joined by ";", the number, or the text. */
char     *tp_answer_to_display  (const TpAnswer     *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAnswer, tp_answer_free)

typedef struct
{
  char       *locale;
  GHashTable *fields;        /* id → value (char *) */
  GHashTable *consents;      /* id → GINT_TO_POINTER (granted ? 1 : 0) */
  gboolean    age_confirmed;
  GHashTable *answers;       /* question id → TpAnswer */
} TpSubmission;

TpSubmission *tp_submission_new            (const char    *locale);
void          tp_submission_free           (TpSubmission  *submission);
void          tp_submission_set_field      (TpSubmission  *submission,
                                            const char    *id,
                                            const char    *value);
void          tp_submission_set_consent    (TpSubmission  *submission,
                                            const char    *id,
                                            gboolean       granted);
/* Takes ownership of answer; NULL removes the answer. */
void          tp_submission_set_answer     (TpSubmission  *submission,
                                            const char    *question,
                                            TpAnswer      *answer);
/* Overwrites and frees every string so that nothing of the visitor stays in memory. */
void          tp_submission_clear          (TpSubmission  *submission);
/* Reads the `touchpoint capture --json` shape. */
TpSubmission *tp_submission_new_from_json  (JsonNode      *root,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSubmission, tp_submission_free)

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
/* Normalises a phone number to digits with an optional leading "+". */
char         *tp_phone_normalize      (const char    *value);
gboolean      tp_email_is_valid       (const char    *value);

/* What the segment rules give for a submission's answers. */
typedef struct
{
  char      **tags;        /* Union of the matching segments' tags, in order, no repeats. */
  char       *offer;       /* First matching segment's offer, else the default offer. */
  char       *segment;     /* The segment that chose the offer, or NULL for the default. */
} TpSegmentResult;

TpSegmentResult *tp_segments_evaluate  (TpEvent      *event,
                                        GHashTable   *answers);
void             tp_segment_result_free (TpSegmentResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSegmentResult, tp_segment_result_free)

G_END_DECLS
