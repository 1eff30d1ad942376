/* tp-question-view.c: one survey question and the controls to answer it, by question type. */
#define G_LOG_DOMAIN "tp-question-view"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-question-view.h"
#include "tp-ui.h"

struct _TpQuestionView
{
  AdwBin            parent_instance;
  TpEvent          *event;
  const TpQuestion *question;
  char             *locale;
  GPtrArray        *choices;    /* Check or toggle buttons, one per option or value. */
  GtkTextView      *text_view;
  GtkLabel         *counter;
  GtkLabel         *label;
  GtkLabel         *hint;
  GtkBox           *content;
  GtkLabel         *error;
};

G_DEFINE_FINAL_TYPE (TpQuestionView, tp_question_view, ADW_TYPE_BIN)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
tp_question_view_show_problem (TpQuestionView  *self,
                               const TpProblem *problem)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TP_IS_QUESTION_VIEW (self));

  if (problem)
    text = tp_problem_describe (problem, self->event, self->locale);
  gtk_label_set_label (self->error, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), text != NULL);
  if (text)
    tp_ui_scroll_into_view (GTK_WIDGET (self->label), GTK_WIDGET (self->error));
}

static void
changed (TpQuestionView *self)
{
  tp_question_view_show_problem (self, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
toggled_cb (GtkWidget      *button,
            TpQuestionView *self)
{
  gboolean active = GTK_IS_CHECK_BUTTON (button)
                    ? gtk_check_button_get_active (GTK_CHECK_BUTTON (button))
                    : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));

  if (active || self->question->type == TP_QUESTION_MULTI)
    changed (self);
}

static void
buffer_changed_cb (GtkTextBuffer  *buffer,
                   TpQuestionView *self)
{
  g_autofree char *count = g_strdup_printf ("%d / %u", gtk_text_buffer_get_char_count (buffer),
                                            self->question->max_length);

  gtk_label_set_label (self->counter, count);
  changed (self);
}

static void
add_choices (TpQuestionView *self,
             gboolean        single)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkCheckButton *group = NULL;

  for (guint i = 0; i < self->question->options->len; i++)
    {
      const TpOption *option = self->question->options->pdata[i];
      /* One of several is a radio button to a screen reader, not a check box: GTK gives a
       * grouped check button the check box's role. */
      GtkWidget *check = g_object_new (GTK_TYPE_CHECK_BUTTON,
                                       "label", tp_text_get (option->label, self->locale),
                                       "accessible-role", single ? GTK_ACCESSIBLE_ROLE_RADIO
                                                                 : GTK_ACCESSIBLE_ROLE_CHECKBOX,
                                       NULL);
      g_autofree char *name = g_strdup_printf ("option-%s-%s", self->question->id, option->id);

      gtk_widget_set_name (check, name);
      gtk_widget_add_css_class (check, "choice");
      if (single)
        {
          if (group)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
          else
            group = GTK_CHECK_BUTTON (check);
        }
      g_object_set_data_full (G_OBJECT (check), "tp-option", g_strdup (option->id), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (toggled_cb), self);
      g_ptr_array_add (self->choices, check);
      gtk_box_append (GTK_BOX (box), check);
    }
  gtk_box_append (self->content, box);
}

static void
add_scale (TpQuestionView *self)
{
  const TpQuestion *q = self->question;
  GtkWidget *scale = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, q->type == TP_QUESTION_NPS ? 6 : 12);
  GtkToggleButton *group = NULL;

  /* The captions sit under the ends of the scale, however wide it is. */
  gtk_widget_set_halign (scale, GTK_ALIGN_CENTER);
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  for (int v = q->min; v <= q->max; v++)
    {
      g_autofree char *text = g_strdup_printf ("%d", v);
      g_autofree char *name = g_strdup_printf ("value-%s-%d", q->id, v);
      g_autofree char *accessible = g_strdup_printf (_("%d out of %d"), v, q->max);
      GtkWidget *button = gtk_toggle_button_new_with_label (text);

      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "scale-button");
      if (q->type == TP_QUESTION_RATING)
        gtk_widget_add_css_class (button, "rating-button");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      if (group)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_object_set_data (G_OBJECT (button), "tp-value", GINT_TO_POINTER (v));
      g_signal_connect (button, "toggled", G_CALLBACK (toggled_cb), self);
      g_ptr_array_add (self->choices, button);
      gtk_box_append (GTK_BOX (row), button);
    }
  gtk_box_append (GTK_BOX (scale), row);
  gtk_box_append (self->content, scale);

  if (q->min_label || q->max_label)
    {
      GtkWidget *low = gtk_label_new (q->min_label ? tp_text_get (q->min_label, self->locale) : "");
      GtkWidget *high = gtk_label_new (q->max_label ? tp_text_get (q->max_label, self->locale) : "");
      GtkWidget *captions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

      gtk_widget_set_hexpand (low, TRUE);
      gtk_widget_set_hexpand (high, TRUE);
      gtk_label_set_xalign (GTK_LABEL (low), 0);
      gtk_label_set_xalign (GTK_LABEL (high), 1);
      gtk_widget_add_css_class (low, "dim-label");
      gtk_widget_add_css_class (high, "dim-label");
      gtk_box_append (GTK_BOX (captions), low);
      gtk_box_append (GTK_BOX (captions), high);
      gtk_box_append (GTK_BOX (scale), captions);
    }
}

static void
add_text (TpQuestionView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkTextBuffer *buffer;
  g_autofree char *name = g_strdup_printf ("text-%s", self->question->id);

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  buffer = gtk_text_view_get_buffer (self->text_view);
  /* Nothing typed here may come back for the next visitor through undo. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->text_view, FALSE);
  gtk_text_view_set_input_hints (self->text_view, GTK_INPUT_HINT_PRIVATE | GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 12);
  gtk_text_view_set_bottom_margin (self->text_view, 12);
  gtk_widget_set_name (GTK_WIDGET (self->text_view), name);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->label, NULL, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroller, -1, 180);
  gtk_widget_add_css_class (scroller, "answer-text");
  gtk_box_append (self->content, scroller);

  self->counter = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->counter, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->counter), "dim-label");
  gtk_box_append (self->content, GTK_WIDGET (self->counter));
  g_signal_connect (buffer, "changed", G_CALLBACK (buffer_changed_cb), self);
  buffer_changed_cb (buffer, self);
}

/* Whether the question's own words already say sentence ("Which teas? Choose all that
 * apply."): the kiosk does not say it a second time. */
static gboolean
label_says (TpQuestionView *self,
            const char     *sentence)
{
  g_autofree char *label = g_utf8_casefold (tp_text_get (self->question->label, self->locale), -1);
  g_autofree char *folded = g_utf8_casefold (sentence, -1);

  return strstr (label, folded) != NULL;
}

static char *
describe_hint (TpQuestionView *self)
{
  const TpQuestion *q = self->question;
  const char *how = NULL;
  g_autofree char *range = NULL;

  switch (q->type)
    {
    case TP_QUESTION_SINGLE:
      how = _("Choose one.");
      break;
    case TP_QUESTION_MULTI:
      if (q->max > 0 && q->max < (int) q->options->len)
        how = range = g_strdup_printf (_("Choose %d to %d."), MAX (q->min, 1), q->max);
      else
        how = _("Choose all that apply.");
      break;
    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      how = range = g_strdup_printf (_("Choose a number from %d to %d."), q->min, q->max);
      break;
    case TP_QUESTION_TEXT:
    default:
      break;
    }
  if (how && label_says (self, how))
    how = NULL;
  if (!q->required)
    return how ? g_strdup_printf ("%s %s", how, _("You may skip this question."))
               : g_strdup (_("You may skip this question."));
  return g_strdup (how);
}

static void
tp_question_view_dispose (GObject *object)
{
  TpQuestionView *self = TP_QUESTION_VIEW (object);

  if (self->text_view)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_QUESTION_VIEW);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->locale, g_free);
  G_OBJECT_CLASS (tp_question_view_parent_class)->dispose (object);
}

static void
tp_question_view_class_init (TpQuestionViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_question_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-question-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TpQuestionView, label);
  gtk_widget_class_bind_template_child (widget_class, TpQuestionView, hint);
  gtk_widget_class_bind_template_child (widget_class, TpQuestionView, content);
  gtk_widget_class_bind_template_child (widget_class, TpQuestionView, error);

  /* Any answer chosen or typed: the kiosk counts it as the visitor being there. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tp_question_view_init (TpQuestionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choices = g_ptr_array_new ();
}

TpQuestionView *
tp_question_view_new (TpEvent          *event,
                      const TpQuestion *question,
                      const char       *locale)
{
  TpQuestionView *self = g_object_new (TP_TYPE_QUESTION_VIEW, NULL);
  g_autofree char *hint = NULL;

  self->event = tp_event_ref (event);
  self->question = question;
  self->locale = g_strdup (locale);
  gtk_label_set_label (self->label, tp_text_get (question->label, locale));
  hint = describe_hint (self);
  gtk_label_set_label (self->hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), hint != NULL);

  switch (question->type)
    {
    case TP_QUESTION_SINGLE:
      add_choices (self, TRUE);
      break;
    case TP_QUESTION_MULTI:
      add_choices (self, FALSE);
      break;
    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      add_scale (self);
      break;
    case TP_QUESTION_TEXT:
    default:
      add_text (self);
      break;
    }
  return self;
}

const TpQuestion *
tp_question_view_get_question (TpQuestionView *self)
{
  g_return_val_if_fail (TP_IS_QUESTION_VIEW (self), NULL);
  return self->question;
}

static gboolean
is_blank (const char *text)
{
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

TpAnswer *
tp_question_view_get_answer (TpQuestionView *self)
{
  g_return_val_if_fail (TP_IS_QUESTION_VIEW (self), NULL);

  switch (self->question->type)
    {
    case TP_QUESTION_SINGLE:
      for (guint i = 0; i < self->choices->len; i++)
        if (gtk_check_button_get_active (self->choices->pdata[i]))
          return tp_answer_new_string (g_object_get_data (self->choices->pdata[i], "tp-option"));
      return NULL;

    case TP_QUESTION_MULTI:
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_auto(GStrv) list = NULL;

        for (guint i = 0; i < self->choices->len; i++)
          if (gtk_check_button_get_active (self->choices->pdata[i]))
            g_strv_builder_add (builder, g_object_get_data (self->choices->pdata[i], "tp-option"));
        list = g_strv_builder_end (builder);
        if (list[0] == NULL)
          return NULL;
        return tp_answer_new_list ((const char * const *) list);
      }

    case TP_QUESTION_RATING:
    case TP_QUESTION_NPS:
      for (guint i = 0; i < self->choices->len; i++)
        if (gtk_toggle_button_get_active (self->choices->pdata[i]))
          return tp_answer_new_number (GPOINTER_TO_INT (g_object_get_data (self->choices->pdata[i], "tp-value")));
      return NULL;

    case TP_QUESTION_TEXT:
    default:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
        GtkTextIter start, end;
        g_autofree char *text = NULL;
        TpAnswer *answer;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        if (is_blank (text))
          return NULL;
        answer = tp_answer_new_string (text);
        explicit_bzero (text, strlen (text));
        return answer;
      }
    }
}

void
tp_question_view_focus (TpQuestionView *self)
{
  g_return_if_fail (TP_IS_QUESTION_VIEW (self));

  if (self->text_view)
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  else if (self->choices->len > 0)
    gtk_widget_grab_focus (self->choices->pdata[0]);
}
