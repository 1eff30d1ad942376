/* tp-declined-page.h: the polite end when a visitor refuses a required consent or is too young. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"

G_BEGIN_DECLS

typedef enum
{
  TP_DECLINED_CONSENT,  /* A required consent was refused. */
  TP_DECLINED_AGE,      /* Younger than the event's minimum age. */
} TpDeclinedReason;

#define TP_TYPE_DECLINED_PAGE (tp_declined_page_get_type ())
G_DECLARE_FINAL_TYPE (TpDeclinedPage, tp_declined_page, TP, DECLINED_PAGE, AdwBin)

TpDeclinedPage *tp_declined_page_new   (TpEvent          *event,
                                        TpDeclinedReason  reason);
/* Puts the focus on Finish. */
void            tp_declined_page_focus (TpDeclinedPage   *self);

G_END_DECLS
