/* tp-staff-values.c: roles and what each may do, account values, and staff names: the parts of
 * tp-staff.h that need no store. */
#define G_LOG_DOMAIN "tp-staff"

#include "tp-staff.h"
#include "tp-staff-private.h"
#include "tp-i18n.h"

G_DEFINE_QUARK (tp-staff-error-quark, tp_staff_error)

G_DEFINE_BOXED_TYPE (TpStaffAccount, tp_staff_account, tp_staff_account_copy, tp_staff_account_free)

/* ---- Roles ------------------------------------------------------------------------------- */

const char *
tp_staff_role_to_string (TpStaffRole role)
{
  return role == TP_STAFF_ROLE_ADMIN ? "admin" : "staff";
}

gboolean
tp_staff_role_from_string (const char  *text,
                           TpStaffRole *role)
{
  if (g_strcmp0 (text, "staff") == 0)
    *role = TP_STAFF_ROLE_STAFF;
  else if (g_strcmp0 (text, "admin") == 0)
    *role = TP_STAFF_ROLE_ADMIN;
  else
    return FALSE;
  return TRUE;
}

const char *
tp_staff_role_describe (TpStaffRole role)
{
  return role == TP_STAFF_ROLE_ADMIN ? C_("staff role", "Admin") : C_("staff role", "Staff");
}

gboolean
tp_staff_role_can (TpStaffRole   role,
                   TpStaffAction action)
{
  switch (action)
    {
    case TP_STAFF_ACTION_DASHBOARD:
    case TP_STAFF_ACTION_LEADS:
    case TP_STAFF_ACTION_QUALIFY:
    case TP_STAFF_ACTION_REDEEM:
    case TP_STAFF_ACTION_DRAW:
    case TP_STAFF_ACTION_QUIT_KIOSK:
    case TP_STAFF_ACTION_CHANGE_OWN_PIN:
      return TRUE;
    case TP_STAFF_ACTION_EXPORT:
    case TP_STAFF_ACTION_SYNC:
    case TP_STAFF_ACTION_ERASE:
    case TP_STAFF_ACTION_PURGE:
    case TP_STAFF_ACTION_SETTINGS:
    case TP_STAFF_ACTION_ACCOUNTS:
      return role == TP_STAFF_ROLE_ADMIN;
    default:
      /* An action added without a rule is for admins until someone decides otherwise. */
      return role == TP_STAFF_ROLE_ADMIN;
    }
}

gboolean
tp_staff_can (const TpStaffAccount *account,
              TpStaffAction         action)
{
  g_return_val_if_fail (account != NULL, FALSE);
  return tp_staff_role_can (account->role, action);
}

/* ---- Accounts as values ------------------------------------------------------------------ */

TpStaffAccount *
tp_staff_account_copy (const TpStaffAccount *account)
{
  TpStaffAccount *copy = g_memdup2 (account, sizeof *account);

  copy->name = g_strdup (account->name);
  copy->created_at = g_strdup (account->created_at);
  copy->created_by = g_strdup (account->created_by);
  return copy;
}

void
tp_staff_account_free (TpStaffAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->created_at);
  g_free (account->created_by);
  g_free (account);
}

/* ---- Names ------------------------------------------------------------------------------- */

/* Characters a name must not hold: controls, format characters (zero-width ones, direction
 * marks), separators other than spaces, unassigned and private code points, and the fillers
 * that fonts draw as blanks. Two names that look the same must be the same name. */
static gboolean
is_refused (gunichar u)
{
  switch (g_unichar_type (u))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return u == 0x115F || u == 0x1160 || u == 0x3164 || u == 0xFFA0 || u == 0x2800 || u == 0x034F;
    }
}

char *
tp_staff_normalize_name (const char  *name,
                         GError     **error)
{
  g_autofree char *nfc = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;
  glong length;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) ||
      !(nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC)))
    {
      g_set_error_literal (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME,
                           _("A name must be text (UTF-8)."));
      return NULL;
    }
  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);

      if (g_unichar_isspace (u) && u != 0x0085 && u != 0x2028 && u != 0x2029 && u >= 0x20)
        {
          space = out->len > 0;
          continue;
        }
      if (is_refused (u) || g_unichar_isspace (u))
        {
          g_set_error_literal (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME,
                               _("A name cannot contain control characters or invisible characters."));
          return NULL;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, u);
    }
  length = g_utf8_strlen (out->str, -1);
  if (length < 1 || length > TP_STAFF_NAME_MAX)
    {
      g_set_error (error, TP_STAFF_ERROR, TP_STAFF_ERROR_INVALID_NAME,
                   _("A name must be 1 to %d characters."), TP_STAFF_NAME_MAX);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tp_staff_name_key (const char *name)
{
  g_autofree char *normal = tp_staff_normalize_name (name, NULL);
  g_autofree char *compat = NULL;

  if (normal == NULL)
    return NULL;
  /* NFKC as well: a full-width "Ａｄｍｉｎ" is "admin" too. */
  compat = g_utf8_normalize (normal, -1, G_NORMALIZE_NFKC);
  return g_utf8_casefold (compat, -1);
}
