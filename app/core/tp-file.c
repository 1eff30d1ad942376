/* tp-file.c: reading the files people hand Touchpoint, refusing FIFOs, devices and huge input
 * before anything blocks or fills memory. */
#define G_LOG_DOMAIN "tp-file"

#include "tp-file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (tp-file-error-quark, tp_file_error)

static char *
format_size (gsize size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

static gboolean
read_all (int          fd,
          const char  *name,
          gsize        max_size,
          char       **contents,
          gsize       *length,
          GError     **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[65536];

  for (;;)
    {
      ssize_t n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, TP_FILE_ERROR, TP_FILE_ERROR_IO, "cannot read %s: %s", name, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > max_size)
        {
          g_autofree char *limit = format_size (max_size);

          g_set_error (error, TP_FILE_ERROR, TP_FILE_ERROR_INVALID, "%s is larger than %s: not what it should be",
                       name, limit);
          return FALSE;
        }
      g_byte_array_append (buffer, chunk, n);
    }
  *length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  *contents = (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
  return TRUE;
}

gboolean
tp_file_read_regular (const char  *path,
                      gsize        max_size,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  struct stat st;
  gboolean ok;
  int fd, flags;

  g_return_val_if_fail (path != NULL, FALSE);

  /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TP_FILE_ERROR, saved == EIO ? TP_FILE_ERROR_IO : TP_FILE_ERROR_INVALID,
                   "cannot open %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, TP_FILE_ERROR, TP_FILE_ERROR_IO, "cannot read %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TP_FILE_ERROR, TP_FILE_ERROR_INVALID, "%s is not a regular file (%s)", path,
                   S_ISDIR (st.st_mode) ? "a folder" : S_ISFIFO (st.st_mode) ? "a FIFO"
                   : S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) ? "a device" : "a socket or special file");
      return FALSE;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_autofree char *limit = format_size (max_size);

      close (fd);
      g_set_error (error, TP_FILE_ERROR, TP_FILE_ERROR_INVALID, "%s is larger than %s: not what it should be",
                   path, limit);
      return FALSE;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  ok = read_all (fd, path, max_size, contents, length, error);
  close (fd);
  return ok;
}

gboolean
tp_file_read_fd (int          fd,
                 const char  *name,
                 gsize        max_size,
                 char       **contents,
                 gsize       *length,
                 GError     **error)
{
  return read_all (fd, name, max_size, contents, length, error);
}

struct _TpAtomicFile
{
  char          *path;
  char          *tmp_path;
  GOutputStream *stream;
  int            fd;
  gboolean       committed;
};

TpAtomicFile *
tp_atomic_file_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  struct stat st;
  TpAtomicFile *self;
  int fd;

  if (lstat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISLNK (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s exists and is not a regular file: name a new file or a regular one to replace", path);
      return NULL;
    }
  if (lstat (path, &st) == 0 && S_ISLNK (st.st_mode) && stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s leads to something that is not a regular file: name a regular file", path);
      return NULL;
    }
  /* g_mkstemp_full makes the file 0600 whatever the umask: an export holds personal data. */
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write in the folder of %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  self = g_new0 (TpAtomicFile, 1);
  self->path = g_strdup (path);
  self->tmp_path = g_steal_pointer (&tmp_path);
  self->fd = fd;
  self->stream = g_unix_output_stream_new (fd, FALSE);
  return self;
}

GOutputStream *
tp_atomic_file_get_stream (TpAtomicFile *self)
{
  return self->stream;
}

const char *
tp_atomic_file_get_temp_path (TpAtomicFile *self)
{
  return self->tmp_path;
}

gboolean
tp_atomic_file_commit (TpAtomicFile  *self,
                       GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int dir_fd;

  int fd;

  if (!g_output_stream_flush (self->stream, NULL, error))
    return FALSE;
  /* Synced by name: a writer that opens files itself (libzip) may have put a new file there. */
  fd = open (self->tmp_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync (fd) != 0 || rename (self->tmp_path, self->path) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot finish %s: %s", self->path,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  self->committed = TRUE;
  /* The rename itself reaches the disk only with the folder. */
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

void
tp_atomic_file_free (TpAtomicFile *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  close (self->fd);
  if (!self->committed)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}
