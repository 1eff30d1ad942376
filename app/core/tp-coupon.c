/* tp-coupon.c: coupon codes: 80 bits of payload and an 80-bit HMAC-SHA256 tag, in Crockford base32.
 *
 * Payload (big-endian bit string, 80 bits):
 *   4 bits   format version (1)
 *   8 bits   offer: index into the event's "offers" list
 *  16 bits   kiosk number (1..65535)
 *  28 bits   the kiosk's sequence number of the lead
 *  24 bits   expiry, minutes since 2024-01-01T00:00:00Z (until 2055)
 * Tag: the first 10 bytes of
 *   HMAC-SHA256(event key, "touchpoint-coupon-1\0" event id "\0" offer id "\0" payload).
 * The offer's id is signed as well as its index: a kiosk whose event file lists the offers in
 * another order refuses the code instead of granting a different offer.
 * The 20 bytes make 32 base32 characters, shown as eight groups of four. */
#define G_LOG_DOMAIN "tp-coupon"

#include "tp-coupon.h"
#include "tp-i18n.h"

#include <string.h>

G_DEFINE_QUARK (tp-coupon-error-quark, tp_coupon_error)

#define CODE_VERSION   1
#define PAYLOAD_BYTES  10
#define TAG_BYTES      10
#define CODE_BYTES     (PAYLOAD_BYTES + TAG_BYTES)
#define CODE_CHARS     32
#define EPOCH_UNIX     G_GINT64_CONSTANT (1704067200)  /* 2024-01-01T00:00:00Z */
#define SEQ_MAX        ((1u << 28) - 1)
#define MINUTES_MAX    ((1u << 24) - 1)

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void
tp_coupon_free (TpCoupon *coupon)
{
  if (coupon == NULL)
    return;
  g_free (coupon->code);
  g_free (coupon->offer);
  g_clear_pointer (&coupon->expires_at, g_date_time_unref);
  g_free (coupon);
}

char *
tp_format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
compute_tag (TpEvent      *event,
             const char   *offer_id,
             const guint8 *payload,
             guint8       *tag)
{
  g_autoptr(GHmac) hmac = NULL;
  static const char label[] = "touchpoint-coupon-1";
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize key_len;
  const guint8 *key = g_bytes_get_data (event->coupon_key, &key_len);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_hmac_update (hmac, (const guchar *) label, sizeof label);  /* With its NUL. */
  g_hmac_update (hmac, (const guchar *) event->id, strlen (event->id) + 1);
  g_hmac_update (hmac, (const guchar *) offer_id, strlen (offer_id) + 1);
  g_hmac_update (hmac, payload, PAYLOAD_BYTES);
  g_hmac_get_digest (hmac, digest, &digest_len);
  memcpy (tag, digest, TAG_BYTES);
}

/* Writes value into a big-endian bit string at bit offset *pos. */
static void
put_bits (guint8  *buf,
          guint   *pos,
          guint64  value,
          guint    nbits)
{
  for (guint i = 0; i < nbits; i++, (*pos)++)
    if ((value >> (nbits - 1 - i)) & 1)
      buf[*pos / 8] |= 0x80 >> (*pos % 8);
}

static guint64
get_bits (const guint8 *buf,
          guint        *pos,
          guint         nbits)
{
  guint64 value = 0;

  for (guint i = 0; i < nbits; i++, (*pos)++)
    value = (value << 1) | ((buf[*pos / 8] >> (7 - *pos % 8)) & 1);
  return value;
}

static char *
encode (const guint8 *bytes)
{
  GString *s = g_string_sized_new (CODE_CHARS + 8);
  guint pos = 0;

  for (guint i = 0; i < CODE_CHARS; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (s, '-');
      g_string_append_c (s, alphabet[get_bits (bytes, &pos, 5)]);
    }
  return g_string_free (s, FALSE);
}

static int
decode_char (gunichar c)
{
  const char *p;

  if (c >= 0x80)
    return -1;
  c = g_ascii_toupper ((char) c);
  switch (c)
    {
    case 'O':
      return 0;
    case 'I':
    case 'L':
      return 1;
    default:
      p = c ? strchr (alphabet, (char) c) : NULL;
      return p ? (int) (p - alphabet) : -1;
    }
}

/* Separators a person may type between groups, or none: hyphens and dashes of any kind
 * (a phone keyboard's "‐", a word processor's "–"), the minus sign, and white space. */
static gboolean
is_separator (gunichar c)
{
  return c == '-' || c == 0x2212 || g_unichar_isspace (c) ||
         g_unichar_type (c) == G_UNICODE_DASH_PUNCTUATION;
}

/* The code part of a scanned URL ("https://x.example/c/ABCD-...?from=qr"): the last path
 * segment, without a query or fragment. Anything else is returned whole. */
static const char *
strip_url (const char *typed,
           gsize      *length)
{
  const char *start = typed, *end;

  if (strstr (typed, "://") != NULL)
    {
      end = typed + strcspn (typed, "?#");
      while (end > typed && end[-1] == '/')
        end--;
      for (start = end; start > typed && start[-1] != '/'; start--)
        ;
      *length = end - start;
      return start;
    }
  *length = strlen (typed);
  return start;
}

static gboolean
decode (const char *typed,
        guint8     *bytes)
{
  g_autofree char *folded = NULL;
  const char *start, *end;
  guint pos = 0, n = 0;
  gsize length;

  /* NFKC turns full-width letters and digits (an East Asian input method's) into ASCII. */
  if (!g_utf8_validate (typed, -1, NULL) || !(folded = g_utf8_normalize (typed, -1, G_NORMALIZE_NFKC)))
    return FALSE;
  start = strip_url (folded, &length);
  end = start + length;
  memset (bytes, 0, CODE_BYTES);
  for (const char *c = start; c < end; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      int v;

      if (is_separator (u))
        continue;
      v = decode_char (u);
      if (v < 0 || ++n > CODE_CHARS)
        return FALSE;
      put_bits (bytes, &pos, v, 5);
    }
  return n == CODE_CHARS;
}

char *
tp_coupon_normalize (const char *typed)
{
  guint8 bytes[CODE_BYTES];

  if (typed == NULL || !decode (typed, bytes))
    return NULL;
  return encode (bytes);
}

/* English month names, whatever LC_TIME says: a Korean system locale must not put "12월" into
 * an English sentence. Translations use numbers instead of %b. */
static char *
format_local (GDateTime  *local,
              const char *format)
{
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  g_autoptr(GString) f = g_string_new (format);

  g_string_replace (f, "%b", months[g_date_time_get_month (local) - 1], 0);
  return g_date_time_format (local, f->str);
}

char *
tp_coupon_describe_expiry (TpEvent   *event,
                           GDateTime *expires_at)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (expires_at, event->tz);
  g_autofree char *when = NULL;

  if (g_date_time_get_hour (local) == 0 && g_date_time_get_minute (local) == 0)
    {
      /* Ends at midnight: the last whole day is the one before. */
      g_autoptr(GDateTime) last_day = g_date_time_add_minutes (local, -1);

      /* Translators: a date in g_date_time_format () notation; %b is an English month name, so
       * use numbers (%-m) instead. */
      /* xgettext:no-c-format */
      when = format_local (last_day, _("%-d %b %Y"));
      /* Translators: %s is a date, e.g. "18 Dec 2026". */
      return g_strdup_printf (_("Valid through %s"), when);
    }
  /* Translators: a date and time in g_date_time_format () notation; %b is an English month
   * name, so use numbers (%-m) instead. */
  /* xgettext:no-c-format */
  when = format_local (local, _("%-d %b %Y, %H:%M"));
  /* Translators: %s is a date and time, e.g. "18 Dec 2026, 19:30". */
  return g_strdup_printf (_("Valid until %s"), when);
}

/* The first instant of a calendar day in tz. Not always 00:00: where clocks spring forward at
 * midnight (America/Santiago, Asia/Beirut) the day starts at 01:00, and where they fall back
 * from 01:00 to 00:00 (America/Havana) it starts at the first of the two midnights. */
static GDateTime *
start_of_day (GTimeZone   *tz,
              const GDate *date)
{
  g_autoptr(GDateTime) naive = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date),
                                                    g_date_get_day (date), 0, 0, 0);
  gint64 local = g_date_time_to_unix (naive);
  /* Daylight time first: of two midnights, the earlier one. A midnight that does not exist
   * is moved forward to the end of the gap. */
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &local);

  return g_date_time_new_from_unix_utc (local - g_time_zone_get_offset (tz, interval));
}

static GDateTime *
compute_expiry (TpEvent       *event,
                const TpOffer *offer,
                GDateTime     *issued_at)
{
  g_autoptr(GDateTime) local = NULL;
  GDate day;

  /* "Use it today" benefits: a span of real time, whatever the clocks do meanwhile. */
  if (offer->valid_hours)
    return g_date_time_add_hours (issued_at, offer->valid_hours);
  /* Through the end of the issue day and valid_days more days, by the event's clock: it ends
   * when day issue + valid_days + 1 begins. */
  local = g_date_time_to_timezone (issued_at, event->tz);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  g_date_add_days (&day, offer->valid_days + 1);
  return start_of_day (event->tz, &day);
}

TpCoupon *
tp_coupon_issue (TpEvent    *event,
                 const char *offer_id,
                 guint       kiosk_number,
                 guint64     seq,
                 GDateTime  *issued_at,
                 GError    **error)
{
  g_autoptr(TpCoupon) coupon = g_new0 (TpCoupon, 1);
  g_autoptr(GDateTime) expiry = NULL;
  guint8 bytes[CODE_BYTES] = { 0 };
  guint offer_index = G_MAXUINT, pos = 0;
  gint64 minutes;

  g_return_val_if_fail (event != NULL && offer_id != NULL && issued_at != NULL, NULL);
  g_return_val_if_fail (kiosk_number >= 1 && kiosk_number <= G_MAXUINT16, NULL);

  for (guint i = 0; i < event->offers->len && offer_index == G_MAXUINT; i++)
    if (g_str_equal (((TpOffer *) event->offers->pdata[i])->id, offer_id))
      offer_index = i;
  if (offer_index == G_MAXUINT)
    {
      g_set_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_NO_OFFER,
                   "The offer \"%s\" is not in event %s", offer_id, event->id);
      return NULL;
    }
  if (offer_index > 255)
    {
      g_set_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_NO_OFFER,
                   "The offer \"%s\" is number %u in event %s; a coupon code carries only the first 256",
                   offer_id, offer_index + 1, event->id);
      return NULL;
    }
  if (seq > SEQ_MAX)
    {
      g_set_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_OUT_OF_RANGE,
                   "The kiosk's sequence number %" G_GUINT64_FORMAT " is past the largest a coupon carries",
                   seq);
      return NULL;
    }

  expiry = compute_expiry (event, event->offers->pdata[offer_index], issued_at);
  /* Round up to the minute: a code never expires before its stated time. */
  minutes = (g_date_time_to_unix (expiry) - EPOCH_UNIX + 59) / 60;
  if (minutes < 0 || minutes > MINUTES_MAX)
    {
      g_autofree char *when = tp_format_utc (expiry);

      g_set_error (error, TP_COUPON_ERROR, TP_COUPON_ERROR_OUT_OF_RANGE,
                   "The expiry %s is outside the years a coupon code can carry (2024 to 2055); "
                   "is the kiosk's clock right?", when);
      return NULL;
    }

  put_bits (bytes, &pos, CODE_VERSION, 4);
  put_bits (bytes, &pos, offer_index, 8);
  put_bits (bytes, &pos, kiosk_number, 16);
  put_bits (bytes, &pos, seq, 28);
  put_bits (bytes, &pos, minutes, 24);
  compute_tag (event, offer_id, bytes, bytes + PAYLOAD_BYTES);

  coupon->code = encode (bytes);
  coupon->offer = g_strdup (offer_id);
  coupon->kiosk_number = kiosk_number;
  coupon->seq = seq;
  coupon->expires_at = g_date_time_new_from_unix_utc (EPOCH_UNIX + minutes * 60);
  return g_steal_pointer (&coupon);
}

TpCoupon *
tp_coupon_verify (TpEvent    *event,
                  const char *typed,
                  GError    **error)
{
  g_autoptr(TpCoupon) coupon = g_new0 (TpCoupon, 1);
  guint8 bytes[CODE_BYTES];
  guint8 tag[TAG_BYTES];
  guint8 diff = 0;
  guint pos = 0;
  guint version, offer_index;
  guint64 minutes;
  const char *offer_id;

  g_return_val_if_fail (event != NULL, NULL);

  if (typed == NULL || !decode (typed, bytes))
    {
      g_set_error_literal (error, TP_COUPON_ERROR, TP_COUPON_ERROR_INVALID,
                           _("This is not a coupon code: it needs 32 letters and digits"));
      return NULL;
    }
  version = get_bits (bytes, &pos, 4);
  offer_index = get_bits (bytes, &pos, 8);
  coupon->kiosk_number = get_bits (bytes, &pos, 16);
  coupon->seq = get_bits (bytes, &pos, 28);
  minutes = get_bits (bytes, &pos, 24);

  /* The tag is checked whatever the payload says, and only then is the payload believed; an
   * offer index this event does not have signs with an id no offer can have. */
  offer_id = offer_index < event->offers->len ? ((TpOffer *) event->offers->pdata[offer_index])->id : "";
  compute_tag (event, offer_id, bytes, tag);
  /* Constant-time comparison: a forger learns nothing from timing. */
  for (guint i = 0; i < TAG_BYTES; i++)
    diff |= tag[i] ^ bytes[PAYLOAD_BYTES + i];
  if (diff != 0 || version != CODE_VERSION || offer_index >= event->offers->len)
    {
      g_set_error_literal (error, TP_COUPON_ERROR, TP_COUPON_ERROR_INVALID,
                           _("This coupon code is not valid for this event (mistyped, altered or forged)"));
      return NULL;
    }
  coupon->code = encode (bytes);
  coupon->offer = g_strdup (offer_id);
  coupon->expires_at = g_date_time_new_from_unix_utc (EPOCH_UNIX + (gint64) minutes * 60);
  return g_steal_pointer (&coupon);
}

char *
tp_coupon_format_lines (const char *code)
{
  g_auto(GStrv) groups = g_strsplit (code, "-", -1);
  guint n = g_strv_length (groups);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, i == (n + 1) / 2 ? '\n' : '-');
      g_string_append (s, groups[i]);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
tp_coupon_payload (TpEvent    *event,
                   const char *code)
{
  g_auto(GStrv) parts = NULL;

  if (event->coupon_url == NULL)
    return g_strdup (code);
  parts = g_strsplit (event->coupon_url, "{code}", -1);
  return g_strjoinv (code, parts);
}
