/* tp-answer.h: one answer to a survey question: an option id, a list of them, a number or a text. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

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

G_END_DECLS
