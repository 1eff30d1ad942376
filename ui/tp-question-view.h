/* tp-question-view.h: one survey question and the controls to answer it, by question type. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-lead.h"

G_BEGIN_DECLS

#define TP_TYPE_QUESTION_VIEW (tp_question_view_get_type ())
G_DECLARE_FINAL_TYPE (TpQuestionView, tp_question_view, TP, QUESTION_VIEW, AdwBin)

/* The event must outlive the view. */
TpQuestionView   *tp_question_view_new           (TpEvent          *event,
                                                  const TpQuestion *question,
                                                  const char       *locale);
const TpQuestion *tp_question_view_get_question  (TpQuestionView   *self);
/* The answer as chosen now, or NULL when nothing is chosen or typed. */
TpAnswer         *tp_question_view_get_answer    (TpQuestionView   *self);
/* Shows a problem with the answer beside the question, in the view's language; NULL clears it. */
void              tp_question_view_show_problem  (TpQuestionView   *self,
                                                  const TpProblem  *problem);
/* Moves keyboard focus to the first control. */
void              tp_question_view_focus         (TpQuestionView   *self);

G_END_DECLS
