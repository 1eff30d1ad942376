/* tp-event-reader.h: what the event's parser files share: readers of JSON values that name the
 * path of a bad one in their error ("survey[2].options[0].label: missing \"ko\""), and the check
 * for members the format does not know. Private to the core. */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-event.h"

G_BEGIN_DECLS

/* Parsing state: the event's locales, so every text can be checked for each of them. */
typedef struct
{
  char **locales;
} TpReader;

/* Sets a TP_EVENT_ERROR_INVALID error that starts with path ("$" for the root). */
void        tp_reader_fail            (GError     **error,
                                       const char  *path,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* "parent.member" ("member" at the root) and "parent[index]". */
char       *tp_reader_join            (const char  *parent,
                                       const char  *member);
char       *tp_reader_join_index      (const char  *parent,
                                       guint        index);
/* What a node holds, for messages: "a string", "an array", ... */
const char *tp_reader_node_kind       (JsonNode    *node);

/* Each reads obj[name] at path; a missing optional member leaves the fallback (or NULL) and
 * succeeds, a missing required one or a value of the wrong kind fails. */
gboolean    tp_reader_get_string      (JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     required,
                                       char       **out,
                                       GError     **error);
gboolean    tp_reader_get_bool        (JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     fallback,
                                       gboolean    *out,
                                       GError     **error);
/* A whole number from lo to hi. */
gboolean    tp_reader_get_int         (JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     required,
                                       gint64       fallback,
                                       gint64       lo,
                                       gint64       hi,
                                       gint64      *out,
                                       GError     **error);
JsonObject *tp_reader_get_object      (JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     required,
                                       GError     **error);
JsonArray  *tp_reader_get_array       (JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     required,
                                       GError     **error);
JsonObject *tp_reader_element_object  (JsonArray   *array,
                                       guint        i,
                                       const char  *path,
                                       GError     **error);
/* 1 to 64 ASCII letters, digits, '-' or '_'. */
gboolean    tp_reader_is_valid_id     (const char  *id);
gboolean    tp_reader_get_id          (JsonObject  *obj,
                                       const char  *path,
                                       char       **out,
                                       GError     **error);
TpText     *tp_reader_get_text        (TpReader    *reader,
                                       JsonObject  *obj,
                                       const char  *path,
                                       const char  *name,
                                       gboolean     required,
                                       GError     **error);
/* Adds id to seen (which does not copy it); fails when it is there already. */
gboolean    tp_reader_check_unique    (GHashTable  *seen,
                                       const char  *id,
                                       const char  *path,
                                       GError     **error);

/* Refuses a member the format does not know, anywhere in a definition that the parser accepted
 * (tp-event-members.c). */
gboolean    tp_event_check_members    (JsonObject  *root,
                                       GError     **error);

/* The event's prizes, parsed into event->prizes (tp-event-prizes.c). */
gboolean tp_event_parse_prizes (TpReader    *reader,
                                JsonObject  *root,
                                TpEvent     *event,
                                GError     **error);

G_END_DECLS
