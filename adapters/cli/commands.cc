#include "adapters/cli/commands.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "adapters/cli/delivery_views.h"
#include "adapters/cli/exit_codes.h"
#include "adapters/cli/followup_views.h"
#include "adapters/cli/incident_views.h"
#include "adapters/cli/json_output.h"
#include "adapters/cli/stats_view.h"
#include "adapters/cli/value_parsing.h"
#include "common/status_macros.h"

namespace ff::cli {
namespace {

// Runner runs one invocation; it exists to keep the shared context in one place.
class Runner {
 public:
  Runner(const Invocation& inv, const IncidentClient& client, const Terminal& term)
      : inv_(inv),
        client_(client),
        term_(term),
        view_(term.out, term.colour, absl::LocalTimeZone(), absl::Now()) {}

  int Run();

 private:
  int Open();
  int Update();
  int Close();
  int Info();
  int List();
  int Timeline();
  int Note();
  int Watch();
  int Domains();
  int Deliveries();
  int RetryDelivery();
  int Stats();
  int FollowUpAdd();
  int FollowUpList();
  int FollowUpUpdate();

  bool json() const { return inv_.output == OutputFormat::kJson; }
  std::string Ref() const { return absl::StrCat("incident #", inv_.id); }
  // Prints `incident` as JSON, or as `headline` and a card.
  int ShowIncident(const pb::Incident& incident, const std::string& headline);
  int Fail(const std::string& attempt, const absl::Status& status);

  const Invocation& inv_;
  const IncidentClient& client_;
  const Terminal& term_;
  View view_;
  // A delivery view is made when the answer is in, so that "due" and
  // "in 5s" count from the moment the server answered, not from our start.
  DeliveryView delivery_view() const {
    return DeliveryView(term_.out, term_.colour, absl::LocalTimeZone(), absl::Now());
  }
  FollowUpView follow_up_view() const {
    return FollowUpView(term_.out, term_.colour, absl::LocalTimeZone());
  }
};

int Runner::Run() {
  switch (inv_.command) {
    case Command::kOpen:
      return Open();
    case Command::kUpdate:
      return Update();
    case Command::kClose:
      return Close();
    case Command::kInfo:
      return Info();
    case Command::kList:
      return List();
    case Command::kTimeline:
      return Timeline();
    case Command::kNote:
      return Note();
    case Command::kWatch:
      return Watch();
    case Command::kDomains:
      return Domains();
    case Command::kDeliveries:
      return Deliveries();
    case Command::kRetryDelivery:
      return RetryDelivery();
    case Command::kStats:
      return Stats();
    case Command::kFollowUpAdd:
      return FollowUpAdd();
    case Command::kFollowUpList:
      return FollowUpList();
    case Command::kFollowUpDone:
    case Command::kFollowUpCancel:
    case Command::kFollowUpEdit:
      return FollowUpUpdate();
  }
  return kExitOther;
}

int Runner::Fail(const std::string& attempt, const absl::Status& status) {
  std::string cause(status.message());
  if (status.code() == absl::StatusCode::kUnavailable) {
    cause = absl::StrCat("server at ", inv_.addr, " is unavailable: ", cause);
  } else if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    cause = absl::StrCat("server at ", inv_.addr, ": ", cause);
  }
  term_.err << "ff: " << attempt << ": " << cause << std::endl;
  return ExitCodeFor(status.code());
}

int Runner::ShowIncident(const pb::Incident& incident, const std::string& headline) {
  if (json()) {
    term_.out << ToJson(incident, false);
  } else {
    if (!headline.empty()) term_.out << headline << "\n\n";
    view_.Incident(incident);
  }
  return kExitOk;
}

int Runner::Open() {
  absl::StatusOr<IncidentClient::Opened> opened = client_.Open(inv_.open);
  if (!opened.ok()) return Fail("cannot open incident", opened.status());
  const int64_t id = opened->incident.id();
  return ShowIncident(opened->incident,
                      opened->deduplicated
                          ? absl::StrCat("Already open as incident #", id, " (same dedup key).")
                          : absl::StrCat("Opened incident #", id, "."));
}

int Runner::Update() {
  absl::StatusOr<pb::Incident> incident = client_.UpdateIncident(inv_.update);
  if (!incident.ok()) return Fail(absl::StrCat("cannot update ", Ref()), incident.status());
  if (json()) return ShowIncident(*incident, "");
  view_.Updated(*incident);
  return kExitOk;
}

int Runner::Close() {
  absl::StatusOr<pb::Incident> incident = client_.CloseIncident(inv_.close);
  if (!incident.ok()) return Fail(absl::StrCat("cannot close ", Ref()), incident.status());
  if (json()) return ShowIncident(*incident, "");
  view_.Closed(*incident);
  return kExitOk;
}

int Runner::Info() {
  absl::StatusOr<pb::Incident> incident = client_.GetIncident(inv_.id);
  if (!incident.ok()) return Fail(absl::StrCat("cannot show ", Ref()), incident.status());
  return ShowIncident(*incident, "");
}

// FetchPages returns the page `fetch(request)` answers, or every page when
// `all_pages`, merged (repeated fields appended) with the last page's token.
template <typename Response, typename Request, typename Fetch>
absl::StatusOr<Response> FetchPages(const Fetch& fetch, Request request, bool all_pages) {
  Response all;
  do {
    FF_ASSIGN_OR_RETURN(Response page, fetch(request));
    all.MergeFrom(page);
    // MergeFrom keeps the previous token when the last page's is empty.
    all.set_next_page_token(page.next_page_token());
    request.set_page_token(page.next_page_token());
  } while (all_pages && !request.page_token().empty());
  return all;
}

int Runner::List() {
  auto fetch = [this](const pb::ListIncidentsRequest& r) { return client_.ListIncidents(r); };
  absl::StatusOr<pb::ListIncidentsResponse> list =
      FetchPages<pb::ListIncidentsResponse>(fetch, inv_.list, inv_.all_pages);
  if (!list.ok()) return Fail("cannot list incidents", list.status());
  if (json()) {
    term_.out << ToJson(*list, false);
    return kExitOk;
  }
  view_.IncidentList(*list);
  if (!list->next_page_token().empty()) {
    term_.out << "(more incidents: use --all, or a larger --limit)\n";
  }
  return kExitOk;
}

int Runner::Timeline() {
  absl::StatusOr<pb::ListTimelineResponse> timeline = client_.ListTimeline(inv_.id);
  if (!timeline.ok()) {
    return Fail(absl::StrCat("cannot show the timeline of ", Ref()), timeline.status());
  }
  if (json()) {
    term_.out << ToJson(*timeline, false);
  } else {
    view_.Timeline(*timeline);
  }
  return kExitOk;
}

int Runner::Note() {
  absl::StatusOr<pb::TimelineEntry> entry = client_.AddTimelineEntry(inv_.note);
  if (!entry.ok()) return Fail(absl::StrCat("cannot add a note to ", Ref()), entry.status());
  if (json()) {
    term_.out << ToJson(*entry, false);
  } else {
    term_.out << "Added " << entry->kind() << " to incident #" << entry->incident_id() << ".\n";
  }
  return kExitOk;
}

int Runner::Watch() {
  bool started = false;
  auto on_started = [&] {
    started = true;
    term_.err << "ff: watching incidents on " << inv_.addr << " (Ctrl-C stops)" << std::endl;
  };
  auto on_event = [&](const pb::IncidentEvent& event) {
    if (json()) {
      term_.out << ToJson(event, true) << std::flush;
    } else {
      view_.Event(event);  // flushes
    }
    return static_cast<bool>(term_.out);  // stop once nobody reads the output
  };
  absl::Status status = client_.WatchIncidents(inv_.watch, on_event, on_started);
  if (status.ok()) return kExitOk;
  return Fail(started ? "watch stopped" : "cannot watch incidents", status);
}

int Runner::Domains() {
  absl::StatusOr<pb::ListDomainsResponse> domains = client_.ListDomains();
  if (!domains.ok()) return Fail("cannot list domains", domains.status());
  if (json()) {
    term_.out << ToJson(*domains, false);
  } else {
    view_.Domains(*domains);
  }
  return kExitOk;
}

int Runner::Deliveries() {
  auto fetch = [this](const pb::ListDeliveriesRequest& r) { return client_.ListDeliveries(r); };
  absl::StatusOr<pb::ListDeliveriesResponse> list =
      FetchPages<pb::ListDeliveriesResponse>(fetch, inv_.deliveries, inv_.all_pages);
  if (!list.ok()) return Fail("cannot list deliveries", list.status());
  if (json()) {
    term_.out << ToJson(*list, false);
    return kExitOk;
  }
  delivery_view().DeliveryList(*list);
  if (!list->next_page_token().empty()) {
    term_.out << "(more deliveries: use --all, or a larger --limit)\n";
  }
  return kExitOk;
}

int Runner::RetryDelivery() {
  absl::StatusOr<pb::Delivery> delivery = client_.RetryDelivery(inv_.id, inv_.actor);
  if (!delivery.ok()) {
    return Fail(absl::StrCat("cannot retry delivery ", inv_.id), delivery.status());
  }
  if (json()) {
    term_.out << ToJson(*delivery, false);
    return kExitOk;
  }
  term_.out << "Delivery " << delivery->id() << " is back in line.\n\n";
  delivery_view().Delivery(*delivery);
  return kExitOk;
}

int Runner::Stats() {
  absl::StatusOr<pb::GetStatsResponse> stats = client_.GetStats(inv_.stats);
  if (!stats.ok()) return Fail("cannot compute stats", stats.status());
  if (json()) {
    term_.out << ToJson(*stats, false);
  } else {
    PrintStats(*stats, absl::LocalTimeZone(), term_.out, term_.colour);
  }
  return kExitOk;
}

int Runner::FollowUpAdd() {
  const pb::AddFollowUpRequest& request = inv_.follow_up_add;
  absl::StatusOr<pb::FollowUp> added = client_.AddFollowUp(request);
  if (!added.ok()) {
    return Fail(absl::StrCat("cannot add a follow-up to incident #", request.incident_id()),
                added.status());
  }
  if (json()) {
    term_.out << ToJson(*added, false);
    return kExitOk;
  }
  term_.out << "Added " << FollowUpRef(added->id()) << " to incident #" << added->incident_id()
            << ".\n\n";
  follow_up_view().FollowUp(*added);
  return kExitOk;
}

// FetchFollowUps pages through ListFollowUps until the last page or, when
// `max_results` > 0, until that many; the answer's token is where it stopped.
absl::StatusOr<pb::ListFollowUpsResponse> FetchFollowUps(const IncidentClient& client,
                                                         pb::ListFollowUpsRequest request,
                                                         int max_results) {
  constexpr int kPageSize = 100;
  pb::ListFollowUpsResponse all;
  do {
    int wanted = max_results > 0 ? max_results - all.follow_ups_size() : kPageSize;
    request.set_page_size(std::min(wanted, kPageSize));
    FF_ASSIGN_OR_RETURN(pb::ListFollowUpsResponse page, client.ListFollowUps(request));
    all.MergeFrom(page);
    all.set_next_page_token(page.next_page_token());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty() &&
           (max_results == 0 || all.follow_ups_size() < max_results));
  return all;
}

int Runner::FollowUpList() {
  absl::StatusOr<pb::ListFollowUpsResponse> list =
      FetchFollowUps(client_, inv_.follow_ups, inv_.max_results);
  if (!list.ok()) return Fail("cannot list follow-ups", list.status());
  if (json()) {
    term_.out << ToJson(*list, false);
    return kExitOk;
  }
  follow_up_view().FollowUpList(*list);
  if (!list->next_page_token().empty()) {
    term_.out << "(more follow-ups: use a larger --limit)\n";
  }
  return kExitOk;
}

int Runner::FollowUpUpdate() {
  const pb::UpdateFollowUpRequest& request = inv_.follow_up_update;
  const std::string ref = FollowUpRef(request.id());
  absl::StatusOr<pb::FollowUp> updated = client_.UpdateFollowUp(request);
  if (!updated.ok()) {
    std::string attempt =
        inv_.command == Command::kFollowUpDone
            ? absl::StrCat("cannot mark ", ref, " done")
            : absl::StrCat(
                  inv_.command == Command::kFollowUpCancel ? "cannot cancel " : "cannot edit ",
                  ref);
    return Fail(attempt, updated.status());
  }
  if (json()) {
    term_.out << ToJson(*updated, false);
    return kExitOk;
  }
  if (inv_.command != Command::kFollowUpEdit) {
    follow_up_view().StatusLine(*updated);
    return kExitOk;
  }
  term_.out << "Updated " << ref << " (version " << updated->version() << ").\n\n";
  follow_up_view().FollowUp(*updated);
  return kExitOk;
}

}  // namespace

int RunInvocation(const Invocation& invocation, const IncidentClient& client,
                  const Terminal& terminal) {
  Runner runner(invocation, client, terminal);
  return runner.Run();
}

}  // namespace ff::cli
