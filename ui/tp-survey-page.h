/* tp-survey-page.h: the survey, one question per screen, with progress and back/next. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-lead.h"
#include "tp-question-view.h"

G_BEGIN_DECLS

#define TP_TYPE_SURVEY_PAGE (tp_survey_page_get_type ())
G_DECLARE_FINAL_TYPE (TpSurveyPage, tp_survey_page, TP, SURVEY_PAGE, AdwBin)

TpSurveyPage   *tp_survey_page_new          (TpEvent      *event,
                                             const char   *locale);
TpQuestionView *tp_survey_page_get_current  (TpSurveyPage *self);
guint           tp_survey_page_get_position (TpSurveyPage *self);
/* Shows the next or previous question; FALSE when there is none. */
gboolean        tp_survey_page_go_next      (TpSurveyPage *self);
gboolean        tp_survey_page_go_back      (TpSurveyPage *self);
/* Shows a question by its position (0-based). */
void            tp_survey_page_go_to        (TpSurveyPage *self,
                                             guint         position);
/* Copies every answer into the submission (questions left blank are removed from it). */
void            tp_survey_page_apply        (TpSurveyPage *self,
                                             TpSubmission *submission);
/* Shows the problem about the question on screen, or clears its message; TRUE if there was
 * one. Problems about questions further on are for later. */
gboolean        tp_survey_page_show_current_problem (TpSurveyPage *self,
                                                     TpValidation *validation);
/* Goes to the first question with a problem and shows it there; FALSE if none has one. */
gboolean        tp_survey_page_show_problems (TpSurveyPage *self,
                                              TpValidation *validation);

G_END_DECLS
