/* tp-store.c: the lead store: opening, schema migrations, the kiosk identity, the lock and
 * transactions, the statement cache, the store's thread. The capture is in tp-store-capture.c. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-private.h"
#include "tp-store-thread.h"
#include "tp-search-text.h"
#include "tp-json.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (tp-store-error-quark, tp_store_error)

#define DB_NAME "touchpoint.db"

struct _TpStore
{
  GObject           parent_instance;
  char             *dir;
  char             *path;
  sqlite3          *db;
  GHashTable       *statements;   /* SQL text → sqlite3_stmt */
  char             *kiosk_id;
  guint             kiosk_number;
  gboolean          read_only;    /* Opened by tp_store_open_read_only: nothing is written. */
  TpStoreFailPoint  fail_point;
  guint             reading;      /* Depth of read_leads: only the outermost uses cached statements. */
  /* Every public function holds it, so that threads can share the one connection; a
   * transaction holds it from BEGIN to COMMIT or ROLLBACK. */
  GRecMutex         lock;
  gboolean          in_transaction;
  /* Where the _async jobs run, one at a time; started by the first. */
  GMutex            thread_mutex;
  TpStoreThread    *thread;
};

G_DEFINE_FINAL_TYPE (TpStore, tp_store, G_TYPE_OBJECT)


/* Every queued job holds a reference to the store: by now none is left but perhaps the one
 * running (which may be the one dropping the last reference, on the thread itself). */
static void
tp_store_dispose (GObject *object)
{
  TpStore *self = TP_STORE (object);

  g_mutex_lock (&self->thread_mutex);
  g_clear_pointer (&self->thread, tp_store_thread_free);
  g_mutex_unlock (&self->thread_mutex);
  G_OBJECT_CLASS (tp_store_parent_class)->dispose (object);
}

static void
tp_store_finalize (GObject *object)
{
  TpStore *self = TP_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db)
    sqlite3_close (self->db);
  g_free (self->dir);
  g_free (self->path);
  g_free (self->kiosk_id);
  g_rec_mutex_clear (&self->lock);
  g_mutex_clear (&self->thread_mutex);
  G_OBJECT_CLASS (tp_store_parent_class)->finalize (object);
}

static void
tp_store_class_init (TpStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tp_store_dispose;
  G_OBJECT_CLASS (klass)->finalize = tp_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
tp_store_init (TpStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->thread_mutex);
}

GRecMutex *
tp_store_get_lock (TpStore *self)
{
  return &self->lock;
}

static TpStoreError
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return TP_STORE_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TP_STORE_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return TP_STORE_ERROR_BUSY;
    default:
      return TP_STORE_ERROR_IO;
    }
}

void
tp_store_set_error (TpStore     *self,
                    GError     **error,
                    int          rc,
                    const char  *what)
{
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  g_set_error (error, TP_STORE_ERROR, error_code_for (rc), "%s failed in %s: %s",
               what, self->path, detail);
}

void
tp_store_run_task (TpStore         *self,
                   GTask           *task,
                   GTaskThreadFunc  func)
{
  g_return_if_fail (TP_IS_STORE (self));
  g_return_if_fail (g_task_get_source_object (task) == (gpointer) self);

  g_mutex_lock (&self->thread_mutex);
  if (self->thread == NULL)
    self->thread = tp_store_thread_new ("tp-store");
  tp_store_thread_push (self->thread, task, func);
  g_mutex_unlock (&self->thread_mutex);
}

sqlite3 *
tp_store_get_db (TpStore *self)
{
  return self->db;
}

sqlite3_stmt *
tp_store_prepare (TpStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Preparing a query");
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
tp_store_step_done (TpStore      *self,
                    sqlite3_stmt *stmt,
                    const char   *what,
                    GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      tp_store_set_error (self, error, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
tp_store_end_rows (TpStore      *self,
                   sqlite3_stmt *stmt,
                   int           rc,
                   const char   *what,
                   GError      **error)
{
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  tp_store_set_error (self, error, rc, what);
  return FALSE;
}

char *
tp_store_column_dup (sqlite3_stmt *stmt,
                     int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

void
tp_store_push_read (TpStore *self)
{
  self->reading++;
}

void
tp_store_pop_read (TpStore *self)
{
  g_return_if_fail (self->reading > 0);
  self->reading--;
}

guint
tp_store_get_read_depth (TpStore *self)
{
  return self->reading;
}

static gboolean
exec (TpStore     *self,
      const char  *sql,
      const char  *what,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

/* One connection has one transaction: the thread that begins it keeps the lock until it ends,
 * so that no other thread's statement lands inside it (another thread's BEGIN waits instead
 * of failing). */
gboolean
tp_store_begin (TpStore     *self,
                const char  *what,
                GError     **error)
{
  g_rec_mutex_lock (&self->lock);
  if (!exec (self, "BEGIN IMMEDIATE", what, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  self->in_transaction = TRUE;
  return TRUE;
}

static void
end_transaction (TpStore *self)
{
  if (!self->in_transaction)
    return;
  self->in_transaction = FALSE;
  g_rec_mutex_unlock (&self->lock);
}

gboolean
tp_store_commit (TpStore     *self,
                 const char  *what,
                 GError     **error)
{
  TP_STORE_LOCKED (self);

  if (!self->in_transaction)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
                   "%s failed in %s: no transaction was open", what, self->path);
      g_return_val_if_reached (FALSE);
    }
  if (!exec (self, "COMMIT", what, error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  end_transaction (self);
  return TRUE;
}

void
tp_store_rollback (TpStore *self)
{
  /* From a thread without the transaction, this waits for its end and then has nothing to do. */
  TP_STORE_LOCKED (self);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  end_transaction (self);
}

char *
tp_store_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

char *
tp_store_resolve_dir (const char *override)
{
  const char *env = g_getenv ("TOUCHPOINT_DATA_DIR");

  if (override && *override)
    return g_strdup (override);
  if (env && *env)
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "touchpoint", NULL);
}

static int
user_version (TpStore *self)
{
  sqlite3_stmt *stmt = tp_store_prepare (self, "PRAGMA user_version", NULL);
  int version = -1;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return version;
}

int
tp_store_get_schema_version (TpStore *self)
{
  TP_STORE_LOCKED (self);

  return user_version (self);
}

static gboolean
migrate (TpStore  *self,
         int       target,
         GError  **error)
{
  int current = user_version (self);

  /* Usually there is nothing to do: no need to take the write lock for that. */
  if (current >= target && current <= TP_STORE_SCHEMA_VERSION)
    return TRUE;
  for (;;)
    {
      g_autofree char *set_version = NULL;
      g_autofree char *what = NULL;
      int version;

      /* The version is read inside the write transaction: several processes may open a new
       * data folder at once, and only the first may run each step. */
      if (!tp_store_begin (self, "Reading the schema version", error))
        return FALSE;
      version = user_version (self);
      if (version < 0)
        {
          int rc = sqlite3_errcode (self->db);

          /* A failed read, or a file that says its version is negative: no store of ours. */
          if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
            tp_store_set_error (self, error, rc, "Reading the schema version");
          else
            g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                         "%s has schema version %d: it is not a Touchpoint database, or it is damaged",
                         self->path, version);
          tp_store_rollback (self);
          return FALSE;
        }
      if (version > TP_STORE_SCHEMA_VERSION)
        {
          tp_store_rollback (self);
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_TOO_NEW,
                       "%s was written by a newer Touchpoint (schema %d, this one reads up to %d); "
                       "update Touchpoint before using it", self->path, version, TP_STORE_SCHEMA_VERSION);
          return FALSE;
        }
      if (version >= target)
        {
          tp_store_rollback (self);
          break;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      what = g_strdup_printf ("Upgrading the database to schema %d", version + 1);
      if (!(tp_store_migrations[version] ? exec (self, tp_store_migrations[version], what, error)
                                : tp_store_upgrades[version] (self, error)) ||
          !exec (self, set_version, what, error))
        {
          tp_store_rollback (self);
          return FALSE;
        }
      if (!tp_store_commit (self, what, error))
        return FALSE;
      g_debug ("Migrated %s to schema %d", self->path, version + 1);
    }
  /* Cached statements may refer to an older schema. */
  g_hash_table_remove_all (self->statements);
  return TRUE;
}

static gboolean
load_kiosk (TpStore  *self,
            GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      stmt = tp_store_prepare (self, "SELECT kiosk_id, kiosk_number FROM kiosk WHERE id = 1", error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          self->kiosk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          self->kiosk_number = sqlite3_column_int (stmt, 1);
          sqlite3_reset (stmt);
          return TRUE;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          tp_store_set_error (self, error, rc, "Reading the kiosk identity");
          return FALSE;
        }
      if (attempt > 0)
        break;
      /* A read-only store that never had a visitor has no identity yet: none is made up. */
      if (self->read_only)
        {
          self->kiosk_id = g_strdup ("");
          return TRUE;
        }

      /* First run: this kiosk gets its identity. Another process opening the same new folder
       * may give it one between our read and this insert: then the insert does nothing and
       * the next read finds theirs, so every process agrees on one identity. */
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *created = tp_store_timestamp (now);
        g_autofree char *uuid = g_uuid_string_random ();
        guint number = g_random_int_range (1, 65536);

        stmt = tp_store_prepare (self, "INSERT INTO kiosk (id, kiosk_id, kiosk_number, next_seq, created_at) "
                                       "VALUES (1, ?1, ?2, 1, ?3) ON CONFLICT (id) DO NOTHING", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (stmt, 2, number);
        sqlite3_bind_text (stmt, 3, created, -1, SQLITE_TRANSIENT);
        if (!tp_store_step_done (self, stmt, "Creating the kiosk identity", error))
          return FALSE;
      }
    }
  g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
               "Creating the kiosk identity failed in %s: it cannot be read back", self->path);
  return FALSE;
}

/* Makes dir (0700) and the database file (0600) before SQLite opens it, so that neither is
 * ever readable by others, whatever the umask. */
/* A file of the store (the database, its -wal and -shm) must be a regular file of ours, never
 * a link: run as root, a planted link would otherwise turn our writes and chmods onto any file. */
static gboolean
check_store_file (const char  *path,
                  GError     **error)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return TRUE;  /* Not there yet: SQLite makes it, in our private folder. */
  if (S_ISLNK (st.st_mode) || !S_ISREG (st.st_mode) || st.st_uid != geteuid ())
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
                   "%s is %s: the store's files must be regular files of the user running Touchpoint; "
                   "remove it and try again", path,
                   S_ISLNK (st.st_mode) ? "a symbolic link" : !S_ISREG (st.st_mode) ? "not a regular file"
                   : "owned by another user");
      return FALSE;
    }
  return TRUE;
}

static gboolean
prepare_files (TpStore  *self,
               GError  **error)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  struct stat st;
  int fd;

  /* A folder we make is private from the start; one that exists must already be private to us:
   * its mode is never changed (a shared folder chmodded to 0700 locks others out of it). */
  if (g_mkdir (self->dir, 0700) != 0 && errno == ENOENT)
    {
      g_autofree char *parent = g_path_get_dirname (self->dir);

      if (g_mkdir_with_parents (parent, 0700) == 0)
        g_mkdir (self->dir, 0700);
    }
  if (stat (self->dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      int saved = errno;

      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO, "Cannot create the data folder %s: %s",
                   self->dir, S_ISDIR (st.st_mode) || saved != 0 ? g_strerror (saved) : "it is not a folder");
      return FALSE;
    }
  if (st.st_uid != geteuid () || (st.st_mode & 077) != 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
                   "The data folder %s is not private to you (it is %s, mode %04o): leads hold personal data, "
                   "so use a folder only you can open, e.g. `mkdir -m 700 DIR` and --data-dir DIR",
                   self->dir, st.st_uid != geteuid () ? "another user's" : "open to others",
                   (guint) (st.st_mode & 07777));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->path, suffixes[i], NULL);

      if (!check_store_file (path, error))
        return FALSE;
    }
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO, "Cannot open the database %s: %s",
                   self->path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

TpStore *
tp_store_new (const char  *dir,
              GError     **error)
{
  return tp_store_new_with_schema (dir, TP_STORE_SCHEMA_VERSION, error);
}

/* The store's file as a URI that SQLite reads without writing anything beside it, not even
 * the -shm index: for a data folder on read-only media, which no writer can change meanwhile. */
static char *
immutable_uri (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

  return uri ? g_strconcat (uri, "?immutable=1", NULL) : NULL;
}

TpStore *
tp_store_open_read_only (const char  *dir,
                         GError     **error)
{
  g_autoptr(TpStore) self = g_object_new (TP_TYPE_STORE, NULL);
  const char *suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *shm = NULL;
  g_autofree char *uri = NULL;
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  int rc;

  g_return_val_if_fail (dir != NULL, NULL);

  self->read_only = TRUE;
  self->dir = g_strdup (dir);
  self->path = g_build_filename (dir, DB_NAME, NULL);
  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO, "There is no lead store in %s", dir);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->path, suffixes[i], NULL);

      if (!check_store_file (path, error))
        return NULL;
    }
  /* In a folder nobody may write to, SQLite cannot make its -shm index: read the file as it is. */
  shm = g_strconcat (self->path, "-shm", NULL);
  if (access (dir, W_OK) != 0 && !g_file_test (shm, G_FILE_TEST_EXISTS))
    {
      uri = immutable_uri (self->path);
      flags |= SQLITE_OPEN_URI;
    }
  rc = sqlite3_open_v2 (uri ? uri : self->path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Opening the database to read");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  if (user_version (self) != TP_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TP_STORE_ERROR, user_version (self) > TP_STORE_SCHEMA_VERSION
                                          ? TP_STORE_ERROR_TOO_NEW : TP_STORE_ERROR_IO,
                   "%s has schema version %d and this Touchpoint reads %d; it cannot be upgraded where it is "
                   "read-only", self->path, user_version (self), TP_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (!load_kiosk (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

TpStore *
tp_store_new_with_schema (const char  *dir,
                          int          schema,
                          GError     **error)
{
  g_autoptr(TpStore) self = g_object_new (TP_TYPE_STORE, NULL);
  int rc;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (schema >= 1 && schema <= TP_STORE_SCHEMA_VERSION, NULL);

  self->dir = g_strdup (dir);
  self->path = g_build_filename (dir, DB_NAME, NULL);
  if (!prepare_files (self, error))
    return NULL;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                        NULL);
  if (rc != SQLITE_OK)
    {
      tp_store_set_error (self, error, rc, "Opening the database");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  /* The search index's triggers call these: before anything is written. */
  if (!tp_search_register (self->db, error))
    return NULL;

  /* journal_mode answers with a row; the others do not. */
  if (!exec (self, "PRAGMA journal_mode = WAL", "Switching the database to WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA secure_delete = ON;"
                   /* Checkpoints belong between visitors (tp_store_checkpoint), not inside the
                    * capture a visitor waits for; this is only the backstop (about 32 MiB). */
                   "PRAGMA wal_autocheckpoint = 8000;", "Setting up the database", error))
    return NULL;
  {
    sqlite3_stmt *stmt = tp_store_prepare (self, "PRAGMA journal_mode", error);
    gboolean wal;

    if (stmt == NULL)
      return NULL;
    rc = sqlite3_step (stmt);
    wal = rc == SQLITE_ROW && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
    sqlite3_reset (stmt);
    if (!wal)
      {
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_IO,
                     "%s cannot use write-ahead logging (is the folder on a network file system?)",
                     self->path);
        return NULL;
      }
  }
  /* A file that is not a database shows up here. */
  if (!migrate (self, schema, error) || !load_kiosk (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
tp_store_get_dir (TpStore *self)
{
  return self->dir;
}

const char *
tp_store_get_path (TpStore *self)
{
  return self->path;
}

const char *
tp_store_get_kiosk_id (TpStore *self)
{
  return self->kiosk_id;
}

guint
tp_store_get_kiosk_number (TpStore *self)
{
  return self->kiosk_number;
}

void
tp_store_set_fail_point (TpStore          *self,
                         TpStoreFailPoint  point)
{
  TP_STORE_LOCKED (self);

  self->fail_point = point;
}

TpStoreFailPoint
tp_store_get_fail_point (TpStore *self)
{
  return self->fail_point;
}

gint64
tp_store_get_data_version (TpStore  *self,
                           GError  **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, "PRAGMA data_version", error);
  gint64 version;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      tp_store_set_error (self, error, rc, "Reading the data version");
      sqlite3_reset (stmt);
      return -1;
    }
  /* data_version moves with other connections' commits, total_changes with this one's own:
   * both only grow, and so does their sum. */
  version = sqlite3_column_int64 (stmt, 0) + sqlite3_total_changes64 (self->db);
  sqlite3_reset (stmt);
  return version;
}

gboolean
tp_store_checkpoint (TpStore  *self,
                     GError  **error)
{
  TP_STORE_LOCKED (self);
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      tp_store_set_error (self, error, rc, "Checkpointing the database");
      return FALSE;
    }
  return TRUE;
}
