// dashboard_seed DB: writes into a new database two incidents whose
// timelines span days, with the delivery notices and links notifiers record,
// at fixed past times, as if firefighterd had handled each step then. The
// browser test starts firefighterd on it to check the dates, the folded
// notices, the link names and the durations that stop when fixed, which it
// cannot produce through the API (the server stamps every change "now").
//
//   #1 SEV2 payment, occurred Mon 2025-03-03 21:50 UTC, fixed Thu 00:14 (2d 2h
//      24m later), closed Fri: three notices on Monday (one folded line), one
//      on Tuesday (shown as is), the Slack channel #inc-1-ledger-drift.
//   #2 SEV3 search, opened Thu 2025-03-06 09:00, fixed 11:14 (2h 14m), in
//      postmortem since 12:00.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/core/time_util.h"
#include "server/core/workflow.h"
#include "server/store/outbox_store.h"
#include "server/store/sqlite_store.h"
#include "server/store/write_back.h"

namespace ff {
namespace {

absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) std::abort();
  return t;
}

class Seeder {
 public:
  explicit Seeder(Store& store) : store_(store) {}

  absl::StatusOr<int64_t> Open(pb::OpenIncidentRequest request, absl::Time at) {
    FF_ASSIGN_OR_RETURN(Committed opened, store_.Open(IncidentWorkflow::Open(request, at)));
    return opened.incident.id();
  }

  absl::Status Update(pb::UpdateIncidentRequest request, absl::Time at) {
    return Apply(request.id(), [&](const pb::Incident& current) {
      return IncidentWorkflow::Update(current, request, at);
    });
  }

  absl::Status Note(int64_t id, const std::string& actor, const std::string& text, absl::Time at) {
    pb::AddTimelineEntryRequest request;
    request.set_incident_id(id);
    request.set_actor(actor);
    request.set_text(text);
    return Apply(id, [&](const pb::Incident& current) {
      return IncidentWorkflow::AddEntry(current, request, at);
    });
  }

  // Delivered records what a notifier's delivery wrote back, as the outbox
  // does when it marks the delivery done.
  absl::Status Delivered(int64_t id, const WriteBack& write_back, absl::Time at) {
    return Apply(id, [&](const pb::Incident& current) -> absl::StatusOr<Change> {
      Change change{current, {}};
      change.records = ApplyWriteBack(change.incident, write_back, at);
      *change.incident.mutable_updated_at() = ToTimestamp(at);
      return change;
    });
  }

  absl::Status Close(int64_t id, absl::Time at) {
    pb::CloseIncidentRequest request;
    request.set_id(id);
    request.set_actor("alice@example.com");
    request.set_message("postmortem meeting held");
    return Apply(id, [&](const pb::Incident& current) {
      return IncidentWorkflow::Close(current, request, at);
    });
  }

 private:
  absl::Status Apply(int64_t id, const Mutation& mutation) {
    return store_.Mutate(id, mutation).status();
  }

  Store& store_;
};

pb::UpdateIncidentRequest Move(int64_t id, pb::Status status, const std::string& commander = "") {
  pb::UpdateIncidentRequest request;
  request.set_id(id);
  request.set_actor("alice@example.com");
  request.set_status(status);
  if (!commander.empty()) request.set_commander(commander);
  return request;
}

pb::Link Link(const std::string& kind, const std::string& id, const std::string& url) {
  pb::Link link;
  link.set_kind(kind);
  link.set_external_id(id);
  link.set_url(url);
  return link;
}

absl::Status SeedLedgerDrift(Seeder& seed) {
  pb::OpenIncidentRequest open;
  open.set_title("Ledger totals drift between regions");
  open.set_description("EU and US ledgers disagree on daily totals.");
  open.set_domain("payment");
  open.set_severity(pb::SEVERITY_SEV2);
  open.set_reporter("alice@example.com");
  *open.mutable_occurred_at() = ToTimestamp(At("2025-03-03T21:50:00Z"));
  FF_ASSIGN_OR_RETURN(int64_t id, seed.Open(open, At("2025-03-03T22:00:00Z")));
  FF_RETURN_IF_ERROR(seed.Delivered(
      id,
      {{Link("slack_channel", "C0INC168", "https://example.slack.com/archives/C0INC168")},
       {"bob@example.com"},
       "Slack #inc-1-ledger-drift: invited 2 people",
       "slack"},
      At("2025-03-03T22:01:00Z")));
  FF_RETURN_IF_ERROR(
      seed.Delivered(id,
                     {{Link("datadog_notebook", "42", "https://app.datadoghq.com/notebook/42")},
                      {},
                      "Datadog notebook: https://app.datadoghq.com/notebook/42",
                      "datadog"},
                     At("2025-03-03T22:01:30Z")));
  FF_RETURN_IF_ERROR(seed.Update(Move(id, pb::STATUS_INVESTIGATING, "alice@example.com"),
                                 At("2025-03-03T22:05:00Z")));
  FF_RETURN_IF_ERROR(seed.Note(id, "bob@example.com", "Drift started with the 00:30 batch",
                               At("2025-03-04T01:00:00Z")));
  FF_RETURN_IF_ERROR(seed.Delivered(
      id, {{}, {"carol@example.com"}, "Slack #inc-1-ledger-drift: invited 1 person", "slack"},
      At("2025-03-04T01:01:00Z")));
  FF_RETURN_IF_ERROR(seed.Update(Move(id, pb::STATUS_FIXING), At("2025-03-05T10:00:00Z")));
  FF_RETURN_IF_ERROR(seed.Update(Move(id, pb::STATUS_FIXED), At("2025-03-06T00:14:00Z")));
  FF_RETURN_IF_ERROR(seed.Update(Move(id, pb::STATUS_POSTMORTEM), At("2025-03-06T10:00:00Z")));
  FF_RETURN_IF_ERROR(seed.Delivered(
      id,
      {{Link("postmortem", "98765", "https://example.atlassian.net/wiki/spaces/ENG/pages/98765")},
       {},
       "Postmortem page: https://example.atlassian.net/wiki/spaces/ENG/pages/98765",
       "confluence"},
      At("2025-03-06T10:01:00Z")));
  return seed.Close(id, At("2025-03-07T09:00:00Z"));
}

absl::Status SeedRefundEmails(Seeder& seed) {
  pb::OpenIncidentRequest open;
  open.set_title("Refund emails sent twice");
  open.set_domain("search");
  open.set_severity(pb::SEVERITY_SEV3);
  open.set_reporter("carol@example.com");
  FF_ASSIGN_OR_RETURN(int64_t id, seed.Open(open, At("2025-03-06T09:00:00Z")));
  FF_RETURN_IF_ERROR(
      seed.Update(Move(id, pb::STATUS_FIXED, "carol@example.com"), At("2025-03-06T11:14:00Z")));
  return seed.Update(Move(id, pb::STATUS_POSTMORTEM), At("2025-03-06T12:00:00Z"));
}

absl::Status SeedAll(const std::string& path) {
  FF_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Create(path));
  Seeder seed(*store);
  FF_RETURN_IF_ERROR(SeedLedgerDrift(seed));
  return SeedRefundEmails(seed);
}

}  // namespace
}  // namespace ff

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: dashboard_seed DB\n");
    return 2;
  }
  absl::Status seeded = ff::SeedAll(argv[1]);
  if (!seeded.ok()) {
    std::fprintf(stderr, "dashboard_seed: %s\n", seeded.ToString().c_str());
    return 1;
  }
  return 0;
}
