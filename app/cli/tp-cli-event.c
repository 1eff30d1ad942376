/* tp-cli-event.c: `touchpoint event check|show|new-key`: event definitions without a display. */
#define G_LOG_DOMAIN "tp-cli-event"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"

#include <sodium.h>

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

static gboolean
event_new_key (GError **error)
{
  guint8 key[32];
  g_autofree char *encoded = NULL;
  int fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || read (fd, key, sizeof key) != sizeof key)
    {
      if (fd >= 0)
        close (fd);
      return tp_cli_fail (error, TP_EXIT_IOERR, "Cannot read random bytes from /dev/urandom");
    }
  close (fd);
  encoded = g_base64_encode (key, sizeof key);
  g_print ("%s\n", encoded);
  return TRUE;
}

static gboolean
event_check (const char  *path,
             GError     **error)
{
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(GError) local = NULL;

  event = tp_event_new_from_file (path, &local);
  if (event == NULL)
    return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
  g_print ("%s: valid event \"%s\" (%u fields, %u consents, %u questions, %u offers)\n", path,
           event->id, event->fields->len, event->consents->len, event->survey->len, event->offers->len);
  return TRUE;
}

static gboolean
event_show (const char  *path,
            gboolean     with_key,
            GError     **error)
{
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;

  event = tp_event_load (path, &local);
  if (event == NULL)
    return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
  node = tp_event_to_json_full (event, with_key);
  tp_cli_print_json (node);
  return TRUE;
}

/* A new event file to edit: the given one (or the demo) with a fresh coupon key, so that its
 * coupons are never valid at the event it was copied from. */
static gboolean
event_new (const char  *path,
           GError     **error)
{
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;
  guint8 key[32];

  event = tp_event_load (path, &local);
  if (event == NULL)
    return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
  randombytes_buf (key, sizeof key);
  g_clear_pointer (&event->coupon_key, g_bytes_unref);
  event->coupon_key = g_bytes_new (key, sizeof key);
  sodium_memzero (key, sizeof key);
  node = tp_event_to_json_full (event, TRUE);
  tp_cli_print_json (node);
  return TRUE;
}

gboolean
tp_cli_event (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("check FILE | show [FILE] | new [FILE] | new-key");
  gboolean with_key = FALSE;
  GOptionEntry entries[] = {
    { "with-key", 0, 0, G_OPTION_ARG_NONE, &with_key, "show: include the coupon key, as an event file holds it", NULL },
    { NULL }
  };
  const char *verb;

  g_option_context_set_summary (context,
                                "check FILE   checks an event definition (exit 65 names the bad value)\n"
                                "show [FILE]  prints the normalized definition (default: the demo); with\n"
                                "             --with-key it is an event file that `event check` accepts\n"
                                "new [FILE]   prints a new event file to edit: FILE (default: the demo)\n"
                                "             with a fresh coupon key: `touchpoint event new > my-event.json`\n"
                                "new-key      prints a new random coupon key for an event file");
  tp_cli_add_common (context, &common);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tp_cli_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc < 2)
    return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint event` needs check FILE, show [FILE] or new-key");
  verb = argv[1];

  if (g_str_equal (verb, "new-key"))
    {
      if (argc != 2)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`event new-key` takes no argument");
      return event_new_key (error);
    }
  if (g_str_equal (verb, "check"))
    {
      if (argc != 3)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint event check` needs exactly one FILE");
      return event_check (argv[2], error);
    }
  if (g_str_equal (verb, "show"))
    {
      if (argc > 3)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint event show` takes at most one FILE");
      return event_show (argc == 3 ? argv[2] : common.event_path, with_key, error);
    }
  if (g_str_equal (verb, "new"))
    {
      if (argc > 3)
        return tp_cli_fail (error, TP_EXIT_USAGE, "`touchpoint event new` takes at most one FILE");
      return event_new (argc == 3 ? argv[2] : common.event_path, error);
    }
  return tp_cli_fail (error, TP_EXIT_USAGE, "unknown `event` action \"%s\" (use check, show, new or new-key)", verb);
}
