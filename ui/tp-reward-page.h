/* tp-reward-page.h: the thank-you screen with the stored coupon and a countdown to the start. */
#pragma once

#include <adwaita.h>

#include "tp-coupon-printer.h"
#include "tp-event.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_REWARD_PAGE (tp_reward_page_get_type ())
G_DECLARE_FINAL_TYPE (TpRewardPage, tp_reward_page, TP, REWARD_PAGE, AdwBin)

/* Shown only for a capture the store has committed. After the event's coupon_seconds on
 * screen it activates "visit.done". */
TpRewardPage *tp_reward_page_new            (TpEvent      *event,
                                             const char   *locale,
                                             TpCapture    *capture);
guint         tp_reward_page_get_seconds_left (TpRewardPage *self);
/* The printer staff chose (NULL: none, no Print button) and its roll. */
void          tp_reward_page_set_printer    (TpRewardPage   *self,
                                             const char     *printer,
                                             TpReceiptWidth  width);
/* Puts the focus on Done. */
void          tp_reward_page_focus          (TpRewardPage *self);

G_END_DECLS
