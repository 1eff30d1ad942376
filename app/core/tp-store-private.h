/* tp-store-private.h: what the store's other files, export and the PIN share with tp-store.c. */
#pragma once

#include <sqlite3.h>

#include "tp-store.h"
#include "tp-store-leads.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The store's lock (recursive). Every public function of the store holds it while it runs, so
 * that threads can share the one connection: TP_STORE_LOCKED (self) at the top of a block
 * holds it until the block ends. A transaction (tp_store_begin) holds it until its end. */
GRecMutex    *tp_store_get_lock      (TpStore     *self);
#define TP_STORE_LOCKED(self) \
  g_autoptr(GRecMutexLocker) G_PASTE (tp_store_locker_, __LINE__) G_GNUC_UNUSED = \
    g_rec_mutex_locker_new (tp_store_get_lock (self))

/* Queues task on the store's own thread: jobs run there one at a time, in the order queued,
 * as the _async functions of the store, export and the PIN do. func runs unless the task's
 * cancellable is cancelled before its turn (the task then returns G_IO_ERROR_CANCELLED); it
 * must return a value. The task's source object must be the store (so that the store lives
 * until the job is done), and its callback runs in the caller's thread-default context. */
void          tp_store_run_task      (TpStore         *self,
                                      GTask           *task,
                                      GTaskThreadFunc  func);

sqlite3      *tp_store_get_db        (TpStore     *self);
/* Schema 4, the search index: tp-store-search.c. */
extern const char tp_store_search_migration[];
/* The failure tp_store_set_fail_point asked for, which the capture acts on. */
TpStoreFailPoint tp_store_get_fail_point (TpStore   *self);
/* Opens the store migrated only up to schema (tests of upgrades from older databases). */
TpStore      *tp_store_new_with_schema (const char *dir,
                                        int         schema,
                                        GError    **error);
/* A cached prepared statement, reset and with its bindings cleared; owned by the store. */
sqlite3_stmt *tp_store_prepare       (TpStore     *self,
                                      const char  *sql,
                                      GError     **error);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; what names the operation in an error message. The
 * thread that begins holds the store's lock until COMMIT or ROLLBACK (a failed COMMIT rolls
 * back); a ROLLBACK with no transaction open does nothing. */
gboolean      tp_store_begin         (TpStore     *self,
                                      const char  *what,
                                      GError     **error);
gboolean      tp_store_commit        (TpStore     *self,
                                      const char  *what,
                                      GError     **error);
void          tp_store_rollback      (TpStore     *self);
/* Sets error from the connection's last SQLite error (rc), naming what failed and the file. */
void          tp_store_set_error     (TpStore     *self,
                                      GError     **error,
                                      int          rc,
                                      const char  *what);
/* UTC ISO 8601 with milliseconds: "2026-12-04T02:03:04.567Z". */
char         *tp_store_timestamp     (GDateTime   *time);
/* Runs a statement that returns no rows; FALSE with error otherwise. */
gboolean      tp_store_step_done     (TpStore      *self,
                                      sqlite3_stmt *stmt,
                                      const char   *what,
                                      GError      **error);

/* Resets a statement whose rows were read until rc: TRUE when rc is SQLITE_DONE, else FALSE
 * with error naming what failed. */
gboolean      tp_store_end_rows      (TpStore      *self,
                                      sqlite3_stmt *stmt,
                                      int           rc,
                                      const char   *what,
                                      GError      **error);
/* The text of a column, copied (NULL for NULL). */
char         *tp_store_column_dup    (sqlite3_stmt *stmt,
                                      int           col);
/* The one number a "SELECT count(*) ..." answers, or -1 with error. */
gint64        tp_store_count         (TpStore      *self,
                                      const char   *sql,
                                      GError      **error);
/* Reads of leads nest (a read in another's callback): only the outermost may use the cached
 * statements, so each read says where it is. */
void          tp_store_push_read     (TpStore      *self);
void          tp_store_pop_read      (TpStore      *self);
guint         tp_store_get_read_depth (TpStore     *self);

/* Reads the leads whose row id is between first and last (inclusive), in order. */
gboolean      tp_store_read_leads_range (TpStore    *self,
                                         gint64      first,
                                         gint64      last,
                                         TpLeadFunc  func,
                                         gpointer    user_data,
                                         GError    **error);

/* Erases one lead inside the caller's transaction (tp-store-erase.c); the CRM deletion is queued
 * only with delete_from_crm. */
gboolean      tp_store_erase_one     (TpStore      *self,
                                      const char   *lead_id,
                                      gboolean      delete_from_crm,
                                      GError      **error);

/* The steps that are functions rather than SQL, by the same index as the SQL (tp-store-schema.c).
 * Each runs in its step's transaction, with the store's lock held. */
typedef gboolean (*TpStoreUpgrade) (TpStore  *self,
                                    GError  **error);
extern const char * const   tp_store_migrations[TP_STORE_SCHEMA_VERSION];
extern const TpStoreUpgrade tp_store_upgrades[TP_STORE_SCHEMA_VERSION];

/* Merges the search index's segments so that no deleted document's terms remain (after an
 * erasure or a purge, inside its transaction; tp-store-search.c). */
gboolean      tp_store_search_purge_deleted (TpStore  *self,
                                             GError  **error);

G_END_DECLS
