/* tp-test-util.c: helpers shared by the tests. */
#include "tp-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

char *
tp_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("touchpoint-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_recursive (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                    G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                    NULL, NULL);
  GFileInfo *info;

  while (children && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_recursive (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

void
tp_test_rmdir (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  remove_recursive (file);
}

TpSubmission *
tp_test_demo_submission (void)
{
  TpSubmission *s = tp_submission_new ("ko");
  const char *interests[] = { "green", "teaware", NULL };

  tp_submission_set_field (s, "name", "홍길동");
  tp_submission_set_field (s, "email", "hong@example.com");
  tp_submission_set_field (s, "phone", "010-1234-5678");
  tp_submission_set_consent (s, "privacy", TRUE);
  tp_submission_set_consent (s, "marketing", FALSE);
  s->age_confirmed = TRUE;
  tp_submission_set_answer (s, "visit_reason", tp_answer_new_string ("tasting"));
  tp_submission_set_answer (s, "interests", tp_answer_new_list (interests));
  tp_submission_set_answer (s, "booth_rating", tp_answer_new_number (5));
  tp_submission_set_answer (s, "nps", tp_answer_new_number (10));
  tp_submission_set_answer (s, "wish", tp_answer_new_string ("말차 라떼 클래스"));
  return s;
}

char *
tp_test_demo_submission_json (void)
{
  return g_strdup ("{\"locale\": \"ko\","
                   " \"fields\": {\"name\": \"홍길동\", \"email\": \"hong@example.com\", \"phone\": \"010-1234-5678\"},"
                   " \"consents\": {\"privacy\": true, \"marketing\": false},"
                   " \"age_confirmed\": true,"
                   " \"answers\": {\"visit_reason\": \"tasting\", \"interests\": [\"green\", \"teaware\"],"
                   " \"booth_rating\": 5, \"nps\": 10, \"wish\": \"말차 라떼 클래스\"}}");
}

int
tp_test_run (const char * const *argv,
             const char         *stdin_text,
             char              **out,
             char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL, *e = NULL;

  g_ptr_array_add (args, (gpointer) g_getenv ("TOUCHPOINT_BIN"));
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, stdin_text, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out)
    *out = g_steal_pointer (&o);
  if (err)
    *err = g_steal_pointer (&e);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

void
tp_store_fixture_set_up (TpStoreFixture *f,
                         gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  f->dir = tp_test_mkdtemp ();
  f->store = tp_store_new (f->dir, &error);
  g_assert_no_error (error);
  f->event = tp_event_new_demo ();
}

void
tp_store_fixture_tear_down (TpStoreFixture *f,
                            gconstpointer   data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->event, tp_event_unref);
  tp_test_rmdir (f->dir);
  g_free (f->dir);
}
