/* tp-event.h: the event definition (fields, consents, survey, segments, offers) read from JSON.
 * The model is in tp-event.c, the reader in tp-event-parser.c, the writer in tp-event-writer.c
 * and the consent notice in tp-consent-notice.c. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TP_EVENT_ERROR (tp_event_error_quark ())
GQuark tp_event_error_quark (void);

typedef enum
{
  TP_EVENT_ERROR_IO,      /* The file could not be read. */
  TP_EVENT_ERROR_SYNTAX,  /* Not JSON. */
  TP_EVENT_ERROR_INVALID, /* JSON, but a value is missing or wrong; the message starts with its path. */
} TpEventError;

/* A text in several languages: locale ("ko", "en") → string. */
typedef GHashTable TpText;

const char *tp_text_get (TpText     *text,
                         const char *locale);

typedef enum
{
  TP_FIELD_TEXT,
  TP_FIELD_EMAIL,
  TP_FIELD_PHONE,
} TpFieldType;

typedef struct
{
  char        *id;
  TpFieldType  type;
  gboolean     required;
  guint        max_length;   /* In characters. */
  TpText      *label;
  TpText      *hint;         /* May be NULL. */
} TpField;

typedef struct
{
  char     *id;              /* The purpose key: "privacy", "marketing", ... */
  gboolean  required;
  char     *version;
  TpText   *title;
  TpText   *text;            /* The body of the notice. */
  TpText   *purpose;
  TpText   *items;
  TpText   *refusal;         /* The right to refuse and its consequence. */
  guint     retention_days;
} TpConsent;

typedef enum
{
  TP_QUESTION_SINGLE,
  TP_QUESTION_MULTI,
  TP_QUESTION_RATING,
  TP_QUESTION_NPS,
  TP_QUESTION_TEXT,
} TpQuestionType;

typedef struct
{
  char   *id;
  TpText *label;
} TpOption;

typedef struct
{
  char           *id;
  TpQuestionType  type;
  gboolean        required;
  TpText         *label;
  GPtrArray      *options;     /* TpOption; single and multi only. */
  int             min;         /* rating: 1..5 by default; nps: 0..10; multi: fewest choices. */
  int             max;         /* rating/nps: highest; multi: most choices (0 = all). */
  guint           max_length;  /* text only. */
  TpText         *min_label;   /* rating/nps captions, may be NULL. */
  TpText         *max_label;
} TpQuestion;

/* One condition of a segment rule: the answer to question must match. */
typedef struct
{
  char      *question;
  char     **any_of;     /* single/multi: one of these option ids is chosen; NULL otherwise. */
  gboolean   has_range;  /* rating/nps: min <= value <= max. */
  int        min;
  int        max;
} TpCondition;

typedef struct
{
  char       *id;
  GPtrArray  *conditions;  /* TpCondition; all must hold. */
  char      **tags;
  char       *offer;       /* May be NULL: the segment only tags. */
} TpSegment;

typedef struct
{
  char     *id;
  TpText   *title;
  TpText   *description;  /* May be NULL. */
  guint     valid_days;   /* Exactly one of valid_days and valid_hours is set. */
  guint     valid_hours;
  gboolean  is_default;
} TpOffer;

typedef struct
{
  char   *id;
  TpText *name;
  guint   winners_per_round;
  gint64  value;              /* In KRW; 0 when not given. Above 50,000 the winner pays 22 % tax. */
  char   *requires_consent;   /* A consent an entry must have granted (e.g. "marketing"), or NULL. */
  char  **rounds;             /* When rounds are drawn (ISO 8601), for the winners board; may be empty. */
  gboolean several_prizes;    /* TRUE: a winner of another prize may also win this one. */
} TpPrize;

typedef struct
{
  guint            ref_count;
  int              format;
  char            *id;
  TpText          *name;
  char            *starts;            /* ISO 8601 as written. */
  char            *ends;
  char            *timezone;          /* IANA name, "Asia/Seoul". */
  GTimeZone       *tz;
  char           **locales;
  char            *default_locale;
  TpText          *controller_name;
  char            *controller_contact;
  guint            min_age;
  GPtrArray       *consents;          /* TpConsent */
  GPtrArray       *fields;            /* TpField */
  GPtrArray       *survey;            /* TpQuestion */
  GPtrArray       *segments;          /* TpSegment */
  GPtrArray       *offers;            /* TpOffer */
  GPtrArray       *prizes;            /* TpPrize */
  guint            idle_reset_seconds;
  guint            coupon_seconds;
  gboolean         purge_deletes_from_crm;  /* retention.delete_from_crm: a purge also deletes in the CRM. */
  GBytes          *coupon_key;        /* HMAC key for coupon codes, at least 16 bytes. */
  char            *coupon_url;        /* Template with "{code}", or NULL: the QR holds the bare code. */
  char            *source;            /* Where it came from: a path, or "demo". */
} TpEvent;

/* Reading (tp-event-parser.c). */
TpEvent    *tp_event_new_from_file    (const char  *path,
                                       GError     **error);
TpEvent    *tp_event_new_from_data    (const char  *data,
                                       gssize       length,
                                       const char  *source,
                                       GError     **error);
TpEvent    *tp_event_new_demo         (void);
/* The --event option's meaning: a file, or the bundled demo when path is NULL. */
TpEvent    *tp_event_load             (const char  *path,
                                       GError     **error);
/* The model (tp-event.c). */
TpEvent    *tp_event_ref              (TpEvent     *event);
void        tp_event_unref            (TpEvent     *event);

const TpField    *tp_event_get_field    (TpEvent *event, const char *id);
const TpConsent  *tp_event_get_consent  (TpEvent *event, const char *id);
const TpQuestion *tp_event_get_question (TpEvent *event, const char *id);
const TpOffer    *tp_event_get_offer    (TpEvent *event, const char *id);
const TpOffer    *tp_event_get_default_offer (TpEvent *event);
const TpOption   *tp_question_get_option (const TpQuestion *question, const char *id);
gboolean          tp_event_has_locale   (TpEvent *event, const char *locale);
const char *tp_field_type_to_string    (TpFieldType type);
const char *tp_question_type_to_string (TpQuestionType type);

/* The consent notice (tp-consent-notice.c).
 * The exact notice a visitor sees for a consent, in one locale; its SHA-256 is what the
 * consent record keeps, so the kiosk must show this string and nothing else. */
char       *tp_consent_render_notice  (const TpConsent *consent,
                                       TpEvent         *event,
                                       const char      *locale);
char       *tp_consent_notice_sha256  (const TpConsent *consent,
                                       TpEvent         *event,
                                       const char      *locale);

/* Writing (tp-event-writer.c): the normalized definition as JSON (what `touchpoint event show`
 * prints). */
JsonNode   *tp_event_to_json          (TpEvent *event);
/* With with_key, the coupon key itself instead of "key_set": an event file that
 * tp_event_new_from_data reads back as the same event (`event show --with-key`, `event new`). */
JsonNode   *tp_event_to_json_full     (TpEvent  *event,
                                       gboolean  with_key);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpEvent, tp_event_unref)

G_END_DECLS
