/* tp-badge.h: reads a visitor's badge (vCard 3.0/4.0 or MECARD, as a barcode scanner types it). */
#pragma once

#include <glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

#define TP_BADGE_ERROR (tp_badge_error_quark ())
GQuark tp_badge_error_quark (void);

typedef enum
{
  TP_BADGE_ERROR_UNKNOWN,    /* Neither a vCard nor a MECARD. */
  TP_BADGE_ERROR_MALFORMED,  /* Looks like one, but is cut short or broken. */
  TP_BADGE_ERROR_EMPTY,      /* Well formed, but holds no name, email, phone or company. */
} TpBadgeError;

/* A scanner sends keys as if typed on a US keyboard. On another layout the key that gives '@'
 * on a US keyboard (Shift with the '2' key) types something else ('"' on German and British
 * layouts, '2' on French). The kiosk then puts TP_BADGE_AT_CANDIDATE (a private-use character)
 * before the character the layout gave; the parser turns the pair into '@' inside an email
 * address that has no '@' of its own, and into the layout's character everywhere else. */
#define TP_BADGE_AT_CANDIDATE 0xE000

typedef struct
{
  char *name;          /* FN, else built from N ("홍길동", "Jane Doe"). */
  char *family_name;   /* From N, may be NULL. */
  char *given_name;
  char *email;
  char *phone;         /* As written; the lead's validation normalises it. */
  char *company;
} TpBadge;

/* payload is UTF-8 text: a whole vCard ("BEGIN:VCARD" ... "END:VCARD", CRLF or LF, folded
 * lines, escapes, CHARSET and QUOTED-PRINTABLE/BASE64 parameters) or a MECARD
 * ("MECARD:N:Doe,Jane;EMAIL:...;;"). */
TpBadge    *tp_badge_parse            (const char    *payload,
                                       GError       **error);
/* Overwrites every string before freeing it: a badge is personal data. */
void        tp_badge_free             (TpBadge       *badge);
/* What the badge holds for an event field: email and phone fields by type, text fields by id
 * (name, full_name; company, organization, org; given_name, first_name; family_name,
 * last_name). NULL when nothing fits. */
const char *tp_badge_value_for_field  (const TpBadge *badge,
                                       const TpField *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBadge, tp_badge_free)

G_END_DECLS
