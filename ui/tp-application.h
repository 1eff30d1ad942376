/* tp-application.h: the kiosk application: options, the store, the event, the window. */
#pragma once

#include <adwaita.h>

#include "tp-event.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_APPLICATION (tp_application_get_type ())
G_DECLARE_FINAL_TYPE (TpApplication, tp_application, TP, APPLICATION, AdwApplication)

TpApplication *tp_application_new        (void);
TpEvent       *tp_application_get_event  (TpApplication *self);
TpStore       *tp_application_get_store  (TpApplication *self);
/* Runs the kiosk until it quits, with its exit status in *status; FALSE with error when the
 * event definition or the store could not be opened (the command line reports it). */
gboolean       tp_application_run        (int            argc,
                                          char         **argv,
                                          int           *status,
                                          GError       **error);

G_END_DECLS
