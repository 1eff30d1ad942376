/* kiosk-test-util.h: driving the kiosk's widgets from tests under Xvfb: finding widgets by
 * name, waiting for the main loop, screenshots. */
#pragma once

#include <adwaita.h>

#include "tests/tp-test-util.h"
#include "ui/tp-kiosk-window.h"

G_BEGIN_DECLS

/* g_test_init, gettext in Korean, GTK, libadwaita and the kiosk's resources. */
void        kiosk_test_init            (int         *argc,
                                        char      ***argv);
/* g_test_run, then the private session bus stops. */
int         kiosk_test_run             (void);
/* The first widget in root's tree (root included) whose name is name, or NULL. */
GtkWidget  *kiosk_test_find            (GtkWidget   *root,
                                        const char  *name);
/* The same, failing the test when it is missing. */
GtkWidget  *kiosk_test_get             (GtkWidget   *root,
                                        const char  *name);
/* The first widget of type under root (root included), or NULL. */
GtkWidget  *kiosk_test_find_type       (GtkWidget   *root,
                                        GType        type);
/* Runs the main loop until nothing is pending. */
void        kiosk_test_spin            (void);
/* Runs the main loop for ms milliseconds. */
void        kiosk_test_wait            (guint        ms);
/* Runs the main loop until done (*flag) is TRUE or timeout_ms passed; returns *flag. */
gboolean    kiosk_test_wait_until      (gboolean   (*done) (gpointer data),
                                        gpointer     data,
                                        guint        timeout_ms);
/* Returns once widget is mapped, laid out and painted. */
void        kiosk_test_wait_for_frame  (GtkWidget   *widget);
/* Renders widget to <build>/tests/ui/screenshots/<name>.png. */
void        kiosk_test_screenshot      (GtkWidget   *widget,
                                        const char  *name);
/* The contrast ratio (WCAG 2: 1 to 21) of widget's text with its background, as drawn in its
 * window: the background is the commonest colour in the widget's box, the text the colour
 * most unlike it (the core of a glyph's stroke). */
double      kiosk_test_text_contrast   (GtkWidget   *widget);
/* Presses Tab n times in window and fails if the focus lands on something that is not a
 * control (a flow box's cell, a card): every stop must be something to use. Returns the
 * number of distinct controls reached. */
guint       kiosk_test_assert_tab_stops (GtkWindow  *window,
                                         guint       n);
/* Sets the text of the entry named name under root, as typing would. */
void        kiosk_test_type            (GtkWidget   *root,
                                        const char  *name,
                                        const char  *text);
/* Whether label shows a message: message lines keep their place, empty, when there is none. */
gboolean    kiosk_test_label_shows     (GtkWidget   *label);
/* Ticks the check or toggle button named name under root. */
void        kiosk_test_click           (GtkWidget   *root,
                                        const char  *name);
/* Activates an action on widget and lets the main loop run. */
void        kiosk_test_action          (GtkWidget   *widget,
                                        const char  *action,
                                        GVariant    *parameter);
/* The visible page of the window's current visit. */
GtkWidget  *kiosk_test_page            (TpKioskWindow *window);
const char *kiosk_test_page_name       (TpKioskWindow *window);
/* Collects into texts every text shown or held by widgets under root: labels, entries, text
 * views, buttons. */
void        kiosk_test_collect_texts   (GtkWidget   *root,
                                        GPtrArray   *texts);
/* The same, but only from widgets on screen (mapped): what a person or a screen reader gets. */
void        kiosk_test_collect_shown_texts (GtkWidget *root,
                                            GPtrArray *texts);

/* A kiosk on a fresh store: the demo event, a PIN (NULL: none set) and a window on screen. */
typedef struct
{
  char          *dir;
  TpStore       *store;
  TpEvent       *event;
  TpKioskWindow *window;
} KioskFixture;

void        kiosk_fixture_set_up       (KioskFixture *f,
                                        const char   *pin);
void        kiosk_fixture_tear_down    (KioskFixture *f);
/* Opens a new window on the same store and event, as a restarted kiosk would. */
void        kiosk_fixture_reopen       (KioskFixture *f);

/* The demo visitor's data: none of it may outlive their visit on screen. */
#define KIOSK_TEST_NAME "홍길동"
#define KIOSK_TEST_EMAIL "hong.gildong@example.com"
#define KIOSK_TEST_PHONE "010-9876-5432"
#define KIOSK_TEST_COMPANY "마루상사"
#define KIOSK_TEST_WISH "말차 클래스를 열어 주세요"

/* Walking that visitor through the demo event on a fixture's window. */
GtkWidget  *kiosk_test_visit                 (KioskFixture *f);
void        kiosk_test_assert_page           (KioskFixture *f,
                                              const char   *name);
/* A screenshot of the window, unless name is NULL. */
void        kiosk_test_shot                  (KioskFixture *f,
                                              const char   *name);
/* The required consent and the age ticked, and marketing if asked. */
void        kiosk_test_fill_consent          (KioskFixture *f,
                                              gboolean      marketing);
void        kiosk_test_fill_details          (KioskFixture *f);
/* Answers every question of the demo survey; shots: a prefix for screenshots, or NULL. */
void        kiosk_test_answer_survey         (KioskFixture *f,
                                              const char   *shots);
/* From the welcome page to the last survey question, ready to submit. */
void        kiosk_test_walk_to_last_question (KioskFixture *f,
                                              const char   *shots);
/* Lets slides end and the window draw. */
void        kiosk_test_settle                (KioskFixture *f);
/* Whether all of widget is inside the visible part of its page's scrolled window. */
gboolean    kiosk_test_in_view               (GtkWidget    *widget);

G_END_DECLS
