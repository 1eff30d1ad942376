/* tp-consent-page.h: the event's privacy notices, the consent choices and the age confirmation. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-lead.h"

G_BEGIN_DECLS

#define TP_TYPE_CONSENT_PAGE (tp_consent_page_get_type ())
G_DECLARE_FINAL_TYPE (TpConsentPage, tp_consent_page, TP, CONSENT_PAGE, AdwBin)

TpConsentPage *tp_consent_page_new            (TpEvent       *event,
                                               const char    *locale);
/* Copies the visitor's choices into the submission. */
void           tp_consent_page_apply          (TpConsentPage *self,
                                               TpSubmission  *submission);
/* Puts the focus on the first box (never on "I do not agree": Enter, Enter must not decline). */
void           tp_consent_page_focus          (TpConsentPage *self);
/* Shows the problems about consents and age beside their boxes; TRUE if there was any. */
gboolean       tp_consent_page_show_problems  (TpConsentPage *self,
                                               TpValidation  *validation);

G_END_DECLS
