/* tp-scan-detector.h: tells a barcode scanner's burst of keys from a person typing. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A scan: at least this many keys, each within TP_SCAN_MAX_GAP_MS of the one before. People
 * do not type that fast; held-down keys repeat fast but give one character over and over. */
#define TP_SCAN_MIN_KEYS 8
#define TP_SCAN_MAX_GAP_MS 50
/* After this long without a key the burst is over. */
#define TP_SCAN_END_MS 120

#define TP_TYPE_SCAN_DETECTOR (tp_scan_detector_get_type ())
G_DECLARE_FINAL_TYPE (TpScanDetector, tp_scan_detector, TP, SCAN_DETECTOR, GObject)

TpScanDetector *tp_scan_detector_new    (void);
/* Feeds one key press (time in milliseconds, as GDK events give it). Returns TRUE when the key
 * belongs to a scan and must not reach the focused widget. The first keys of a burst cannot
 * be told from typing yet: they pass, and "burst-started" (emitted at every key that follows
 * a pause) lets the owner remember the fields as they were, to put them back on "scanned". */
gboolean        tp_scan_detector_feed   (TpScanDetector  *self,
                                         guint            keyval,
                                         guint            keycode,
                                         GdkModifierType  state,
                                         guint32          time);
/* Forgets a burst in progress, wiping what was read. */
void            tp_scan_detector_reset  (TpScanDetector  *self);

G_END_DECLS
