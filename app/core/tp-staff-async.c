/* tp-staff-async.c: the _async/_finish pairs of tp-staff.h: the same work on the store's
 * thread, since hashing and comparing a PIN (Argon2id) takes a noticeable moment. */
#define G_LOG_DOMAIN "tp-staff"

#include "tp-staff.h"
#include "tp-store-private.h"

#include <string.h>

typedef struct
{
  TpActor     *actor;
  char        *name;
  TpStaffRole  role;
  char        *pin;
  gint64       now;
} StaffJob;

static void
staff_job_free (StaffJob *job)
{
  if (job->pin)
    memset (job->pin, 0, strlen (job->pin));
  g_free (job->pin);
  g_free (job->name);
  g_clear_pointer (&job->actor, tp_actor_free);
  g_free (job);
}

/* Queues func on the store's thread with a copy of the arguments. */
static void
run_job (TpStore             *store,
         const TpActor       *actor,
         const char          *name,
         TpStaffRole          role,
         const char          *pin,
         gint64               now,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag,
         GTaskThreadFunc      func)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  StaffJob *job = g_new0 (StaffJob, 1);

  job->actor = actor ? tp_actor_copy (actor) : NULL;
  job->name = g_strdup (name);
  job->role = role;
  job->pin = g_strdup (pin);
  job->now = now;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) staff_job_free);
  tp_store_run_task (store, task, func);
}

static void
return_account (GTask          *task,
                TpStaffAccount *account,
                GError         *error)
{
  if (account)
    g_task_return_pointer (task, account, (GDestroyNotify) tp_staff_account_free);
  else
    g_task_return_error (task, error);
}

static TpStaffAccount *
propagate_account (TpStore       *store,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_job (GTask        *task,
         gpointer      source,
         gpointer      data,
         GCancellable *cancellable)
{
  StaffJob *job = data;
  GError *error = NULL;
  TpStaffAccount *account = tp_staff_add (source, job->actor, job->name, job->role, job->pin, &error);

  return_account (task, account, error);
}

void
tp_staff_add_async (TpStore             *store,
                    const TpActor       *actor,
                    const char          *name,
                    TpStaffRole          role,
                    const char          *pin,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (TP_IS_STORE (store));

  run_job (store, actor, name, role, pin, 0, cancellable, callback, user_data, tp_staff_add_async, add_job);
}

TpStaffAccount *
tp_staff_add_finish (TpStore       *store,
                     GAsyncResult  *result,
                     GError       **error)
{
  return propagate_account (store, result, tp_staff_add_async, error);
}

static void
set_pin_job (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  StaffJob *job = data;
  GError *error = NULL;
  TpStaffAccount *account = tp_staff_set_pin (source, job->actor, job->name, job->pin, &error);

  return_account (task, account, error);
}

void
tp_staff_set_pin_async (TpStore             *store,
                        const TpActor       *actor,
                        const char          *name,
                        const char          *pin,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (actor != NULL);

  run_job (store, actor, name, TP_STAFF_ROLE_STAFF, pin, 0, cancellable, callback, user_data,
           tp_staff_set_pin_async, set_pin_job);
}

TpStaffAccount *
tp_staff_set_pin_finish (TpStore       *store,
                         GAsyncResult  *result,
                         GError       **error)
{
  return propagate_account (store, result, tp_staff_set_pin_async, error);
}

static void
set_default_admin_pin_job (GTask        *task,
                           gpointer      source,
                           gpointer      data,
                           GCancellable *cancellable)
{
  StaffJob *job = data;
  GError *error = NULL;
  TpStaffAccount *account = tp_staff_set_default_admin_pin (source, job->actor, job->pin, &error);

  return_account (task, account, error);
}

void
tp_staff_set_default_admin_pin_async (TpStore             *store,
                                      const TpActor       *actor,
                                      const char          *pin,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (actor != NULL);

  run_job (store, actor, NULL, TP_STAFF_ROLE_ADMIN, pin, 0, cancellable, callback, user_data,
           tp_staff_set_default_admin_pin_async, set_default_admin_pin_job);
}

TpStaffAccount *
tp_staff_set_default_admin_pin_finish (TpStore       *store,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return propagate_account (store, result, tp_staff_set_default_admin_pin_async, error);
}

static void
check_job (GTask        *task,
           gpointer      source,
           gpointer      data,
           GCancellable *cancellable)
{
  StaffJob *job = data;
  GError *error = NULL;
  /* Not cancellable from here on: a compared PIN is always recorded. */
  TpStaffAccount *account = tp_staff_check (source, job->name, job->pin, job->now, &error);

  return_account (task, account, error);
}

void
tp_staff_check_async (TpStore             *store,
                      const char          *name,
                      const char          *pin,
                      gint64               now,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (TP_IS_STORE (store));
  g_return_if_fail (name != NULL);
  g_return_if_fail (pin != NULL);

  run_job (store, NULL, name, TP_STAFF_ROLE_STAFF, pin, now, cancellable, callback, user_data,
           tp_staff_check_async, check_job);
}

TpStaffAccount *
tp_staff_check_finish (TpStore       *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  return propagate_account (store, result, tp_staff_check_async, error);
}
