/* tp-consent-notice.c: the exact notice a visitor sees for a consent, and the hash kept of it. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event.h"

char *
tp_consent_render_notice (const TpConsent *consent,
                          TpEvent         *event,
                          const char      *locale)
{
  gboolean ko = g_strcmp0 (locale, "ko") == 0;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s\n\n%s\n\n", tp_text_get (consent->title, locale),
                          tp_text_get (consent->text, locale));
  g_string_append_printf (s, ko ? "• 수집·이용 목적: %s\n" : "• Purpose: %s\n",
                          tp_text_get (consent->purpose, locale));
  g_string_append_printf (s, ko ? "• 수집 항목: %s\n" : "• Items collected: %s\n",
                          tp_text_get (consent->items, locale));
  g_string_append_printf (s, ko ? "• 보유·이용 기간: %u일\n" : "• Kept for: %u days\n",
                          consent->retention_days);
  g_string_append_printf (s, ko ? "• 동의를 거부할 권리: %s\n" : "• Your right to refuse: %s\n",
                          tp_text_get (consent->refusal, locale));
  g_string_append_printf (s, ko ? "• 개인정보처리자: %s (%s)" : "• Controller: %s (%s)",
                          tp_text_get (event->controller_name, locale), event->controller_contact);
  return g_string_free (s, FALSE);
}

char *
tp_consent_notice_sha256 (const TpConsent *consent,
                          TpEvent         *event,
                          const char      *locale)
{
  g_autofree char *notice = tp_consent_render_notice (consent, event, locale);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, notice, -1);
}
