#include "server/store/sqlite_schema.h"

#include <string>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"

namespace ff {

const std::vector<absl::string_view>& SqliteMigrations() {
  static const auto* migrations = new std::vector<absl::string_view>{
      // 1: incidents and their timelines.
      R"sql(
        CREATE TABLE incidents (
          id                 INTEGER PRIMARY KEY AUTOINCREMENT,
          title              TEXT    NOT NULL,
          description        TEXT    NOT NULL DEFAULT '',
          domain             TEXT    NOT NULL,
          severity           INTEGER NOT NULL,
          status             INTEGER NOT NULL,
          reporter           TEXT    NOT NULL,
          commander          TEXT    NOT NULL DEFAULT '',
          communication_lead TEXT    NOT NULL DEFAULT '',
          operations_lead    TEXT    NOT NULL DEFAULT '',
          participants       TEXT    NOT NULL DEFAULT '[]',  -- JSON array of names
          trigger_oncall     INTEGER NOT NULL DEFAULT 0,
          dedup_key          TEXT    NOT NULL DEFAULT '',
          links              TEXT    NOT NULL DEFAULT '[]',  -- JSON array of links
          occurred_at        INTEGER NOT NULL,  -- Unix microseconds
          created_at         INTEGER NOT NULL,
          updated_at         INTEGER NOT NULL,
          investigating_at   INTEGER,
          fixing_at          INTEGER,
          fixed_at           INTEGER,
          postmortem_at      INTEGER,
          closed_at          INTEGER,
          close_reason       INTEGER NOT NULL DEFAULT 0,
          version            INTEGER NOT NULL
        );
        CREATE INDEX incidents_by_status ON incidents (status, id);
        CREATE INDEX incidents_by_severity ON incidents (severity, id);
        CREATE INDEX incidents_by_domain ON incidents (domain, id);
        CREATE UNIQUE INDEX incidents_open_dedup_key ON incidents (dedup_key)
          WHERE dedup_key <> '' AND status <> 6;
        CREATE TABLE timeline (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          incident_id INTEGER NOT NULL REFERENCES incidents (id),
          time        INTEGER NOT NULL,
          kind        TEXT    NOT NULL,
          actor       TEXT    NOT NULL,
          text        TEXT    NOT NULL
        );
        CREATE INDEX timeline_by_incident ON timeline (incident_id, time, id);
      )sql",
      // 2: domain events, the source of the notification outbox and of the
      // watch stream.
      R"sql(
        CREATE TABLE events (
          sequence         INTEGER PRIMARY KEY AUTOINCREMENT,
          incident_id      INTEGER NOT NULL REFERENCES incidents (id),
          type             TEXT    NOT NULL,
          entry_id         INTEGER REFERENCES timeline (id),
          incident_version INTEGER NOT NULL,
          created_at       INTEGER NOT NULL
        );
        CREATE INDEX events_by_incident ON events (incident_id, sequence);
      )sql",
      // 3: the notification outbox: one delivery per event and interested
      // notifier, written in the change's transaction. Events keep the
      // incident as it stood (a serialised firefighter.v1.Incident) so a
      // delivery made later still tells what happened then.
      R"sql(
        ALTER TABLE events ADD COLUMN incident BLOB;
        CREATE TABLE deliveries (
          id              INTEGER PRIMARY KEY AUTOINCREMENT,
          event_sequence  INTEGER NOT NULL REFERENCES events (sequence),
          incident_id     INTEGER NOT NULL REFERENCES incidents (id),
          notifier        TEXT    NOT NULL,
          state           INTEGER NOT NULL,  -- 1 pending, 2 delivered, 3 dead
          attempts        INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_error      TEXT    NOT NULL DEFAULT '',
          created_at      INTEGER NOT NULL,
          updated_at      INTEGER NOT NULL,
          delivered_at    INTEGER
        );
        CREATE INDEX deliveries_pending ON deliveries (incident_id, notifier, id)
          WHERE state = 1;
        CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 1;
        CREATE INDEX deliveries_by_incident ON deliveries (incident_id, id);
      )sql",
      // 4: the audit trail: the service principal a change was made through
      // when an adapter acted on a person's behalf (see TimelineEntry.via).
      R"sql(
        ALTER TABLE timeline ADD COLUMN via TEXT NOT NULL DEFAULT '';
      )sql",
      // 5: background events recorded once per incident and key (reminders,
      // one per interval): the unique index is what makes them once-only,
      // across ticks and restarts.
      R"sql(
        ALTER TABLE events ADD COLUMN once_key TEXT;
        CREATE UNIQUE INDEX events_once_key ON events (incident_id, once_key)
          WHERE once_key IS NOT NULL;
      )sql",
      // 6: resumable deliveries (the steps an attempt completed, see
      // server/notifiers/delivery_steps.h) and the installation id every
      // marker left in an outside system carries, made once here: a database
      // created now and one migrated now both get their own.
      R"sql(
        ALTER TABLE deliveries ADD COLUMN progress TEXT NOT NULL DEFAULT '';
        CREATE TABLE installation (
          id TEXT NOT NULL CHECK (length(id) = 16)
        );
        INSERT INTO installation (id) VALUES (lower(hex(randomblob(8))));
      )sql",
      // 7: follow-ups (server/core/follow_ups.h). The record is a serialised
      // firefighter.v1.FollowUp; the columns beside it are what lists filter
      // on. Events of follow-up changes keep the follow-up as it stood.
      R"sql(
        CREATE TABLE follow_ups (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          incident_id INTEGER NOT NULL REFERENCES incidents (id),
          owner       TEXT    NOT NULL DEFAULT '',
          status      INTEGER NOT NULL,  -- 1 open, 2 done, 3 cancelled
          due_date    TEXT    NOT NULL DEFAULT '',  -- YYYY-MM-DD or ''
          record      BLOB    NOT NULL
        );
        CREATE INDEX follow_ups_by_incident ON follow_ups (incident_id, id);
        CREATE INDEX follow_ups_by_owner ON follow_ups (owner, id);
        CREATE INDEX follow_ups_open ON follow_ups (due_date, id) WHERE status = 1;
        ALTER TABLE events ADD COLUMN follow_up BLOB;
      )sql",
      // 8: each incident's stored record (Store::ListRecords): the incident
      // serialized, written with the columns by every write, so that a list
      // page is the records one after another. record_version is the version
      // the record was written at: a row whose record is missing (written
      // before this migration) or behind its version is read from its
      // columns instead.
      R"sql(
        ALTER TABLE incidents ADD COLUMN record BLOB;
        ALTER TABLE incidents ADD COLUMN record_version INTEGER;
      )sql",
  };
  return *migrations;
}

int SqliteSchemaVersion(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

absl::Status MigrateSqlite(SQLite::Database& db, int target) {
  const auto& migrations = SqliteMigrations();
  const int latest = static_cast<int>(migrations.size());
  if (target < 0) target = latest;
  int version = SqliteSchemaVersion(db);
  if (version > latest) {
    return absl::FailedPreconditionError(absl::StrCat("database schema version ", version,
                                                      " is newer than this firefighterd supports (",
                                                      latest, "); run a newer firefighterd"));
  }
  for (; version < target; ++version) {
    try {
      db.exec("BEGIN IMMEDIATE");
      db.exec(std::string(migrations[version]));
      db.exec(absl::StrCat("PRAGMA user_version = ", version + 1));
      db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
      try {
        db.exec("ROLLBACK");
      } catch (const SQLite::Exception&) {
      }
      return absl::InternalError(
          absl::StrCat("schema migration ", version + 1, " failed: ", e.what()));
    }
  }
  return absl::OkStatus();
}

}  // namespace ff
