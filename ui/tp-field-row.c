/* tp-field-row.c: one personal-data field: its label, entry, hint and inline message. */
#define G_LOG_DOMAIN "tp-field-row"

#include "tp-field-row.h"

struct _TpFieldRow
{
  AdwBin         parent_instance;
  TpEvent       *event;
  const TpField *field;
  char          *locale;
  GtkLabel      *label;
  GtkEntry      *entry;
  GtkLabel      *hint;
  GtkLabel      *error;
};

G_DEFINE_FINAL_TYPE (TpFieldRow, tp_field_row, ADW_TYPE_BIN)

static void
show_error (TpFieldRow *self,
            const char *text)
{
  /* The line stays when empty: the fields below do not move as messages come and go. */
  gtk_label_set_label (self->error, text ? text : "");
  if (text)
    gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID,
                               text ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

void
tp_field_row_show_problem (TpFieldRow      *self,
                           const TpProblem *problem)
{
  g_autofree char *message = NULL;

  g_return_if_fail (TP_IS_FIELD_ROW (self));

  if (problem)
    message = tp_problem_describe (problem, self->event, self->locale);
  show_error (self, message);
}

gboolean
tp_field_row_check (TpFieldRow *self,
                    gboolean    report_missing)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  TpProblemCode code;

  g_return_val_if_fail (TP_IS_FIELD_ROW (self), FALSE);

  if (tp_field_value_check (self->field, text, NULL, &code))
    {
      show_error (self, NULL);
      return TRUE;
    }
  if (code == TP_PROBLEM_REQUIRED && !report_missing)
    {
      show_error (self, NULL);
      return FALSE;
    }
  {
    TpProblem problem = { .kind = TP_PROBLEM_KIND_FIELD, .id = self->field->id, .code = code };

    tp_field_row_show_problem (self, &problem);
  }
  return FALSE;
}

/* Leaving a field checks what was typed; a message already shown goes as soon as it is fixed. */
static void
focus_leave_cb (TpFieldRow *self)
{
  tp_field_row_check (self, FALSE);
}

static void
changed_cb (TpFieldRow *self)
{
  if (*gtk_label_get_label (self->error) != '\0')
    tp_field_row_check (self, FALSE);
}

static void
tp_field_row_dispose (GObject *object)
{
  TpFieldRow *self = TP_FIELD_ROW (object);

  /* The text is personal data: overwrite what the entry holds before it goes. */
  if (self->entry)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_FIELD_ROW);
  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_pointer (&self->locale, g_free);
  G_OBJECT_CLASS (tp_field_row_parent_class)->dispose (object);
}

static void
tp_field_row_class_init (TpFieldRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tp_field_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/touchpoint/Kiosk/ui/tp-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TpFieldRow, label);
  gtk_widget_class_bind_template_child (widget_class, TpFieldRow, entry);
  gtk_widget_class_bind_template_child (widget_class, TpFieldRow, hint);
  gtk_widget_class_bind_template_child (widget_class, TpFieldRow, error);
  gtk_widget_class_bind_template_callback (widget_class, focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
tp_field_row_init (TpFieldRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TpFieldRow *
tp_field_row_new (TpEvent       *event,
                  const TpField *field,
                  const char    *locale)
{
  TpFieldRow *self = g_object_new (TP_TYPE_FIELD_ROW, NULL);
  GtkInputHints hints = GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_PRIVATE;
  GtkInputPurpose purpose = GTK_INPUT_PURPOSE_FREE_FORM;
  g_autofree char *name = g_strdup_printf ("field-%s", field->id);
  const char *hint = field->hint ? tp_text_get (field->hint, locale) : NULL;

  self->event = tp_event_ref (event);
  self->field = field;
  self->locale = g_strdup (locale);

  gtk_label_set_label (self->label, tp_text_get (field->label, locale));
  gtk_label_set_label (self->hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), hint != NULL);
  gtk_widget_set_name (GTK_WIDGET (self->entry), name);

  /* Tell on-screen keyboards what is typed and that it must be neither learnt nor suggested
   * to the next visitor. */
  switch (field->type)
    {
    case TP_FIELD_EMAIL:
      purpose = GTK_INPUT_PURPOSE_EMAIL;
      hints |= GTK_INPUT_HINT_NO_EMOJI | GTK_INPUT_HINT_LOWERCASE;
      break;
    case TP_FIELD_PHONE:
      purpose = GTK_INPUT_PURPOSE_PHONE;
      hints |= GTK_INPUT_HINT_NO_EMOJI;
      break;
    case TP_FIELD_TEXT:
    default:
      if (g_str_equal (field->id, "name") || g_str_has_suffix (field->id, "_name"))
        purpose = GTK_INPUT_PURPOSE_NAME;
      break;
    }
  gtk_entry_set_input_purpose (self->entry, purpose);
  gtk_entry_set_input_hints (self->entry, hints);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->hint, self->error, NULL,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, field->required,
                                  -1);
  return self;
}

const TpField *
tp_field_row_get_field (TpFieldRow *self)
{
  g_return_val_if_fail (TP_IS_FIELD_ROW (self), NULL);
  return self->field;
}

GtkEntry *
tp_field_row_get_entry (TpFieldRow *self)
{
  g_return_val_if_fail (TP_IS_FIELD_ROW (self), NULL);
  return self->entry;
}

const char *
tp_field_row_get_text (TpFieldRow *self)
{
  g_return_val_if_fail (TP_IS_FIELD_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
tp_field_row_set_text (TpFieldRow *self,
                       const char *text)
{
  g_return_if_fail (TP_IS_FIELD_ROW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
}
