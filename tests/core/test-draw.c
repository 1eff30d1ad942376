/* test-draw.c: prize draws: the pick is uniform (chi-square) and bias-free; nobody wins twice;
 * erased, withdrawn and excluded leads never enter; a changed winner, seed or entry fails
 * verification; masks never show a whole name or address. */
#include "tests/tp-test-util.h"
#include "tp-draw.h"
#include "tp-store-consent.h"
#include "tp-store-draw.h"
#include "tp-store-erase.h"

#include <string.h>

typedef TpStoreFixture Fixture;

/* 10,000 rounds of one winner among ten entries, each with its own seed: every entry wins about
 * 1,000 times. Seeds are SHA-256 of the round number, so the figure is the same on every run;
 * the bound is chi-square's for 9 degrees of freedom at p = 0.001. */
static void
test_uniform (void)
{
  const char *entries[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", NULL };
  guint counts[10] = { 0 };
  double chi2 = 0;

  for (guint round = 0; round < 10000; round++)
    {
      guint8 seed[32];
      gsize len = sizeof seed;
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      g_auto(GStrv) won = NULL;

      g_checksum_update (sum, (const guchar *) &round, sizeof round);
      g_checksum_get_digest (sum, seed, &len);
      won = tp_draw_pick (seed, "prize", entries, 1);
      g_assert_cmpuint (g_strv_length (won), ==, 1);
      counts[won[0][0] - 'a']++;
    }
  for (guint i = 0; i < 10; i++)
    chi2 += (counts[i] - 1000.0) * (counts[i] - 1000.0) / 1000.0;
  g_test_message ("chi-square %.2f", chi2);
  g_assert_cmpfloat (chi2, <, 27.88);
}

/* Several winners are distinct; asking for more than there are gives them all. */
static void
test_pick (void)
{
  const char *entries[] = { "a", "b", "c", NULL };
  guint8 seed[32] = { 1, 2, 3 };
  g_auto(GStrv) all = tp_draw_pick (seed, "p", entries, 10);
  g_auto(GStrv) again = tp_draw_pick (seed, "p", entries, 10);

  g_assert_cmpuint (g_strv_length (all), ==, 3);
  g_assert_true (g_strv_equal ((const char * const *) all, (const char * const *) again));
  g_assert_true (g_strv_contains ((const char * const *) all, "a") && g_strv_contains ((const char * const *) all, "b") &&
                 g_strv_contains ((const char * const *) all, "c"));
}

static void
test_masks (void)
{
  struct { char *(*mask) (const char *); const char *in, *out; } cases[] = {
    { tp_draw_mask_name, "홍길동", "홍*동" },
    { tp_draw_mask_name, "남궁민수", "남**수" },
    { tp_draw_mask_name, "김하", "김*" },
    { tp_draw_mask_name, "Jane Doe", "J*** D**" },
    { tp_draw_mask_name, "김", "*" },
    { tp_draw_mask_email, "hong@example.com", "h***@example.com" },
    { tp_draw_mask_email, "하늘@example.com", "하***@example.com" },
    { tp_draw_mask_phone, "+821012345678", "010-****-5678" },
    { tp_draw_mask_phone, "+82212345678", "********5678" },
    { tp_draw_mask_phone, "+447700900123", "*********0123" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cases[i].mask (cases[i].in);

      g_assert_cmpstr (masked, ==, cases[i].out);
    }
}

static char *
capture (Fixture    *f,
         const char *email,
         const char *phone,
         gboolean    marketing)
{
  g_autoptr(TpSubmission) s = tp_test_demo_submission ();
  g_autoptr(TpCapture) c = NULL;
  g_autoptr(GError) error = NULL;

  tp_submission_set_field (s, "email", email);
  tp_submission_set_field (s, "phone", phone);
  tp_submission_set_consent (s, "marketing", marketing);
  c = tp_store_capture (f->store, f->event, s, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (c->lead_id);
}

static void
test_rounds (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) won = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL, *erased = NULL, *excluded = NULL, *withdrawn = NULL;
  const char *gone[2];

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *email = g_strdup_printf ("v%u@example.com", i);
      g_autofree char *phone = g_strdup_printf ("010-3000-%04u", i);

      g_ptr_array_add (leads, capture (f, email, phone, TRUE));
    }
  /* The same person again (same email): one entry. */
  again = capture (f, "V0@example.com", "010-9999-0000", TRUE);
  erased = g_strdup (leads->pdata[1]);
  excluded = g_strdup (leads->pdata[2]);
  withdrawn = g_strdup (leads->pdata[3]);
  gone[0] = erased;
  gone[1] = NULL;
  g_assert_true (tp_store_erase_leads (f->store, gone, "os:test", "test", &error));
  g_assert_true (tp_store_draw_exclude (f->store, excluded, "staff", "os:test", &error));
  gone[0] = withdrawn;
  g_assert_true (tp_store_withdraw_consent (f->store, gone, "marketing", "os:test", NULL, &error));
  g_assert_no_error (error);

  /* The marketing-only prize: 12 people, less the erased, excluded and withdrawn: 9 entries. */
  for (;;)
    {
      g_autoptr(TpDrawRound) r = tp_store_draw (f->store, f->event, "matcha-class", 2, 0, "os:test", &error);

      if (r == NULL)
        {
          g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND);
          g_clear_error (&error);
          break;
        }
      g_assert_true (tp_draw_round_verify (r, &error));
      for (guint i = 0; r->winners[i]; i++)
        {
          g_assert_false (g_hash_table_contains (won, r->winners[i]));
          g_assert_cmpstr (r->winners[i], !=, erased);
          g_assert_cmpstr (r->winners[i], !=, excluded);
          g_assert_cmpstr (r->winners[i], !=, withdrawn);
          g_assert_cmpstr (r->winners[i], !=, again);
          g_hash_table_add (won, g_strdup (r->winners[i]));
        }
    }
  g_assert_cmpuint (g_hash_table_size (won), ==, 9);
  /* Nobody who won the class wins the tea set (it does not allow several prizes): only the
   * visitor who withdrew marketing consent is left, the tea set needing none. */
  {
    g_autoptr(TpDrawRound) r = tp_store_draw (f->store, f->event, "tea-set", 0, 0, "os:test", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (r->entries), ==, 1);
    g_assert_cmpstr (r->winners[0], ==, withdrawn);
  }
  rounds = tp_store_draw_list (f->store, &error);
  g_assert_cmpuint (rounds->len, ==, 6);
}

/* A recorded round that was changed afterwards no longer verifies, whatever was changed. */
static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDrawRound) r = NULL;
  g_autofree char *old = NULL;
  char first;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *email = g_strdup_printf ("w%u@example.com", i);
      g_autofree char *phone = g_strdup_printf ("010-4000-%04u", i);

      g_free (capture (f, email, phone, FALSE));
    }
  r = tp_store_draw (f->store, f->event, "tea-set", 3, 0, "os:test", &error);
  g_assert_no_error (error);
  g_assert_true (tp_draw_round_verify (r, &error));

  /* Another winner. */
  old = r->winners[0];
  r->winners[0] = g_strdup (r->entries[0] == old || g_str_equal (r->entries[0], old) ? r->entries[1] : r->entries[0]);
  g_assert_false (tp_draw_round_verify (r, &error));
  g_assert_nonnull (strstr (error->message, "winners"));
  g_clear_error (&error);
  g_free (r->winners[0]);
  r->winners[0] = g_steal_pointer (&old);
  /* Another seed. */
  first = r->seed[0];
  r->seed[0] = first == 'a' ? 'b' : 'a';
  g_assert_false (tp_draw_round_verify (r, &error));
  g_assert_nonnull (strstr (error->message, "commitment"));
  g_clear_error (&error);
  r->seed[0] = first;
  g_assert_true (tp_draw_round_verify (r, &error));
  /* An entry left out. */
  g_free (r->entries[5]);
  r->entries[5] = g_strdup (r->entries[6]);
  g_assert_false (tp_draw_round_verify (r, &error));
  g_clear_error (&error);
}

#define ADD(path, func) g_test_add (path, Fixture, NULL, tp_store_fixture_set_up, func, tp_store_fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/touchpoint/draw/uniform", test_uniform);
  g_test_add_func ("/touchpoint/draw/pick", test_pick);
  g_test_add_func ("/touchpoint/draw/masks", test_masks);
  ADD ("/touchpoint/draw/rounds", test_rounds);
  ADD ("/touchpoint/draw/verify", test_verify);
  return g_test_run ();
}
