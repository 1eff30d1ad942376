/* fuzz-replay.c: runs a fuzz harness as a test: every seed of its corpus, then deterministic
 * mutations of each (bit flips, JSON and vCard punctuation, cuts and copies), so that the suite
 * covers hostile input on every run without clang. */
#include "fuzz.h"
#include "fuzz-mutate.h"

#include <gio/gio.h>
#include <string.h>

static void
test_replay (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", fuzz_name, NULL);
  g_autoptr(GDir) corpus = g_dir_open (dir, 0, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  const char *name;
  guint seeds = 0;

  g_assert_nonnull (corpus);
  while ((name = g_dir_read_name (corpus)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *seed = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &seed, &length, NULL));
      LLVMFuzzerTestOneInput ((const uint8_t *) seed, length);
      for (guint i = 0; i < fuzz_rounds; i++)
        {
          g_autoptr(GString) bytes = g_string_new_len (seed, length);
          guint edits = g_rand_int_range (rand, 1, 6);

          for (guint e = 0; e < edits; e++)
            fuzz_mutate (bytes, rand);
          LLVMFuzzerTestOneInput ((const uint8_t *) bytes->str, bytes->len);
        }
      seeds++;
    }
  g_test_message ("%u seeds, %u mutations each", seeds, fuzz_rounds);
  g_assert_cmpuint (seeds, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);
  path = g_strdup_printf ("/touchpoint/fuzz/%s", fuzz_name);
  g_test_add_func (path, test_replay);
  return g_test_run ();
}
