/* tp-visit-view.c: one visitor's way through the kiosk, from welcome to reward, and their data. */
#define G_LOG_DOMAIN "tp-visit-view"

#include <glib/gi18n.h>

#include "tp-visit-view.h"
#include "tp-consent-page.h"
#include "tp-declined-page.h"
#include "tp-details-page.h"
#include "tp-reward-page.h"
#include "tp-survey-page.h"
#include "tp-ui.h"
#include "tp-welcome-page.h"

#include "tp-i18n.h"

struct _TpVisitView
{
  AdwBin          parent_instance;
  TpEvent        *event;
  TpStore        *store;
  char           *language;
  TpSubmission   *submission;
  gboolean        stored;
  gboolean        storing;   /* A capture is on the store's thread: every step waits for it. */

  TpWelcomePage  *welcome;
  TpConsentPage  *consent;
  TpDetailsPage  *details;
  TpSurveyPage   *survey;
  TpRewardPage   *reward;
  TpDeclinedPage *declined;

  GPtrArray      *leaving;        /* Pages off screen, destroyed once the next frame is out. */
  guint           leaving_source;

  GtkStack       *stack;
  GtkRevealer    *storage_revealer;
  GtkLabel       *storage_label;
};

G_DEFINE_FINAL_TYPE (TpVisitView, tp_visit_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  PROP_PAGE_NAME,
  N_PROPS
};

enum
{
  FINISHED,
  ACTIVITY,
  STORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
activity_cb (TpVisitView *self)
{
  g_signal_emit (self, signals[ACTIVITY], 0);
}

/* Every page wraps Korean between words, its messages included. */
static void
add_page (TpVisitView *self,
          GtkWidget   *page,
          const char  *name)
{
  tp_ui_keep_words (page);
  gtk_stack_add_named (self->stack, page, name);
}

/* Removes a page from the stack; its widgets wipe what they hold as they go. */
static void
drop_page (TpVisitView  *self,
           gpointer     *page)
{
  if (*page == NULL)
    return;
  gtk_stack_remove (self->stack, GTK_WIDGET (*page));
  *page = NULL;
}

static gboolean
drop_leaving_cb (gpointer data)
{
  TpVisitView *self = data;

  self->leaving_source = 0;
  for (guint i = 0; i < self->leaving->len; i++)
    gtk_stack_remove (self->stack, self->leaving->pdata[i]);
  g_ptr_array_set_size (self->leaving, 0);
  return G_SOURCE_REMOVE;
}

/* Like drop_page, but after the frame that shows the next page: tearing down the form is not
 * what the visitor waits for. They are off screen meanwhile and the submission is wiped. */
static void
drop_page_later (TpVisitView *self,
                 gpointer    *page)
{
  if (*page == NULL)
    return;
  g_ptr_array_add (self->leaving, *page);
  *page = NULL;
  if (self->leaving_source == 0)
    self->leaving_source = g_idle_add_full (G_PRIORITY_LOW, drop_leaving_cb, self, NULL);
}

static void
show_page (TpVisitView            *self,
           GtkWidget              *page,
           GtkStackTransitionType  transition)
{
  gtk_stack_set_visible_child_full (self->stack, gtk_stack_page_get_name (gtk_stack_get_page (self->stack, page)),
                                    transition);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_NAME]);
  tp_visit_view_focus (self);
}

void
tp_visit_view_focus (TpVisitView *self)
{
  GtkWidget *page;

  g_return_if_fail (TP_IS_VISIT_VIEW (self));

  /* Each page names its first useful control: the first widget in the focus chain may be a
   * button that ends the visit (Enter, Enter would decline) or not an input at all. */
  page = tp_visit_view_get_page (self);
  if (TP_IS_WELCOME_PAGE (page))
    tp_welcome_page_focus (TP_WELCOME_PAGE (page));
  else if (TP_IS_CONSENT_PAGE (page))
    tp_consent_page_focus (TP_CONSENT_PAGE (page));
  else if (TP_IS_DETAILS_PAGE (page))
    tp_details_page_focus (TP_DETAILS_PAGE (page));
  else if (TP_IS_SURVEY_PAGE (page))
    tp_question_view_focus (tp_survey_page_get_current (TP_SURVEY_PAGE (page)));
  else if (TP_IS_REWARD_PAGE (page))
    tp_reward_page_focus (TP_REWARD_PAGE (page));
  else if (TP_IS_DECLINED_PAGE (page))
    tp_declined_page_focus (TP_DECLINED_PAGE (page));
}

static void
forward (TpVisitView *self,
         GtkWidget   *page)
{
  show_page (self, page, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
}

static void
backward (TpVisitView *self,
          GtkWidget   *page)
{
  show_page (self, page, GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT);
}

const char *
tp_visit_view_get_page_name (TpVisitView *self)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
tp_visit_view_get_page (TpVisitView *self)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), NULL);
  return gtk_stack_get_visible_child (self->stack);
}

const char *
tp_visit_view_get_language (TpVisitView *self)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), NULL);
  return self->language;
}

gboolean
tp_visit_view_is_pristine (TpVisitView *self)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), FALSE);

  return self->consent == NULL && self->declined == NULL && !self->stored &&
         g_strcmp0 (self->language, self->event->default_locale) == 0;
}

static void
ensure_welcome (TpVisitView *self)
{
  if (self->welcome)
    return;
  self->welcome = tp_welcome_page_new (self->event, self->language);
  add_page (self, GTK_WIDGET (self->welcome), "welcome");
}

/* Later pages are built when the visitor first reaches them, in their language. */
static void
ensure_consent (TpVisitView *self)
{
  if (self->consent)
    return;
  self->consent = tp_consent_page_new (self->event, self->language);
  add_page (self, GTK_WIDGET (self->consent), "consent");
}

static void
ensure_details (TpVisitView *self)
{
  if (self->details)
    return;
  self->details = tp_details_page_new (self->event, self->language);
  g_signal_connect_swapped (self->details, "changed", G_CALLBACK (activity_cb), self);
  add_page (self, GTK_WIDGET (self->details), "details");
}

static void
ensure_survey (TpVisitView *self)
{
  if (self->survey)
    return;
  self->survey = tp_survey_page_new (self->event, self->language);
  g_signal_connect_swapped (self->survey, "changed", G_CALLBACK (activity_cb), self);
  add_page (self, GTK_WIDGET (self->survey), "survey");
}

/* A new language starts the visit over: nothing was entered yet on the welcome page, and
 * every page after it is built again in the new language when reached. */
static void
set_language (TpVisitView *self,
              const char  *language)
{
  if (language == NULL || !tp_event_has_locale (self->event, language))
    return;
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  tp_i18n_set_language (language);

  g_free (self->submission->locale);
  self->submission->locale = g_strdup (language);
  tp_submission_clear (self->submission);
  drop_page (self, (gpointer *) &self->consent);
  drop_page (self, (gpointer *) &self->details);
  drop_page (self, (gpointer *) &self->survey);
  drop_page (self, (gpointer *) &self->declined);
  drop_page (self, (gpointer *) &self->welcome);
  ensure_welcome (self);
  show_page (self, GTK_WIDGET (self->welcome), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
show_storage_problem (TpVisitView *self,
                      gboolean     show)
{
  gtk_label_set_label (self->storage_label,
                       _("Sorry, your registration could not be saved. Please ask a member of staff for help. "
                         "Your answers are still here."));
  gtk_revealer_set_reveal_child (self->storage_revealer, show);
}

/* Goes back to a page that was left, unless it is on screen. */
static void
return_to (TpVisitView *self,
           GtkWidget   *page)
{
  if (page != tp_visit_view_get_page (self))
    backward (self, page);
}

/* Takes the visitor to the page of the first problem the core found and shows there every
 * problem of that page: the kind of the problem says which page. The page comes first, then
 * the problems, which put the focus on the first wrong answer. */
static void
show_validation (TpVisitView  *self,
                 TpValidation *validation)
{
  const TpProblem *first = validation->problems->pdata[0];
  gboolean shown = FALSE;

  switch (first->kind)
    {
    case TP_PROBLEM_KIND_CONSENT:
    case TP_PROBLEM_KIND_AGE:
      return_to (self, GTK_WIDGET (self->consent));
      shown = tp_consent_page_show_problems (self->consent, validation);
      break;
    case TP_PROBLEM_KIND_FIELD:
      return_to (self, GTK_WIDGET (self->details));
      shown = tp_details_page_show_problems (self->details, validation);
      break;
    case TP_PROBLEM_KIND_QUESTION:
      if (self->survey == NULL)
        break;
      return_to (self, GTK_WIDGET (self->survey));
      shown = tp_survey_page_show_problems (self->survey, validation);
      break;
    case TP_PROBLEM_KIND_LOCALE:
    default:
      break;
    }

  if (!shown)
    {
      g_autofree char *text = tp_validation_to_string (validation, self->event);

      /* The pages offer no way to make such a submission: the event and the kiosk disagree. */
      g_critical ("The kiosk's submission was refused: %s", text);
    }
}

/* Copies what the page on screen holds into the submission. Each page does so as the visitor
 * leaves it, forward or back, so the submission is always what the pages show. */
static void
apply_page (TpVisitView *self)
{
  GtkWidget *page = tp_visit_view_get_page (self);

  if (page == NULL)
    return;
  if (page == GTK_WIDGET (self->consent))
    tp_consent_page_apply (self->consent, self->submission);
  else if (page == GTK_WIDGET (self->details))
    tp_details_page_apply (self->details, self->submission);
  else if (page == GTK_WIDGET (self->survey))
    tp_survey_page_apply (self->survey, self->submission);
}

static void
disable_navigation (TpVisitView *self)
{
  static const char * const actions[] = { "visit.start", "visit.next", "visit.back", "visit.submit",
                                          "visit.decline", "visit.language", NULL };

  for (guint i = 0; actions[i]; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], FALSE);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(TpVisitView) self = data;
  g_autoptr(TpCapture) capture = NULL;
  g_autoptr(GError) error = NULL;

  capture = tp_store_capture_plan_finish (TP_STORE (source), result, &error);
  self->storing = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "storing");
  /* The visit ended meanwhile (the window closed): nothing left to show. */
  if (self->event == NULL)
    return;
  if (capture == NULL)
    {
      /* The message names the store's file and the failure, never the visitor's data. */
      g_warning ("The lead could not be stored: %s", error->message);
      show_storage_problem (self, TRUE);
      return;
    }

  self->stored = TRUE;
  show_storage_problem (self, FALSE);
  disable_navigation (self);
  self->reward = tp_reward_page_new (self->event, self->language, capture);
  {
    g_autoptr(GError) printer_error = NULL;
    TpReceiptWidth width;
    g_autofree char *printer = tp_coupon_printer_get_configured (self->store, &width, &printer_error);

    /* Without the printer staff chose there is no Print button; the coupon is on screen. */
    if (printer_error)
      g_warning ("The coupon printer setting cannot be read: %s", printer_error->message);
    tp_reward_page_set_printer (self->reward, printer, width);
  }
  add_page (self, GTK_WIDGET (self->reward), "reward");
  show_page (self, GTK_WIDGET (self->reward), GTK_STACK_TRANSITION_TYPE_NONE);

  /* Stored: the visitor's input is needed no more, on screen or in memory. */
  tp_submission_clear (self->submission);
  drop_page_later (self, (gpointer *) &self->consent);
  drop_page_later (self, (gpointer *) &self->details);
  drop_page_later (self, (gpointer *) &self->survey);
  drop_page_later (self, (gpointer *) &self->declined);
  drop_page_later (self, (gpointer *) &self->welcome);
  g_signal_emit (self, signals[STORED], 0, capture->lead_id);
}

static void
submit (TpVisitView *self)
{
  g_autoptr(TpCapturePlan) plan = NULL;
  g_autoptr(TpValidation) validation = NULL;

  if (self->stored || self->storing || self->consent == NULL || self->details == NULL)
    return;
  apply_page (self);

  /* The core checks the whole submission once; a refusal comes back typed. */
  plan = tp_submission_prepare (self->submission, self->event, NULL, &validation, NULL);
  if (plan == NULL)
    {
      show_validation (self, validation);
      return;
    }

  /* The transaction (and its fsync) runs on the store's thread; the reward page appears only
   * once it has committed. Until then no step of the visit moves. */
  self->storing = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "storing");
  tp_store_capture_plan_async (self->store, g_steal_pointer (&plan), NULL, stored_cb, g_object_ref (self));
}

gboolean
tp_visit_view_is_storing (TpVisitView *self)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), FALSE);

  return self->storing;
}

static void
start_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TpVisitView *self = TP_VISIT_VIEW (widget);

  if (self->storing)
    return;

  ensure_consent (self);
  forward (self, GTK_WIDGET (self->consent));
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpVisitView *self = TP_VISIT_VIEW (widget);
  GtkWidget *page = tp_visit_view_get_page (self);

  if (self->storing)
    return;

  if (page == GTK_WIDGET (self->welcome))
    start_activated (widget, NULL, NULL);
  /* The last step is the submission, which the core checks whole; before it, each page asks
   * the core for its own problems only. */
  else if (page == GTK_WIDGET (self->consent))
    {
      g_autoptr(TpValidation) validation = NULL;

      apply_page (self);
      validation = tp_submission_validate_kinds (self->submission, self->event,
                                                 TP_PROBLEM_KIND_CONSENT | TP_PROBLEM_KIND_AGE);
      if (tp_consent_page_show_problems (self->consent, validation))
        return;
      ensure_details (self);
      forward (self, GTK_WIDGET (self->details));
    }
  else if (page == GTK_WIDGET (self->details))
    {
      g_autoptr(TpValidation) validation = NULL;

      if (self->event->survey->len == 0)
        {
          submit (self);
          return;
        }
      apply_page (self);
      validation = tp_submission_validate_kinds (self->submission, self->event, TP_PROBLEM_KIND_FIELD);
      if (tp_details_page_show_problems (self->details, validation))
        return;
      ensure_survey (self);
      forward (self, GTK_WIDGET (self->survey));
    }
  else if (page == GTK_WIDGET (self->survey))
    {
      g_autoptr(TpValidation) validation = NULL;

      if (tp_survey_page_get_position (self->survey) + 1 == self->event->survey->len)
        {
          submit (self);
          return;
        }
      apply_page (self);
      validation = tp_submission_validate_kinds (self->submission, self->event, TP_PROBLEM_KIND_QUESTION);
      if (tp_survey_page_show_current_problem (self->survey, validation))
        return;
      tp_survey_page_go_next (self->survey);
    }
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TpVisitView *self = TP_VISIT_VIEW (widget);
  GtkWidget *page = tp_visit_view_get_page (self);

  if (self->storing)
    return;

  if (page == GTK_WIDGET (self->consent))
    {
      /* Back on the welcome page the visit is over: whoever taps Start next must find an
       * empty form, not what this visitor typed before walking away. */
      tp_submission_clear (self->submission);
      backward (self, GTK_WIDGET (self->welcome));
      drop_page_later (self, (gpointer *) &self->consent);
      drop_page_later (self, (gpointer *) &self->details);
      drop_page_later (self, (gpointer *) &self->survey);
      drop_page_later (self, (gpointer *) &self->declined);
    }
  else if (page == GTK_WIDGET (self->details))
    {
      apply_page (self);
      backward (self, GTK_WIDGET (self->consent));
    }
  else if (page == GTK_WIDGET (self->survey))
    {
      apply_page (self);
      if (!tp_survey_page_go_back (self->survey))
        backward (self, GTK_WIDGET (self->details));
    }
  else if (page == GTK_WIDGET (self->declined))
    backward (self, GTK_WIDGET (self->consent));
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  submit (TP_VISIT_VIEW (widget));
}

static void
decline_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TpVisitView *self = TP_VISIT_VIEW (widget);
  const char *reason = g_variant_get_string (parameter, NULL);

  if (self->storing)
    return;

  /* Nothing is stored for a visitor who declines, and nothing they typed or answered stays
   * behind "Go back" for whoever comes next: the form is built afresh if they change their
   * mind. */
  tp_submission_clear (self->submission);
  drop_page (self, (gpointer *) &self->details);
  drop_page (self, (gpointer *) &self->survey);
  drop_page (self, (gpointer *) &self->declined);
  self->declined = tp_declined_page_new (self->event, g_str_equal (reason, "age") ? TP_DECLINED_AGE
                                                                                   : TP_DECLINED_CONSENT);
  add_page (self, GTK_WIDGET (self->declined), "declined");
  forward (self, GTK_WIDGET (self->declined));
}

static void
done_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[FINISHED], 0);
}

gboolean
tp_visit_view_handle_key (TpVisitView     *self,
                          guint            keyval,
                          guint            keycode,
                          GdkModifierType  state,
                          guint32          time)
{
  g_return_val_if_fail (TP_IS_VISIT_VIEW (self), FALSE);

  if (self->details == NULL || tp_visit_view_get_page (self) != GTK_WIDGET (self->details))
    return FALSE;
  return tp_details_page_handle_key (self->details, keyval, keycode, state, time);
}

static void
tp_visit_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TpVisitView *self = TP_VISIT_VIEW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_PAGE_NAME:
      g_value_set_string (value, tp_visit_view_get_page_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_visit_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TpVisitView *self = TP_VISIT_VIEW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      /* Before the pages exist (construction) only the value is kept. */
      if (self->event == NULL)
        {
          g_free (self->language);
          self->language = g_value_dup_string (value);
        }
      else
        set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_visit_view_dispose (GObject *object)
{
  TpVisitView *self = TP_VISIT_VIEW (object);

  if (self->submission)
    tp_submission_clear (self->submission);
  g_clear_pointer (&self->submission, tp_submission_free);
  g_clear_handle_id (&self->leaving_source, g_source_remove);
  g_clear_pointer (&self->leaving, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_VISIT_VIEW);
  self->welcome = NULL;
  self->consent = NULL;
  self->details = NULL;
  self->survey = NULL;
  self->reward = NULL;
  self->declined = NULL;
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->language, g_free);
  G_OBJECT_CLASS (tp_visit_view_parent_class)->dispose (object);
}

static void
tp_visit_view_class_init (TpVisitViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_visit_view_dispose;
  object_class->get_property = tp_visit_view_get_property;
  object_class->set_property = tp_visit_view_set_property;

  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_NAME] = g_param_spec_string ("page-name", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ACTIVITY] = g_signal_new ("activity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[STORED] = g_signal_new ("stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-visit-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TpVisitView, stack);
  gtk_widget_class_bind_template_child (widget_class, TpVisitView, storage_revealer);
  gtk_widget_class_bind_template_child (widget_class, TpVisitView, storage_label);

  gtk_widget_class_install_action (widget_class, "visit.start", NULL, start_activated);
  gtk_widget_class_install_action (widget_class, "visit.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "visit.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "visit.submit", NULL, submit_activated);
  gtk_widget_class_install_action (widget_class, "visit.decline", "s", decline_activated);
  gtk_widget_class_install_action (widget_class, "visit.done", NULL, done_activated);
  gtk_widget_class_install_property_action (widget_class, "visit.language", "language");
}

static void
tp_visit_view_init (TpVisitView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tp_ui_keep_words (GTK_WIDGET (self));
  self->leaving = g_ptr_array_new ();
}

TpVisitView *
tp_visit_view_new (TpEvent    *event,
                   TpStore    *store,
                   const char *language)
{
  TpVisitView *self = g_object_new (TP_TYPE_VISIT_VIEW, NULL);

  if (language == NULL || !tp_event_has_locale (event, language))
    language = event->default_locale;
  self->event = tp_event_ref (event);
  self->store = g_object_ref (store);
  self->language = g_strdup (language);
  self->submission = tp_submission_new (language);
  tp_i18n_set_language (language);
  ensure_welcome (self);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->welcome));
  return self;
}
