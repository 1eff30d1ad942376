/* test-staff-cli.c: `touchpoint staff` and `touchpoint pin` as a subprocess: exit codes, the
 * JSON list, PIN files and their permissions, and never a hash in any output. */
#include "tp-staff.h"
#include "tp-pin.h"
#include "tests/tp-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct
{
  char    *dir;
  GString *seen;   /* Everything the program printed, to look for hashes. */
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_assert_nonnull (g_getenv ("TOUCHPOINT_BIN"));
  f->dir = tp_test_mkdtemp ();
  f->seen = g_string_new (NULL);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  /* Whatever the command, no PIN hash ever reaches its output. */
  g_assert_null (strstr (f->seen->str, "$argon2"));
  g_string_free (f->seen, TRUE);
  tp_test_rmdir (f->dir);
  g_free (f->dir);
}

/* Runs `touchpoint ARGS... --data-dir DIR` with stdin_text; returns the exit status. */
static int
run (Fixture     *f,
     const char  *stdin_text,
     char       **out,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;
  int status;

  va_start (args, first);
  for (const char *arg = first; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, f->dir);
  g_ptr_array_add (argv, NULL);
  status = tp_test_run ((const char * const *) argv->pdata, stdin_text, &stdout_text, &stderr_text);
  g_string_append (f->seen, stdout_text);
  g_string_append (f->seen, stderr_text);
  if (status != 0)
    g_test_message ("exit %d: %s", status, stderr_text);
  if (out)
    *out = g_steal_pointer (&stdout_text);
  return status;
}

static TpStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TpStore *store = tp_store_new (f->dir, &error);

  g_assert_no_error (error);
  return store;
}

static void
assert_pin (Fixture    *f,
            const char *name,
            const char *pin)
{
  g_autoptr(TpStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStaffAccount) account = tp_staff_check (store, name, pin, tp_pin_now (), &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
}

/* Parses `staff list --json`, checking its shape: {"staff": [{"name", "role", "locked_until"?}]}. */
static JsonArray *
list_json (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *staff;

  g_assert_cmpint (run (f, NULL, &out, "staff", "list", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  staff = json_object_get_array_member (root, "staff");
  g_assert_nonnull (staff);
  for (guint i = 0; i < json_array_get_length (staff); i++)
    {
      JsonObject *account = json_array_get_object_element (staff, i);
      g_autoptr(GList) members = json_object_get_members (account);

      for (GList *l = members; l; l = l->next)
        g_assert_true (g_strv_contains ((const char * const[]) { "name", "role", "locked_until", NULL }, l->data));
      g_assert_nonnull (json_object_get_string_member (account, "name"));
      g_assert_true (g_strv_contains ((const char * const[]) { "staff", "admin", NULL },
                                      json_object_get_string_member (account, "role")));
    }
  return json_array_ref (staff);
}

static void
test_add_list_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonArray) staff = NULL;

  /* No account yet: an empty list, not an error. */
  staff = list_json (f);
  g_assert_cmpuint (json_array_get_length (staff), ==, 0);
  g_clear_pointer (&staff, json_array_unref);

  /* The first account must be an admin. */
  g_assert_cmpint (run (f, "1111\n", NULL, "staff", "add", "Lee", "--role", "staff", NULL), ==, 1);
  g_assert_cmpint (run (f, "2222\n2222\n", &out, "staff", "add", "Kim", "--role", "admin", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Kim"));
  g_assert_cmpint (run (f, "1111\n", NULL, "staff", "add", " Lee ", "--role", "staff", NULL), ==, 0);
  g_assert_cmpint (run (f, "3333\n", NULL, "staff", "add", "하늘", "--role", "staff", NULL), ==, 0);
  /* Names are unique whatever their case. */
  g_assert_cmpint (run (f, "4444\n", NULL, "staff", "add", "KIM", "--role", "staff", NULL), ==, 1);

  staff = list_json (f);
  g_assert_cmpuint (json_array_get_length (staff), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 0), "name"), ==, "Kim");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 0), "role"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 1), "name"), ==, "Lee");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 1), "role"), ==, "staff");
  g_assert_false (json_object_has_member (json_array_get_object_element (staff, 1), "locked_until"));
  g_clear_pointer (&staff, json_array_unref);
  assert_pin (f, "Lee", "1111");

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (f, NULL, &out, "staff", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Kim\tadmin\n"));
  g_assert_nonnull (strstr (out, "하늘\tstaff\n"));

  /* The last admin stays; unknown names are refused; others go. */
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "kim", NULL), ==, 1);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "Nobody", NULL), ==, 1);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "LEE", NULL), ==, 0);
  staff = list_json (f);
  g_assert_cmpuint (json_array_get_length (staff), ==, 2);

  /* Roles and PINs of others, by the OS user. */
  g_assert_cmpint (run (f, NULL, NULL, "staff", "set-role", "kim", "--role", "staff", NULL), ==, 1);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "set-role", "하늘", "--role", "admin", NULL), ==, 0);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "Kim", NULL), ==, 0);
  g_assert_cmpint (run (f, "97531\n", NULL, "staff", "set-pin", "하늘", NULL), ==, 0);
  assert_pin (f, "하늘", "97531");
  g_assert_cmpint (run (f, "97531\n", NULL, "staff", "set-pin", "Kim", NULL), ==, 1);
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (41, 'x');

  /* Usage. */
  g_assert_cmpint (run (f, NULL, NULL, "staff", NULL), ==, 2);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "promote", "Kim", NULL), ==, 2);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "Kim", NULL), ==, 2);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "Kim", "--role", "root", NULL), ==, 2);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "--role", "admin", NULL), ==, 2);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "Kim", "Lee", "--role", "admin", NULL), ==, 2);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "Kim", "--role", "admin", "--json", NULL), ==, 2);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "list", "Kim", NULL), ==, 2);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "Kim", "--role", "admin", NULL), ==, 2);

  /* Bad input: the name, the PIN, PINs that differ, no PIN at all. */
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", long_name, "--role", "admin", NULL), ==, 65);
  g_assert_cmpint (run (f, "1234\n", NULL, "staff", "add", "Ki\tm", "--role", "admin", NULL), ==, 65);
  g_assert_cmpint (run (f, "12\n", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 65);
  g_assert_cmpint (run (f, "12a4\n", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 65);
  g_assert_cmpint (run (f, "1234\n4321\n", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 65);
  g_assert_cmpint (run (f, "", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 65);
  {
    g_autoptr(TpStore) store = open_store (f);

    g_assert_cmpint (tp_staff_count (store, NULL), ==, 0);
  }

  /* Storage: a data folder that is a file. */
  {
    g_autofree char *file = g_build_filename (f->dir, "not-a-folder", NULL);
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { "staff", "list", "--data-dir", file, NULL };

    g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    g_assert_cmpint (tp_test_run (argv, NULL, &out, &err), ==, 74);
  }
}

static char *
write_pin_file (Fixture    *f,
                const char *name,
                const char *contents,
                int         mode)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

static void
test_pin_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *open_to_all = write_pin_file (f, "pin-644", "2468\n", 0644);
  g_autofree char *group = write_pin_file (f, "pin-640", "2468\n", 0640);
  g_autofree char *bad = write_pin_file (f, "pin-bad", "24\n", 0600);
  g_autofree char *good = write_pin_file (f, "pin-600", "2468\nnot the PIN\n", 0600);
  g_autofree char *fifo = g_build_filename (f->dir, "pin-fifo", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "pin-missing", NULL);
  g_autofree char *out = NULL;

  /* Readable by others, not a regular file (a FIFO must not hang it), missing, or no valid PIN:
   * refused as bad input, and nothing added. */
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", open_to_all, NULL), ==, 65);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", group, NULL), ==, 65);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", bad, NULL), ==, 65);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", missing, NULL), ==, 65);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", f->dir, NULL), ==, 65);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "add", "Kim", "--role", "admin", "--pin-file", fifo, NULL), ==, 65);
  {
    g_autoptr(TpStore) store = open_store (f);

    g_assert_cmpint (tp_staff_count (store, NULL), ==, 0);
  }

  /* 0600: its first line is the PIN; standard input is not read. */
  g_assert_cmpint (run (f, "1111\n", &out, "staff", "add", "Kim", "--role", "admin", "--pin-file", good, NULL), ==, 0);
  assert_pin (f, "Kim", "2468");
  g_assert_cmpint (run (f, NULL, NULL, "staff", "set-pin", "Kim", "--pin-file", open_to_all, NULL), ==, 65);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "list", "--pin-file", good, NULL), ==, 2);
}

static void
test_locked_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonArray) staff = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *out = NULL;
  JsonObject *lee;
  gint64 now = tp_pin_now ();

  g_assert_cmpint (run (f, "2222\n", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 0);
  g_assert_cmpint (run (f, "1111\n", NULL, "staff", "add", "Lee", "--role", "staff", NULL), ==, 0);
  {
    g_autoptr(TpStore) store = open_store (f);

    for (guint i = 0; i < TP_PIN_TRIES; i++)
      g_assert_null (tp_staff_check (store, "Lee", "0000", now, NULL));
  }

  staff = list_json (f);
  g_assert_false (json_object_has_member (json_array_get_object_element (staff, 0), "locked_until"));
  lee = json_array_get_object_element (staff, 1);
  g_assert_cmpstr (json_object_get_string_member (lee, "name"), ==, "Lee");
  /* UTC ISO 8601, when the lock ends. */
  until = g_date_time_new_from_iso8601 (json_object_get_string_member (lee, "locked_until"), NULL);
  g_assert_nonnull (until);
  g_assert_cmpint (g_date_time_to_unix (until), ==, now + tp_pin_lock_seconds (1));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (lee, "locked_until"), "Z"));

  g_assert_cmpint (run (f, NULL, &out, "staff", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Lee\tstaff\tlocked for"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (f, NULL, &out, "pin", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Lee (staff): locked for"));
  g_assert_nonnull (strstr (out, "Kim (admin): 5 wrong tries"));

  /* A new PIN lifts the lock. */
  g_assert_cmpint (run (f, "3333\n", NULL, "staff", "set-pin", "lee", NULL), ==, 0);
  g_clear_pointer (&staff, json_array_unref);
  staff = list_json (f);
  g_assert_false (json_object_has_member (json_array_get_object_element (staff, 1), "locked_until"));
}

/* `pin set` is the PIN of the account "admin": made when there is none, refused when other
 * accounts exist without it. */
static void
test_pin_set (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonArray) staff = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run (f, NULL, NULL, "pin", "status", NULL), ==, 1);
  g_assert_cmpint (run (f, "2468\n", NULL, "pin", "set", NULL), ==, 0);
  staff = list_json (f);
  g_assert_cmpuint (json_array_get_length (staff), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 0), "name"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (staff, 0), "role"), ==, "admin");
  assert_pin (f, "admin", "2468");
  g_assert_cmpint (run (f, "1357\n", NULL, "pin", "set", NULL), ==, 0);
  assert_pin (f, "admin", "1357");
  g_assert_cmpint (run (f, NULL, &out, "pin", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "is set"));

  g_assert_cmpint (run (f, "1111\n", NULL, "staff", "add", "Kim", "--role", "admin", NULL), ==, 0);
  g_assert_cmpint (run (f, NULL, NULL, "staff", "remove", "admin", NULL), ==, 0);
  g_assert_cmpint (run (f, "1357\n", NULL, "pin", "set", NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/touchpoint/cli/staff/" path, Fixture, NULL, set_up, func, tear_down)
  ADD ("add-list-remove", test_add_list_remove);
  ADD ("exit-codes", test_exit_codes);
  ADD ("pin-file", test_pin_file);
  ADD ("locked-json", test_locked_json);
  ADD ("pin-set", test_pin_set);
#undef ADD
  return g_test_run ();
}
