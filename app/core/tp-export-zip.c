/* tp-export-zip.c: an export sealed in an AES-256 zip archive (libzip, WinZip AES), which
 * 7-Zip, Bandizip and Windows tools open with the password: personal data that leaves the
 * kiosk on a USB stick or by mail is encrypted (PIPA security standard, Art. 7). */
#define G_LOG_DOMAIN "tp-export"

#include "tp-export.h"

#include <glib/gstdio.h>
#include <zip.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (zip_t, zip_discard)

gboolean
tp_export_zip (const char  *zip_path,
               const char  *member,
               GBytes      *contents,
               const char  *password,
               GError     **error)
{
  g_autoptr(zip_t) archive = NULL;
  zip_source_t *source;
  zip_error_t zerr;
  zip_int64_t index;
  gsize size;
  const void *data = g_bytes_get_data (contents, &size);
  int code = 0;

  g_return_val_if_fail (password != NULL && *password != '\0', FALSE);

  archive = zip_open (zip_path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (archive == NULL)
    {
      zip_error_init_with_code (&zerr, code);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make the archive %s: %s", zip_path,
                   zip_error_strerror (&zerr));
      zip_error_fini (&zerr);
      return FALSE;
    }
  zip_error_init (&zerr);
  source = zip_source_buffer_create (data, size, 0, &zerr);
  if (source == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot add %s to %s: %s", member, zip_path,
                   zip_error_strerror (&zerr));
      zip_error_fini (&zerr);
      return FALSE;
    }
  index = zip_file_add (archive, member, source, ZIP_FL_ENC_UTF_8);
  if (index < 0)
    {
      zip_source_free (source);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot add %s to %s: %s", member, zip_path,
                   zip_strerror (archive));
      return FALSE;
    }
  if (zip_file_set_encryption (archive, index, ZIP_EM_AES_256, password) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "cannot encrypt %s with AES-256: %s", zip_path,
                   zip_strerror (archive));
      return FALSE;
    }
  if (zip_close (archive) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write the archive %s: %s", zip_path,
                   zip_strerror (archive));
      return FALSE;
    }
  archive = NULL;  /* zip_close freed it. */
  /* libzip writes a file of its own and renames it over zip_path: keep it private too. */
  if (g_chmod (zip_path, 0600) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make %s private", zip_path);
      return FALSE;
    }
  return TRUE;
}
