/* tp-survey-page.c: the survey, one question per screen, with progress and back/next. */
#define G_LOG_DOMAIN "tp-survey-page"

#include <glib/gi18n.h>

#include "tp-survey-page.h"

struct _TpSurveyPage
{
  AdwBin          parent_instance;
  GPtrArray      *views;          /* TpQuestionView, in the event's order */
  guint           position;
  GtkStack       *questions;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  GtkButton      *next_button;
};

G_DEFINE_FINAL_TYPE (TpSurveyPage, tp_survey_page, ADW_TYPE_BIN)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update (TpSurveyPage *self)
{
  guint n = self->views->len;
  g_autofree char *progress = g_strdup_printf (_("Question %u of %u"), self->position + 1, n);

  gtk_stack_set_visible_child (self->questions, self->views->pdata[self->position]);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) (self->position + 1) / n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, progress, -1);
  gtk_button_set_label (self->next_button, self->position + 1 < n ? _("Next") : _("Finish"));
}

void
tp_survey_page_go_to (TpSurveyPage *self,
                      guint         position)
{
  g_return_if_fail (TP_IS_SURVEY_PAGE (self));
  g_return_if_fail (position < self->views->len);

  self->position = position;
  update (self);
  tp_question_view_focus (self->views->pdata[position]);
}

gboolean
tp_survey_page_go_next (TpSurveyPage *self)
{
  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), FALSE);

  if (self->position + 1 >= self->views->len)
    return FALSE;
  gtk_stack_set_transition_type (self->questions, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  tp_survey_page_go_to (self, self->position + 1);
  return TRUE;
}

gboolean
tp_survey_page_go_back (TpSurveyPage *self)
{
  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), FALSE);

  if (self->position == 0)
    return FALSE;
  gtk_stack_set_transition_type (self->questions, GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
  tp_survey_page_go_to (self, self->position - 1);
  return TRUE;
}

TpQuestionView *
tp_survey_page_get_current (TpSurveyPage *self)
{
  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), NULL);
  return self->views->pdata[self->position];
}

guint
tp_survey_page_get_position (TpSurveyPage *self)
{
  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), 0);
  return self->position;
}

void
tp_survey_page_apply (TpSurveyPage *self,
                      TpSubmission *submission)
{
  g_return_if_fail (TP_IS_SURVEY_PAGE (self));

  for (guint i = 0; i < self->views->len; i++)
    {
      TpQuestionView *view = self->views->pdata[i];

      tp_submission_set_answer (submission, tp_question_view_get_question (view)->id,
                                tp_question_view_get_answer (view));
    }
}

static const TpProblem *
find_problem (TpQuestionView *view,
              TpValidation   *validation)
{
  return tp_validation_find (validation, TP_PROBLEM_KIND_QUESTION, tp_question_view_get_question (view)->id);
}

gboolean
tp_survey_page_show_current_problem (TpSurveyPage *self,
                                     TpValidation *validation)
{
  TpQuestionView *view;
  const TpProblem *problem;

  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), FALSE);

  view = self->views->pdata[self->position];
  problem = find_problem (view, validation);
  tp_question_view_show_problem (view, problem);
  return problem != NULL;
}

gboolean
tp_survey_page_show_problems (TpSurveyPage *self,
                              TpValidation *validation)
{
  g_return_val_if_fail (TP_IS_SURVEY_PAGE (self), FALSE);

  for (guint i = 0; i < self->views->len; i++)
    {
      const TpProblem *problem = find_problem (self->views->pdata[i], validation);

      if (problem == NULL)
        continue;
      tp_survey_page_go_to (self, i);
      tp_question_view_show_problem (self->views->pdata[i], problem);
      return TRUE;
    }
  return FALSE;
}

static void
view_changed_cb (TpSurveyPage *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tp_survey_page_dispose (GObject *object)
{
  TpSurveyPage *self = TP_SURVEY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_SURVEY_PAGE);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  G_OBJECT_CLASS (tp_survey_page_parent_class)->dispose (object);
}

static void
tp_survey_page_class_init (TpSurveyPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_survey_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-survey-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpSurveyPage, questions);
  gtk_widget_class_bind_template_child (widget_class, TpSurveyPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TpSurveyPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TpSurveyPage, next_button);

  /* An answer was chosen or typed in any question. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_survey_page_init (TpSurveyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->views = g_ptr_array_new ();
}

TpSurveyPage *
tp_survey_page_new (TpEvent    *event,
                    const char *locale)
{
  TpSurveyPage *self = g_object_new (TP_TYPE_SURVEY_PAGE, NULL);

  g_return_val_if_fail (event->survey->len > 0, self);

  for (guint i = 0; i < event->survey->len; i++)
    {
      TpQuestionView *view = tp_question_view_new (event, event->survey->pdata[i], locale);

      g_signal_connect_swapped (view, "changed", G_CALLBACK (view_changed_cb), self);
      g_ptr_array_add (self->views, view);
      gtk_stack_add_child (self->questions, GTK_WIDGET (view));
    }
  update (self);
  return self;
}
