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

G_END_DECLS
