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
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
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
  /* O_NONBLOCK kept a FIFO from hanging the open; a regular file reads as usual without it. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  data = g_malloc0 (st.st_size + 1);
  while (n < st.st_size && (got = read (fd, data + n, st.st_size - n)) > 0)
    n += got;
  close (fd);
  data[n] = '\0';
  /* A NUL would cut the token short where C strings end; other control bytes are no token. */
  for (gssize i = 0; i < n; i++)
    if ((guchar) data[i] < 0x20 && data[i] != '\n' && data[i] != '\r' && data[i] != '\t' && data[i] != ' ')
      {
        tp_sync_secret_free (data);
        g_set_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_TOKEN,
                     "the token file %s holds a NUL or control byte (at byte %" G_GSSIZE_FORMAT "): "
                     "put only the token in it", path, i);
        return NULL;
      }
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

char *
tp_sync_redact (const char *text,
                const char *secret)
{
  g_autoptr(GString) out = NULL;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  /* The token itself, wherever a CRM echoed it (an Authorization header quoted in an error). */
  if (secret && strlen (secret) >= 4)
    g_string_replace (out, secret, "[redacted]", 0);
  /* Any bearer credential, ours or not: "Bearer " and what follows up to a space or quote. */
  for (p = out->str; (p = g_strstr_len (p, -1, "earer ")) != NULL; )
    {
      gsize start = p - out->str + 6;
      gsize end = start;

      if (start < 7 || (out->str[start - 7] != 'B' && out->str[start - 7] != 'b'))
        {
          p += 6;
          continue;
        }
      while (end < out->len && !g_ascii_isspace (out->str[end]) && !strchr ("\"',;}", out->str[end]))
        end++;
      if (end > start && !g_str_has_prefix (out->str + start, "[redacted]"))
        {
          g_string_erase (out, start, end - start);
          g_string_insert (out, start, "[redacted]");
        }
      p = out->str + start + strlen ("[redacted]");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
