/* tp-store-schema.c: the store's schema, one migration per version (PRAGMA user_version), in
 * the order they run: SQL text, or a function where a step needs code (NULL in the SQL list). */
#define G_LOG_DOMAIN "tp-store"

#include "tp-store-private.h"
#include "tp-staff-private.h"

/* Each entry moves the schema one version up, inside its own transaction. Never edit a
 * released entry: add a new one. */
const char * const tp_store_migrations[TP_STORE_SCHEMA_VERSION] = {
  /* 1: leads, personal data, consent records, answers, tags, outbox. */
  "CREATE TABLE kiosk ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  kiosk_id TEXT NOT NULL,"
  "  kiosk_number INTEGER NOT NULL CHECK (kiosk_number BETWEEN 1 AND 65535),"
  "  next_seq INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE leads ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  event_id TEXT NOT NULL,"
  "  kiosk_id TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  locale TEXT NOT NULL,"
  "  captured_at TEXT NOT NULL,"
  "  offer_id TEXT,"
  "  segment_id TEXT,"
  "  age_confirmed INTEGER NOT NULL,"
  "  erased_at TEXT,"
  "  UNIQUE (kiosk_id, seq));"
  /* Personal data sits apart, reached only through this file, so that it can be encrypted
   * at rest later without touching the rest of the schema. */
  "CREATE TABLE lead_pii ("
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  field_id TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (lead_id, field_id)) WITHOUT ROWID;"
  "CREATE INDEX lead_pii_by_value ON lead_pii (field_id, value);"
  "CREATE TABLE consents ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_id INTEGER NOT NULL REFERENCES leads (id),"
  "  purpose TEXT NOT NULL,"
  "  granted INTEGER NOT NULL CHECK (granted IN (0, 1)),"
  "  version TEXT NOT NULL,"
  "  text_sha256 TEXT NOT NULL,"
  "  locale TEXT NOT NULL,"
  "  recorded_at TEXT NOT NULL);"
  "CREATE INDEX consents_by_lead ON consents (lead_id, purpose);"
  "CREATE TRIGGER consents_append_only BEFORE UPDATE ON consents "
  "BEGIN SELECT RAISE (ABORT, 'consent records are append-only'); END;"
  "CREATE TABLE answers ("
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  question_id TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (lead_id, question_id)) WITHOUT ROWID;"
  "CREATE TABLE tags ("
  "  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL,"
  "  PRIMARY KEY (lead_id, tag)) WITHOUT ROWID;"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  lead_id INTEGER NOT NULL REFERENCES leads (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('upsert', 'delete')),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX outbox_by_lead ON outbox (lead_id);"
  /* Kiosk settings that must survive a restart (the staff PIN hash, its lockout, ...). */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL) WITHOUT ROWID;",

  /* 2: coupons issued with each lead, and redemptions (of this or another kiosk's codes). */
  "CREATE TABLE coupons ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id),"
  "  code TEXT NOT NULL UNIQUE,"
  "  offer_id TEXT NOT NULL,"
  "  issued_at TEXT NOT NULL,"
  "  expires_at TEXT NOT NULL);"
  "CREATE TABLE redemptions ("
  "  code TEXT PRIMARY KEY,"
  "  offer_id TEXT NOT NULL,"
  "  issuing_kiosk INTEGER NOT NULL,"
  "  redeemed_at TEXT NOT NULL,"
  "  redeemed_by TEXT NOT NULL);",

  /* 3: delivery of each outbox row to each CRM target (see docs/sync.md). A target is added
   * the first time it is synced to; from then on every new outbox row fans out to it. */
  "CREATE TABLE sync_targets ("
  "  name TEXT PRIMARY KEY,"
  "  added_at TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE outbox_delivery ("
  "  outbox_id INTEGER NOT NULL REFERENCES outbox (id),"
  "  target TEXT NOT NULL REFERENCES sync_targets (name),"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'synced', 'retry', 'rejected')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at TEXT,"
  "  last_error TEXT,"
  "  remote_id TEXT,"
  "  idempotency_key TEXT,"
  "  updated_at TEXT NOT NULL,"
  "  PRIMARY KEY (outbox_id, target)) WITHOUT ROWID;"
  "CREATE INDEX outbox_delivery_by_state ON outbox_delivery (target, state, outbox_id);"
  "CREATE TRIGGER outbox_fan_out AFTER INSERT ON outbox BEGIN "
  "  INSERT INTO outbox_delivery (outbox_id, target, state, updated_at) "
  "  SELECT NEW.id, name, 'pending', NEW.created_at FROM sync_targets; "
  "END;",

  /* 4: the access log (tp-audit.c), append-only and chained by SHA-256, and the destruction
   * records of leads purged at the end of their retention (파기 기록). Neither holds personal
   * data, and neither is purged with the leads. */
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  kiosk_id TEXT NOT NULL,"
  "  leads TEXT NOT NULL,"
  "  detail TEXT NOT NULL,"
  "  prev_sha256 TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
  "BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE destructions ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  event_id TEXT NOT NULL,"
  "  rule TEXT NOT NULL,"
  "  leads INTEGER NOT NULL,"
  "  forced INTEGER NOT NULL,"
  "  actor TEXT NOT NULL);"
  "CREATE TRIGGER destructions_append_only BEFORE UPDATE ON destructions "
  "BEGIN SELECT RAISE (ABORT, 'destruction records are append-only'); END;",

  /* 5: prize draws (tp-store-draw.c): each round with its frozen entries, commitment, seed and
   * winners, append-only; winners marked unclaimed; leads kept out of draws (test entries). */
  "CREATE TABLE draws ("
  "  round INTEGER PRIMARY KEY,"
  "  prize_id TEXT NOT NULL,"
  "  event_id TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  kiosk_id TEXT NOT NULL,"
  "  entry_count INTEGER NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  commitment TEXT NOT NULL,"
  "  seed TEXT NOT NULL,"
  "  wanted INTEGER NOT NULL,"
  "  winners TEXT NOT NULL,"
  "  replaces INTEGER REFERENCES draws (round),"
  /* Last: the other columns are read without walking its overflow pages. */
  "  entries TEXT NOT NULL);"
  "CREATE TRIGGER draws_append_only BEFORE UPDATE ON draws "
  "BEGIN SELECT RAISE (ABORT, 'draw records are append-only'); END;"
  "CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws "
  "BEGIN SELECT RAISE (ABORT, 'draw records are append-only'); END;"
  "CREATE TABLE draw_unclaimed ("
  "  round INTEGER NOT NULL REFERENCES draws (round),"
  "  lead_uuid TEXT NOT NULL,"
  "  at TEXT NOT NULL,"
  "  PRIMARY KEY (round, lead_uuid)) WITHOUT ROWID;"
  "CREATE TABLE draw_excluded ("
  "  lead_id INTEGER PRIMARY KEY REFERENCES leads (id),"
  "  reason TEXT NOT NULL,"
  "  at TEXT NOT NULL);",

  /* 6: staff accounts, and the single staff PIN moved into the first of them: a function,
   * below (the old lock state needs parsing). */
  NULL,

  /* 7: the search index of the leads' personal data (tp-store-search.c). */
  tp_store_search_migration,
};


const TpStoreUpgrade tp_store_upgrades[TP_STORE_SCHEMA_VERSION] = {
  [5] = tp_staff_upgrade_store,
};
