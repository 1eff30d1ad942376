/* test-badge.c: badge scans: vCard 3.0/4.0 and MECARD parsing, and the '@' layout repair. */
#include "tp-badge.h"

static TpBadge *
parse_ok (const char *payload)
{
  g_autoptr(GError) error = NULL;
  TpBadge *badge = tp_badge_parse (payload, &error);

  g_assert_no_error (error);
  g_assert_nonnull (badge);
  return badge;
}

static void
parse_fails (const char *payload,
             int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpBadge) badge = tp_badge_parse (payload, &error);

  g_assert_null (badge);
  g_assert_error (error, TP_BADGE_ERROR, code);
}

static void
test_vcard3 (void)
{
  g_autoptr(TpBadge) b = parse_ok ("BEGIN:VCARD\r\n"
                                   "VERSION:3.0\r\n"
                                   "N:Doe;Jane;;Dr.;\r\n"
                                   "FN:Dr. Jane Doe\r\n"
                                   "ORG:Acme\\, Inc.;Research\r\n"
                                   "TITLE:Head of tea\r\n"
                                   "TEL;TYPE=WORK,VOICE:+1 555 0100\r\n"
                                   "TEL;TYPE=CELL:+44 7700 900123\r\n"
                                   "EMAIL;TYPE=INTERNET:jane.doe@example.com\r\n"
                                   "END:VCARD\r\n");

  g_assert_cmpstr (b->name, ==, "Dr. Jane Doe");
  g_assert_cmpstr (b->family_name, ==, "Doe");
  g_assert_cmpstr (b->given_name, ==, "Jane");
  g_assert_cmpstr (b->company, ==, "Acme, Inc.");
  /* The mobile number wins over the work number listed first. */
  g_assert_cmpstr (b->phone, ==, "+44 7700 900123");
  g_assert_cmpstr (b->email, ==, "jane.doe@example.com");
}

static void
test_vcard4 (void)
{
  g_autoptr(TpBadge) b = parse_ok ("BEGIN:VCARD\n"
                                   "VERSION:4.0\n"
                                   "FN:Kim\\; Min-jun\n"
                                   "EMAIL;TYPE=home:old@example.org\n"
                                   "item1.EMAIL;PREF=1:min\n"
                                   " jun@example.org\n"
                                   "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+82-10-1234-5678\n"
                                   "END:VCARD");

  /* Escapes are undone; a folded line joins its start; PREF picks the address. */
  g_assert_cmpstr (b->name, ==, "Kim; Min-jun");
  g_assert_cmpstr (b->email, ==, "minjun@example.org");
  g_assert_cmpstr (b->phone, ==, "+82-10-1234-5678");
  g_assert_null (b->company);
}

static void
test_vcard_korean_name (void)
{
  g_autoptr(TpBadge) b = parse_ok ("BEGIN:VCARD\nVERSION:3.0\nN:홍;길동;;;\nEMAIL:hong@example.com\n"
                                   "ORG:마루 티하우스\nEND:VCARD\n");

  /* Without FN the name is built from N, family name first and without a space in Korean. */
  g_assert_cmpstr (b->name, ==, "홍길동");
  g_assert_cmpstr (b->company, ==, "마루 티하우스");
}

static void
test_vcard_western_name_from_n (void)
{
  g_autoptr(TpBadge) b = parse_ok ("BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nEND:VCARD\n");

  g_assert_cmpstr (b->name, ==, "Jane Doe");
}

static void
test_vcard_charset (void)
{
  g_autoptr(TpBadge) utf8 = parse_ok ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                                      "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=ED=99=8D;=EA=B8=B8=EB=8F=99\r\n"
                                      "END:VCARD\r\n");
  g_autoptr(TpBadge) euckr = parse_ok ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                                       "FN;CHARSET=EUC-KR;ENCODING=QUOTED-PRINTABLE:=C8=AB=B1=E6=\r\n"
                                       "=B5=BF\r\n"
                                       "END:VCARD\r\n");
  g_autoptr(TpBadge) b64 = parse_ok ("BEGIN:VCARD\nVERSION:3.0\nFN;ENCODING=b;CHARSET=UTF-8:7ZmN6ri464+Z\n"
                                     "END:VCARD\n");

  g_assert_cmpstr (utf8->name, ==, "홍길동");
  /* EUC-KR bytes, with a quoted-printable soft line break in the middle. */
  g_assert_cmpstr (euckr->name, ==, "홍길동");
  g_assert_cmpstr (b64->name, ==, "홍길동");

  parse_fails ("BEGIN:VCARD\nVERSION:3.0\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE\nEND:VCARD\n",
               TP_BADGE_ERROR_MALFORMED);

  /* An encoded value with nothing in it (found by fuzzing: g_convert was given no bytes). */
  {
    g_autoptr(TpBadge) empty = parse_ok ("BEGIN:VCARD\nVERSION:4.0\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:\n"
                                         "EMAIL:jane@example.com\nEND:VCARD\n");

    g_assert_cmpstr (empty->email, ==, "jane@example.com");
  }
}

static void
test_vcard_broken (void)
{
  /* Cut short by the scanner: no END line. */
  parse_fails ("BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nEMAIL:jane@exa", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("BEGIN:VCARD\nVERSION:3.0\nFN Jane\nEND:VCARD\n", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("BEGIN:VCARD\nVERSION:9.9\nFN:Jane\nEND:VCARD\n", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing useful\nEND:VCARD\n", TP_BADGE_ERROR_EMPTY);
  /* A line with no property name (found by fuzzing: a crash). */
  parse_fails ("BEGIN:VCARD\nVERSION:4.0\n:+82-10-2345-6789\nFN:Jane\nEND:VCARD\n", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("BEGIN:VCARD\nVERSION:4.0\n;TYPE=CELL:+82-10-2345-6789\nFN:Jane\nEND:VCARD\n", TP_BADGE_ERROR_MALFORMED);
}

static void
test_mecard (void)
{
  g_autoptr(TpBadge) b = parse_ok ("MECARD:N:Doe,Jane;TEL:+15550100;TEL:+15550199;"
                                   "EMAIL:jane@example.com;ORG:Acme\\; Tea \\: Co;NOTE:hi;;");
  g_autoptr(TpBadge) k = parse_ok ("mecard:N:홍,길동;EMAIL:hong@example.com;;\r\n");

  g_assert_cmpstr (b->name, ==, "Jane Doe");
  g_assert_cmpstr (b->phone, ==, "+15550100");
  g_assert_cmpstr (b->email, ==, "jane@example.com");
  g_assert_cmpstr (b->company, ==, "Acme; Tea : Co");
  g_assert_cmpstr (k->name, ==, "홍길동");

  parse_fails ("MECARD:N:Doe,Jane;EMAIL:jane@exam", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("MECARD:N:Doe,Jane;EMAIL:jane@example.com;", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("MECARD:N:Doe,Jane;;garbage", TP_BADGE_ERROR_MALFORMED);
  parse_fails ("MECARD:NOTE:x;;", TP_BADGE_ERROR_EMPTY);
}

static void
test_unknown (void)
{
  parse_fails ("4006381333931", TP_BADGE_ERROR_UNKNOWN);
  parse_fails ("https://example.com/ticket/123", TP_BADGE_ERROR_UNKNOWN);
  parse_fails ("", TP_BADGE_ERROR_UNKNOWN);
  parse_fails ("\xff\xfe", TP_BADGE_ERROR_MALFORMED);
}

static void
test_at_repair (void)
{
  /* German or British layout: Shift+2 typed '"'; French: '2'. The kiosk marks the key. */
  g_autoptr(TpBadge) de = parse_ok ("MECARD:N:Doe,Jane;EMAIL:jane\xee\x80\x80\"example.com;;");
  g_autoptr(TpBadge) fr = parse_ok ("BEGIN:VCARD\nVERSION:3.0\nFN:Jane 2\nEMAIL:jane\xee\x80\x80" "2example.com\n"
                                    "END:VCARD\n");
  /* Outside an address, or next to a real '@', the marker keeps the layout's character. */
  g_autoptr(TpBadge) name = parse_ok ("MECARD:N:Doe\xee\x80\x80\",Jane;EMAIL:a@example.com;;");
  g_autoptr(TpBadge) two = parse_ok ("MECARD:EMAIL:a\xee\x80\x80" "2b@example.com;;");
  /* A scanner set for a British layout on a US keyboard types a bare '"'. */
  g_autoptr(TpBadge) quote = parse_ok ("MECARD:EMAIL:jane\"example.com;;");
  g_autoptr(TpBadge) quoted_local = parse_ok ("MECARD:EMAIL:\"jane doe\"@example.com;;");
  g_autoptr(TpBadge) not_email = parse_ok ("MECARD:EMAIL:jane\"example;;");

  g_assert_cmpstr (de->email, ==, "jane@example.com");
  g_assert_cmpstr (fr->email, ==, "jane@example.com");
  g_assert_cmpstr (fr->name, ==, "Jane 2");
  g_assert_cmpstr (name->family_name, ==, "Doe\"");
  g_assert_cmpstr (two->email, ==, "a2b@example.com");
  g_assert_cmpstr (quote->email, ==, "jane@example.com");
  g_assert_cmpstr (quoted_local->email, ==, "\"jane doe\"@example.com");
  g_assert_cmpstr (not_email->email, ==, "jane\"example");
}

static void
test_fields (void)
{
  g_autoptr(TpEvent) event = tp_event_new_demo ();
  g_autoptr(TpBadge) b = parse_ok ("MECARD:N:Doe,Jane;TEL:010-1234-5678;EMAIL:jane@example.com;ORG:Acme;;");
  TpField other = { .id = (char *) "favourite_tea", .type = TP_FIELD_TEXT };

  g_assert_cmpstr (tp_badge_value_for_field (b, tp_event_get_field (event, "name")), ==, "Jane Doe");
  g_assert_cmpstr (tp_badge_value_for_field (b, tp_event_get_field (event, "email")), ==, "jane@example.com");
  g_assert_cmpstr (tp_badge_value_for_field (b, tp_event_get_field (event, "phone")), ==, "010-1234-5678");
  g_assert_cmpstr (tp_badge_value_for_field (b, tp_event_get_field (event, "company")), ==, "Acme");
  g_assert_null (tp_badge_value_for_field (b, &other));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/touchpoint/badge/vcard3", test_vcard3);
  g_test_add_func ("/touchpoint/badge/vcard4", test_vcard4);
  g_test_add_func ("/touchpoint/badge/vcard-korean-name", test_vcard_korean_name);
  g_test_add_func ("/touchpoint/badge/vcard-western-name-from-n", test_vcard_western_name_from_n);
  g_test_add_func ("/touchpoint/badge/vcard-charset", test_vcard_charset);
  g_test_add_func ("/touchpoint/badge/vcard-broken", test_vcard_broken);
  g_test_add_func ("/touchpoint/badge/mecard", test_mecard);
  g_test_add_func ("/touchpoint/badge/unknown", test_unknown);
  g_test_add_func ("/touchpoint/badge/at-repair", test_at_repair);
  g_test_add_func ("/touchpoint/badge/fields", test_fields);
  return g_test_run ();
}
