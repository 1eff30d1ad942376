/* tp-lead-private.h: what the lead modules (answers, submissions) share inside the core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Overwrites a string before it goes, so that nothing of the visitor stays in memory
 * (tp-submission.c). tp_wipe_free also frees it: a GDestroyNotify for tables of values. */
void tp_wipe_string (char     *s);
void tp_wipe_free   (gpointer  s);

G_END_DECLS
