/* tp-actor.c: who is acting: a signed-in staff account or the OS user at the command line. */
#define G_LOG_DOMAIN "tp-actor"

#include "tp-actor.h"
#include "tp-staff-private.h"

G_DEFINE_BOXED_TYPE (TpActor, tp_actor, tp_actor_copy, tp_actor_free)

TpActor *
tp_actor_new (TpActorKind  kind,
              const char  *name)
{
  TpActor *actor;

  g_return_val_if_fail (name != NULL, NULL);

  actor = g_new0 (TpActor, 1);
  actor->kind = kind;
  actor->name = g_strdup (name);
  return actor;
}

TpActor *
tp_actor_new_os_user (void)
{
  return tp_actor_new (TP_ACTOR_OS_USER, g_get_user_name ());
}

TpActor *
tp_actor_new_for_account (const TpStaffAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  return tp_actor_new (account->role == TP_STAFF_ROLE_ADMIN ? TP_ACTOR_ADMIN : TP_ACTOR_STAFF, account->name);
}

TpActor *
tp_actor_copy (const TpActor *actor)
{
  return tp_actor_new (actor->kind, actor->name);
}

void
tp_actor_free (TpActor *actor)
{
  if (actor == NULL)
    return;
  g_free (actor->name);
  g_free (actor);
}

const char *
tp_actor_kind_to_string (TpActorKind kind)
{
  switch (kind)
    {
    case TP_ACTOR_STAFF:
      return "staff";
    case TP_ACTOR_ADMIN:
      return "admin";
    case TP_ACTOR_OS_USER:
      return "os-user";
    default:
      g_return_val_if_reached ("staff");
    }
}

char *
tp_actor_describe (const TpActor *actor)
{
  g_return_val_if_fail (actor != NULL, NULL);

  return g_strdup_printf ("%s:%s", tp_actor_kind_to_string (actor->kind), actor->name);
}

gboolean
tp_actor_can (const TpActor *actor,
              TpStaffAction  action)
{
  g_return_val_if_fail (actor != NULL, FALSE);

  switch (actor->kind)
    {
    case TP_ACTOR_OS_USER:
      return TRUE;
    case TP_ACTOR_ADMIN:
      return tp_staff_role_can (TP_STAFF_ROLE_ADMIN, action);
    case TP_ACTOR_STAFF:
    default:
      return tp_staff_role_can (TP_STAFF_ROLE_STAFF, action);
    }
}

gboolean
tp_actor_is_account (const TpActor *actor,
                     const char    *name)
{
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;

  if (actor == NULL || name == NULL || actor->kind == TP_ACTOR_OS_USER)
    return FALSE;
  mine = tp_staff_name_key (actor->name);
  theirs = tp_staff_name_key (name);
  return mine != NULL && g_strcmp0 (mine, theirs) == 0;
}
