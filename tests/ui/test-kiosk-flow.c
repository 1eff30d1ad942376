/* test-kiosk-flow.c: a visitor walked through the kiosk in code, under Xvfb: what is stored,
 * what is not (decline, under age, abandoned), storage failures, badge scans, the keyboard. */
#include "kiosk-test-util.h"

#include <string.h>

#include "tp-i18n.h"
#include "tp-lead.h"
#include "ui/tp-coupon-printer.h"
#include "ui/tp-coupon-view.h"
#include "ui/tp-question-view.h"
#include "ui/tp-reward-page.h"
#include "ui/tp-survey-page.h"

#define PIN "2580"

/* The visitor's data used throughout; none of it may outlive their visit on screen. */
#define NAME KIOSK_TEST_NAME
#define EMAIL KIOSK_TEST_EMAIL
#define PHONE KIOSK_TEST_PHONE
#define COMPANY KIOSK_TEST_COMPANY
#define WISH KIOSK_TEST_WISH

typedef KioskFixture Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  kiosk_fixture_set_up (f, PIN);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  kiosk_fixture_tear_down (f);
}

static gboolean
keep_id (TpLeadRecord *record,
         gpointer      data)
{
  g_ptr_array_add (data, g_strdup (record->lead_id));
  return TRUE;
}

/* The one lead in the store (the test fails if there are more or none); the caller frees it. */
static TpLeadRecord *
only_lead (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  TpLeadRecord *lead;

  g_assert_true (tp_store_foreach_lead (f->store, keep_id, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
  lead = tp_store_get_lead (f->store, ids->pdata[0], &error);
  g_assert_no_error (error);
  return lead;
}

static void
test_complete_visit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TpLeadRecord) lead = NULL;
  g_autofree char *privacy_sha = NULL;
  TpConsentRecord *consent;
  TpAnswer *answer;
  GtkWidget *coupon;

  kiosk_test_walk_to_last_question (f, "ko");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  kiosk_test_shot (f, "ko-reward");

  lead = only_lead (f);
  g_assert_cmpstr (lead->locale, ==, "ko");
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "name"), ==, NAME);
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "email"), ==, EMAIL);
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "phone"), ==, "+821098765432");
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "company"), ==, COMPANY);

  /* The required consent granted with the hash of the very notice shown; marketing refused. */
  privacy_sha = tp_consent_notice_sha256 (tp_event_get_consent (f->event, "privacy"), f->event, "ko");
  consent = g_hash_table_lookup (lead->consents, "privacy");
  g_assert_nonnull (consent);
  g_assert_true (consent->granted);
  g_assert_cmpstr (consent->text_sha256, ==, privacy_sha);
  g_assert_cmpstr (consent->locale, ==, "ko");
  consent = g_hash_table_lookup (lead->consents, "marketing");
  g_assert_nonnull (consent);
  g_assert_false (consent->granted);

  answer = g_hash_table_lookup (lead->answers, "visit_reason");
  g_assert_cmpstr (answer->string, ==, "gift");
  answer = g_hash_table_lookup (lead->answers, "interests");
  g_assert_cmpuint (g_strv_length (answer->list), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) answer->list, "green"));
  g_assert_true (g_strv_contains ((const char * const *) answer->list, "teaware"));
  answer = g_hash_table_lookup (lead->answers, "booth_rating");
  g_assert_cmpint (answer->number, ==, 4);
  answer = g_hash_table_lookup (lead->answers, "nps");
  g_assert_cmpint (answer->number, ==, 9);
  g_assert_null (g_hash_table_lookup (lead->answers, "purchase_timing"));
  answer = g_hash_table_lookup (lead->answers, "wish");
  g_assert_cmpstr (answer->string, ==, WISH);
  g_assert_cmpstr (lead->offer, ==, "gift-set-20");

  /* The coupon on screen is the stored one. */
  coupon = kiosk_test_get (kiosk_test_page (f->window), "coupon-view");
  g_assert_cmpstr (tp_coupon_view_get_code (TP_COUPON_VIEW (coupon)), ==, lead->coupon_code);

  /* Nothing of the visitor is left in the window but the coupon: the form pages are gone. */
  g_assert_null (kiosk_test_find (GTK_WIDGET (f->window), "field-name"));
  g_assert_null (kiosk_test_find (GTK_WIDGET (f->window), "text-wish"));

  /* Done: back to a fresh welcome page, still one lead. */
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);
  kiosk_test_assert_page (f, "welcome");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
}

static void
test_english_and_marketing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TpLeadRecord) lead = NULL;
  g_autofree char *sha = NULL;
  GtkWidget *start;
  TpConsentRecord *consent;

  /* The welcome page speaks the event's default language first, in the kiosk's own words. */
  start = kiosk_test_get (kiosk_test_page (f->window), "start-button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start)), ==, "시작하기");

  kiosk_test_action (kiosk_test_visit (f), "visit.language", g_variant_new_string ("en"));
  g_assert_cmpstr (tp_visit_view_get_language (tp_kiosk_window_get_visit (f->window)), ==, "en");
  start = kiosk_test_get (kiosk_test_page (f->window), "start-button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (start)), ==, "Start");
  g_assert_false (tp_visit_view_is_pristine (tp_kiosk_window_get_visit (f->window)));

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  {
    /* The notice on screen is word for word the one whose hash is recorded. */
    GtkWidget *page = kiosk_test_page (f->window);
    GtkWidget *body = kiosk_test_get (page, "consent-privacy");
    g_autofree char *notice = tp_consent_render_notice (tp_event_get_consent (f->event, "privacy"), f->event, "en");

    g_assert_true (g_str_has_suffix (notice, gtk_label_get_label (GTK_LABEL (body))));
    g_assert_nonnull (strstr (notice, "Kept for: 365 days"));
  }
  kiosk_test_fill_consent (f, TRUE);
  kiosk_test_shot (f, "en-consent");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  kiosk_test_shot (f, "en-details");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_answer_survey (f, "en");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  kiosk_test_shot (f, "en-reward");

  lead = only_lead (f);
  g_assert_cmpstr (lead->locale, ==, "en");
  consent = g_hash_table_lookup (lead->consents, "marketing");
  g_assert_true (consent->granted);
  sha = tp_consent_notice_sha256 (tp_event_get_consent (f->event, "marketing"), f->event, "en");
  g_assert_cmpstr (consent->text_sha256, ==, sha);
  /* Marketing consent never changes the reward: the same offer as without it. */
  g_assert_cmpstr (lead->offer, ==, "gift-set-20");

  /* The window's own words too: its title, and the staff corner's name for screen readers. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Touchpoint");
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (
      GTK_ACCESSIBLE (kiosk_test_get (GTK_WIDGET (f->window), "staff-corner")), GTK_ACCESSIBLE_PROPERTY_LABEL,
      "Staff menu (press and hold)");

    g_assert_null (wrong);
  }

  /* The next visitor starts in the event's language again. */
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);
  g_assert_cmpstr (tp_visit_view_get_language (tp_kiosk_window_get_visit (f->window)), ==, "ko");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "터치포인트");
  g_assert_true (tp_visit_view_is_pristine (tp_kiosk_window_get_visit (f->window)));
}

static void
test_decline (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *check;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  page = kiosk_test_page (f->window);
  /* Continuing without the required consent says why, beside the box, and stays. */
  kiosk_test_click (page, "age-check");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "consent");
  check = kiosk_test_get (page, "consent-privacy-check");
  {
    GtkWidget *error = gtk_widget_get_next_sibling (check);

    g_assert_true (kiosk_test_label_shows (error));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error)), ==, "등록하려면 이 내용에 동의해 주세요.");
  }
  kiosk_test_shot (f, "ko-consent-problem");

  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("consent"));
  kiosk_test_assert_page (f, "declined");
  kiosk_test_shot (f, "ko-declined");
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);
  kiosk_test_assert_page (f, "welcome");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
}

static void
test_under_age (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *page;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  page = kiosk_test_page (f->window);
  kiosk_test_click (page, "consent-privacy-check");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  /* Without the age confirmation the visitor does not get further. */
  kiosk_test_assert_page (f, "consent");
  g_assert_true (kiosk_test_label_shows (gtk_widget_get_next_sibling (kiosk_test_get (page, "age-check"))));

  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("age"));
  kiosk_test_assert_page (f, "declined");
  kiosk_test_shot (f, "ko-under-age");
  /* Back lets a mistaken tap be put right; nothing was stored meanwhile. */
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "consent");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("age"));
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
}

static void
test_details_validation (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *page, *entry, *error;
  TpProblem problem = { .kind = TP_PROBLEM_KIND_FIELD, .id = (char *) "email", .code = TP_PROBLEM_BAD_EMAIL };
  g_autofree char *expected = NULL;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  kiosk_test_type (page, "field-name", NAME);
  kiosk_test_type (page, "field-email", "hong@@example");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "details");

  /* The message sits beside the field, in the visitor's language, and focus goes there. */
  entry = kiosk_test_get (page, "field-email");
  error = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (entry));
  g_assert_true (GTK_IS_LABEL (error));
  g_assert_true (kiosk_test_label_shows (error));
  expected = tp_problem_describe (&problem, f->event, "ko");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error)), ==, expected);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (gtk_widget_is_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));
  kiosk_test_shot (f, "ko-details-problem");

  /* Fixing it clears the message as the visitor types. */
  kiosk_test_type (page, "field-email", EMAIL);
  g_assert_false (kiosk_test_label_shows (error));

  /* Input hints: private, no spell-check, the right purpose; no undo history. */
  g_assert_cmpint (gtk_entry_get_input_purpose (GTK_ENTRY (entry)), ==, GTK_INPUT_PURPOSE_EMAIL);
  g_assert_true (gtk_entry_get_input_hints (GTK_ENTRY (entry)) & GTK_INPUT_HINT_PRIVATE);
  g_assert_true (gtk_entry_get_input_hints (GTK_ENTRY (entry)) & GTK_INPUT_HINT_NO_SPELLCHECK);
  g_assert_false (gtk_editable_get_enable_undo (GTK_EDITABLE (entry)));
  g_assert_cmpint (gtk_entry_get_input_purpose (GTK_ENTRY (kiosk_test_get (page, "field-phone"))), ==,
                   GTK_INPUT_PURPOSE_PHONE);
  g_assert_null (gtk_entry_get_completion (GTK_ENTRY (entry)));
}

static void
test_survey_required (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *error;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kiosk_test_get (page, "survey-progress"))), ==, "질문 1 / 6");

  /* A required question left blank: a message, and the same question. */
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 0);
  error = kiosk_test_get (GTK_WIDGET (tp_survey_page_get_current (TP_SURVEY_PAGE (page))), "question-error");
  g_assert_true (kiosk_test_label_shows (error));

  kiosk_test_click (page, "option-visit_reason-tasting");
  g_assert_false (kiosk_test_label_shows (error));
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 1);
  /* Back within the survey keeps the answer given. */
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 0);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (kiosk_test_get (page, "option-visit_reason-tasting"))));
  /* And back from the first question to the details, which are still there. */
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "details");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (kiosk_test_page (f->window), "field-name"))),
                   ==, NAME);
}

static void
run_storage_failure (Fixture          *f,
                     TpStoreFailPoint  point,
                     const char       *shots)
{
  g_autoptr(TpLeadRecord) lead = NULL;
  GtkWidget *banner;

  kiosk_test_walk_to_last_question (f, NULL);
  tp_store_set_fail_point (f->store, point);
  g_test_expect_message ("tp-visit-view", G_LOG_LEVEL_WARNING, "The lead could not be stored*");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_test_assert_expected_messages ();

  /* Nothing stored, no coupon, a clear message, and every answer still there. */
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
  kiosk_test_assert_page (f, "survey");
  g_assert_null (kiosk_test_find (GTK_WIDGET (f->window), "coupon-view"));
  banner = kiosk_test_get (kiosk_test_visit (f), "storage-error");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER))));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (banner)), "직원"));
  if (shots)
    kiosk_test_shot (f, shots);
  {
    GtkTextView *view = GTK_TEXT_VIEW (kiosk_test_get (kiosk_test_page (f->window), "text-wish"));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
    text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, WISH);
  }
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "details");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (kiosk_test_page (f->window), "field-email"))),
                   ==, EMAIL);

  /* Trying again while the disk is still full changes nothing. */
  g_test_expect_message ("tp-visit-view", G_LOG_LEVEL_WARNING, "The lead could not be stored*");
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);

  /* Staff free some space: the retry stores exactly one lead. */
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_NONE);
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  kiosk_test_assert_page (f, "reward");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (banner, GTK_TYPE_REVEALER))));
  lead = only_lead (f);
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "email"), ==, EMAIL);
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
}

static void
test_storage_full (Fixture       *f,
                   gconstpointer  data)
{
  run_storage_failure (f, TP_STORE_FAIL_FULL, "ko-storage-error");
}

static void
test_storage_commit_fails (Fixture       *f,
                           gconstpointer  data)
{
  run_storage_failure (f, TP_STORE_FAIL_BEFORE_COMMIT, NULL);
}

/* The message a page shows for a problem the core finds, in Korean. */
static char *
describe (Fixture       *f,
          TpProblemKind  kind,
          const char    *id,
          TpProblemCode  code)
{
  TpProblem problem = { .kind = kind, .id = (char *) id, .code = code };

  return tp_problem_describe (&problem, f->event, "ko");
}

/* After a failed store the visitor goes back and undoes answers on three pages, then taps
 * "Try again" on the first: the core refuses the submission, and the kind of its first problem
 * takes them to the page that shows it, with the message there, until every page is right. */
static void
test_refusal_picks_page (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TpLeadRecord) lead = NULL;
  g_autofree char *privacy_text = describe (f, TP_PROBLEM_KIND_CONSENT, "privacy", TP_PROBLEM_NOT_GRANTED);
  g_autofree char *email_text = describe (f, TP_PROBLEM_KIND_FIELD, "email", TP_PROBLEM_REQUIRED);
  g_autofree char *interests_text = describe (f, TP_PROBLEM_KIND_QUESTION, "interests", TP_PROBLEM_REQUIRED);
  GtkWidget *page, *privacy, *privacy_error, *email, *email_error, *question_error;

  kiosk_test_walk_to_last_question (f, NULL);
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_FULL);
  g_test_expect_message ("tp-visit-view", G_LOG_LEVEL_WARNING, "The lead could not be stored*");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_test_assert_expected_messages ();
  tp_store_set_fail_point (f->store, TP_STORE_FAIL_NONE);

  /* Both teas taken back on the second question, the email cleared, the privacy box unticked. */
  page = kiosk_test_page (f->window);
  for (guint i = 0; i < 4; i++)
    kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 1);
  kiosk_test_click (page, "option-interests-green");
  kiosk_test_click (page, "option-interests-teaware");
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "details");
  page = kiosk_test_page (f->window);
  email = kiosk_test_get (page, "field-email");
  email_error = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (email));
  kiosk_test_type (page, "field-email", "");
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "consent");
  page = kiosk_test_page (f->window);
  privacy = kiosk_test_get (page, "consent-privacy-check");
  privacy_error = gtk_widget_get_next_sibling (privacy);
  kiosk_test_click (page, "consent-privacy-check");

  /* The consent comes first: the visitor stays on its page, the message beside the box. */
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  kiosk_test_assert_page (f, "consent");
  g_assert_true (kiosk_test_label_shows (privacy_error));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (privacy_error)), ==, privacy_text);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);

  /* Then the field: forward to the details, the message beside the email, the focus in it. */
  kiosk_test_click (page, "consent-privacy-check");
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  kiosk_test_assert_page (f, "details");
  g_assert_true (kiosk_test_label_shows (email_error));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (email_error)), ==, email_text);
  g_assert_true (gtk_widget_is_focus (email) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), email));
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);

  /* Then the question: the survey, at that question, with its message. */
  kiosk_test_type (kiosk_test_page (f->window), "field-email", EMAIL);
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  kiosk_test_assert_page (f, "survey");
  page = kiosk_test_page (f->window);
  g_assert_cmpuint (tp_survey_page_get_position (TP_SURVEY_PAGE (page)), ==, 1);
  question_error = kiosk_test_get (GTK_WIDGET (tp_survey_page_get_current (TP_SURVEY_PAGE (page))), "question-error");
  g_assert_true (kiosk_test_label_shows (question_error));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (question_error)), ==, interests_text);
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);

  /* All right again: stored once, with what the pages show. */
  kiosk_test_click (page, "option-interests-green");
  kiosk_test_action (kiosk_test_visit (f), "visit.submit", NULL);
  kiosk_test_assert_page (f, "reward");
  lead = only_lead (f);
  g_assert_cmpstr (g_hash_table_lookup (lead->fields, "email"), ==, EMAIL);
  g_assert_cmpstrv (((TpAnswer *) g_hash_table_lookup (lead->answers, "interests"))->list,
                    ((const char * const[]) { "green", NULL }));
}

/* ---- Idle reset ------------------------------------------------------------------------- */

static gboolean
still_there_shown (gpointer data)
{
  return tp_kiosk_window_is_still_there_shown (data);
}

static gboolean
visit_replaced (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
assert_no_trace (GtkWidget *root)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *secrets[] = { NAME, EMAIL, PHONE, COMPANY, WISH, "hong.gildong", "9876", NULL };

  kiosk_test_collect_texts (root, texts);
  g_assert_cmpuint (texts->len, >, 0);
  for (guint i = 0; i < texts->len; i++)
    for (guint j = 0; secrets[j]; j++)
      if (strstr (texts->pdata[i], secrets[j]))
        g_error ("\"%s\" is still on screen after the reset", (char *) texts->pdata[i]);
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static char *
read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &text);
  g_assert_true (kiosk_test_wait_until (string_set, &text, 5000));
  return text;
}

static void
test_idle_reset (Fixture       *f,
                 gconstpointer  data)
{
  gpointer old_visit;
  GtkWidget *page;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  GdkClipboard *primary = gtk_widget_get_primary_clipboard (GTK_WIDGET (f->window));
  g_autofree char *copied = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after_primary = NULL;

  /* Short times for the test; the event's own minimum is 10 s. */
  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 3);

  /* An untouched welcome page is left alone. */
  kiosk_test_wait (1300);
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, TRUE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  page = kiosk_test_page (f->window);
  /* The visitor copies their address (select + Ctrl+C would do the same). */
  gdk_clipboard_set_text (clipboard, EMAIL);
  gtk_editable_select_region (GTK_EDITABLE (kiosk_test_get (page, "field-email")), 0, -1);
  kiosk_test_spin ();
  copied = read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, EMAIL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_click (kiosk_test_page (f->window), "option-visit_reason-brand");

  /* Idle: the prompt comes; typing (as an on-screen keyboard does, without key presses)
   * counts as being there. */
  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  /* Enter or Space on the prompt keeps the visit: its button has focus. */
  g_assert_true (gtk_widget_is_focus (kiosk_test_get (GTK_WIDGET (f->window), "still-here-button")));
  kiosk_test_shot (f, "ko-still-there");
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_type (kiosk_test_page (f->window), "field-company", "마루");
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));
  kiosk_test_type (kiosk_test_page (f->window), "field-company", COMPANY);
  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  /* "I am still here" keeps the visit too. */
  kiosk_test_action (GTK_WIDGET (f->window), "kiosk.still-here", NULL);
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));
  kiosk_test_assert_page (f, "details");

  /* Nobody answers: a full reset. */
  old_visit = kiosk_test_visit (f);
  g_object_add_weak_pointer (old_visit, &old_visit);
  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  g_assert_true (kiosk_test_wait_until (visit_replaced, &old_visit, 8000));
  kiosk_test_assert_page (f, "welcome");
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));

  /* No trace: not on screen, not behind "back", not in the clipboards, nothing stored. */
  assert_no_trace (GTK_WIDGET (f->window));
  g_assert_null (kiosk_test_find (GTK_WIDGET (f->window), "field-email"));
  g_assert_false (gtk_widget_activate_action (kiosk_test_visit (f), "visit.back", NULL) &&
                  g_strcmp0 (kiosk_test_page_name (f->window), "welcome") != 0);
  after = read_clipboard (clipboard);
  g_assert_cmpstr (after, ==, "");
  after_primary = read_clipboard (primary);
  g_assert_null (strstr (after_primary, "hong"));
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);

  /* The next visitor's form is fresh. */
  f->event->idle_reset_seconds = 60;
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  page = kiosk_test_page (f->window);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (kiosk_test_get (page, "consent-marketing-check"))));
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (kiosk_test_page (f->window), "field-name"))), ==, "");
  assert_no_trace (GTK_WIDGET (f->window));
}

/* Regression: after the "still there?" card goes, the visitor's cursor is back where it was,
 * so that typing (and an on-screen keyboard, which types into the focused entry) goes on. */
/* Regression: a visitor who typed their details, went back and declined was told "nothing has
 * been saved" and walked away, but their details and answers stayed in the visit: the next
 * person could tap "Go back" and "Continue" and read them. Declining takes them down. */
/* On the details page: nothing of an earlier visitor is shown, kept anywhere, or stored. */
static void
assert_empty_form (Fixture *f)
{
  GtkWidget *page = kiosk_test_page (f->window);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (page, "field-name"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (page, "field-email"))), ==, "");
  assert_no_trace (GTK_WIDGET (f->window));
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 0);
}

static void
test_decline_after_details (Fixture       *f,
                            gconstpointer  data)
{

  kiosk_test_walk_to_last_question (f, NULL);
  while (g_strcmp0 (kiosk_test_page_name (f->window), "consent") != 0)
    kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("consent"));
  kiosk_test_assert_page (f, "declined");
  assert_no_trace (GTK_WIDGET (f->window));

  /* A mistaken tap can still be put right, with a fresh form. */
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "consent");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "details");
  assert_empty_form (f);
}

static void
test_back_to_welcome (Fixture       *f,
                      gconstpointer  data)
{
  /* A visitor fills everything in, then backs out to the welcome page and walks away. */
  kiosk_test_walk_to_last_question (f, NULL);
  while (g_strcmp0 (kiosk_test_page_name (f->window), "welcome") != 0)
    kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_spin ();
  assert_no_trace (GTK_WIDGET (f->window));

  /* The next person finds an empty form. */
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_assert_page (f, "consent");
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "details");
  assert_empty_form (f);
}

static void
test_idle_keeps_focus (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *email;
  GtkWidget *focus;

  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 5);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  email = kiosk_test_get (kiosk_test_page (f->window), "field-email");
  kiosk_test_type (kiosk_test_page (f->window), "field-email", "hong");
  gtk_widget_grab_focus (email);
  kiosk_test_spin ();
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), email));

  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  kiosk_test_action (GTK_WIDGET (f->window), "kiosk.still-here", NULL);
  g_assert_false (tp_kiosk_window_is_still_there_shown (f->window));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == email || gtk_widget_is_ancestor (focus, email));
}

/* The "still there?" card protects the visitor's details: none of them is on screen (or
 * mapped for a screen reader) while it asks, and they are all back when the visitor is. */
static void
test_still_there_hides_page (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  const char *secrets[] = { NAME, EMAIL, PHONE, COMPANY, NULL };
  GtkWidget *email;

  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 30);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  email = kiosk_test_get (kiosk_test_page (f->window), "field-email");

  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
  kiosk_test_shot (f, "ko-still-there-over-details");
  g_assert_false (gtk_widget_get_mapped (email));
  kiosk_test_collect_shown_texts (GTK_WIDGET (f->window), shown);
  g_assert_cmpuint (shown->len, >, 0);
  for (guint i = 0; i < shown->len; i++)
    for (guint j = 0; secrets[j]; j++)
      if (strstr (shown->pdata[i], secrets[j]))
        g_error ("\"%s\" shows through the \"still there?\" card", (char *) shown->pdata[i]);

  kiosk_test_action (GTK_WIDGET (f->window), "kiosk.still-here", NULL);
  g_assert_true (gtk_widget_get_mapped (email));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email)), ==, EMAIL);
}

static void
flag_cb (GObject    *object,
         GParamSpec *pspec,
         gboolean   *flag)
{
  if (gtk_widget_get_visible (GTK_WIDGET (object)))
    *flag = TRUE;
}

/* The decline page holds nothing to protect: left alone, the kiosk starts over without asking
 * "still there?". */
static void
test_declined_idle (Fixture       *f,
                    gconstpointer  data)
{
  gboolean asked = FALSE;
  gpointer old_visit;

  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 2);
  g_signal_connect (kiosk_test_get (GTK_WIDGET (f->window), "still-there"), "notify::visible",
                    G_CALLBACK (flag_cb), &asked);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("consent"));
  kiosk_test_assert_page (f, "declined");
  tp_kiosk_window_note_activity (f->window);
  old_visit = kiosk_test_visit (f);
  g_object_add_weak_pointer (old_visit, &old_visit);
  g_assert_true (kiosk_test_wait_until (visit_replaced, &old_visit, 6000));
  kiosk_test_assert_page (f, "welcome");
  g_assert_false (asked);
}

static void
test_reward_countdown (Fixture       *f,
                       gconstpointer  data)
{
  gpointer old_visit;

  f->event->coupon_seconds = 2;
  kiosk_test_walk_to_last_question (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  old_visit = kiosk_test_visit (f);
  g_object_add_weak_pointer (old_visit, &old_visit);
  g_assert_true (kiosk_test_wait_until (visit_replaced, &old_visit, 5000));
  kiosk_test_assert_page (f, "welcome");
  assert_no_trace (GTK_WIDGET (f->window));
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
}

static void
test_reward_print_time (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *coupon;

  f->event->coupon_seconds = 5;
  f->event->idle_reset_seconds = 40;
  kiosk_test_walk_to_last_question (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  page = kiosk_test_page (f->window);
  g_assert_cmpuint (tp_reward_page_get_seconds_left (TP_REWARD_PAGE (page)), <=, 5);

  /* Tapping Print gives the visitor time to choose a printer, bounded by the idle time. */
  coupon = kiosk_test_get (page, "coupon-view");
  g_signal_emit_by_name (coupon, "printing");
  g_assert_cmpuint (tp_reward_page_get_seconds_left (TP_REWARD_PAGE (page)), ==, 40);
}

static gboolean
print_answered (gpointer data)
{
  return kiosk_test_label_shows (data) && g_strcmp0 (gtk_label_get_label (data), "인쇄 중…") != 0;
}

/* The reward page offers Print only when staff chose a printer: no desktop print dialog. */
static void
test_print_button (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  kiosk_test_walk_to_last_question (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  g_assert_false (gtk_widget_get_visible (kiosk_test_get (kiosk_test_page (f->window), "print-button")));
  /* Nor is printing mentioned. */
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

    kiosk_test_collect_shown_texts (kiosk_test_page (f->window), texts);
    for (guint i = 0; i < texts->len; i++)
      g_assert_null (strstr (texts->pdata[i], "인쇄"));
  }
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);

  g_assert_true (tp_coupon_printer_set_configured (f->store, "Booth Printer", TP_RECEIPT_58MM, &error));
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  kiosk_test_walk_to_last_question (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  kiosk_test_settle (f);
  kiosk_test_shot (f, "ko-reward-print");
  g_assert_true (gtk_widget_get_visible (kiosk_test_get (kiosk_test_page (f->window), "print-button")));
  g_assert_true (gtk_widget_is_sensitive (kiosk_test_get (kiosk_test_page (f->window), "print-button")));
  /* On a 1280 × 800 screen, without scrolling. */
  g_assert_true (kiosk_test_in_view (kiosk_test_get (kiosk_test_page (f->window), "print-button")));

  /* A printer that is not there: the message under the button comes into view. */
  g_test_expect_message ("tp-coupon-view", G_LOG_LEVEL_WARNING, "*could not be printed on Booth Printer*");
  kiosk_test_action (kiosk_test_get (kiosk_test_page (f->window), "coupon-view"), "coupon.print", NULL);
  g_assert_true (kiosk_test_wait_until (print_answered, kiosk_test_get (kiosk_test_page (f->window), "print-status"),
                                        20000));
  g_test_assert_expected_messages ();
  kiosk_test_settle (f);
  g_assert_true (kiosk_test_in_view (kiosk_test_get (kiosk_test_page (f->window), "print-status")));
}

/* ---- Badge scans ------------------------------------------------------------------------ */

typedef struct
{
  guint32 time;
} Clock;

/* Feeds text as a scanner types it: a key every 4 ms. The first keys of a burst reach the
 * focused entry before anyone can tell a scan from typing, as with a real keyboard. */
static void
scan (Fixture    *f,
      Clock      *clock,
      const char *text,
      gboolean    layout_de)
{
  GtkRoot *root = GTK_ROOT (f->window);

  for (const char *c = text; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      guint keyval = u == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval (u);
      guint keycode = 0;
      GdkModifierType state = g_unichar_isupper (u) ? GDK_SHIFT_MASK : 0;
      gboolean stopped;

      /* A US scanner's '@' is Shift+2; a German layout makes it '"'. */
      if (u == '@')
        {
          keycode = 11;
          state = GDK_SHIFT_MASK;
          if (layout_de)
            keyval = GDK_KEY_quotedbl;
        }
      clock->time += 4;
      stopped = tp_visit_view_handle_key (tp_kiosk_window_get_visit (f->window), keyval, keycode, state,
                                          clock->time);
      if (!stopped && u != '\n')
        {
          GtkWidget *focus = gtk_root_get_focus (root);
          GtkWidget *editable = focus ? gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY) : NULL;

          if (editable)
            {
              int pos = gtk_editable_get_position (GTK_EDITABLE (editable));
              char utf8[8] = { 0 };

              g_unichar_to_utf8 (keyval == GDK_KEY_quotedbl ? '"' : u, utf8);
              gtk_editable_insert_text (GTK_EDITABLE (editable), utf8, -1, &pos);
              gtk_editable_set_position (GTK_EDITABLE (editable), pos);
            }
        }
    }
  /* The pause after the scan ends it. */
  clock->time += 1000;
  kiosk_test_wait (300);
}

static const char *
field_text (Fixture    *f,
            const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (kiosk_test_get (kiosk_test_page (f->window), name)));
}

static void
test_badge_scan (Fixture       *f,
                 gconstpointer  data)
{
  Clock clock = { 1000 };
  GtkWidget *page, *note;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  kiosk_test_type (page, "field-company", "Typed Co");
  gtk_widget_grab_focus (kiosk_test_get (page, "field-company"));

  scan (f, &clock, "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nORG:Acme Tea\n"
                   "TEL;TYPE=CELL:010-2222-3333\nEMAIL:jane@example.com\nEND:VCARD\n", FALSE);
  g_assert_cmpstr (field_text (f, "field-name"), ==, "Jane Doe");
  g_assert_cmpstr (field_text (f, "field-email"), ==, "jane@example.com");
  g_assert_cmpstr (field_text (f, "field-phone"), ==, "010-2222-3333");
  /* The keys that reached the focused field before the scan was recognised are gone. */
  g_assert_cmpstr (field_text (f, "field-company"), ==, "Acme Tea");
  note = kiosk_test_get (page, "scan-note");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (note))));
  g_assert_false (gtk_widget_has_css_class (note, "scan-problem"));
  kiosk_test_shot (f, "ko-details-scanned");

  /* MECARD on a German layout: the '@' arrives as '"' on the key of '2', and is put right. */
  gtk_widget_grab_focus (kiosk_test_get (page, "field-name"));
  scan (f, &clock, "MECARD:N:Kim,Minjun;TEL:+82 10 4444 5555;EMAIL:minjun@example.org;;\n", TRUE);
  g_assert_cmpstr (field_text (f, "field-name"), ==, "Minjun Kim");
  g_assert_cmpstr (field_text (f, "field-email"), ==, "minjun@example.org");
  g_assert_cmpstr (field_text (f, "field-phone"), ==, "+82 10 4444 5555");

  /* Something else: a gentle note, and the fields as they were. */
  scan (f, &clock, "8801234567893\n", FALSE);
  g_assert_true (gtk_widget_has_css_class (note, "scan-problem"));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (note))));
  g_assert_cmpstr (field_text (f, "field-name"), ==, "Minjun Kim");
  g_assert_cmpstr (field_text (f, "field-email"), ==, "minjun@example.org");
  /* The visitor does as the note asks and types: the note has been answered and goes. */
  kiosk_test_type (page, "field-company", "Maru Trading");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (note))));
  kiosk_test_shot (f, "ko-details-typed-after-scan");

  /* A person typing (slow keys) is never taken for a scanner, Enter included. */
  clock.time += 5000;
  for (const char *c = "abcdefghij"; *c; c++)
    {
      clock.time += 150;
      g_assert_false (tp_visit_view_handle_key (tp_kiosk_window_get_visit (f->window), *c, 0, 0, clock.time));
    }
  clock.time += 150;
  g_assert_false (tp_visit_view_handle_key (tp_kiosk_window_get_visit (f->window), GDK_KEY_Return, 0, 0, clock.time));

  /* Scanned details go through the same checks and are stored as any others. */
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "survey");
}

/* ---- Keyboard only ---------------------------------------------------------------------- */

/* Presses Tab until the widget named name has focus (failing after a full round). */
static GtkWidget *
tab_to (Fixture    *f,
        const char *name)
{
  for (int i = 0; i < 200; i++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

      for (GtkWidget *w = focus; w; w = gtk_widget_get_parent (w))
        if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
          return w;
      if (!gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD))
        {
          /* The end of the chain: Tab wraps around to the start, as the window does. */
          gtk_root_set_focus (GTK_ROOT (f->window), NULL);
          gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
        }
      kiosk_test_spin ();
    }
  g_error ("Tab never reaches \"%s\"", name);
  return NULL;
}

/* Space or Enter on the focused control (a button shows itself pressed for a moment before
 * it acts, as with a real key). */
static void
press (Fixture    *f,
       const char *name)
{
  gtk_widget_activate (tab_to (f, name));
  kiosk_test_wait (300);
}

/* Enter in the focused text field: its key binding emits "activate". */
static void
enter (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  g_assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
  kiosk_test_spin ();
}

static void
test_keyboard_only (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *entry;

  /* A fresh visit waits with the focus on Start: Enter alone begins. */
  g_assert_cmpstr (gtk_widget_get_name (gtk_root_get_focus (GTK_ROOT (f->window))), ==, "start-button");

  press (f, "start-button");
  kiosk_test_assert_page (f, "consent");
  press (f, "consent-privacy-check");
  press (f, "age-check");
  press (f, "next-button");
  kiosk_test_assert_page (f, "details");
  /* Focus starts in the first field; Enter moves from field to field and then on. */
  entry = tab_to (f, "field-name");
  gtk_editable_set_text (GTK_EDITABLE (entry), NAME);
  enter (f);
  entry = gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_TYPE_ENTRY);
  g_assert_cmpstr (gtk_widget_get_name (entry), ==, "field-email");
  gtk_editable_set_text (GTK_EDITABLE (entry), EMAIL);
  enter (f);
  entry = tab_to (f, "field-phone");
  gtk_editable_set_text (GTK_EDITABLE (entry), PHONE);
  enter (f);
  tab_to (f, "field-company");
  enter (f);
  kiosk_test_assert_page (f, "survey");
  press (f, "option-visit_reason-passing");
  press (f, "next-button");
  press (f, "option-interests-black");
  press (f, "next-button");
  press (f, "value-booth_rating-5");
  press (f, "next-button");
  press (f, "value-nps-10");
  press (f, "next-button");
  press (f, "option-purchase_timing-today");
  press (f, "next-button");
  press (f, "next-button");
  kiosk_test_assert_page (f, "reward");
  press (f, "done-button");
  kiosk_test_assert_page (f, "welcome");
  g_assert_cmpint (tp_store_count_leads (f->store, NULL), ==, 1);
  {
    g_autoptr(TpLeadRecord) lead = only_lead (f);

    g_assert_cmpstr (lead->offer, ==, "today-15");
  }
}

/* ---- Accessibility ---------------------------------------------------------------------- */

static gboolean
has_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_label (GTK_LABEL (widget))[0] != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child))
      return TRUE;
  return FALSE;
}

/* Every control a person can use has a name for screen readers: its own text, a label, or
 * a relation to one. */
static void
assert_named (GtkWidget *root,
              guint     *checked)
{
  gboolean control = GTK_IS_BUTTON (root) || GTK_IS_CHECK_BUTTON (root) || GTK_IS_ENTRY (root) ||
                     GTK_IS_TEXT_VIEW (root);

  if (control && gtk_widget_get_visible (root))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                       gtk_test_accessible_has_relation (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_RELATION_LABELLED_BY) ||
                       (!GTK_IS_ENTRY (root) && !GTK_IS_TEXT_VIEW (root) && has_label_text (root));

      if (!named)
        g_error ("A %s (\"%s\") has no accessible name", G_OBJECT_TYPE_NAME (root), gtk_widget_get_name (root));
      (*checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    assert_named (child, checked);
}

static void
check_page_named (Fixture *f)
{
  guint checked = 0;

  assert_named (kiosk_test_page (f->window), &checked);
  g_assert_cmpuint (checked, >, 0);
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *page;

  check_page_named (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  check_page_named (f);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  check_page_named (f);
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  for (guint i = 0; i < f->event->survey->len; i++)
    {
      check_page_named (f);
      tp_survey_page_go_to (TP_SURVEY_PAGE (page), i);
    }
  check_page_named (f);
}

/* ---- Layout: touch targets and text that fits ------------------------------------------- */

static void
assert_touch_targets (GtkWidget *root,
                      guint     *checked)
{
  if ((GTK_IS_BUTTON (root) || GTK_IS_CHECK_BUTTON (root)) && gtk_widget_get_mapped (root))
    {
      /* Check buttons are touched on their whole row; buttons by their own box. */
      if (gtk_widget_get_height (root) < 48 || gtk_widget_get_width (root) < 48)
        g_error ("%s \"%s\" is %d×%d, smaller than a finger (48 px)", G_OBJECT_TYPE_NAME (root),
                 gtk_widget_get_name (root), gtk_widget_get_width (root), gtk_widget_get_height (root));
      (*checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    assert_touch_targets (child, checked);
}

static void
check_targets (Fixture *f)
{
  guint checked = 0;

  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
  assert_touch_targets (kiosk_test_page (f->window), &checked);
  g_assert_cmpuint (checked, >, 0);
}

static void
test_touch_targets (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *page;

  check_targets (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_wait (300);
  check_targets (f);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_wait (300);
  check_targets (f);
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  for (guint i = 0; i < f->event->survey->len; i++)
    {
      tp_survey_page_go_to (TP_SURVEY_PAGE (page), i);
      kiosk_test_wait (250);
      check_targets (f);
    }
}

static void
test_dark (Fixture       *f,
           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kiosk_test_shot (f, "dark-welcome");
  kiosk_test_walk_to_last_question (f, NULL);
  tp_survey_page_go_to (TP_SURVEY_PAGE (kiosk_test_page (f->window)), 3);
  kiosk_test_shot (f, "dark-survey-nps");
  tp_survey_page_go_to (TP_SURVEY_PAGE (kiosk_test_page (f->window)), 5);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_shot (f, "dark-reward");
  g_assert_true (adw_style_manager_get_dark (style));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int    argc,
      char **argv)
{
  kiosk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/touchpoint/kiosk/" path, Fixture, NULL, set_up, func, tear_down)
  ADD ("flow/complete", test_complete_visit);
  ADD ("flow/english-marketing", test_english_and_marketing);
  ADD ("flow/decline", test_decline);
  ADD ("flow/under-age", test_under_age);
  ADD ("flow/decline-after-details", test_decline_after_details);
  ADD ("flow/back-to-welcome", test_back_to_welcome);
  ADD ("flow/details-validation", test_details_validation);
  ADD ("flow/survey-required", test_survey_required);
  ADD ("flow/storage-full", test_storage_full);
  ADD ("flow/storage-commit-fails", test_storage_commit_fails);
  ADD ("flow/refusal-picks-page", test_refusal_picks_page);
  ADD ("idle/reset-leaves-no-trace", test_idle_reset);
  ADD ("idle/reward-countdown", test_reward_countdown);
  ADD ("idle/reward-print-time", test_reward_print_time);
  ADD ("flow/print-button", test_print_button);
  ADD ("idle/still-here-keeps-focus", test_idle_keeps_focus);
  ADD ("idle/still-there-hides-page", test_still_there_hides_page);
  ADD ("idle/declined-starts-over", test_declined_idle);
  ADD ("scan/badge", test_badge_scan);
  ADD ("a11y/keyboard-only", test_keyboard_only);
  ADD ("a11y/accessible-names", test_accessible_names);
  ADD ("a11y/touch-targets", test_touch_targets);
  ADD ("style/dark", test_dark);
#undef ADD
  return kiosk_test_run ();
}
