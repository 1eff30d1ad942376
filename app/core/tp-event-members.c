/* tp-event-members.c: the members each kind of object in an event definition may have. */
#define G_LOG_DOMAIN "tp-event"

#include "tp-event-reader.h"

/* The members each kind of object may have. A misspelt one ("requird": true) would otherwise be
 * ignored and quietly leave the default (here: an optional field); members starting with '_' or
 * '$' are notes for people and are skipped. */
static const char * const root_members[] = {
  "format", "id", "name", "locales", "default_locale", "starts", "ends", "timezone", "controller",
  "min_age", "consents", "fields", "survey", "segments", "offers", "prizes", "kiosk", "coupon", "retention", NULL };
static const char * const controller_members[] = { "name", "contact", NULL };
static const char * const consent_members[] = {
  "id", "required", "version", "title", "text", "purpose", "items", "refusal", "retention_days", NULL };
static const char * const field_members[] = { "id", "type", "required", "label", "hint", "max_length", NULL };
static const char * const question_members[] = {
  "id", "type", "required", "label", "options", "min", "max", "min_label", "max_label", "max_length", NULL };
static const char * const option_members[] = { "id", "label", NULL };
static const char * const segment_members[] = { "id", "when", "tags", "offer", NULL };
static const char * const range_members[] = { "min", "max", NULL };
static const char * const offer_members[] = {
  "id", "title", "default", "valid_days", "valid_hours", "description", NULL };
static const char * const prize_members[] = {
  "id", "name", "winners_per_round", "value", "requires_consent", "rounds", "several_prizes", NULL };
static const char * const kiosk_members[] = { "idle_reset_seconds", "coupon_seconds", NULL };
static const char * const coupon_members[] = { "key", "url", NULL };
static const char * const retention_members[] = { "delete_from_crm", NULL };

static gboolean
known_members (JsonObject          *obj,
               const char          *path,
               const char * const  *allowed,
               GError             **error)
{
  g_autoptr(GList) names = obj ? json_object_get_members (obj) : NULL;

  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;

      if (name[0] == '_' || name[0] == '$' || g_strv_contains (allowed, name))
        continue;
      {
        g_autofree char *p = tp_reader_join (path, name);
        g_autofree char *expected = g_strjoinv (", ", (char **) allowed);

        tp_reader_fail (error, p, "unknown member (expected one of %s)", expected);
      }
      return FALSE;
    }
  return TRUE;
}

/* Runs known_members on each element of root[name] that is an object. */
static gboolean
known_members_of_each (JsonObject          *root,
                       const char          *path,
                       const char          *name,
                       const char * const  *allowed,
                       GError             **error)
{
  JsonNode *node = json_object_get_member (root, name);
  g_autofree char *p = tp_reader_join (path, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      g_autofree char *ep = tp_reader_join_index (p, i);

      if (JSON_NODE_HOLDS_OBJECT (e) && !known_members (json_node_get_object (e), ep, allowed, error))
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
object_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Called on a definition that parse_root accepted, so the shapes are known to be right. */
gboolean
tp_event_check_members (JsonObject  *root,
                        GError     **error)
{
  JsonArray *survey = json_object_get_member (root, "survey") ? json_object_get_array_member (root, "survey") : NULL;
  JsonArray *segments = json_object_get_member (root, "segments") ? json_object_get_array_member (root, "segments") : NULL;

  if (!known_members (root, "", root_members, error) ||
      !known_members (object_member (root, "controller"), "controller", controller_members, error) ||
      !known_members (object_member (root, "kiosk"), "kiosk", kiosk_members, error) ||
      !known_members (object_member (root, "coupon"), "coupon", coupon_members, error) ||
      !known_members (object_member (root, "retention"), "retention", retention_members, error) ||
      !known_members_of_each (root, "", "consents", consent_members, error) ||
      !known_members_of_each (root, "", "fields", field_members, error) ||
      !known_members_of_each (root, "", "survey", question_members, error) ||
      !known_members_of_each (root, "", "segments", segment_members, error) ||
      !known_members_of_each (root, "", "offers", offer_members, error) ||
      !known_members_of_each (root, "", "prizes", prize_members, error))
    return FALSE;

  for (guint i = 0; survey && i < json_array_get_length (survey); i++)
    {
      g_autofree char *p = tp_reader_join_index ("survey", i);

      if (!known_members_of_each (json_array_get_object_element (survey, i), p, "options", option_members, error))
        return FALSE;
    }
  for (guint i = 0; segments && i < json_array_get_length (segments); i++)
    {
      JsonObject *when = object_member (json_array_get_object_element (segments, i), "when");
      g_autoptr(GList) questions = when ? json_object_get_members (when) : NULL;
      g_autofree char *p = tp_reader_join_index ("segments", i);
      g_autofree char *wp = tp_reader_join (p, "when");

      for (GList *l = questions; l; l = l->next)
        {
          g_autofree char *qp = tp_reader_join (wp, l->data);

          /* A number range; option ids (a string or an array) have no members. */
          if (!known_members (object_member (when, l->data), qp, range_members, error))
            return FALSE;
        }
    }
  return TRUE;
}
