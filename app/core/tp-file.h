/* tp-file.h: reading the files people hand Touchpoint (event definitions, submissions,
 * settings, tokens) without hanging on a FIFO or reading a device until memory runs out. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TP_FILE_ERROR (tp_file_error_quark ())
GQuark tp_file_error_quark (void);

typedef enum
{
  TP_FILE_ERROR_INVALID,  /* Missing, not a regular file, or larger than allowed: bad input. */
  TP_FILE_ERROR_IO,       /* The disk or the pipe failed while reading: not the input's fault. */
} TpFileError;

/* A submission, an event file or sync.json is a few KiB; this is plenty and still small. */
#define TP_FILE_MAX_INPUT (4 * 1024 * 1024)

/* Reads the regular file at path, at most max_size bytes, NUL-terminated; a FIFO, a device or
 * a folder is refused before anything blocks. Messages name the file as what ("the event
 * file /etc/touchpoint/event.json"). */
gboolean tp_file_read_regular (const char  *path,
                               gsize        max_size,
                               char       **contents,
                               gsize       *length,
                               GError     **error);
/* Reads everything from the file descriptor (standard input: a pipe or a file), at most
 * max_size bytes, NUL-terminated. */
gboolean tp_file_read_fd      (int          fd,
                               const char  *name,
                               gsize        max_size,
                               char       **contents,
                               gsize       *length,
                               GError     **error);

/* A file written beside its final path (0600) and renamed over it only once complete and on
 * disk: a failure, a full disk or a crash leaves the previous file as it was and no part of the
 * new one. An existing target that is not a regular file (a device, a FIFO, a folder) is
 * refused: a rename would replace /dev/null itself. */
typedef struct _TpAtomicFile TpAtomicFile;

TpAtomicFile  *tp_atomic_file_new     (const char    *path,
                                       GError       **error);
GOutputStream *tp_atomic_file_get_stream (TpAtomicFile *self);
/* The temporary file's path, for a writer that opens files by name (libxlsxwriter). */
const char    *tp_atomic_file_get_temp_path (TpAtomicFile *self);
/* Flushes, fsyncs, renames into place and fsyncs the folder. */
gboolean       tp_atomic_file_commit  (TpAtomicFile  *self,
                                       GError       **error);
/* Removes the temporary file unless committed. */
void           tp_atomic_file_free    (TpAtomicFile  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAtomicFile, tp_atomic_file_free)

G_END_DECLS
