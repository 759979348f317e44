// What only the SQLite store has: schema migrations, WAL, durability on disk.
#include "server/store/sqlite_store.h"

#include <fstream>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/sqlite_schema.h"
#include "tests/store/record_page.h"
#include "tests/testing/server_process.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::ListByRecords;
using ::ff::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

Change NewIncident(const std::string& title) {
  pb::OpenIncidentRequest r;
  r.set_title(title);
  r.set_domain("payment");
  r.set_severity(pb::SEVERITY_SEV3);
  r.set_reporter("alice");
  return IncidentWorkflow::Open(r, kNow);
}

TEST(SqliteStore, UpgradesAVersionOneDatabaseKeepingItsData) {
  ::ff::testing::TempDir dir;
  const std::string path = dir.File("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_THAT(MigrateSqlite(db, 1), IsOk());
    ASSERT_EQ(SqliteSchemaVersion(db), 1);
    db.exec(
        "INSERT INTO incidents (title, domain, severity, status, reporter, occurred_at, "
        "created_at, updated_at, version) VALUES ('Old outage', 'search', 2, 3, 'zoe', "
        "1000000, 1000000, 2000000, 4)");
    db.exec(
        "INSERT INTO timeline (incident_id, time, kind, actor, text) "
        "VALUES (1, 1000000, 'opened', 'zoe', 'Opened')");
  }
  auto store = SqliteStore::Create(path);
  ASSERT_THAT(store, IsOk());
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(SqliteSchemaVersion(db), static_cast<int>(SqliteMigrations().size()));
  }
  auto old = (*store)->Get(1);
  ASSERT_THAT(old, IsOk());
  EXPECT_EQ(old->title(), "Old outage");
  EXPECT_EQ(old->status(), pb::STATUS_FIXING);
  EXPECT_EQ(old->version(), 4);
  // The upgraded database takes new writes, events included.
  auto committed = (*store)->Mutate(1, [](const pb::Incident& current) {
    pb::UpdateIncidentRequest r;
    r.set_id(1);
    r.set_actor("zoe");
    r.set_status(pb::STATUS_FIXED);
    return IncidentWorkflow::Update(current, r, kNow);
  });
  ASSERT_THAT(committed, IsOk());
  EXPECT_EQ(committed->incident.version(), 5);
  EXPECT_GT(committed->events.at(0).sequence(), 0);
  EXPECT_EQ((*store)->Timeline(1)->size(), 2u);
}

// ListRecords hands over each row's stored record. A row written before
// records were kept (schema 7) has none, and one changed by a writer that does
// not keep them has a record behind its version: both are listed from their
// columns, as Get reads them.
TEST(SqliteStore, ListsRowsWithoutACurrentRecordFromTheirColumns) {
  ::ff::testing::TempDir dir;
  const std::string path = dir.File("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_THAT(MigrateSqlite(db, 7), IsOk());
    db.exec(
        "INSERT INTO incidents (title, domain, severity, status, reporter, occurred_at, "
        "created_at, updated_at, version) VALUES ('Old outage', 'search', 2, 3, 'zoe', "
        "1000000, 1000000, 2000000, 4)");
  }
  auto store = SqliteStore::Create(path);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->Open(NewIncident("kept")), IsOk());
  ASSERT_THAT((*store)->Open(NewIncident("changed behind our back")), IsOk());
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec(
        "UPDATE incidents SET title = 'changed by another', version = version + 1 WHERE id = 3");
  }
  auto page = ListByRecords(**store, {}, 50, 0);
  ASSERT_THAT(page, IsOk());
  const std::vector<pb::Incident>& listed = page->incidents;
  EXPECT_EQ(page->next_before_id, 0);
  ASSERT_EQ(listed.size(), 3u);
  for (const pb::Incident& incident : listed) {
    auto got = (*store)->Get(incident.id());
    ASSERT_THAT(got, IsOk());
    EXPECT_EQ(got->SerializeAsString(), incident.SerializeAsString()) << incident.id();
  }
  EXPECT_EQ(listed[0].title(), "changed by another");
  EXPECT_EQ(listed[1].title(), "kept");
  EXPECT_EQ(listed[2].title(), "Old outage");
  EXPECT_EQ(listed[2].version(), 4);
}

TEST(SqliteStore, RefusesADatabaseNewerThanItKnows) {
  ::ff::testing::TempDir dir;
  const std::string path = dir.File("future.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 99");
  }
  EXPECT_THAT(SqliteStore::Create(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("database schema version 99 is newer")));
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  ::ff::testing::TempDir dir;
  const std::string path = dir.File("notes.txt");
  std::ofstream(path) << "this is not a database, just some text that is long enough";
  EXPECT_THAT(SqliteStore::Create(path),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot open database")));
}

TEST(SqliteStore, UsesWalWithFullSync) {
  ::ff::testing::TempDir dir;
  auto store = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(store, IsOk());
  SQLite::Database db(dir.File("ff.db"), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteStore, DataSurvivesReopening) {
  ::ff::testing::TempDir dir;
  {
    auto store = SqliteStore::Create(dir.File("ff.db"));
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT((*store)->Open(NewIncident("first")), IsOk());
    ASSERT_THAT((*store)->Open(NewIncident("second")), IsOk());
  }
  auto store = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(store, IsOk());
  auto page = (*store)->List({}, 10, 0);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->incidents.size(), 2u);
  EXPECT_EQ(page->incidents[0].title(), "second");
  auto third = (*store)->Open(NewIncident("third"));
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->incident.id(), 3);
}

TEST(SqliteStore, ConcurrentWritersLoseNoUpdate) {
  ::ff::testing::TempDir dir;
  auto store = SqliteStore::Create(dir.File("ff.db"));
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->Open(NewIncident("busy")), IsOk());
  constexpr int kThreads = 8, kNotesEach = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kNotesEach; ++n) {
        auto result = (*store)->Mutate(1, [&](const pb::Incident& current) {
          pb::AddTimelineEntryRequest r;
          r.set_incident_id(1);
          r.set_actor(absl::StrCat("t", t));
          r.set_text(absl::StrCat("note ", n));
          return IncidentWorkflow::AddEntry(current, r, kNow);
        });
        EXPECT_THAT(result, IsOk());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ((*store)->Get(1)->version(), 1 + kThreads * kNotesEach);
  EXPECT_EQ((*store)->Timeline(1)->size(), static_cast<size_t>(1 + kThreads * kNotesEach));
}

}  // namespace
}  // namespace ff
