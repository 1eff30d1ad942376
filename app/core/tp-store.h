/* tp-store.h: the local SQLite lead store (one writer connection, WAL, synchronous=FULL). Threads
 * may share one TpStore: each of its functions holds the store's lock while it runs. */
#pragma once

#include <gio/gio.h>

#include "tp-event.h"
#include "tp-lead.h"

G_BEGIN_DECLS

#define TP_STORE_ERROR (tp_store_error_quark ())
GQuark tp_store_error_quark (void);

typedef enum
{
  TP_STORE_ERROR_IO,         /* Disk or file system failure (I/O error, permissions, ...). */
  TP_STORE_ERROR_FULL,       /* The disk or database is full. */
  TP_STORE_ERROR_CORRUPT,    /* The file is not a Touchpoint database or is damaged. */
  TP_STORE_ERROR_BUSY,       /* Another process holds the database for too long. */
  TP_STORE_ERROR_NOT_FOUND,  /* No such record. */
  TP_STORE_ERROR_TOO_NEW,    /* Made by a newer Touchpoint. */
  TP_STORE_ERROR_INJECTED,   /* A test asked for a failure. */
} TpStoreError;

/* Test hooks: make the next write fail at a given point, as a full disk would. */
typedef enum
{
  TP_STORE_FAIL_NONE,
  TP_STORE_FAIL_BEFORE_COMMIT,  /* Everything written, then the COMMIT fails. */
  TP_STORE_FAIL_FULL,           /* The first write fails with "database or disk is full". */
} TpStoreFailPoint;

#define TP_STORE_SCHEMA_VERSION 7

#define TP_TYPE_STORE (tp_store_get_type ())
G_DECLARE_FINAL_TYPE (TpStore, tp_store, TP, STORE, GObject)

/* --data-dir, else $TOUCHPOINT_DATA_DIR, else $XDG_DATA_HOME/touchpoint. */
char       *tp_store_resolve_dir     (const char   *override);
/* Creates the folder (0700) and database (0600) as needed, and migrates it. */
TpStore    *tp_store_new             (const char   *dir,
                                      GError      **error);
/* Opens an existing store to read only (stats, export), writing nothing, not even beside it:
 * for a folder the user may read but not write (a copy on write-protected media). */
TpStore    *tp_store_open_read_only  (const char   *dir,
                                      GError      **error);
const char *tp_store_get_dir         (TpStore      *self);
const char *tp_store_get_path        (TpStore      *self);
/* This kiosk's identity: a UUID and a small number (1..65535) carried in coupon codes. */
const char *tp_store_get_kiosk_id    (TpStore      *self);
guint       tp_store_get_kiosk_number (TpStore     *self);
int         tp_store_get_schema_version (TpStore   *self);
void        tp_store_set_fail_point  (TpStore      *self,
                                      TpStoreFailPoint point);

typedef struct
{
  char       *lead_id;       /* UUID */
  gint64      seq;           /* Per-kiosk sequence number. */
  char       *kiosk_id;
  char       *captured_at;   /* UTC ISO 8601 */
  char      **tags;
  char       *offer;
  char       *segment;
  char       *coupon_code;   /* NULL until the coupon module issues one. */
  char       *coupon_expires_at;
  gboolean    replayed;      /* The lead was stored before, under the plan's lead_id: nothing new
                              * was written and this is the first capture's result. */
} TpCapture;

void        tp_capture_free          (TpCapture    *capture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpCapture, tp_capture_free)

/* Writes a capture plan (tp-capture-plan.h) as it is, in one transaction: lead, personal data,
 * consent records, answers, tags, offer, coupon and outbox row. On a failure nothing is stored.
 * The capture is in tp-store-capture.c. */
TpCapture  *tp_store_capture_plan    (TpStore        *self,
                                      TpCapturePlan  *plan,
                                      GError        **error);
/* The same on the store's thread (the kiosk's Finish): takes plan. The callback runs in the
 * caller's thread-default context. Once the job has started it is not cancelled: a lead is
 * stored whole or not at all, and the result says which. */
void        tp_store_capture_plan_async  (TpStore             *self,
                                          TpCapturePlan       *plan,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
TpCapture  *tp_store_capture_plan_finish (TpStore             *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* tp_submission_prepare, then tp_store_capture_plan. On a validation failure, *validation is
 * set, error is TP_LEAD_ERROR_INVALID and nothing is stored; on a storage failure nothing is
 * stored either. now may be NULL for the current time. */
TpCapture  *tp_store_capture         (TpStore       *self,
                                      TpEvent       *event,
                                      TpSubmission  *submission,
                                      GDateTime     *now,
                                      TpValidation **validation,
                                      GError       **error);

/* A number that changes whenever anything is committed to the database, by this store or by
 * another process (PRAGMA data_version and this connection's own changes): cheap to read
 * twice a second, to notice new leads without reading any table. Compare for equality; -1
 * with error when it cannot be read. */
gint64        tp_store_get_data_version (TpStore   *self,
                                         GError   **error);

/* Moves committed pages from the write-ahead log into the database. Call it when the kiosk is
 * idle (between visitors): captures then never wait for a checkpoint. */
gboolean      tp_store_checkpoint    (TpStore      *self,
                                      GError      **error);

G_END_DECLS

/* The store's other parts, each declared in the header of the file that implements it. Callers
 * that include only tp-store.h still find them. */
#include "tp-store-leads.h"
#include "tp-store-settings.h"
#include "tp-store-erase.h"
#include "tp-store-search.h"
