/* tp-consent-page.c: the event's privacy notices, the consent choices and the age confirmation. */
#define G_LOG_DOMAIN "tp-consent-page"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-consent-page.h"
#include "tp-ui.h"

typedef struct
{
  GtkCheckButton *check;
  GtkLabel       *error;
} Choice;

struct _TpConsentPage
{
  AdwBin          parent_instance;
  TpEvent        *event;
  char           *locale;
  GHashTable     *choices;        /* consent id → Choice */
  GtkFlowBox     *consents_box;
  GtkCheckButton *age_check;
  GtkLabel       *age_error;
  GtkButton      *under_age_button;
};

G_DEFINE_FINAL_TYPE (TpConsentPage, tp_consent_page, ADW_TYPE_BIN)

/* The notices go side by side where each card gets its minimum width; the cards ask for no
 * more (their wrapped texts' natural width) so that the flow box lays them out by it. */
#define CARD_MIN_WIDTH 480
#define LABEL_WIDTH_CHARS 30

/* The message line under a box that can have one stays when empty: the boxes and cards
 * below do not move as messages come and go. */
static void
set_error (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
}

/* Ticking a box answers its problem: the message goes. */
static void
check_toggled_cb (GtkCheckButton *check,
                  GtkLabel       *error)
{
  if (gtk_check_button_get_active (check))
    set_error (error, NULL);
}

static GtkWidget *
build_card (TpConsentPage   *self,
            const TpConsent *consent)
{
  g_autofree char *notice = tp_consent_render_notice (consent, self->event, self->locale);
  g_autofree char *name = g_strdup_printf ("consent-%s", consent->id);
  g_autofree char *accessible = NULL;
  const char *split = strstr (notice, "\n\n");
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *title, *body, *check, *error;
  Choice *choice = g_new0 (Choice, 1);

  /* The notice is shown word for word (its hash is what the consent record keeps); only its
   * first paragraph, the title, is set as a heading. */
  title = gtk_label_new (NULL);
  body = gtk_label_new (NULL);
  if (split)
    {
      g_autofree char *head = g_strndup (notice, split - notice);

      gtk_label_set_label (GTK_LABEL (title), head);
      gtk_label_set_label (GTK_LABEL (body), split + 2);
    }
  else
    gtk_label_set_label (GTK_LABEL (body), notice);
  gtk_widget_set_visible (title, split != NULL);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *label = i ? body : title;

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), LABEL_WIDTH_CHARS);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (card), label);
    }
  gtk_widget_add_css_class (title, "consent-title");
  gtk_widget_add_css_class (body, "consent-notice");
  gtk_widget_set_name (body, name);

  check = gtk_check_button_new_with_label (consent->required ? _("I agree (required)") : _("I agree (optional)"));
  g_free (name);
  name = g_strdup_printf ("consent-%s-check", consent->id);
  gtk_widget_set_name (check, name);
  gtk_widget_add_css_class (check, "choice");
  accessible = g_strdup_printf ("%s: %s", consent->required ? _("I agree (required)") : _("I agree (optional)"),
                                tp_text_get (consent->title, self->locale));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_box_append (GTK_BOX (card), check);

  error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error), LABEL_WIDTH_CHARS);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "field-error");
  /* Only a required consent can be refused. */
  gtk_widget_set_visible (error, consent->required);
  gtk_box_append (GTK_BOX (card), error);
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), error);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "consent-card");
  /* Two notices side by side only where each still has a comfortable line. */
  gtk_widget_set_size_request (card, CARD_MIN_WIDTH, -1);
  choice->check = GTK_CHECK_BUTTON (check);
  choice->error = GTK_LABEL (error);
  g_hash_table_insert (self->choices, g_strdup (consent->id), choice);
  return card;
}

static void
tp_consent_page_dispose (GObject *object)
{
  TpConsentPage *self = TP_CONSENT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_CONSENT_PAGE);
  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->locale, g_free);
  G_OBJECT_CLASS (tp_consent_page_parent_class)->dispose (object);
}

static void
tp_consent_page_class_init (TpConsentPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_consent_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-consent-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpConsentPage, consents_box);
  gtk_widget_class_bind_template_child (widget_class, TpConsentPage, age_check);
  gtk_widget_class_bind_template_child (widget_class, TpConsentPage, age_error);
  gtk_widget_class_bind_template_child (widget_class, TpConsentPage, under_age_button);
}

static void
tp_consent_page_init (TpConsentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect (self->age_check, "toggled", G_CALLBACK (check_toggled_cb), self->age_error);
}

TpConsentPage *
tp_consent_page_new (TpEvent    *event,
                     const char *locale)
{
  TpConsentPage *self = g_object_new (TP_TYPE_CONSENT_PAGE, NULL);
  g_autofree char *age = NULL;
  g_autofree char *under = NULL;

  self->event = tp_event_ref (event);
  self->locale = g_strdup (locale);
  for (guint i = 0; i < event->consents->len; i++)
    {
      /* A plain group in the page's focus chain: the boxes take the focus, not the cards. */
      GtkWidget *child = g_object_new (GTK_TYPE_FLOW_BOX_CHILD, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                       "focusable", FALSE, "child", build_card (self, event->consents->pdata[i]),
                                       NULL);

      gtk_flow_box_append (self->consents_box, child);
    }

  age = g_strdup_printf (_("I am %u or older"), event->min_age);
  gtk_check_button_set_label (self->age_check, age);
  under = g_strdup_printf (_("I am under %u"), event->min_age);
  gtk_button_set_label (self->under_age_button, under);
  return self;
}

void
tp_consent_page_focus (TpConsentPage *self)
{
  g_return_if_fail (TP_IS_CONSENT_PAGE (self));

  if (self->event->consents->len > 0)
    {
      const TpConsent *first = self->event->consents->pdata[0];
      Choice *choice = g_hash_table_lookup (self->choices, first->id);

      gtk_widget_grab_focus (GTK_WIDGET (choice->check));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->age_check));
}

void
tp_consent_page_apply (TpConsentPage *self,
                       TpSubmission  *submission)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (TP_IS_CONSENT_PAGE (self));

  g_hash_table_iter_init (&iter, self->choices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Choice *choice = value;

      tp_submission_set_consent (submission, key, gtk_check_button_get_active (choice->check));
    }
  submission->age_confirmed = gtk_check_button_get_active (self->age_check);
}

gboolean
tp_consent_page_show_problems (TpConsentPage *self,
                               TpValidation  *validation)
{
  const TpProblem *problem;
  gboolean any = FALSE;
  GtkWidget *first = NULL;
  GtkWidget *first_error = NULL;

  g_return_val_if_fail (TP_IS_CONSENT_PAGE (self), FALSE);

  for (guint i = 0; i < self->event->consents->len; i++)
    {
      const TpConsent *consent = self->event->consents->pdata[i];
      Choice *choice = g_hash_table_lookup (self->choices, consent->id);
      g_autofree char *text = NULL;

      problem = tp_validation_find (validation, TP_PROBLEM_KIND_CONSENT, consent->id);
      if (problem)
        text = tp_problem_describe (problem, self->event, self->locale);
      set_error (choice->error, text);
      if (problem && first == NULL)
        {
          first = GTK_WIDGET (choice->check);
          first_error = GTK_WIDGET (choice->error);
        }
      any |= problem != NULL;
    }

  problem = tp_validation_find (validation, TP_PROBLEM_KIND_AGE, NULL);
  if (problem)
    {
      g_autofree char *text = tp_problem_describe (problem, self->event, self->locale);

      set_error (self->age_error, text);
      if (first == NULL)
        {
          first = GTK_WIDGET (self->age_check);
          first_error = GTK_WIDGET (self->age_error);
        }
      any = TRUE;
    }
  else
    set_error (self->age_error, NULL);

  if (first)
    {
      gtk_widget_grab_focus (first);
      tp_ui_scroll_into_view (first, first_error);
    }
  return any;
}
