/* tp-file.c: reading the files people hand Touchpoint, refusing FIFOs, devices and huge input
 * before anything blocks or fills memory. */
#define G_LOG_DOMAIN "tp-file"

#include "tp-file.h"

#include <errno.h>
#include <fcntl.h>
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
