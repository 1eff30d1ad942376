/* tp-audit.h: the access log: who did what to which leads, when, at which kiosk (PIPA security
 * standard, Art. 8). Append-only and tamper-evident: each entry holds the SHA-256 of the one
 * before it. It never holds personal data: leads are named by their UUIDs. */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* What was done: the action names stored in the log (and printed by `touchpoint audit`). */
#define TP_AUDIT_UNLOCK          "unlock"
#define TP_AUDIT_UNLOCK_FAILED   "unlock-failed"
#define TP_AUDIT_VIEW            "view"
#define TP_AUDIT_EDIT            "edit"
#define TP_AUDIT_RATE            "rate"
#define TP_AUDIT_EXPORT          "export"
#define TP_AUDIT_SYNC            "sync"
#define TP_AUDIT_ERASE           "erase"
#define TP_AUDIT_WITHDRAW        "withdraw"
#define TP_AUDIT_PURGE           "purge"
#define TP_AUDIT_DRAW            "draw"
#define TP_AUDIT_SETTINGS        "settings"
#define TP_AUDIT_ACCOUNT         "account"

typedef struct
{
  gint64   id;
  char    *at;          /* UTC ISO 8601 */
  char    *actor;       /* "staff:NAME", "admin:NAME" or "os-user:LOGIN" (the command line) */
  char    *action;
  char    *kiosk_id;
  char   **leads;       /* Lead UUIDs, maybe none. */
  char    *detail;      /* No personal data: a count, a format, the reason an admin typed. */
  char    *prev_sha256;
  char    *sha256;
} TpAuditEntry;

void      tp_audit_entry_free  (TpAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAuditEntry, tp_audit_entry_free)

/* The command line acts as whoever can open the data folder: "os-user:LOGIN". */
char     *tp_audit_os_actor    (void);

/* Appends an entry. Inside a transaction of the store (an erasure, a purge) it commits with it;
 * otherwise it is a transaction of its own. leads may be NULL. */
gboolean  tp_audit_append      (TpStore            *store,
                                const char         *actor,
                                const char         *action,
                                const char * const *leads,
                                const char         *detail,
                                GError            **error);
/* The entries at or after since (NULL: all), oldest first: a GPtrArray of TpAuditEntry. */
GPtrArray *tp_audit_list       (TpStore            *store,
                                GDateTime          *since,
                                GError            **error);
/* TRUE when every entry's hash is the SHA-256 of its content and of the entry before it.
 * Otherwise FALSE, with *broken the id of the first entry that does not match (0 on a storage
 * error, with error set). */
gboolean  tp_audit_verify      (TpStore            *store,
                                gint64             *broken,
                                GError            **error);

G_END_DECLS
