/* tp-application.c: the kiosk application: reads the options, opens the store, shows the window. */
#define G_LOG_DOMAIN "tp-application"

#include "tp-application.h"
#include "tp-i18n.h"
#include "tp-kiosk-window.h"
#include "tp-store-purge.h"
#include "tp-ui.h"

#include <errno.h>
#include <unistd.h>

struct _TpApplication
{
  AdwApplication  parent_instance;
  char           *event_path;
  char           *data_dir;
  gboolean        windowed;
  TpEvent        *event;
  TpStore        *store;
  GError         *error;     /* Why the kiosk could not start, for the command line to report. */
};

G_DEFINE_FINAL_TYPE (TpApplication, tp_application, ADW_TYPE_APPLICATION)

static int
tp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TpApplication *self = TP_APPLICATION (app);
  g_autofree char *dir = NULL;

  /* Everything that can fail is done before a window appears; the caller reports it. */
  self->event = tp_event_load (self->event_path, &self->error);
  if (self->event == NULL)
    return 1;
  /* The event's language from the first translated word on (GtkBuilder's translations are
   * switched off for good if the first lookup finds no catalogue). */
  tp_i18n_set_language (self->event->default_locale);
  if (self->data_dir && *self->data_dir == '\0')
    {
      g_set_error_literal (&self->error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--data-dir is empty: name the data folder");
      return 1;
    }
  dir = tp_store_resolve_dir (self->data_dir);
  self->store = tp_store_new (dir, &self->error);
  if (self->store == NULL)
    return 1;
  return -1;
}

/* TOUCHPOINT_READY_FD=N: once the first frame is on screen, "ready" is written to file
 * descriptor N and it is closed, so that a benchmark or a supervisor knows the kiosk is up. */
static void
ready_after_paint_cb (GdkFrameClock *clock,
                      gpointer       data)
{
  int fd = GPOINTER_TO_INT (data);
  static const char ready[] = "ready\n";

  g_signal_handlers_disconnect_by_func (clock, ready_after_paint_cb, data);
  if (write (fd, ready, sizeof ready - 1) < 0)
    g_warning ("Cannot report readiness on file descriptor %d: %s", fd, g_strerror (errno));
  close (fd);
}

static void
ready_map_cb (GtkWidget *window,
              gpointer   data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, ready_map_cb, data);
  g_signal_connect (clock, "after-paint", G_CALLBACK (ready_after_paint_cb), data);
  gtk_widget_queue_draw (window);
}

static void
watch_ready (GtkWindow *window)
{
  const char *value = g_getenv ("TOUCHPOINT_READY_FD");
  gint64 fd;

  if (value == NULL || !g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &fd, NULL))
    return;
  g_unsetenv ("TOUCHPOINT_READY_FD");
  g_signal_connect (window, "map", G_CALLBACK (ready_map_cb), GINT_TO_POINTER ((int) fd));
}

/* Full screen is the window manager's to grant; without one (a bare X server) the window would
 * sit in a corner. Sized to the first monitor, it covers the screen either way. */
static void
cover_monitor (GtkWindow *window)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (window, geometry.width, geometry.height);
}

static void
purged_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GError) error = NULL;
  guint purged = 0;

  if (!tp_store_purge_finish (TP_STORE (source), result, &purged, &error))
    g_warning ("Leads past their retention could not be purged: %s", error->message);
  else if (purged > 0)
    g_message ("Destroyed %u leads past their retention (see `touchpoint purge --records`)", purged);
}

static void
tp_application_activate (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      TpKioskWindow *kiosk = tp_kiosk_window_new (GTK_APPLICATION (app), self->event, self->store);

      window = GTK_WINDOW (kiosk);
      /* Retention ends while the kiosk is off, too: leads past it go as it starts, on the store's
       * thread (never unsynced ones: those wait for `touchpoint sync` or a forced purge). */
      tp_store_purge_async (self->store, self->event, "kiosk", NULL, purged_cb, NULL);
      tp_kiosk_window_set_locked_down (kiosk, !self->windowed);
      if (!self->windowed)
        {
          /* No "Print to File" in a locked-down kiosk: its file chooser would let visitors
           * browse folders. Coupons go to real printers only. */
          g_object_set (gtk_settings_get_default (), "gtk-print-backends", "cups", NULL);
          cover_monitor (window);
          gtk_window_fullscreen (window);
        }
      watch_ready (window);
    }
  gtk_window_present (window);
}

static void
tp_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (tp_application_parent_class)->startup (app);
  tp_ui_init ();
}

static void
tp_application_finalize (GObject *object)
{
  TpApplication *self = TP_APPLICATION (object);

  g_clear_pointer (&self->event, tp_event_unref);
  g_clear_object (&self->store);
  g_clear_error (&self->error);
  g_free (self->event_path);
  g_free (self->data_dir);
  G_OBJECT_CLASS (tp_application_parent_class)->finalize (object);
}

static void
tp_application_class_init (TpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tp_application_finalize;
  app_class->handle_local_options = tp_application_handle_local_options;
  app_class->startup = tp_application_startup;
  app_class->activate = tp_application_activate;
}

static void
tp_application_init (TpApplication *self)
{
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_FILENAME, &self->event_path,
      "The event definition (default: the bundled demo event)", "FILE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &self->data_dir,
      "Where the lead store lives (default: $TOUCHPOINT_DATA_DIR, else $XDG_DATA_HOME/touchpoint)", "DIR" },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, &self->windowed, "Run in a window instead of full screen", NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            "Offline lead capture kiosk. Without a COMMAND it starts the kiosk;\n"
                                            "`touchpoint help` lists the commands that need no display.");
}

TpApplication *
tp_application_new (void)
{
  /* NON_UNIQUE: two kiosks on one machine (tests, a second screen) each own their store. */
  return g_object_new (TP_TYPE_APPLICATION,
                       "application-id", TP_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

TpEvent *
tp_application_get_event (TpApplication *self)
{
  return self->event;
}

TpStore *
tp_application_get_store (TpApplication *self)
{
  return self->store;
}

gboolean
tp_application_run (int      argc,
                    char   **argv,
                    int     *status,
                    GError **error)
{
  g_autoptr(TpApplication) app = tp_application_new ();

  g_set_application_name ("Touchpoint");
  tp_ui_choose_renderer ();
  *status = g_application_run (G_APPLICATION (app), argc, argv);
  if (app->error)
    {
      g_propagate_error (error, g_steal_pointer (&app->error));
      return FALSE;
    }
  return TRUE;
}
