/* tp-actor.h: who is acting: a signed-in staff account (with its role) or the OS user at the
 * command line. A small value the UI, the command line and the core pass around and record. */
#pragma once

#include "tp-staff.h"

G_BEGIN_DECLS

typedef enum
{
  TP_ACTOR_STAFF,     /* A staff account signed in with its PIN. */
  TP_ACTOR_ADMIN,     /* An admin account signed in with its PIN. */
  TP_ACTOR_OS_USER,   /* Whoever can open the data folder (the command line): may do anything. */
} TpActorKind;

struct _TpActor
{
  TpActorKind  kind;
  char        *name;   /* The account's name, or the OS user's login name. */
};

#define TP_TYPE_ACTOR (tp_actor_get_type ())
GType       tp_actor_get_type        (void) G_GNUC_CONST;
TpActor    *tp_actor_new             (TpActorKind           kind,
                                      const char           *name);
/* The user running this process (g_get_user_name ()). */
TpActor    *tp_actor_new_os_user     (void);
/* The account that signed in: staff or admin by its role. */
TpActor    *tp_actor_new_for_account (const TpStaffAccount *account);
TpActor    *tp_actor_copy            (const TpActor        *actor);
void        tp_actor_free            (TpActor              *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpActor, tp_actor_free)

/* "staff", "admin" or "os-user". */
const char *tp_actor_kind_to_string  (TpActorKind           kind);
/* How records name the actor: "admin:Kim", "staff:Lee", "os-user:kiosk". */
char       *tp_actor_describe        (const TpActor        *actor);
/* Whether the actor may: the OS user always, an account as its role allows (the role it had
 * when it signed in; the core checks the stored role again where it matters). */
gboolean    tp_actor_can             (const TpActor        *actor,
                                      TpStaffAction         action);
/* Whether the actor is the staff account named name (case-insensitively). */
gboolean    tp_actor_is_account      (const TpActor        *actor,
                                      const char           *name);

G_END_DECLS
