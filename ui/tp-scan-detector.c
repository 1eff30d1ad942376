/* tp-scan-detector.c: tells a barcode scanner's burst of keys from a person typing. */
#define G_LOG_DOMAIN "tp-scan-detector"

#include "tp-scan-detector.h"

#include <string.h>

#include "tp-badge.h"

/* The X and Wayland key code of the key that is '2' on a US keyboard (evdev KEY_2 + 8). */
#define KEYCODE_US_2 11

struct _TpScanDetector
{
  GObject   parent_instance;
  GString  *buffer;
  guint     keys;
  gboolean  scanning;
  gunichar  first_char;
  gboolean  varied;
  guint32   last_time;
  guint     end_source;
};

G_DEFINE_FINAL_TYPE (TpScanDetector, tp_scan_detector, G_TYPE_OBJECT)

enum
{
  BURST_STARTED,
  SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
wipe_buffer (TpScanDetector *self)
{
  explicit_bzero (self->buffer->str, self->buffer->allocated_len);
  g_string_truncate (self->buffer, 0);
  self->keys = 0;
  self->scanning = FALSE;
  self->varied = FALSE;
  self->first_char = 0;
}

void
tp_scan_detector_reset (TpScanDetector *self)
{
  g_return_if_fail (TP_IS_SCAN_DETECTOR (self));

  g_clear_handle_id (&self->end_source, g_source_remove);
  wipe_buffer (self);
}

/* Ends the burst: a scan is handed over, anything else forgotten. */
static void
flush (TpScanDetector *self)
{
  g_autofree char *payload = NULL;

  g_clear_handle_id (&self->end_source, g_source_remove);
  if (self->scanning)
    {
      payload = g_strdup (self->buffer->str);
      g_strchomp (payload);
    }
  wipe_buffer (self);
  if (payload)
    {
      g_debug ("A scan of %zu bytes ended", strlen (payload));
      g_signal_emit (self, signals[SCANNED], 0, payload);
      explicit_bzero (payload, strlen (payload));
    }
}

static gboolean
end_cb (gpointer data)
{
  TpScanDetector *self = data;

  self->end_source = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

gboolean
tp_scan_detector_feed (TpScanDetector  *self,
                       guint            keyval,
                       guint            keycode,
                       GdkModifierType  state,
                       guint32          time)
{
  gunichar c;
  gboolean enter = FALSE;

  g_return_val_if_fail (TP_IS_SCAN_DETECTOR (self), FALSE);

  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      c = '\n';
      enter = TRUE;
      break;
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
      c = '\t';
      break;
    default:
      c = gdk_keyval_to_unicode (keyval);
      break;
    }
  /* Shift and the other modifiers come between the characters of a scan: they neither count
   * nor break it. */
  if (c == 0)
    return self->scanning;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    {
      tp_scan_detector_reset (self);
      return FALSE;
    }

  if (self->keys == 0 || (guint32) (time - self->last_time) > TP_SCAN_MAX_GAP_MS)
    {
      /* A pause: a scan before it is complete; anything else was typed. */
      flush (self);
      g_signal_emit (self, signals[BURST_STARTED], 0);
      self->first_char = c;
    }
  self->last_time = time;
  self->keys++;
  if (c != self->first_char)
    self->varied = TRUE;

  /* See TP_BADGE_AT_CANDIDATE: a shifted US '2' key that did not give '@' is marked, and the
   * parser decides from the context whether it meant '@'. */
  if (keycode == KEYCODE_US_2 && (state & GDK_SHIFT_MASK) && c != '@')
    g_string_append_unichar (self->buffer, TP_BADGE_AT_CANDIDATE);
  g_string_append_unichar (self->buffer, c);

  if (!self->scanning && self->keys >= TP_SCAN_MIN_KEYS && self->varied)
    {
      g_debug ("Keys arrive faster than anyone types: reading a scan");
      self->scanning = TRUE;
    }
  if (!self->scanning && enter)
    {
      /* Enter typed by a person: let it do its work. */
      tp_scan_detector_reset (self);
      return FALSE;
    }

  g_clear_handle_id (&self->end_source, g_source_remove);
  self->end_source = g_timeout_add (TP_SCAN_END_MS, end_cb, self);
  return self->scanning;
}

static void
tp_scan_detector_finalize (GObject *object)
{
  TpScanDetector *self = TP_SCAN_DETECTOR (object);

  tp_scan_detector_reset (self);
  g_string_free (self->buffer, TRUE);
  G_OBJECT_CLASS (tp_scan_detector_parent_class)->finalize (object);
}

static void
tp_scan_detector_class_init (TpScanDetectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_scan_detector_finalize;

  signals[BURST_STARTED] = g_signal_new ("burst-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The payload as typed, line ends as '\n'; wiped after the handlers ran. */
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tp_scan_detector_init (TpScanDetector *self)
{
  self->buffer = g_string_sized_new (512);
}

TpScanDetector *
tp_scan_detector_new (void)
{
  return g_object_new (TP_TYPE_SCAN_DETECTOR, NULL);
}
