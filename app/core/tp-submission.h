/* tp-submission.h: what one visitor entered: fields, consent decisions, answers. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tp-answer.h"

G_BEGIN_DECLS

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

G_END_DECLS
