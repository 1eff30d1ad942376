/* tp-pin-pad.h: a numeric pad for the staff PIN, by touch or keyboard; the digits never show. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TP_TYPE_PIN_PAD (tp_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (TpPinPad, tp_pin_pad, TP, PIN_PAD, AdwBin)

TpPinPad   *tp_pin_pad_new          (void);
void        tp_pin_pad_set_title    (TpPinPad   *self,
                                     const char *title);
/* A line under the title; is_error styles it as a problem. NULL hides it. */
void        tp_pin_pad_set_message  (TpPinPad   *self,
                                     const char *message,
                                     gboolean    is_error);
/* While busy (checking or saving) the pad shows a spinner and takes no input, Cancel included. */
void        tp_pin_pad_set_busy     (TpPinPad   *self,
                                     gboolean    busy);
/* Whether the pad offers Cancel (Escape too); TRUE by default. */
void        tp_pin_pad_set_cancellable (TpPinPad *self,
                                        gboolean  cancellable);
/* Forgets the digits typed, wiping them. */
void        tp_pin_pad_clear        (TpPinPad   *self);
/* Types a digit, as a key press would (tests). */
void        tp_pin_pad_type         (TpPinPad   *self,
                                     const char *digits);

G_END_DECLS
