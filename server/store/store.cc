#include "server/store/store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"

namespace ff {

absl::StatusOr<IncidentPage> Store::List(const IncidentFilter& filter, int32_t limit,
                                         int64_t before_id) {
  google::protobuf::RepeatedPtrField<pb::Incident> incidents;
  IncidentPage page;
  FF_ASSIGN_OR_RETURN(page.next_before_id, ListInto(filter, limit, before_id, &incidents));
  page.incidents.reserve(incidents.size());
  for (pb::Incident& incident : incidents) page.incidents.push_back(std::move(incident));
  return page;
}

absl::StatusOr<int64_t> Store::ListRecords(const IncidentFilter& filter, int32_t limit,
                                           int64_t before_id,
                                           absl::FunctionRef<void(const IncidentRecord&)> each) {
  google::protobuf::RepeatedPtrField<pb::Incident> incidents;
  FF_ASSIGN_OR_RETURN(int64_t next, ListInto(filter, limit, before_id, &incidents));
  for (const pb::Incident& incident : incidents) {
    const std::string record = StoredRecordOf(incident);
    each(IncidentRecord{incident.id(), incident.status(), incident.severity(), record});
  }
  return next;
}

std::string StoredRecordOf(const pb::Incident& incident) {
  pb::Incident stored = incident;
  stored.clear_id();
  stored.clear_allowed_next_statuses();
  stored.clear_next_statuses_needing_message();
  stored.mutable_roles();  // as the columns read back: present even when empty
  return stored.SerializeAsString();
}

int64_t TrimIncidentPage(google::protobuf::RepeatedPtrField<pb::Incident>* out, int first,
                         int32_t limit) {
  if (out->size() - first <= limit) return 0;
  out->RemoveLast();
  return out->Get(out->size() - 1).id();
}

absl::Status NotFoundIncident(int64_t id) {
  return absl::NotFoundError(absl::StrCat("incident #", id, " does not exist"));
}

bool MatchesFilter(const pb::Incident& incident, const IncidentFilter& filter) {
  auto contains = [](const auto& list, auto value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return contains(filter.statuses, incident.status()) &&
         contains(filter.severities, incident.severity()) &&
         (filter.domain.empty() || filter.domain == incident.domain());
}

absl::Status NotFoundFollowUp(int64_t id) {
  return absl::NotFoundError(absl::StrCat("follow-up FU-", id, " does not exist"));
}

absl::StatusOr<std::vector<pb::FollowUp>> FollowUpsOf(Store& store, int64_t incident_id) {
  constexpr int32_t kPage = 500;
  std::vector<pb::FollowUp> all;
  FollowUpFilter filter;
  filter.incident_id = incident_id;
  int64_t after = 0;
  do {
    absl::StatusOr<FollowUpPage> page = store.ListFollowUps(filter, kPage, after);
    if (!page.ok()) return page.status();
    all.insert(all.end(), page->follow_ups.begin(), page->follow_ups.end());
    after = page->next_after_id;
  } while (after != 0);
  return all;
}

bool MatchesFollowUpFilter(const pb::FollowUp& follow_up, const FollowUpFilter& filter) {
  const auto& statuses = filter.statuses;
  if (!statuses.empty() &&
      std::find(statuses.begin(), statuses.end(), follow_up.status()) == statuses.end()) {
    return false;
  }
  if (!filter.overdue_before.empty() &&
      (follow_up.status() != pb::FOLLOW_UP_STATUS_OPEN || follow_up.due_date().empty() ||
       follow_up.due_date() >= filter.overdue_before)) {
    return false;
  }
  return (filter.incident_id == 0 || filter.incident_id == follow_up.incident_id()) &&
         (filter.owner.empty() || filter.owner == follow_up.owner());
}

SqlQuery FollowUpListSql(const FollowUpFilter& filter, int32_t limit, int64_t after_id,
                         const std::function<std::string(int)>& mark) {
  SqlQuery q;
  std::vector<std::string> where = {absl::StrCat("id > ", mark(1))};
  q.args.emplace_back(int64_t{after_id});
  auto bind = [&q, &mark](SqlArg arg) {
    q.args.push_back(std::move(arg));
    return mark(static_cast<int>(q.args.size()));
  };
  if (filter.incident_id != 0) {
    where.push_back(absl::StrCat("incident_id = ", bind(filter.incident_id)));
  }
  if (!filter.owner.empty()) where.push_back(absl::StrCat("owner = ", bind(filter.owner)));
  if (!filter.statuses.empty()) {
    std::vector<std::string> marks;
    for (pb::FollowUpStatus s : filter.statuses) marks.push_back(bind(int64_t{s}));
    where.push_back(absl::StrCat("status IN (", absl::StrJoin(marks, ", "), ")"));
  }
  if (!filter.overdue_before.empty()) {
    where.push_back(absl::StrCat("status = ", static_cast<int>(pb::FOLLOW_UP_STATUS_OPEN),
                                 " AND due_date <> '' AND due_date < ",
                                 bind(filter.overdue_before)));
  }
  // One more row than asked tells whether another page exists.
  q.sql = absl::StrCat("SELECT id, record FROM follow_ups WHERE ", absl::StrJoin(where, " AND "),
                       " ORDER BY id LIMIT ", bind(int64_t{limit} + 1));
  return q;
}

SqlQuery FollowUpCountSql(const std::string& today, const std::function<std::string(int)>& mark) {
  SqlQuery q;
  q.sql = absl::StrCat("SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_date <> '' AND due_date < ",
                       mark(1), " THEN 1 ELSE 0 END), 0) FROM follow_ups WHERE status = ",
                       static_cast<int>(pb::FOLLOW_UP_STATUS_OPEN));
  q.args.emplace_back(today);
  return q;
}

void TrimFollowUpPage(FollowUpPage& page, int32_t limit) {
  if (page.follow_ups.size() <= static_cast<size_t>(limit)) return;
  page.follow_ups.pop_back();
  page.next_after_id = page.follow_ups.back().id();
}

}  // namespace ff
