/* tp-store-draw.c: prize draws: the entries, a recorded round, unclaimed prizes, exclusions. */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-draw.h"
#include "tp-audit.h"
#include "tp-draw.h"
#include "tp-store-private.h"

#include <sodium.h>
#include <string.h>

void
tp_draw_round_free (TpDrawRound *round)
{
  if (round == NULL)
    return;
  g_free (round->prize_id);
  g_free (round->event_id);
  g_free (round->at);
  g_free (round->actor);
  g_free (round->kiosk_id);
  g_strfreev (round->entries);
  g_free (round->fingerprint);
  g_free (round->commitment);
  g_free (round->seed);
  g_strfreev (round->winners);
  g_strfreev (round->unclaimed);
  g_free (round);
}

static char **
split_ids (const char *text)
{
  return text && *text ? g_strsplit (text, " ", -1) : g_new0 (char *, 1);
}

/* The UUIDs that won before: of this prize, or of any when the prize allows no other win. */
static GHashTable *
earlier_winners (TpStore       *self,
                 const TpPrize *prize,
                 GError       **error)
{
  g_autoptr(GHashTable) won = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tp_store_prepare (self, "SELECT prize_id, winners FROM draws", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GStrv) ids = NULL;

      if (prize->several_prizes && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), prize->id) != 0)
        continue;
      ids = split_ids ((const char *) sqlite3_column_text (stmt, 1));
      for (guint i = 0; ids[i]; i++)
        g_hash_table_add (won, g_strdup (ids[i]));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Reading earlier draws");
      return NULL;
    }
  return g_steal_pointer (&won);
}

typedef struct
{
  char     *uuid;
  char     *person;    /* casefolded email, else phone, else the UUID */
  gboolean  eligible;
} Entrant;

static void
entrant_free (Entrant *e)
{
  g_free (e->uuid);
  g_free (e->person);
  g_free (e);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
tp_store_draw_entries (TpStore        *self,
                       TpEvent        *event,
                       const TpPrize  *prize,
                       GError        **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GHashTable) won = NULL;
  g_autoptr(GHashTable) won_people = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_people = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) email_fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) phone_fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) entrants = g_ptr_array_new_with_free_func ((GDestroyNotify) entrant_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_auto(GStrv) result = NULL;
  sqlite3_stmt *stmt;
  Entrant *current = NULL;
  char *email = NULL, *phone = NULL;
  g_autofree char *contact_ids = NULL;
  gint64 current_id = -1;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  for (guint i = 0; i < event->fields->len; i++)
    {
      TpField *f = event->fields->pdata[i];

      if (f->type == TP_FIELD_EMAIL)
        g_hash_table_add (email_fields, f->id);
      else if (f->type == TP_FIELD_PHONE)
        g_hash_table_add (phone_fields, f->id);
    }
  if (!(won = earlier_winners (self, prize, error)))
    return NULL;
  {
    g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
    g_autoptr(JsonNode) node = NULL;
    GHashTableIter iter;
    gpointer key;

    json_builder_begin_array (b);
    g_hash_table_iter_init (&iter, email_fields);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      json_builder_add_string_value (b, key);
    g_hash_table_iter_init (&iter, phone_fields);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      json_builder_add_string_value (b, key);
    json_builder_end_array (b);
    node = json_builder_get_root (b);
    contact_ids = json_to_string (node, FALSE);
  }

  /* Each lead with its contact fields; whether it may enter, by consent and exclusion. */
  stmt = tp_store_prepare (self,
                           "SELECT l.id, l.uuid, p.field_id, p.value, "
                           " l.erased_at IS NULL AND l.event_id = ?1 "
                           " AND NOT EXISTS (SELECT 1 FROM draw_excluded x WHERE x.lead_id = l.id) "
                           " AND (?2 IS NULL OR (SELECT granted FROM consents c WHERE c.lead_id = l.id "
                           "      AND c.purpose = ?2 ORDER BY c.id DESC LIMIT 1) = 1) "
                           "FROM leads l LEFT JOIN lead_pii p ON p.lead_id = l.id "
                           " AND p.field_id IN (SELECT value FROM json_each (?3)) ORDER BY l.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, event->id, -1, SQLITE_STATIC);
  if (prize->requires_consent)
    sqlite3_bind_text (stmt, 2, prize->requires_consent, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  /* Only the contact fields tell people apart: the rest of the personal data is not read. */
  sqlite3_bind_text (stmt, 3, contact_ids, -1, SQLITE_STATIC);
  for (;;)
    {
      rc = sqlite3_step (stmt);
      if (current && (rc != SQLITE_ROW || sqlite3_column_int64 (stmt, 0) != current_id))
        {
          /* Addresses are stored with the domain in lower case; people type the rest either way. */
          current->person = email ? g_ascii_strdown (email, -1) : phone ? g_strdup (phone) : g_strdup (current->uuid);
          g_clear_pointer (&email, g_free);
          g_clear_pointer (&phone, g_free);
          g_ptr_array_add (entrants, current);
          current = NULL;
        }
      if (rc != SQLITE_ROW)
        break;
      if (current == NULL)
        {
          current = g_new0 (Entrant, 1);
          current_id = sqlite3_column_int64 (stmt, 0);
          current->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          current->eligible = sqlite3_column_int (stmt, 4);
        }
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        {
          const char *field = (const char *) sqlite3_column_text (stmt, 2);
          const char *value = (const char *) sqlite3_column_text (stmt, 3);

          if (email == NULL && g_hash_table_contains (email_fields, field) && value && *value)
            email = g_strdup (value);
          else if (phone == NULL && g_hash_table_contains (phone_fields, field) && value && *value)
            phone = g_strdup (value);
        }
    }
  sqlite3_reset (stmt);
  g_free (email);
  g_free (phone);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Reading the entries of a draw");
      return NULL;
    }

  /* A person who won before is out with every lead of theirs; each other person enters once. */
  for (guint i = 0; i < entrants->len; i++)
    {
      Entrant *e = entrants->pdata[i];

      if (g_hash_table_contains (won, e->uuid))
        g_hash_table_add (won_people, e->person);
    }
  for (guint i = 0; i < entrants->len; i++)
    {
      Entrant *e = entrants->pdata[i];

      if (!e->eligible || g_hash_table_contains (won_people, e->person) || g_hash_table_contains (seen_people, e->person))
        continue;
      g_hash_table_add (seen_people, e->person);
      g_ptr_array_add (entries, g_strdup (e->uuid));
    }
  g_ptr_array_sort (entries, compare_strings);
  g_ptr_array_add (entries, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&entries), FALSE);
}

static TpDrawRound *
round_from_row (sqlite3_stmt *stmt)
{
  TpDrawRound *r = g_new0 (TpDrawRound, 1);

  r->round = sqlite3_column_int64 (stmt, 0);
  r->prize_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  r->event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  r->at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  r->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  r->kiosk_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  r->entries = split_ids ((const char *) sqlite3_column_text (stmt, 6));
  r->fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  r->commitment = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  r->seed = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  r->wanted = sqlite3_column_int (stmt, 10);
  r->winners = split_ids ((const char *) sqlite3_column_text (stmt, 11));
  r->replaces = sqlite3_column_int64 (stmt, 12);
  r->unclaimed = split_ids ((const char *) sqlite3_column_text (stmt, 13));
  return r;
}

#define ROUND_COLUMNS "d.round, d.prize_id, d.event_id, d.at, d.actor, d.kiosk_id, d.entries, d.fingerprint, " \
                      "d.commitment, d.seed, d.wanted, d.winners, coalesce (d.replaces, 0), " \
                      "(SELECT group_concat (lead_uuid, ' ') FROM draw_unclaimed u WHERE u.round = d.round) "

TpDrawRound *
tp_store_draw_get (TpStore  *self,
                   gint64    round,
                   GError  **error)
{
  TP_STORE_LOCKED (self);
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT " ROUND_COLUMNS "FROM draws d WHERE d.round = ?1", error);
  TpDrawRound *r = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, round);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    r = round_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "There is no draw round %" G_GINT64_FORMAT, round);
  else if (rc != SQLITE_ROW)
    tp_store_set_error (self, error, rc, "Reading a draw");
  return r;
}

GPtrArray *
tp_store_draw_list (TpStore  *self,
                    GError  **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_draw_round_free);
  sqlite3_stmt *stmt = tp_store_prepare (self, "SELECT " ROUND_COLUMNS "FROM draws d ORDER BY d.round", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rounds, round_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tp_store_set_error (self, error, rc, "Reading the draws");
      return NULL;
    }
  return g_steal_pointer (&rounds);
}

TpDrawRound *
tp_store_draw (TpStore     *self,
               TpEvent     *event,
               const char  *prize_id,
               guint        winners,
               gint64       replaces,
               const char  *actor,
               GError     **error)
{
  TP_STORE_LOCKED (self);
  const TpPrize *prize = NULL;
  g_auto(GStrv) entries = NULL;
  g_auto(GStrv) picked = NULL;
  g_autofree char *fingerprint = NULL, *commitment = NULL, *seed_hex = NULL, *at = NULL;
  g_autofree char *joined_entries = NULL, *joined_winners = NULL, *detail = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint8 seed[32];
  sqlite3_stmt *stmt;
  gint64 round;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  for (guint i = 0; i < event->prizes->len; i++)
    if (g_str_equal (((TpPrize *) event->prizes->pdata[i])->id, prize_id))
      prize = event->prizes->pdata[i];
  if (prize == NULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "The event %s has no prize \"%s\"", event->id,
                   prize_id);
      return NULL;
    }
  if (winners == 0)
    winners = prize->winners_per_round;

  if (!tp_store_begin (self, "Drawing winners", error))
    return NULL;
  if (!(entries = tp_store_draw_entries (self, event, prize, error)))
    {
      tp_store_rollback (self);
      return NULL;
    }
  if (entries[0] == NULL)
    {
      tp_store_rollback (self);
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND,
                   "No eligible entry is left for \"%s\": every visitor who may enter has won already", prize_id);
      return NULL;
    }
  /* The entries are frozen and fingerprinted, the seed committed to, then the winners drawn. */
  fingerprint = tp_draw_fingerprint ((const char * const *) entries);
  randombytes_buf (seed, sizeof seed);
  commitment = g_compute_checksum_for_data (G_CHECKSUM_SHA256, seed, sizeof seed);
  seed_hex = g_malloc (sizeof seed * 2 + 1);
  sodium_bin2hex (seed_hex, sizeof seed * 2 + 1, seed, sizeof seed);
  picked = tp_draw_pick (seed, prize_id, (const char * const *) entries, winners);
  sodium_memzero (seed, sizeof seed);
  joined_entries = g_strjoinv (" ", entries);
  joined_winners = g_strjoinv (" ", picked);
  at = tp_store_timestamp (now);

  stmt = tp_store_prepare (self, "INSERT INTO draws (prize_id, event_id, at, actor, kiosk_id, entries, entry_count, "
                                 "fingerprint, commitment, seed, wanted, winners, replaces) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error);
  if (stmt == NULL)
    {
      tp_store_rollback (self);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, prize_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tp_store_get_kiosk_id (self), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, joined_entries, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_strv_length (entries));
  sqlite3_bind_text (stmt, 8, fingerprint, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, commitment, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, seed_hex, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, winners);
  sqlite3_bind_text (stmt, 12, joined_winners, -1, SQLITE_STATIC);
  if (replaces > 0)
    sqlite3_bind_int64 (stmt, 13, replaces);
  else
    sqlite3_bind_null (stmt, 13);
  if (!tp_store_step_done (self, stmt, "Recording the draw", error))
    {
      tp_store_rollback (self);
      return NULL;
    }
  round = sqlite3_last_insert_rowid (tp_store_get_db (self));
  detail = g_strdup_printf ("round %" G_GINT64_FORMAT " of %s, %u entries%s", round, prize_id, g_strv_length (entries),
                            replaces > 0 ? ", replacing an unclaimed prize" : "");
  if (!tp_audit_append (self, actor, TP_AUDIT_DRAW, (const char * const *) picked, detail, error) ||
      !tp_store_commit (self, "Recording the draw", error))
    {
      tp_store_rollback (self);
      return NULL;
    }
  return tp_store_draw_get (self, round, error);
}

gboolean
tp_draw_round_verify (TpDrawRound  *round,
                      GError      **error)
{
  g_autofree char *fingerprint = tp_draw_fingerprint ((const char * const *) round->entries);
  g_autofree char *commitment = NULL;
  g_auto(GStrv) winners = NULL;
  guint8 seed[32];
  gsize length = 0;

  for (guint i = 1; round->entries[0] && round->entries[i]; i++)
    if (strcmp (round->entries[i - 1], round->entries[i]) >= 0)
      {
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                     "round %" G_GINT64_FORMAT ": the entries are not in order", round->round);
        return FALSE;
      }
  if (g_strcmp0 (fingerprint, round->fingerprint) != 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                   "round %" G_GINT64_FORMAT ": the entries do not match the fingerprint shown at the draw",
                   round->round);
      return FALSE;
    }
  if (strlen (round->seed) != 64 ||
      sodium_hex2bin (seed, sizeof seed, round->seed, 64, NULL, &length, NULL) != 0 || length != sizeof seed)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT, "round %" G_GINT64_FORMAT ": the seed is not 64 "
                   "hexadecimal digits", round->round);
      return FALSE;
    }
  commitment = g_compute_checksum_for_data (G_CHECKSUM_SHA256, seed, sizeof seed);
  if (g_strcmp0 (commitment, round->commitment) != 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                   "round %" G_GINT64_FORMAT ": the seed does not match the commitment shown before the draw",
                   round->round);
      return FALSE;
    }
  winners = tp_draw_pick (seed, round->prize_id, (const char * const *) round->entries, round->wanted);
  if (!g_strv_equal ((const char * const *) winners, (const char * const *) round->winners))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_CORRUPT,
                   "round %" G_GINT64_FORMAT ": the recorded winners are not the ones the seed picks", round->round);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_store_draw_unclaimed (TpStore     *self,
                         gint64       round,
                         const char  *lead_id,
                         const char  *actor,
                         GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(TpDrawRound) r = tp_store_draw_get (self, round, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = tp_store_timestamp (now);
  g_autofree char *detail = g_strdup_printf ("round %" G_GINT64_FORMAT ": prize unclaimed", round);
  const char *leads[] = { lead_id, NULL };
  sqlite3_stmt *stmt;

  if (r == NULL)
    return FALSE;
  if (!g_strv_contains ((const char * const *) r->winners, lead_id))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "Lead %s did not win round %" G_GINT64_FORMAT,
                   lead_id, round);
      return FALSE;
    }
  if (!tp_store_begin (self, "Marking a prize unclaimed", error))
    return FALSE;
  stmt = tp_store_prepare (self, "INSERT OR IGNORE INTO draw_unclaimed (round, lead_uuid, at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    {
      tp_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, round);
  sqlite3_bind_text (stmt, 2, lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_STATIC);
  if (!tp_store_step_done (self, stmt, "Marking a prize unclaimed", error) ||
      !tp_audit_append (self, actor, TP_AUDIT_DRAW, leads, detail, error) ||
      !tp_store_commit (self, "Marking a prize unclaimed", error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_store_draw_exclude (TpStore     *self,
                       const char  *lead_id,
                       const char  *reason,
                       const char  *actor,
                       GError     **error)
{
  TP_STORE_LOCKED (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = tp_store_timestamp (now);
  g_autofree char *detail = g_strdup_printf ("kept out of draws: %s", reason);
  const char *leads[] = { lead_id, NULL };
  sqlite3_stmt *stmt;

  if (!tp_store_begin (self, "Keeping a lead out of draws", error))
    return FALSE;
  stmt = tp_store_prepare (self, "INSERT OR REPLACE INTO draw_excluded (lead_id, reason, at) "
                                 "SELECT id, ?2, ?3 FROM leads WHERE uuid = ?1", error);
  if (stmt == NULL)
    {
      tp_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_STATIC);
  if (!tp_store_step_done (self, stmt, "Keeping a lead out of draws", error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  if (sqlite3_changes (tp_store_get_db (self)) == 0)
    {
      tp_store_rollback (self);
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND, "No lead has the id %s", lead_id);
      return FALSE;
    }
  if (!tp_audit_append (self, actor, TP_AUDIT_DRAW, leads, detail, error) ||
      !tp_store_commit (self, "Keeping a lead out of draws", error))
    {
      tp_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}
