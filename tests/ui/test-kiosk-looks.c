/* test-kiosk-looks.c: what a visitor sees and reaches, under Xvfb: the first control of each
 * page focused and Tab on controls only, messages in view, a page that uses a 1080p screen,
 * nothing that jumps, Korean wrapped between words, and grey text that is readable. */
#include "kiosk-test-util.h"

#include <string.h>

#include "ui/tp-survey-page.h"

#define PIN "2580"

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
still_there_shown (gpointer data)
{
  return tp_kiosk_window_is_still_there_shown (data);
}

/* ---- Focus -------------------------------------------------------------------------------- */

/* The focused widget is the one named name, or inside it (an entry's text). */
static gboolean
focus_is (Fixture    *f,
          const char *name)
{
  for (GtkWidget *w = gtk_root_get_focus (GTK_ROOT (f->window)); w; w = gtk_widget_get_parent (w))
    if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_focus (Fixture    *f,
              const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  if (!focus_is (f, name))
    g_error ("The focus is on %s \"%s\", not on \"%s\"", focus ? G_OBJECT_TYPE_NAME (focus) : "nothing",
             focus ? gtk_widget_get_name (focus) : "", name);
}

/* Every page puts the focus on its first useful control: Enter and typing act there, never on
 * a button that ends the visit. */
static void
test_first_control_focused (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *focus;

  assert_focus (f, "start-button");
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
  assert_focus (f, "consent-privacy-check");
  /* Enter, Enter ticks and unticks the box: the visit goes on. */
  for (guint i = 0; i < 2; i++)
    {
      gtk_widget_activate (gtk_root_get_focus (GTK_ROOT (f->window)));
      kiosk_test_spin ();
      g_assert_cmpint (gtk_check_button_get_active (GTK_CHECK_BUTTON (kiosk_test_get (kiosk_test_page (f->window),
                                                                                    "consent-privacy-check"))),
                       ==, i == 0);
    }
  kiosk_test_assert_page (f, "consent");

  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "details");
  assert_focus (f, "field-name");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (GTK_IS_EDITABLE (focus));
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "survey");
  assert_focus (f, "option-visit_reason-tasting");
  kiosk_test_answer_survey (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  assert_focus (f, "done-button");
  kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);

  assert_focus (f, "start-button");
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("consent"));
  kiosk_test_assert_page (f, "declined");
  assert_focus (f, "done-button");
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_assert_page (f, "consent");
  assert_focus (f, "consent-privacy-check");
}

/* Tab stops only on things to use, on every page (cards and cells are not). */
static void
test_tab_stops (Fixture       *f,
                gconstpointer  data)
{
  kiosk_test_assert_tab_stops (GTK_WINDOW (f->window), 10);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_settle (f);
  g_assert_cmpuint (kiosk_test_assert_tab_stops (GTK_WINDOW (f->window), 20), >=, 6);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_settle (f);
  kiosk_test_assert_tab_stops (GTK_WINDOW (f->window), 20);
}

/* ---- Messages in view, the height used -------------------------------------------------- */

/* On a 1280 × 800 screen the age box is below the notices: Continue without it brings its
 * message into view, not under the navigation bar; and a scrollbar says there is more. At
 * 1920 × 1080 the page uses the width, and the age box and "I am under 14" are in view. */
static void
test_age_in_view (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *page, *age_error, *scroller;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_settle (f);
  page = kiosk_test_page (f->window);
  scroller = gtk_widget_get_ancestor (kiosk_test_get (page, "age-check"), GTK_TYPE_SCROLLED_WINDOW);
  /* Below the fold, a scrollbar in sight says so (not one that shows only while scrolling). */
  g_assert_false (gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (scroller)));
  if (!kiosk_test_in_view (kiosk_test_get (page, "under-age-button")))
    g_assert_true (gtk_widget_get_mapped (gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scroller))));

  kiosk_test_click (page, "consent-privacy-check");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "consent");
  kiosk_test_settle (f);
  age_error = gtk_widget_get_next_sibling (kiosk_test_get (page, "age-check"));
  g_assert_true (kiosk_test_label_shows (age_error));
  kiosk_test_shot (f, "ko-consent-age-problem");
  g_assert_true (kiosk_test_in_view (kiosk_test_get (page, "age-check")));
  g_assert_true (kiosk_test_in_view (age_error));

  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  gtk_widget_set_size_request (GTK_WIDGET (f->window), 1920, 1080);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_settle (f);
  page = kiosk_test_page (f->window);
  kiosk_test_shot (f, "ko-consent-1080p");
  g_assert_true (kiosk_test_in_view (kiosk_test_get (page, "age-check")));
  g_assert_true (kiosk_test_in_view (kiosk_test_get (page, "under-age-button")));

  /* English notices are longer. */
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.language", g_variant_new_string ("en"));
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_settle (f);
  page = kiosk_test_page (f->window);
  kiosk_test_shot (f, "en-consent-1080p");
  g_assert_true (kiosk_test_in_view (kiosk_test_get (page, "age-check")));
  g_assert_true (kiosk_test_in_view (kiosk_test_get (page, "under-age-button")));
}

/* ---- Nothing jumps ---------------------------------------------------------------------- */

static graphene_rect_t
place (Fixture   *f,
       GtkWidget *widget)
{
  graphene_rect_t bounds;

  kiosk_test_settle (f);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (f->window), &bounds));
  return bounds;
}

/* The survey's column and progress bar keep their width from question to question, whatever
 * each question holds (English labels are the longest). */
static void
test_survey_width (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *page, *bar;
  graphene_rect_t first = { 0 };

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  kiosk_test_action (kiosk_test_visit (f), "visit.language", g_variant_new_string ("en"));
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  bar = kiosk_test_find_type (page, GTK_TYPE_PROGRESS_BAR);
  for (guint i = 0; i < f->event->survey->len; i++)
    {
      graphene_rect_t now, question;

      tp_survey_page_go_to (TP_SURVEY_PAGE (page), i);
      now = place (f, bar);
      question = place (f, GTK_WIDGET (tp_survey_page_get_current (TP_SURVEY_PAGE (page))));
      g_test_message ("Question %u: bar at %.0f, %.0f wide; question %.0f wide", i + 1, now.origin.x,
                      now.size.width, question.size.width);
      if (i == 0)
        first = now;
      g_assert_cmpfloat (now.origin.x, ==, first.origin.x);
      g_assert_cmpfloat (now.size.width, ==, first.size.width);
      g_assert_cmpfloat (question.size.width, ==, first.size.width);
    }
}

/* Where widget is in its page's scrolled content (scrolling moves the content, not this). */
static graphene_rect_t
place_in_page (Fixture   *f,
               GtkWidget *widget)
{
  GtkWidget *viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_VIEWPORT);
  graphene_rect_t bounds;

  kiosk_test_settle (f);
  g_assert_nonnull (viewport);
  g_assert_true (gtk_widget_compute_bounds (widget, gtk_viewport_get_child (GTK_VIEWPORT (viewport)), &bounds));
  return bounds;
}

/* A message under a field comes and goes without moving the fields below it. */
static void
test_fields_stay (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *page, *phone, *company;
  graphene_rect_t phone_before, company_before, now;

  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  page = kiosk_test_page (f->window);
  phone = kiosk_test_get (page, "field-phone");
  company = kiosk_test_get (page, "field-company");
  phone_before = place_in_page (f, phone);
  company_before = place_in_page (f, company);

  kiosk_test_type (page, "field-name", KIOSK_TEST_NAME);
  kiosk_test_type (page, "field-email", "hong@@example");
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  g_assert_true (gtk_widget_has_css_class (kiosk_test_get (page, "field-email"), "error"));
  now = place_in_page (f, phone);
  g_assert_cmpfloat (now.origin.y, ==, phone_before.origin.y);
  kiosk_test_shot (f, "ko-details-error-in-place");
  kiosk_test_type (page, "field-email", KIOSK_TEST_EMAIL);
  g_assert_false (gtk_widget_has_css_class (kiosk_test_get (page, "field-email"), "error"));
  now = place_in_page (f, phone);
  g_assert_cmpfloat (now.origin.y, ==, phone_before.origin.y);

  /* The phone's own message: the company field stays. */
  kiosk_test_type (page, "field-phone", "12");
  gtk_widget_grab_focus (company);
  kiosk_test_spin ();
  g_assert_true (gtk_widget_has_css_class (phone, "error"));
  now = place_in_page (f, company);
  g_assert_cmpfloat (now.origin.y, ==, company_before.origin.y);
}

/* ---- Korean wraps between words -------------------------------------------------------- */

static gboolean
is_hangul (const char *p)
{
  return g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HANGUL;
}

/* No line of a label shown under root starts inside a Korean word: between two syllables
 * with no space between them ("등록이 완/료되었습니다"). Counts the lines that start after a
 * break between words into *breaks. */
static void
assert_words_whole (GtkWidget *root,
                    guint     *breaks)
{
  if (!gtk_widget_get_mapped (root))
    return;
  if (GTK_IS_LABEL (root))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (root));
      const char *text = pango_layout_get_text (layout);

      for (GSList *l = pango_layout_get_lines_readonly (layout); l; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          const char *start = text + line->start_index;

          if (line->start_index == 0)
            continue;
          if (is_hangul (start) && is_hangul (g_utf8_prev_char (start)))
            g_error ("A Korean word is broken across lines in \"%s\": …%.*s|%.*s…", text,
                     (int) (start - g_utf8_prev_char (start)), g_utf8_prev_char (start),
                     (int) (g_utf8_next_char (start) - start), start);
          if (is_hangul (start))
            (*breaks)++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    assert_words_whole (child, breaks);
}

static void
check_words (Fixture    *f,
             const char *shots,
             gboolean    wraps)
{
  guint breaks = 0;

  kiosk_test_wait (300);
  kiosk_test_wait_for_frame (GTK_WIDGET (f->window));
  assert_words_whole (GTK_WIDGET (f->window), &breaks);
  g_test_message ("%s: %u lines start after a break between words (window %d px wide)", shots, breaks,
                  gtk_widget_get_width (GTK_WIDGET (f->window)));
  /* The check saw Korean wrapped at all. */
  if (wraps)
    g_assert_cmpuint (breaks, >, 0);
  kiosk_test_shot (f, shots);
}

/* Korean wraps between words (어절), as `word-break: keep-all` does, on every page a narrow
 * kiosk shows: the notices, the messages, the reward and the "still there?" card. */
static void
test_korean_words (Fixture       *f,
                   gconstpointer  data)
{
  /* As narrow as the pages let the window be. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 900);
  f->event->idle_reset_seconds = 1;
  tp_kiosk_window_set_still_there_seconds (f->window, 30);
  kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  check_words (f, "ko-narrow-consent", TRUE);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("consent"));
  check_words (f, "ko-narrow-declined", TRUE);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.decline", g_variant_new_string ("age"));
  check_words (f, "ko-narrow-under-age", TRUE);
  kiosk_test_action (kiosk_test_visit (f), "visit.back", NULL);
  tp_kiosk_window_note_activity (f->window);
  g_assert_true (kiosk_test_wait_until (still_there_shown, f->window, 3000));
  check_words (f, "ko-narrow-still-there", FALSE);
  kiosk_test_action (GTK_WIDGET (f->window), "kiosk.still-here", NULL);
  f->event->idle_reset_seconds = 60;
  tp_kiosk_window_note_activity (f->window);
  kiosk_test_fill_consent (f, FALSE);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_fill_details (f);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_answer_survey (f, NULL);
  kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
  kiosk_test_assert_page (f, "reward");
  check_words (f, "ko-narrow-reward", TRUE);
}

/* ---- Contrast ----------------------------------------------------------------------------- */

static void
assert_readable (GtkWidget  *widget,
                 const char *what)
{
  double ratio = kiosk_test_text_contrast (widget);

  g_test_message ("%s: %.2f:1", what, ratio);
  if (ratio < 4.5)
    g_error ("%s \"%s\" has a contrast of %.2f:1, under WCAG AA's 4.5:1", what,
             gtk_label_get_label (GTK_LABEL (widget)), ratio);
}

/* Hints, the survey's progress and the countdowns are grey, and still readable: at least
 * 4.5:1 against their background (WCAG AA), in the light and the dark style. */
static void
test_contrast (Fixture       *f,
               gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    {
      GtkWidget *page, *question;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      if (dark)
        kiosk_test_action (kiosk_test_visit (f), "visit.done", NULL);
      kiosk_test_action (kiosk_test_visit (f), "visit.start", NULL);
      kiosk_test_fill_consent (f, FALSE);
      kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
      kiosk_test_settle (f);
      page = kiosk_test_page (f->window);
      assert_readable (gtk_widget_get_next_sibling (kiosk_test_get (page, "field-email")), "The email's hint");
      kiosk_test_fill_details (f);
      kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
      kiosk_test_settle (f);
      page = kiosk_test_page (f->window);
      assert_readable (kiosk_test_get (page, "survey-progress"), "The survey's progress");
      question = GTK_WIDGET (tp_survey_page_get_current (TP_SURVEY_PAGE (page)));
      assert_readable (gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_widget_get_first_child (question))),
                       "The question's hint");
      kiosk_test_answer_survey (f, NULL);
      kiosk_test_action (kiosk_test_visit (f), "visit.next", NULL);
      kiosk_test_settle (f);
      assert_readable (kiosk_test_get (kiosk_test_page (f->window), "reward-countdown"), "The reward's countdown");
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int    argc,
      char **argv)
{
  kiosk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/touchpoint/kiosk/" path, Fixture, NULL, set_up, func, tear_down)
  ADD ("flow/age-in-view", test_age_in_view);
  ADD ("a11y/first-control-focused", test_first_control_focused);
  ADD ("a11y/tab-stops", test_tab_stops);
  ADD ("style/korean-words", test_korean_words);
  ADD ("style/contrast", test_contrast);
  ADD ("layout/survey-width", test_survey_width);
  ADD ("layout/fields-stay", test_fields_stay);
#undef ADD
  return kiosk_test_run ();
}
