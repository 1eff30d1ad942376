/* tp-sync-secret.c: reading token files that only their owner may read; signing webhook bodies. */
#define G_LOG_DOMAIN "tp-sync"

#include "tp-sync-secret.h"
#include "tp-sync-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
tp_sync_read_secret (const char  *path,
                     GError     **error)
{
  struct stat st;
  char *data;
  gssize n = 0, got;
  int fd;

  /* A link is followed (secrets often live under /run/credentials or a mounted folder): the
   * checks below apply to the file it reaches. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "cannot read the token file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "the token file %s is not a regular file", path);
      return NULL;
    }
  if (st.st_mode & 077)
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN,
                   "the token file %s can be read by other users (mode %04o); run `chmod 600 %s` first",
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (st.st_size > 64 * 1024)
    {
      close (fd);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN, "the token file %s is too big to hold a token", path);
      return NULL;
    }
  data = g_malloc0 (st.st_size + 1);
  while (n < st.st_size && (got = read (fd, data + n, st.st_size - n)) > 0)
    n += got;
  close (fd);
  data[n] = '\0';
  while (n > 0 && g_ascii_isspace (data[n - 1]))
    data[--n] = '\0';
  if (n == 0 || strpbrk (data, "\r\n") != NULL)
    {
      tp_sync_secret_free (data);
      g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN,
                   n == 0 ? "the token file %s is empty: put the token in it, on one line"
                          : "the token file %s must hold the token on one line", path);
      return NULL;
    }
  return data;
}

void
tp_sync_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

char *
tp_sync_sign (const char *secret,
              GBytes     *body)
{
  gsize size = 0;
  const guchar *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                                  data ? data : (const guchar *) "", size);

  return g_strconcat ("sha256=", hex, NULL);
}
