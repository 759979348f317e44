#include "tests/testing/incident_seed.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/sqlite_store.h"

namespace ff::testing {
namespace {

absl::Status Seed(SqliteStore& store, const SeededIncident& s, int n) {
  pb::OpenIncidentRequest open;
  open.set_title(absl::StrCat("Seeded incident ", n));
  open.set_domain(s.domain);
  open.set_severity(s.severity);
  open.set_reporter("alice");
  if (s.occurred) *open.mutable_occurred_at() = ToTimestamp(*s.occurred);
  FF_ASSIGN_OR_RETURN(Committed opened, store.Open(IncidentWorkflow::Open(open, s.opened)));
  const int64_t id = opened.incident.id();
  for (const auto& [when, status] : s.steps) {
    pb::UpdateIncidentRequest update;
    update.set_id(id);
    update.set_actor("alice");
    update.set_status(status);
    update.set_message("seeded");
    absl::Time at = when;
    FF_RETURN_IF_ERROR(store
                           .Mutate(id,
                                   [&](const pb::Incident& current) {
                                     return IncidentWorkflow::Update(current, update, at);
                                   })
                           .status());
  }
  if (s.closed) {
    pb::CloseIncidentRequest close;
    close.set_id(id);
    close.set_actor("alice");
    close.set_reason(s.reason);
    absl::Time at = *s.closed;
    FF_RETURN_IF_ERROR(store
                           .Mutate(id,
                                   [&](const pb::Incident& current) {
                                     return IncidentWorkflow::Close(current, close, at);
                                   })
                           .status());
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<SeededIncident> StatsScenario() {
  const absl::Time t = kStatsDay;
  const absl::Duration m = absl::Minutes(1), h = absl::Hours(1);
  std::vector<SeededIncident> s(6);
  s[0] = {pb::SEVERITY_SEV1,
          "payment",
          t,
          t - 10 * m,
          {{t + 5 * m, pb::STATUS_INVESTIGATING},
           {t + 60 * m, pb::STATUS_FIXED},
           {t + 2 * h, pb::STATUS_POSTMORTEM}},
          t + 24 * h};
  const absl::Time t2 = t + h;
  s[1] = {pb::SEVERITY_SEV1,
          "search",
          t2,
          std::nullopt,
          {{t2 + 15 * m, pb::STATUS_INVESTIGATING},
           {t2 + 20 * m, pb::STATUS_FIXING},
           {t2 + 3 * h, pb::STATUS_FIXED}},
          std::nullopt};
  const absl::Time t3 = t + 2 * h;
  s[2] = {pb::SEVERITY_SEV2,
          "payment",
          t3,
          std::nullopt,
          {{t3 + 10 * m, pb::STATUS_FIXING},
           {t3 + 30 * m, pb::STATUS_FIXED},
           {t3 + h, pb::STATUS_POSTMORTEM}},
          t3 + 2 * h};
  const absl::Time t4 = t + 3 * h;
  s[3] = {pb::SEVERITY_SEV3, "payment", t4, std::nullopt, {}, t4 + 2 * m, pb::CLOSE_REASON_MISTAKE};
  const absl::Time t5 = t + 4 * h;
  s[4] = {pb::SEVERITY_SEV2, "search", t5, std::nullopt, {{t5 + m, pb::STATUS_INVESTIGATING}},
          std::nullopt};
  const absl::Time t6 = t - 48 * h;
  s[5] = {pb::SEVERITY_SEV2, "payment", t6, std::nullopt, {{t6 + m, pb::STATUS_INVESTIGATING}},
          std::nullopt};
  return s;
}

absl::Status SeedIncidents(const std::string& db_path,
                           const std::vector<SeededIncident>& incidents) {
  FF_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Create(db_path));
  for (size_t i = 0; i < incidents.size(); ++i) {
    absl::Status seeded = Seed(*store, incidents[i], static_cast<int>(i) + 1);
    if (!seeded.ok()) {
      return absl::Status(seeded.code(),
                          absl::StrCat("seeding incident ", i + 1, ": ", seeded.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace ff::testing
