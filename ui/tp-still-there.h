/* tp-still-there.h: the "still there?" prompt with the countdown before a visitor's reset. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TP_TYPE_STILL_THERE (tp_still_there_get_type ())
G_DECLARE_FINAL_TYPE (TpStillThere, tp_still_there, TP, STILL_THERE, AdwBin)

TpStillThere *tp_still_there_new          (void);
void          tp_still_there_set_seconds  (TpStillThere *self,
                                           guint         seconds);

G_END_DECLS
