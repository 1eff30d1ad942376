/* tp-field-row.h: one personal-data field: its label, entry, hint and inline message. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-lead.h"

G_BEGIN_DECLS

#define TP_TYPE_FIELD_ROW (tp_field_row_get_type ())
G_DECLARE_FINAL_TYPE (TpFieldRow, tp_field_row, TP, FIELD_ROW, AdwBin)

/* The event must outlive the row. */
TpFieldRow    *tp_field_row_new        (TpEvent       *event,
                                        const TpField *field,
                                        const char    *locale);
const TpField *tp_field_row_get_field  (TpFieldRow    *self);
GtkEntry      *tp_field_row_get_entry  (TpFieldRow    *self);
const char    *tp_field_row_get_text   (TpFieldRow    *self);
void           tp_field_row_set_text   (TpFieldRow    *self,
                                        const char    *text);
/* Checks the value and shows or clears the message; an empty required field is reported
 * only when report_missing is set (not while the visitor is still moving through the form). */
gboolean       tp_field_row_check      (TpFieldRow    *self,
                                        gboolean       report_missing);
/* Shows a problem with the value beside the field, in the row's language; NULL clears it. */
void           tp_field_row_show_problem (TpFieldRow      *self,
                                          const TpProblem *problem);

G_END_DECLS
