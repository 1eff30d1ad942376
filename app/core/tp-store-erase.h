/* tp-store-erase.h: erasing a lead on request (the right to erasure). */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

/* Erases a lead's personal data (fields, answers, tags) and marks it erased, keeping its
 * consent records as proof; stops any send of it that has not succeeded yet and queues a
 * deletion for every CRM target, all in one transaction. Erasing an erased lead does nothing. */
gboolean      tp_store_erase_lead    (TpStore      *self,
                                      const char   *lead_id,
                                      GError      **error);

/* How a person asking to be erased (or to withdraw consent) is found. */
typedef enum
{
  TP_PERSON_EMAIL,   /* Any lead whose personal data holds this address, case aside. */
  TP_PERSON_PHONE,   /* Any lead with this number, however it was typed (010-..., +82 ...). */
  TP_PERSON_LEAD,    /* One lead, by its UUID. */
} TpPersonKey;

/* The UUIDs of the leads (not erased yet) that belong to the person; an empty list when none. */
char        **tp_store_find_person   (TpStore      *self,
                                      TpPersonKey   key,
                                      const char   *value,
                                      GError      **error);
/* Erases the leads (as tp_store_erase_lead) and records it in the audit log, all in one
 * transaction; then folds the write-ahead log in and truncates it, so that no byte of the
 * erased data stays in the database's files (secure_delete zeroes freed space). */
gboolean      tp_store_erase_leads   (TpStore             *self,
                                      const char * const  *lead_ids,
                                      const char          *actor,
                                      const char          *detail,
                                      GError             **error);

G_END_DECLS
