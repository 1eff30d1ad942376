/* test-kiosk-widgets.c: a smoke test per kiosk widget under Xvfb: each builds from its
 * template, shows, and does its one job; and the scan detector's timing rules. */
#include "kiosk-test-util.h"

#include <string.h>

#include "tp-data-resources.h"
#include "tp-i18n.h"
#include "tp-pin.h"
#include "ui/tp-consent-page.h"
#include "ui/tp-coupon-view.h"
#include "ui/tp-declined-page.h"
#include "ui/tp-details-page.h"
#include "ui/tp-field-row.h"
#include "ui/tp-first-run-page.h"
#include "ui/tp-pin-pad.h"
#include "ui/tp-question-view.h"
#include "ui/tp-reward-page.h"
#include "ui/tp-scan-detector.h"
#include "ui/tp-staff-page.h"
#include "ui/tp-still-there.h"
#include "ui/tp-survey-page.h"
#include "ui/tp-visit-view.h"
#include "ui/tp-welcome-page.h"

typedef struct
{
  char      *dir;
  TpStore   *store;
  TpEvent   *event;
  GtkWindow *window;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tp_i18n_set_language ("ko");
  f->dir = tp_test_mkdtemp ();
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  f->event = tp_event_new_demo ();
  f->window = GTK_WINDOW (adw_window_new ());
  gtk_widget_add_css_class (GTK_WIDGET (f->window), "kiosk");
  gtk_window_set_default_size (f->window, 1024, 768);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  if (f->window)
    gtk_window_destroy (f->window);
  kiosk_test_spin ();
  g_assert_null (f->window);
  g_clear_pointer (&f->event, tp_event_unref);
  g_clear_object (&f->store);
  tp_test_rmdir (f->dir);
  g_free (f->dir);
}

/* Puts widget on screen alone and waits until it is painted. */
static void
show (Fixture   *f,
      GtkWidget *widget)
{
  adw_window_set_content (ADW_WINDOW (f->window), widget);
  gtk_window_present (f->window);
  kiosk_test_wait_for_frame (widget);
  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
  g_assert_cmpint (gtk_widget_get_height (widget), >, 0);
}

/* An event in Korean only, with no survey. */
static TpEvent *
single_language_event (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "ui", "single-language-event.json", NULL);
  g_autoptr(GError) error = NULL;
  TpEvent *event = tp_event_new_from_file (path, &error);

  g_assert_no_error (error);
  return event;
}

static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  TpWelcomePage *page = tp_welcome_page_new (f->event, "en");
  g_autoptr(TpEvent) single = single_language_event ();

  show (f, GTK_WIDGET (page));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "welcome-title"))), ==,
                   "Maru Tea House Seongsu Pop-up Store");
  g_assert_nonnull (kiosk_test_find (GTK_WIDGET (page), "language-ko"));
  g_assert_nonnull (kiosk_test_find (GTK_WIDGET (page), "language-en"));
  g_assert_nonnull (kiosk_test_find (GTK_WIDGET (page), "start-button"));

  /* One language: no switch to offer. */
  page = tp_welcome_page_new (single, "ko");
  show (f, GTK_WIDGET (page));
  g_assert_null (kiosk_test_find (GTK_WIDGET (page), "language-en"));
}

static void
test_consent (Fixture       *f,
              gconstpointer  data)
{
  TpConsentPage *page = tp_consent_page_new (f->event, "ko");
  g_autoptr(TpSubmission) submission = tp_submission_new ("ko");
  g_autoptr(TpValidation) validation = NULL;

  show (f, GTK_WIDGET (page));
  /* Nothing is ticked for the visitor. */
  tp_consent_page_apply (page, submission);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, "privacy")), ==, 0);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (submission->consents, "marketing")), ==, 0);
  g_assert_false (submission->age_confirmed);
  validation = tp_submission_validate (submission, f->event);
  g_assert_true (tp_consent_page_show_problems (page, validation));
  g_clear_pointer (&validation, tp_validation_free);

  kiosk_test_click (GTK_WIDGET (page), "consent-privacy-check");
  kiosk_test_click (GTK_WIDGET (page), "age-check");
  tp_consent_page_apply (page, submission);
  validation = tp_submission_validate (submission, f->event);
  g_assert_false (tp_consent_page_show_problems (page, validation));
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (kiosk_test_get (GTK_WIDGET (page), "age-check"))), ==,
                   "만 14세 이상입니다");
}

static void
test_field_row (Fixture       *f,
                gconstpointer  data)
{
  const TpField *phone = tp_event_get_field (f->event, "phone");
  TpFieldRow *row = tp_field_row_new (f->event, phone, "en");
  GtkEntry *entry = tp_field_row_get_entry (row);

  show (f, GTK_WIDGET (row));
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (entry)), ==, "field-phone");
  g_assert_cmpint (gtk_entry_get_input_purpose (entry), ==, GTK_INPUT_PURPOSE_PHONE);
  g_assert_false (gtk_editable_get_enable_undo (GTK_EDITABLE (entry)));
  tp_field_row_set_text (row, "12");
  g_assert_false (tp_field_row_check (row, TRUE));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  tp_field_row_set_text (row, "010-1234-5678");
  g_assert_true (tp_field_row_check (row, TRUE));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  /* Empty and required: quiet while moving through the form, reported on "next". */
  tp_field_row_set_text (row, "");
  g_assert_false (tp_field_row_check (row, FALSE));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (tp_field_row_check (row, TRUE));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
}

static void
test_details (Fixture       *f,
              gconstpointer  data)
{
  TpDetailsPage *page = tp_details_page_new (f->event, "ko");
  g_autoptr(TpSubmission) submission = tp_submission_new ("ko");
  g_autoptr(TpValidation) validation = NULL;

  show (f, GTK_WIDGET (page));
  /* The page shows the problems the core finds with its fields, and only those. */
  tp_details_page_apply (page, submission);
  validation = tp_submission_validate (submission, f->event);
  g_assert_true (tp_details_page_show_problems (page, validation));
  g_assert_true (gtk_widget_has_css_class (kiosk_test_get (GTK_WIDGET (page), "field-name"), "error"));
  g_assert_false (gtk_widget_has_css_class (kiosk_test_get (GTK_WIDGET (page), "field-company"), "error"));
  g_clear_pointer (&validation, tp_validation_free);
  kiosk_test_type (GTK_WIDGET (page), "field-name", "홍길동");
  kiosk_test_type (GTK_WIDGET (page), "field-email", "hong@example.com");
  kiosk_test_type (GTK_WIDGET (page), "field-phone", "010-1234-5678");
  tp_details_page_apply (page, submission);
  validation = tp_submission_validate_kinds (submission, f->event, TP_PROBLEM_KIND_FIELD);
  g_assert_null (validation);
  g_assert_false (tp_details_page_show_problems (page, validation));
  g_assert_false (gtk_widget_has_css_class (kiosk_test_get (GTK_WIDGET (page), "field-name"), "error"));
  g_assert_cmpstr (g_hash_table_lookup (submission->fields, "email"), ==, "hong@example.com");
  /* An empty optional field is left out, not stored as "". */
  g_assert_false (g_hash_table_contains (submission->fields, "company"));
  g_assert_true (tp_details_page_apply_scan (page, "MECARD:N:Doe,Jane;EMAIL:jane@example.com;;"));
  g_assert_false (tp_details_page_apply_scan (page, "hello"));
}

static void
test_question_views (Fixture       *f,
                     gconstpointer  data)
{
  const char *clicks[] = { "option-visit_reason-gift", "option-interests-oolong", "value-booth_rating-3",
                           "value-nps-0", NULL, NULL };

  for (guint i = 0; i < f->event->survey->len; i++)
    {
      const TpQuestion *q = f->event->survey->pdata[i];
      TpQuestionView *view = tp_question_view_new (f->event, q, "ko");
      g_autoptr(TpAnswer) answer = NULL;

      show (f, GTK_WIDGET (view));
      g_assert_null (tp_question_view_get_answer (view));
      if (clicks[i])
        kiosk_test_click (GTK_WIDGET (view), clicks[i]);
      else if (q->type == TP_QUESTION_TEXT)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_test_get (GTK_WIDGET (view),
                                                                                           "text-wish"))),
                                  "좋아요", -1);
      else
        continue;
      answer = tp_question_view_get_answer (view);
      g_assert_nonnull (answer);
      switch (q->type)
        {
        case TP_QUESTION_SINGLE:
          g_assert_cmpstr (answer->string, ==, "gift");
          break;
        case TP_QUESTION_MULTI:
          g_assert_cmpstr (answer->list[0], ==, "oolong");
          break;
        case TP_QUESTION_RATING:
          g_assert_cmpint (answer->number, ==, 3);
          break;
        case TP_QUESTION_NPS:
          g_assert_cmpint (answer->number, ==, 0);
          break;
        case TP_QUESTION_TEXT:
        default:
          g_assert_cmpstr (answer->string, ==, "좋아요");
          break;
        }
      {
        TpProblem problem = { .kind = TP_PROBLEM_KIND_QUESTION, .id = q->id, .code = TP_PROBLEM_REQUIRED };
        g_autofree char *expected = tp_problem_describe (&problem, f->event, "ko");
        GtkWidget *error = kiosk_test_get (GTK_WIDGET (view), "question-error");

        tp_question_view_show_problem (view, &problem);
        g_assert_true (kiosk_test_label_shows (error));
        g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error)), ==, expected);
        tp_question_view_show_problem (view, NULL);
        g_assert_false (kiosk_test_label_shows (error));
      }
    }
}

/* Screen readers announce one-of-several options as radio buttons, several-of as check boxes. */
static void
test_option_roles (Fixture       *f,
                   gconstpointer  data)
{
  TpQuestionView *single = tp_question_view_new (f->event, tp_event_get_question (f->event, "visit_reason"), "ko");
  TpQuestionView *multi = tp_question_view_new (f->event, tp_event_get_question (f->event, "interests"), "ko");
  GtkWidget *radio, *check;

  g_object_ref_sink (single);
  show (f, GTK_WIDGET (multi));
  radio = kiosk_test_get (GTK_WIDGET (single), "option-visit_reason-gift");
  check = kiosk_test_get (GTK_WIDGET (multi), "option-interests-green");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (radio)), ==, GTK_ACCESSIBLE_ROLE_RADIO);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (check)), ==, GTK_ACCESSIBLE_ROLE_CHECKBOX);
  /* Chosen is "checked" for either. */
  kiosk_test_click (GTK_WIDGET (single), "option-visit_reason-gift");
  g_assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (radio), GTK_ACCESSIBLE_STATE_CHECKED));
  g_object_unref (single);
}

/* How many texts shown under root hold needle, case aside. */
static guint
count_shown (GtkWidget  *root,
             const char *needle)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folded = g_utf8_casefold (needle, -1);
  guint n = 0;

  kiosk_test_collect_shown_texts (root, texts);
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *text = g_utf8_casefold (texts->pdata[i], -1);

      n += strstr (text, folded) != NULL;
    }
  return n;
}

/* "Choose all that apply." once: the kiosk's hint, or the question's own words. */
static void
test_question_instruction_once (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tp_data_get_resource (),
                                                    "/io/github/touchpoint/Kiosk/demo-event.json", 0, NULL);
  g_autoptr(GString) json = g_string_new (g_bytes_get_data (bytes, NULL));
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  TpQuestionView *view;

  view = tp_question_view_new (f->event, tp_event_get_question (f->event, "interests"), "ko");
  show (f, GTK_WIDGET (view));
  g_assert_cmpuint (count_shown (GTK_WIDGET (view), "모두 골라"), ==, 1);
  tp_i18n_set_language ("en");
  view = tp_question_view_new (f->event, tp_event_get_question (f->event, "interests"), "en");
  show (f, GTK_WIDGET (view));
  g_assert_cmpuint (count_shown (GTK_WIDGET (view), "Choose all that apply"), ==, 1);

  /* An event whose question says it itself. */
  g_assert_cmpuint (g_string_replace (json, "\"en\": \"Which teas interest you?\"",
                                      "\"en\": \"Which teas interest you? Choose all that apply.\"", 1), ==, 1);
  event = tp_event_new_from_data (json->str, json->len, "instruction", &error);
  g_assert_no_error (error);
  view = tp_question_view_new (event, tp_event_get_question (event, "interests"), "en");
  show (f, GTK_WIDGET (view));
  g_assert_cmpuint (count_shown (GTK_WIDGET (view), "Choose all that apply"), ==, 1);
  tp_i18n_set_language ("ko");
}

static void
test_survey (Fixture       *f,
             gconstpointer  data)
{
  TpSurveyPage *page;

  /* The kiosk's own words follow the message language, set by the visit. */
  tp_i18n_set_language ("en");
  page = tp_survey_page_new (f->event, "en");
  show (f, GTK_WIDGET (page));
  g_assert_false (tp_survey_page_go_back (page));
  for (guint i = 1; i < f->event->survey->len; i++)
    g_assert_true (tp_survey_page_go_next (page));
  g_assert_false (tp_survey_page_go_next (page));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_test_get (GTK_WIDGET (page), "next-button"))), ==, "Finish");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "survey-progress"))), ==,
                   "Question 6 of 6");
}

static void
test_reward (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  g_autoptr(TpCapture) capture = tp_store_capture (f->store, f->event, submission, NULL, NULL, &error);
  TpRewardPage *page;

  g_assert_no_error (error);
  page = tp_reward_page_new (f->event, "ko", capture);
  show (f, GTK_WIDGET (page));
  g_assert_cmpstr (tp_coupon_view_get_code (TP_COUPON_VIEW (kiosk_test_get (GTK_WIDGET (page), "coupon-view"))), ==,
                   capture->coupon_code);
  g_assert_cmpuint (tp_reward_page_get_seconds_left (page), ==, f->event->coupon_seconds);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "reward-countdown"))),
                            "30초"));
}

static void
test_declined (Fixture       *f,
               gconstpointer  data)
{
  TpDeclinedPage *page = tp_declined_page_new (f->event, TP_DECLINED_AGE);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gboolean age = FALSE;

  show (f, GTK_WIDGET (page));
  kiosk_test_collect_texts (GTK_WIDGET (page), texts);
  for (guint i = 0; i < texts->len; i++)
    age |= strstr (texts->pdata[i], "만 14세") != NULL;
  g_assert_true (age);
  page = tp_declined_page_new (f->event, TP_DECLINED_CONSENT);
  show (f, GTK_WIDGET (page));
  g_assert_nonnull (kiosk_test_find (GTK_WIDGET (page), "back-button"));
  g_assert_nonnull (kiosk_test_find (GTK_WIDGET (page), "done-button"));
}

static void
test_still_there (Fixture       *f,
                  gconstpointer  data)
{
  TpStillThere *prompt = tp_still_there_new ();

  tp_still_there_set_seconds (prompt, 7);
  show (f, GTK_WIDGET (prompt));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (prompt), "still-there-countdown"))),
                            "7초"));
  /* Its button acts through the kiosk window's action: alone, it cannot be pressed. */
  g_assert_false (gtk_widget_is_sensitive (kiosk_test_get (GTK_WIDGET (prompt), "still-here-button")));
}

static void
submitted_cb (TpPinPad   *pad,
              const char *pin,
              char      **out)
{
  *out = g_strdup (pin);
}

static void
test_pin_pad (Fixture       *f,
              gconstpointer  data)
{
  TpPinPad *pad = tp_pin_pad_new ();
  g_autofree char *got = NULL;
  GtkLabel *dots;

  g_signal_connect (pad, "submitted", G_CALLBACK (submitted_cb), &got);
  show (f, GTK_WIDGET (pad));
  dots = GTK_LABEL (kiosk_test_get (GTK_WIDGET (pad), "pin-dots"));
  /* Too short: OK does nothing. */
  tp_pin_pad_type (pad, "12");
  kiosk_test_action (GTK_WIDGET (pad), "pin.submit", NULL);
  g_assert_null (got);
  /* The keys, as a finger presses them; the digits never show. */
  kiosk_test_action (GTK_WIDGET (pad), "pin.digit", g_variant_new_string ("3"));
  kiosk_test_action (GTK_WIDGET (pad), "pin.digit", g_variant_new_string ("4"));
  g_assert_cmpstr (gtk_label_get_label (dots), ==, "●●●●");
  kiosk_test_action (GTK_WIDGET (pad), "pin.delete", NULL);
  kiosk_test_action (GTK_WIDGET (pad), "pin.digit", g_variant_new_string ("9"));
  tp_pin_pad_type (pad, "123456789");
  kiosk_test_action (GTK_WIDGET (pad), "pin.submit", NULL);
  g_assert_cmpstr (got, ==, "12391234");
  g_assert_cmpstr (gtk_label_get_label (dots), ==, "○○○○");
}

/* Where widget is in its window, once drawn. */
static graphene_rect_t
place (GtkWidget *widget)
{
  graphene_rect_t bounds;

  kiosk_test_wait_for_frame (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (gtk_widget_get_root (widget)), &bounds));
  return bounds;
}

/* The keys stay where the finger is while a message comes and goes, or the PIN is checked. */
static void
test_pin_pad_stays (Fixture       *f,
                    gconstpointer  data)
{
  TpPinPad *pad = tp_pin_pad_new ();
  graphene_rect_t before, after;
  GtkWidget *key;

  show (f, GTK_WIDGET (pad));
  key = kiosk_test_get (GTK_WIDGET (pad), "pin-key-5");
  before = place (key);
  tp_pin_pad_set_message (pad, "잘못 입력한 횟수가 너무 많습니다. 30초 후에 다시 시도하세요.", TRUE);
  after = place (key);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  tp_pin_pad_set_busy (pad, TRUE);
  after = place (key);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  tp_pin_pad_set_busy (pad, FALSE);
  tp_pin_pad_set_message (pad, "Wrong PIN. 4 more tries before a pause.", TRUE);
  after = place (key);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  tp_pin_pad_set_message (pad, NULL, FALSE);
  after = place (key);
  g_assert_cmpfloat (after.origin.y, ==, before.origin.y);
  g_assert_cmpfloat (after.origin.x, ==, before.origin.x);
}

static void
flag_cb (GtkWidget *widget,
         gboolean  *flag)
{
  *flag = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_first_run_page (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TpStaffAccount) admin = NULL;
  TpFirstRunPage *page;
  GtkWidget *pad;
  gboolean done = FALSE;

  g_assert_true (tp_pin_set (f->store, "1357", NULL));
  admin = tp_staff_get_account (f->store, TP_STAFF_DEFAULT_ADMIN, tp_pin_now (), NULL);
  page = tp_first_run_page_new (f->store, admin);
  g_signal_connect (page, "done", G_CALLBACK (flag_cb), &done);
  show (f, GTK_WIDGET (page));
  pad = kiosk_test_find_type (GTK_WIDGET (page), TP_TYPE_PIN_PAD);
  /* Changing a PIN can be cancelled; a first start cannot. */
  g_assert_true (gtk_widget_get_visible (kiosk_test_get (pad, "pin-cancel")));
  tp_pin_pad_type (TP_PIN_PAD (pad), "8642");
  kiosk_test_action (pad, "pin.submit", NULL);
  tp_pin_pad_type (TP_PIN_PAD (pad), "8642");
  kiosk_test_action (pad, "pin.submit", NULL);
  /* Saved on the store's thread: done comes a moment later. */
  g_assert_false (done);
  g_assert_true (kiosk_test_wait_until (flag_is_set, &done, 10000));
  g_assert_true (tp_pin_check (f->store, "8642", tp_pin_now (), NULL));
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelWait;

static gboolean
label_is (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_label (wait->label), wait->text) == 0;
}

static void
test_staff_page (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TpSubmission) submission = tp_test_demo_submission ();
  TpStaffAccount admin = { .name = (char *) "Kim", .role = TP_STAFF_ROLE_ADMIN };
  TpStaffPage *page = tp_staff_page_new (f->event, f->store, &admin);
  GtkLabel *leads;
  g_autoptr(TpCapture) first = NULL;
  g_autoptr(TpCapture) second = NULL;

  show (f, GTK_WIDGET (page));
  leads = GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "leads-count"));
  /* The counts are read on the store's thread and arrive a moment later. */
  g_assert_true (kiosk_test_wait_until (label_is, &(LabelWait) { leads, "0" }, 10000));
  first = tp_store_capture (f->store, f->event, submission, NULL, NULL, NULL);
  tp_submission_set_consent (submission, "marketing", TRUE);
  second = tp_store_capture (f->store, f->event, submission, NULL, NULL, NULL);
  tp_staff_page_refresh (page);
  g_assert_true (kiosk_test_wait_until (label_is, &(LabelWait) { leads, "2" }, 10000));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "optional-count"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (GTK_WIDGET (page), "coupons-count"))), ==, "2");
}

static void
test_visit_view (Fixture       *f,
                 gconstpointer  data)
{
  TpVisitView *visit = tp_visit_view_new (f->event, f->store, "xx");

  show (f, GTK_WIDGET (visit));
  /* A language the event does not offer falls back to its own. */
  g_assert_cmpstr (tp_visit_view_get_language (visit), ==, "ko");
  g_assert_cmpstr (tp_visit_view_get_page_name (visit), ==, "welcome");
  g_assert_true (tp_visit_view_is_pristine (visit));
  kiosk_test_action (GTK_WIDGET (visit), "visit.start", NULL);
  g_assert_cmpstr (tp_visit_view_get_page_name (visit), ==, "consent");
  g_assert_false (tp_visit_view_is_pristine (visit));
  /* Key presses are only looked at for scans on the details page. */
  g_assert_false (tp_visit_view_handle_key (visit, 'a', 0, 0, 10));
}

static void
test_kiosk_window (Fixture       *f,
                   gconstpointer  data)
{
  TpKioskWindow *kiosk;

  gtk_window_destroy (f->window);
  g_assert_true (tp_pin_set (f->store, "4321", NULL));
  kiosk = tp_kiosk_window_new (NULL, f->event, f->store);
  f->window = GTK_WINDOW (kiosk);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (f->window);
  kiosk_test_wait_for_frame (GTK_WIDGET (kiosk));
  g_assert_cmpstr (tp_kiosk_window_get_mode (kiosk), ==, "visit");
  g_assert_false (tp_kiosk_window_is_still_there_shown (kiosk));
  /* The hidden corner for staff is there, with a name for screen readers. */
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (kiosk_test_get (GTK_WIDGET (kiosk), "staff-corner")),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  tp_kiosk_window_set_locked_down (kiosk, FALSE);
}

static void
test_visit_without_survey (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TpEvent) event = single_language_event ();
  TpVisitView *visit = tp_visit_view_new (event, f->store, "ko");

  show (f, GTK_WIDGET (visit));
  g_assert_null (kiosk_test_find (GTK_WIDGET (visit), "language-ko"));
  kiosk_test_action (GTK_WIDGET (visit), "visit.start", NULL);
  kiosk_test_click (tp_visit_view_get_page (visit), "consent-privacy-check");
  kiosk_test_click (tp_visit_view_get_page (visit), "age-check");
  kiosk_test_action (GTK_WIDGET (visit), "visit.next", NULL);
  kiosk_test_type (tp_visit_view_get_page (visit), "field-name", "김민준");
  /* No survey: the details page is the last, and "next" stores the lead. */
  kiosk_test_action (GTK_WIDGET (visit), "visit.next", NULL);
  g_assert_cmpstr (tp_visit_view_get_page_name (visit), ==, "reward");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
}

/* ---- The scan detector ------------------------------------------------------------------ */

typedef struct
{
  guint  bursts;
  char  *payload;
} Scans;

static void
burst_cb (TpScanDetector *detector,
          Scans          *scans)
{
  scans->bursts++;
}

static void
scanned_cb (TpScanDetector *detector,
            const char     *payload,
            Scans          *scans)
{
  g_free (scans->payload);
  scans->payload = g_strdup (payload);
}

static guint
feed (TpScanDetector *detector,
      const char     *text,
      guint32        *time,
      guint           gap)
{
  guint stopped = 0;

  for (const char *c = text; *c; c++)
    {
      *time += gap;
      stopped += tp_scan_detector_feed (detector, *c == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval (*c), 0, 0, *time);
    }
  return stopped;
}

static void
test_scan_detector (void)
{
  g_autoptr(TpScanDetector) detector = tp_scan_detector_new ();
  Scans scans = { 0 };
  guint32 time = 1000;

  g_signal_connect (detector, "burst-started", G_CALLBACK (burst_cb), &scans);
  g_signal_connect (detector, "scanned", G_CALLBACK (scanned_cb), &scans);

  /* A scan: the first keys pass (nobody can tell yet), the rest are held back. */
  g_assert_cmpuint (feed (detector, "MECARD:N:Doe;;\n", &time, 5), ==, strlen ("MECARD:N:Doe;;\n") - TP_SCAN_MIN_KEYS + 1);
  kiosk_test_wait (TP_SCAN_END_MS + 100);
  g_assert_cmpstr (scans.payload, ==, "MECARD:N:Doe;;");
  g_assert_cmpuint (scans.bursts, ==, 1);
  g_clear_pointer (&scans.payload, g_free);

  /* A person: keys 120 ms apart are never held back, and nothing is reported. */
  time += 1000;
  g_assert_cmpuint (feed (detector, "hello world\n", &time, 120), ==, 0);
  kiosk_test_wait (TP_SCAN_END_MS + 100);
  g_assert_null (scans.payload);

  /* A held-down key repeats fast but is one character: typing, not a scan. */
  time += 1000;
  g_assert_cmpuint (feed (detector, "aaaaaaaaaaaaaaaa", &time, 30), ==, 0);
  kiosk_test_wait (TP_SCAN_END_MS + 100);
  g_assert_null (scans.payload);

  /* Shift between the characters of a scan neither counts nor breaks it. */
  time += 1000;
  for (const char *c = "ABCDEFGHIJ"; *c; c++)
    {
      time += 3;
      tp_scan_detector_feed (detector, GDK_KEY_Shift_L, 50, 0, time);
      time += 3;
      tp_scan_detector_feed (detector, gdk_unicode_to_keyval (*c), 0, GDK_SHIFT_MASK, time);
    }
  kiosk_test_wait (TP_SCAN_END_MS + 100);
  g_assert_cmpstr (scans.payload, ==, "ABCDEFGHIJ");
  g_clear_pointer (&scans.payload, g_free);
}

int
main (int    argc,
      char **argv)
{
  kiosk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/touchpoint/kiosk/widget/" path, Fixture, NULL, set_up, func, tear_down)
  ADD ("welcome-page", test_welcome);
  ADD ("consent-page", test_consent);
  ADD ("field-row", test_field_row);
  ADD ("details-page", test_details);
  ADD ("question-views", test_question_views);
  ADD ("survey-page", test_survey);
  ADD ("question-instruction-once", test_question_instruction_once);
  ADD ("option-roles", test_option_roles);
  ADD ("reward-page", test_reward);
  ADD ("declined-page", test_declined);
  ADD ("still-there", test_still_there);
  ADD ("pin-pad", test_pin_pad);
  ADD ("pin-pad-stays", test_pin_pad_stays);
  ADD ("first-run-page", test_first_run_page);
  ADD ("staff-page", test_staff_page);
  ADD ("visit-view", test_visit_view);
  ADD ("kiosk-window", test_kiosk_window);
  ADD ("visit-without-survey", test_visit_without_survey);
#undef ADD
  g_test_add_func ("/touchpoint/kiosk/scan-detector", test_scan_detector);
  return kiosk_test_run ();
}
