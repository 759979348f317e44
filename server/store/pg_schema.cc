#include "server/store/pg_schema.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ff {

const std::vector<absl::string_view>& PgMigrations() {
  // The same tables as SQLite's schema (sqlite_schema.cc), times in Unix
  // microseconds alike. Incident ids and event sequences are assigned as
  // MAX + 1 under the write lock, not from sequences: they stay gapless and
  // in commit order (see PgStore). Deliveries carry a claim: the dispatcher
  // holding it and until when.
  static const auto* migrations = new std::vector<absl::string_view>{
      // 1: incidents, timelines, domain events and the notification outbox.
      R"sql(
        CREATE TABLE incidents (
          id                 BIGINT  PRIMARY KEY,
          title              TEXT    NOT NULL,
          description        TEXT    NOT NULL DEFAULT '',
          domain             TEXT    NOT NULL,
          severity           INTEGER NOT NULL,
          status             INTEGER NOT NULL,
          reporter           TEXT    NOT NULL,
          commander          TEXT    NOT NULL DEFAULT '',
          communication_lead TEXT    NOT NULL DEFAULT '',
          operations_lead    TEXT    NOT NULL DEFAULT '',
          participants       JSONB   NOT NULL DEFAULT '[]',
          trigger_oncall     BOOLEAN NOT NULL DEFAULT false,
          dedup_key          TEXT    NOT NULL DEFAULT '',
          links              JSONB   NOT NULL DEFAULT '[]',
          occurred_at        BIGINT  NOT NULL,
          created_at         BIGINT  NOT NULL,
          updated_at         BIGINT  NOT NULL,
          investigating_at   BIGINT,
          fixing_at          BIGINT,
          fixed_at           BIGINT,
          postmortem_at      BIGINT,
          closed_at          BIGINT,
          close_reason       INTEGER NOT NULL DEFAULT 0,
          version            BIGINT  NOT NULL
        );
        CREATE INDEX incidents_by_status ON incidents (status, id);
        CREATE INDEX incidents_by_severity ON incidents (severity, id);
        CREATE INDEX incidents_by_domain ON incidents (domain, id);
        CREATE UNIQUE INDEX incidents_open_dedup_key ON incidents (dedup_key)
          WHERE dedup_key <> '' AND status <> 6;
        CREATE TABLE timeline (
          id          BIGSERIAL PRIMARY KEY,
          incident_id BIGINT NOT NULL REFERENCES incidents (id),
          time        BIGINT NOT NULL,
          kind        TEXT   NOT NULL,
          actor       TEXT   NOT NULL,
          text        TEXT   NOT NULL
        );
        CREATE INDEX timeline_by_incident ON timeline (incident_id, time, id);
        CREATE TABLE events (
          sequence         BIGINT PRIMARY KEY,
          incident_id      BIGINT NOT NULL REFERENCES incidents (id),
          type             TEXT   NOT NULL,
          entry_id         BIGINT REFERENCES timeline (id),
          incident_version BIGINT NOT NULL,
          created_at       BIGINT NOT NULL,
          incident         BYTEA  NOT NULL  -- a serialised firefighter.v1.Incident
        );
        CREATE INDEX events_by_incident ON events (incident_id, sequence);
        CREATE TABLE deliveries (
          id               BIGSERIAL PRIMARY KEY,
          event_sequence   BIGINT  NOT NULL REFERENCES events (sequence),
          incident_id      BIGINT  NOT NULL REFERENCES incidents (id),
          notifier         TEXT    NOT NULL,
          state            INTEGER NOT NULL,  -- 1 pending, 2 delivered, 3 dead
          attempts         INTEGER NOT NULL DEFAULT 0,
          next_attempt_at  BIGINT  NOT NULL,
          last_error       TEXT    NOT NULL DEFAULT '',
          created_at       BIGINT  NOT NULL,
          updated_at       BIGINT  NOT NULL,
          delivered_at     BIGINT,
          claimed_by       TEXT    NOT NULL DEFAULT '',
          claim_expires_at BIGINT  NOT NULL DEFAULT 0
        );
        CREATE INDEX deliveries_pending ON deliveries (incident_id, notifier, id)
          WHERE state = 1;
        CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 1;
        CREATE INDEX deliveries_by_incident ON deliveries (incident_id, id);
      )sql",
      // 2: as SQLite's 4 and 5: the service principal a change was made
      // through (TimelineEntry.via), and background events recorded once per
      // incident and key (reminders), made once-only by the unique index.
      R"sql(
        ALTER TABLE timeline ADD COLUMN via TEXT NOT NULL DEFAULT '';
        ALTER TABLE events ADD COLUMN once_key TEXT;
        CREATE UNIQUE INDEX events_once_key ON events (incident_id, once_key)
          WHERE once_key IS NOT NULL;
      )sql",
      // 3: as SQLite's 6: resumable deliveries and the installation id.
      R"sql(
        ALTER TABLE deliveries ADD COLUMN progress TEXT NOT NULL DEFAULT '';
        CREATE TABLE installation (
          id TEXT NOT NULL CHECK (length(id) = 16)
        );
        INSERT INTO installation (id)
          VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16));
      )sql",
      // 4: as SQLite's 7: follow-ups, and the follow-up an event is about.
      R"sql(
        CREATE TABLE follow_ups (
          id          BIGSERIAL PRIMARY KEY,
          incident_id BIGINT  NOT NULL REFERENCES incidents (id),
          owner       TEXT    NOT NULL DEFAULT '',
          status      INTEGER NOT NULL,
          due_date    TEXT    NOT NULL DEFAULT '',
          record      BYTEA   NOT NULL
        );
        CREATE INDEX follow_ups_by_incident ON follow_ups (incident_id, id);
        CREATE INDEX follow_ups_by_owner ON follow_ups (owner, id);
        CREATE INDEX follow_ups_open ON follow_ups (due_date, id) WHERE status = 1;
        ALTER TABLE events ADD COLUMN follow_up BYTEA;
      )sql",
      // 5: as SQLite's 8: each incident's stored record and the version it
      // was written at (Store::ListRecords).
      R"sql(
        ALTER TABLE incidents ADD COLUMN record BYTEA, ADD COLUMN record_version BIGINT;
      )sql",
  };
  return *migrations;
}

absl::StatusOr<int> PgSchemaVersion(PgConnection& conn) {
  FF_ASSIGN_OR_RETURN(PgResult exists, conn.Exec("SELECT to_regclass('ff_schema') IS NOT NULL"));
  if (exists.Text(0, 0) != "t") return 0;
  FF_ASSIGN_OR_RETURN(PgResult version, conn.Exec("SELECT version FROM ff_schema"));
  return version.rows() == 0 ? 0 : static_cast<int>(version.Int(0, 0));
}

namespace {

absl::Status MigrateLocked(PgConnection& conn) {
  const auto& migrations = PgMigrations();
  const int latest = static_cast<int>(migrations.size());
  FF_RETURN_IF_ERROR(
      conn.Run("CREATE TABLE IF NOT EXISTS ff_schema (version INTEGER NOT NULL);"
               "INSERT INTO ff_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ff_schema)"));
  FF_ASSIGN_OR_RETURN(int version, PgSchemaVersion(conn));
  if (version > latest) {
    return absl::FailedPreconditionError(absl::StrCat("database schema version ", version,
                                                      " is newer than this firefighterd supports (",
                                                      latest, "); run a newer firefighterd"));
  }
  for (; version < latest; ++version) {
    absl::Status applied = conn.Run(absl::StrCat(
        "BEGIN;", migrations[version], ";UPDATE ff_schema SET version = ", version + 1, ";COMMIT"));
    if (!applied.ok()) {
      (void)conn.Run("ROLLBACK");
      if (absl::IsUnavailable(applied)) return applied;
      return absl::InternalError(
          absl::StrCat("schema migration ", version + 1, " failed: ", applied.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status MigratePg(PgConnection& conn) {
  // Replicas starting together wait here while the first one migrates: longer
  // than the session's usual timeouts allow.
  FF_RETURN_IF_ERROR(conn.Run("SET statement_timeout = 120000; SET lock_timeout = 120000"));
  FF_RETURN_IF_ERROR(conn.Run(absl::StrCat("SELECT pg_advisory_lock(", kPgMigrationLock, ")")));
  absl::Status migrated = MigrateLocked(conn);
  // A session lock outlives transactions: release it even after a failure.
  // (A connection that broke released it with the session.)
  (void)conn.Run(absl::StrCat("SELECT pg_advisory_unlock(", kPgMigrationLock, ")"));
  return migrated;
}

}  // namespace ff
