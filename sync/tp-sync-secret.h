/* tp-sync-secret.h: token files (read only when private, wiped after use) and body signatures. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads a token or secret: the file must be a regular file that only its owner can read. The
 * trailing newline is dropped. The result is wiped and freed with tp_sync_secret_free. */
char         *tp_sync_read_secret         (const char    *path,
                                           GError       **error);
void          tp_sync_secret_free         (char          *secret);

/* HMAC-SHA256 of body with secret, as "sha256=<hex>" (X-Touchpoint-Signature). */
char         *tp_sync_sign                (const char    *secret,
                                           GBytes        *body);

/* text with the token and any "Bearer ..." credential replaced by [redacted]: for every CRM
 * text that is printed or stored (a CRM may echo the Authorization header in an error). */
char *tp_sync_redact        (const char  *text,
                             const char  *secret);

G_END_DECLS
