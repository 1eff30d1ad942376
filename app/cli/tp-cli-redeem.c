/* tp-cli-redeem.c: `touchpoint redeem CODE`: verify a coupon offline and redeem it once. */
#define G_LOG_DOMAIN "tp-cli-redeem"

#include "tp-cli-common.h"
#include "tp-json.h"
#include "tp-cli-commands.h"
#include "tp-store-coupon.h"

static const char *
status_for (const GError *error)
{
  if (error == NULL)
    return "redeemed";
  if (error->domain != TP_REDEEM_ERROR)
    return "error";
  switch (error->code)
    {
    case TP_REDEEM_ERROR_INVALID:
      return "invalid";
    case TP_REDEEM_ERROR_EXPIRED:
      return "expired";
    case TP_REDEEM_ERROR_ALREADY_REDEEMED:
      return "already-redeemed";
    default:
      return "error";
    }
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          GDateTime   *time)
{
  json_builder_set_member_name (b, name);
  if (time)
    {
      g_autofree char *text = tp_format_utc (time);

      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
}

static JsonNode *
to_json (const char   *status,
         TpRedemption *r,
         const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  tp_json_add_string (b, "status", status);
  if (r)
    {
      tp_json_add_string (b, "code", r->code);
      tp_json_add_string (b, "offer", r->offer);
      tp_json_add_int (b, "issuing_kiosk", r->issuing_kiosk);
      tp_json_add_int (b, "seq", r->seq);
      add_time (b, "expires_at", r->expires_at);
      add_time (b, "redeemed_at", r->redeemed_at);
      json_builder_set_member_name (b, "redeemed_by");
      if (r->redeemed_by)
        json_builder_add_string_value (b, r->redeemed_by);
      else
        json_builder_add_null_value (b);
    }
  if (error)
    {
      tp_json_add_string (b, "message", error->message);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
local_time (TpEvent   *event,
            GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, event->tz);

  return g_date_time_format (local, "%Y-%m-%d %H:%M %Z");
}

static void
print_text (TpStore      *store,
            TpEvent      *event,
            TpRedemption *r,
            gboolean      check_only)
{
  const TpOffer *offer = tp_event_get_offer (event, r->offer);
  const char *locale = tp_event_has_locale (event, "en") ? "en" : event->default_locale;
  g_autofree char *expires = local_time (event, r->expires_at);

  g_print ("%s %s\n", check_only ? "Valid coupon" : "Redeemed coupon", r->code);
  g_print ("  Offer:       %s (%s)\n", offer ? tp_text_get (offer->title, locale) : r->offer, r->offer);
  g_print ("  Issued by:   kiosk %u, lead #%" G_GUINT64_FORMAT "\n", r->issuing_kiosk, r->seq);
  g_print ("  Valid until: %s\n", expires);
  if (r->redeemed_at)
    {
      g_autofree char *when = local_time (event, r->redeemed_at);
      g_autofree char *where = tp_store_describe_kiosk (store, r->redeemed_by);

      g_print ("  Redeemed:    %s at %s\n", when, where);
    }
}

gboolean
tp_cli_redeem (int      argc,
               char   **argv,
               GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  gboolean as_json = FALSE, check_only = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, "Print the result as JSON (refusals too)", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check_only, "Only say whether it would be accepted; redeem nothing", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CODE");
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpRedemption) r = NULL;
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary (context,
                                "Verifies a coupon code with the event's key (offline; codes of every kiosk\n"
                                "of the event are accepted) and redeems it once.\n"
                                "Forgiving: lower case, O for 0, I or L for 1, hyphens anywhere, or the\n"
                                "scanned URL. Exit status: 0 redeemed, 1 refused (invalid, expired or\n"
                                "already redeemed), 2 usage, 65 bad event file, 74 storage failure.");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc != 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint redeem` needs exactly one CODE");
  if (!(event = tp_cli_load_event (&common, error)) || !(store = tp_cli_open_store (&common, error)))
    return FALSE;

  if (check_only)
    r = tp_store_check_coupon (store, event, argv[1], NULL, &local);
  else
    r = tp_store_redeem (store, event, argv[1], NULL, &local);

  if (r == NULL && local->domain != TP_REDEEM_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (as_json)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(TpRedemption) detail = NULL;

      /* A refusal still says what the code carries, and when and where it was redeemed. */
      if (r == NULL && local->code == TP_REDEEM_ERROR_ALREADY_REDEEMED)
        detail = tp_store_get_redemption (store, event, argv[1], NULL);
      else if (r == NULL && local->code == TP_REDEEM_ERROR_EXPIRED)
        {
          g_autoptr(TpCoupon) coupon = tp_coupon_verify (event, argv[1], NULL);

          if (coupon)
            {
              detail = g_new0 (TpRedemption, 1);
              detail->code = g_strdup (coupon->code);
              detail->offer = g_strdup (coupon->offer);
              detail->issuing_kiosk = coupon->kiosk_number;
              detail->seq = coupon->seq;
              detail->expires_at = g_date_time_ref (coupon->expires_at);
            }
        }
      node = to_json (r ? (check_only ? "valid" : "redeemed") : status_for (local), r ? r : detail, local);
      tp_cli_print_json (node);
    }
  else if (r)
    print_text (store, event, r, check_only);

  if (r == NULL)
    {
      /* Refused (exit 1), after the details were printed. */
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}
