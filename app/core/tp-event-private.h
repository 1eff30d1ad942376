/* tp-event-private.h: what the event's model (tp-event.c) shares with its parser. */
#pragma once

#include "tp-event.h"

G_BEGIN_DECLS

/* Free one part of a definition, with everything it holds. */
void tp_field_free     (TpField     *field);
void tp_consent_free   (TpConsent   *consent);
void tp_option_free    (TpOption    *option);
void tp_question_free  (TpQuestion  *question);
void tp_condition_free (TpCondition *condition);
void tp_segment_free   (TpSegment   *segment);
void tp_offer_free     (TpOffer     *offer);
void tp_prize_free     (TpPrize     *prize);

G_END_DECLS
