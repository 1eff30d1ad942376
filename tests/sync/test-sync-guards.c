/* test-sync-guards.c: what an attacker would try on sync's inputs: plain http to a host that only
 * looks local, a FIFO or a NUL in the token file, ambiguous sync.json, and a CRM that echoes the
 * token back in its error text. */
#include "tests/tp-test-util.h"
#include "tp-sync-config.h"
#include "tp-sync-secret.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_loopback_only (void)
{
  struct { const char *url; gboolean ok; } cases[] = {
    { "http://127.0.0.1:8080/hook", TRUE },
    { "http://localhost:8080/hook", TRUE },
    { "http://[::1]:8080/hook", TRUE },
    { "http://127.0.0.1.nip.io/hook", FALSE },
    { "http://127.attacker.example/hook", FALSE },
    { "http://10.0.0.5/hook", FALSE },
    { "https://crm.example.com/hook", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpSyncConfig) config = tp_sync_config_new ();
      g_autoptr(GError) error = NULL;

      config->target = g_strdup ("webhook");
      config->url = g_strdup (cases[i].url);
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (tp_sync_config_validate (config, FALSE, &error), ==, cases[i].ok);
      if (!cases[i].ok)
        g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_token_file (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *nul = g_build_filename (dir, "nul", NULL);
  g_autoptr(GError) error = NULL;
  char *secret;

  /* A FIFO is refused at once, not waited on. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  secret = tp_sync_read_secret (fifo, &error);
  g_assert_null (secret);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  /* A NUL would cut the token: refused. */
  g_assert_true (g_file_set_contents (nul, "pat-na1-abcd\0efgh\n", 18, NULL));
  g_assert_cmpint (g_chmod (nul, 0600), ==, 0);
  secret = tp_sync_read_secret (nul, &error);
  g_assert_null (secret);
  g_assert_nonnull (strstr (error->message, "NUL or control byte"));
  tp_test_rmdir (dir);
}

static void
test_strict_config (void)
{
  g_autofree char *dir = tp_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "sync.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSyncConfig) config = NULL;

  g_assert_true (g_file_set_contents (path, "{\"target\": \"hubspot\", \"target\": \"webhook\"}", -1, NULL));
  config = tp_sync_config_load (path, &error);
  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "target: this key appears twice"));
  g_assert_nonnull (strstr (error->message, path));
  tp_test_rmdir (dir);
}

static void
test_redact (void)
{
  g_autofree char *a = tp_sync_redact ("HTTP 401: bad Authorization: Bearer pat-na1-1234-secret in request",
                                       "pat-na1-1234-secret");
  g_autofree char *b = tp_sync_redact ("{\"header\":\"Bearer someone-elses-token\"}", NULL);
  g_autofree char *c = tp_sync_redact ("echo of the token pat-na1-1234-secret alone", "pat-na1-1234-secret");

  g_assert_null (strstr (a, "pat-na1"));
  g_assert_nonnull (strstr (a, "Bearer [redacted] in request"));
  g_assert_null (strstr (b, "someone-elses"));
  g_assert_null (strstr (c, "pat-na1"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/sync/guards/loopback-only", test_loopback_only);
  g_test_add_func ("/touchpoint/sync/guards/token-file", test_token_file);
  g_test_add_func ("/touchpoint/sync/guards/strict-config", test_strict_config);
  g_test_add_func ("/touchpoint/sync/guards/redact", test_redact);
  return g_test_run ();
}
