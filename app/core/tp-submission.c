/* tp-submission.c: what one visitor entered (fields, consent decisions, answers), and reading it
 * from the `touchpoint capture --json` shape. */
#define G_LOG_DOMAIN "tp-lead"

#include "tp-submission.h"
#include "tp-lead.h"
#include "tp-lead-private.h"

#include <string.h>

G_DEFINE_QUARK (tp-lead-error-quark, tp_lead_error)

void
tp_wipe_string (char *s)
{
  if (s)
    explicit_bzero (s, strlen (s));
}

void
tp_wipe_free (gpointer data)
{
  tp_wipe_string (data);
  g_free (data);
}

TpSubmission *
tp_submission_new (const char *locale)
{
  TpSubmission *s = g_new0 (TpSubmission, 1);

  s->locale = g_strdup (locale);
  s->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tp_wipe_free);
  s->consents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) tp_answer_free);
  return s;
}

void
tp_submission_clear (TpSubmission *submission)
{
  g_hash_table_remove_all (submission->fields);
  g_hash_table_remove_all (submission->consents);
  g_hash_table_remove_all (submission->answers);
  submission->age_confirmed = FALSE;
}

void
tp_submission_free (TpSubmission *submission)
{
  if (submission == NULL)
    return;
  g_free (submission->locale);
  g_hash_table_unref (submission->fields);
  g_hash_table_unref (submission->consents);
  g_hash_table_unref (submission->answers);
  g_free (submission);
}

void
tp_submission_set_field (TpSubmission *submission,
                         const char   *id,
                         const char   *value)
{
  if (value == NULL)
    g_hash_table_remove (submission->fields, id);
  else
    g_hash_table_insert (submission->fields, g_strdup (id), g_strdup (value));
}

void
tp_submission_set_consent (TpSubmission *submission,
                           const char   *id,
                           gboolean      granted)
{
  g_hash_table_insert (submission->consents, g_strdup (id), GINT_TO_POINTER (granted ? 1 : 0));
}

void
tp_submission_set_answer (TpSubmission *submission,
                          const char   *question,
                          TpAnswer     *answer)
{
  if (answer == NULL)
    g_hash_table_remove (submission->answers, question);
  else
    g_hash_table_insert (submission->answers, g_strdup (question), answer);
}

static gboolean
malformed (GError     **error,
           const char  *path,
           const char  *what)
{
  g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED, "%s: %s", path, what);
  return FALSE;
}

static JsonObject *
optional_object (JsonObject  *root,
                 const char  *name,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, name, "expected an object");
      return NULL;
    }
  return json_node_get_object (node);
}

TpSubmission *
tp_submission_new_from_json (JsonNode  *root_node,
                             GError   **error)
{
  static const char * const known[] = { "locale", "fields", "consents", "age_confirmed", "answers", NULL };
  g_autoptr(TpSubmission) s = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root, *obj;
  JsonNode *node;
  const char *locale = NULL;  /* Absent: the caller uses the event's default language. */

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      malformed (error, "$", root_node ? "the submission must be a JSON object" : "the submission is empty");
      return NULL;
    }
  root = json_node_get_object (root_node);
  members = json_object_get_members (root);
  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        malformed (error, l->data, "unknown member (expected locale, fields, consents, age_confirmed, answers)");
        return NULL;
      }

  if ((node = json_object_get_member (root, "locale")))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          malformed (error, "locale", "expected a string such as \"ko\" or \"en\"");
          return NULL;
        }
      locale = json_node_get_string (node);
    }
  s = tp_submission_new (locale);

  if ((obj = optional_object (root, "fields", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autofree char *path = g_strdup_printf ("fields.%s", (char *) l->data);

          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
            {
              malformed (error, path, "expected a string");
              return NULL;
            }
          tp_submission_set_field (s, l->data, json_node_get_string (v));
        }
    }
  else if (error && *error)
    return NULL;

  if ((obj = optional_object (root, "consents", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autofree char *path = g_strdup_printf ("consents.%s", (char *) l->data);

          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
            {
              malformed (error, path, "expected true or false");
              return NULL;
            }
          tp_submission_set_consent (s, l->data, json_node_get_boolean (v));
        }
    }
  else if (error && *error)
    return NULL;

  if ((node = json_object_get_member (root, "age_confirmed")))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          malformed (error, "age_confirmed", "expected true or false");
          return NULL;
        }
      s->age_confirmed = json_node_get_boolean (node);
    }

  if ((obj = optional_object (root, "answers", error)))
    {
      g_autoptr(GList) names = json_object_get_members (obj);

      for (GList *l = names; l; l = l->next)
        {
          JsonNode *v = json_object_get_member (obj, l->data);
          g_autoptr(GError) local_error = NULL;
          TpAnswer *answer;

          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          answer = tp_answer_new_from_json (v, &local_error);
          if (answer == NULL)
            {
              g_set_error (error, TP_LEAD_ERROR, TP_LEAD_ERROR_MALFORMED, "answers.%s%s%s",
                           (char *) l->data, local_error->message[0] == '[' ? "" : ": ",
                           local_error->message);
              return NULL;
            }
          tp_submission_set_answer (s, l->data, answer);
        }
    }
  else if (error && *error)
    return NULL;

  return g_steal_pointer (&s);
}
