/* test-plurals.c: counted messages ("in 5 seconds") in Korean when the locale is C.UTF-8, as
 * under systemd, after GLib has translated something of its own first, as the kiosk's option
 * parsing does. Its own process: GLib decides once per process whether to translate. */
#include "tests/ui/kiosk-test-util.h"

#include "tp-i18n.h"
#include "tp-pin.h"
#include "tp-reward-page.h"
#include "tp-still-there.h"

#include <string.h>

static gboolean
has_hangul (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xAC00 && c <= 0xD7A3)
        return TRUE;
    }
  return FALSE;
}

/* Every text under root that mentions the number shown, in Korean. */
static void
assert_korean_count (GtkWidget  *root,
                     const char *number)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gboolean found = FALSE;

  kiosk_test_collect_texts (root, texts);
  for (guint i = 0; i < texts->len; i++)
    if (strstr (texts->pdata[i], number))
      {
        g_test_message ("%s", (char *) texts->pdata[i]);
        g_assert_true (has_hangul (texts->pdata[i]));
        found = TRUE;
      }
  g_assert_true (found);
}

static void
test_still_there (void)
{
  GtkWidget *card = g_object_ref_sink (GTK_WIDGET (tp_still_there_new ()));

  tp_still_there_set_seconds (TP_STILL_THERE (card), 7);
  assert_korean_count (card, "7");
  g_object_unref (card);
}

static void
test_reward_countdown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEvent) event = tp_event_load (NULL, &error);
  g_autoptr(TpCapture) capture = g_new0 (TpCapture, 1);
  g_autofree char *seconds = NULL;
  GtkWidget *page;

  g_assert_no_error (error);
  capture->lead_id = g_strdup ("00000000-0000-4000-8000-000000000000");
  capture->tags = g_new0 (char *, 1);
  capture->offer = g_strdup (((TpOffer *) event->offers->pdata[0])->id);
  capture->coupon_code = g_strdup ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789");
  capture->coupon_expires_at = g_strdup ("2026-12-31T14:59:00Z");
  capture->captured_at = g_strdup ("2026-11-29T10:00:00Z");
  page = g_object_ref_sink (GTK_WIDGET (tp_reward_page_new (event, "ko", capture)));
  seconds = g_strdup_printf ("%u", tp_reward_page_get_seconds_left (TP_REWARD_PAGE (page)));
  assert_korean_count (page, seconds);
  g_object_unref (page);
}

static void
test_pin_message (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_new (dir, &error);

  g_assert_no_error (error);
  g_assert_true (tp_pin_set (store, "2468", &error));
  g_assert_false (tp_pin_check (store, "1111", tp_pin_now (), &error));
  g_assert_error (error, TP_PIN_ERROR, TP_PIN_ERROR_WRONG);
  g_test_message ("%s", error->message);
  g_assert_true (has_hangul (error->message));
  g_clear_object (&store);
  tp_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  tp_i18n_init ();
  /* As GOptionContext does while the kiosk reads its options, before the event's language. */
  (void) g_dgettext ("glib20", "Help Options:");
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/touchpoint/ui/plurals/still-there", test_still_there);
  g_test_add_func ("/touchpoint/ui/plurals/reward-countdown", test_reward_countdown);
  g_test_add_func ("/touchpoint/ui/plurals/pin-message", test_pin_message);
  return kiosk_test_run ();
}
