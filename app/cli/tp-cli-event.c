/* tp-cli-event.c: `touchpoint event check|show|new-key`: event definitions without a display. */
#define G_LOG_DOMAIN "tp-cli-event"

#include "tp-cli-commands.h"
#include "tp-cli-common.h"

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
            GError     **error)
{
  g_autoptr(TpEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;

  event = tp_event_load (path, &local);
  if (event == NULL)
    return tp_cli_fail (error, TP_EXIT_DATAERR, "%s", local->message);
  node = tp_event_to_json (event);
  tp_cli_print_json (node);
  return TRUE;
}

gboolean
tp_cli_event (int      argc,
              char   **argv,
              GError **error)
{
  g_auto(TpCliCommon) common = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new ("check FILE | show [FILE] | new-key");
  const char *verb;

  g_option_context_set_summary (context,
                                "check FILE   checks an event definition (exit 65 names the bad value)\n"
                                "show [FILE]  prints the normalized definition (default: the demo)\n"
                                "new-key      prints a new random coupon key for an event file");
  tp_cli_add_common (context, &common);
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
      return event_show (argc == 3 ? argv[2] : common.event_path, error);
    }
  return tp_cli_fail (error, TP_EXIT_USAGE, "unknown `event` action \"%s\" (use check, show or new-key)", verb);
}
