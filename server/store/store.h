// Store: where incidents, their timelines and their domain events live.
//
// Every write is one transaction: the incident's new state, its timeline
// entries and its domain events (the outbox's source) commit together or not
// at all. Implementations are thread-safe; writes are serialised, reads run
// concurrently with them.
#ifndef FF_SERVER_STORE_STORE_H_
#define FF_SERVER_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "firefighter/v1/incident.pb.h"
#include "server/core/follow_ups.h"
#include "server/core/workflow.h"

namespace ff {
namespace pb = ::firefighter::v1;

// Committed is what one write stored.
struct Committed {
  pb::Incident incident;                  // as stored after the write
  std::vector<pb::IncidentEvent> events;  // with sequence and stored entry ids
  bool created = false;                   // Open: false when deduplicated
  pb::FollowUp follow_up = {};            // WriteFollowUp: as stored after the write
};

// FollowUpFilter selects follow-ups; empty fields match everything.
struct FollowUpFilter {
  int64_t incident_id = 0;
  std::string owner;
  std::vector<pb::FollowUpStatus> statuses;
  // Not empty ("YYYY-MM-DD", today): only OPEN follow-ups due before it.
  std::string overdue_before;
};

// FollowUpPage is one page of follow-ups, by id (oldest first).
struct FollowUpPage {
  std::vector<pb::FollowUp> follow_ups;
  int64_t next_after_id = 0;  // 0: this was the last page
};

// FollowUpTotals counts the OPEN follow-ups, and of those the overdue.
struct FollowUpTotals {
  int64_t open = 0;
  int64_t overdue = 0;
};

// FollowUpMutation computes a follow-up change inside the write transaction,
// from its incident and the follow-up as it stands (nullptr when adding one).
// An error aborts the write unchanged.
using FollowUpMutation =
    std::function<absl::StatusOr<FollowUpChange>(const pb::Incident&, const pb::FollowUp*)>;

// FollowUpTarget names what a follow-up write works on: a new follow-up of
// incident `incident_id` (follow_up_id 0), or follow-up `follow_up_id`.
struct FollowUpTarget {
  int64_t incident_id = 0;
  int64_t follow_up_id = 0;
};

// IncidentFilter selects incidents; empty fields match everything.
struct IncidentFilter {
  std::vector<pb::Status> statuses;
  std::vector<pb::Severity> severities;
  std::string domain;
};

// IncidentPage is one page of incidents, newest (highest id) first.
struct IncidentPage {
  std::vector<pb::Incident> incidents;
  int64_t next_before_id = 0;  // 0: this was the last page
};

// IncidentRecord is a stored incident as ListRecords hands it over: its id,
// status and severity, and `record`, the incident serialized
// (pb::Incident) without its id and without what the workflow derives
// (allowed_next_statuses, next_statuses_needing_message). `record` is valid
// only during the call it is handed to.
struct IncidentRecord {
  int64_t id = 0;
  pb::Status status = pb::STATUS_UNSPECIFIED;
  pb::Severity severity = pb::SEVERITY_UNSPECIFIED;
  absl::string_view record;
};

// StoredRecordOf is `incident` as an IncidentRecord's `record`: what every
// write keeps beside the row's columns so that a list answers without
// building messages.
std::string StoredRecordOf(const pb::Incident& incident);

// Mutation computes a change from the incident as it stands inside the write
// transaction (see IncidentWorkflow). An error aborts the write unchanged.
using Mutation = std::function<absl::StatusOr<Change>(const pb::Incident& current)>;

// CommitObserver is told of every committed write, in commit order, before
// the writer returns. It must be quick and must not call back into the store.
using CommitObserver = std::function<void(const Committed&)>;

// CommitDone receives the result of an asynchronous write, once it is
// durable (or has failed).
using CommitDone = std::function<void(absl::StatusOr<Committed>)>;

class Store {
 public:
  virtual ~Store() = default;

  // Open stores a new incident built by IncidentWorkflow::Open, assigning its
  // id. When the change carries a dedup_key already held by a non-closed
  // incident, returns that incident with created = false and stores nothing.
  // UNAVAILABLE when the database is busy; INTERNAL on a broken invariant.
  virtual absl::StatusOr<Committed> Open(const Change& change) = 0;

  // Mutate reads incident `id`, runs `mutation` on it and stores the result,
  // all in one transaction. NOT_FOUND when there is no such incident; any
  // error of `mutation` as is. A change without records stores nothing and
  // returns the current incident with no events.
  virtual absl::StatusOr<Committed> Mutate(int64_t id, const Mutation& mutation) = 0;

  // OpenAsync and MutateAsync are Open and Mutate without a waiting caller:
  // `done` gets the same result, possibly on another thread, and must be
  // quick. `mutation` runs later, inside the write transaction, so whatever
  // it refers to must outlive `done`. The defaults run the blocking call.
  virtual void OpenAsync(Change change, CommitDone done) { done(Open(change)); }
  virtual void MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
    done(Mutate(id, mutation));
  }

  // Get returns incident `id`, or NOT_FOUND.
  virtual absl::StatusOr<pb::Incident> Get(int64_t id) = 0;

  // ListInto appends to `out` at most `limit` incidents matching `filter`
  // with ids below `before_id` (0: from the newest), newest first, and
  // returns the `before_id` of the next page (0: this was the last). The
  // incidents are built in place: `out` may be on an arena (an RPC's
  // response), and one query reads the whole page.
  virtual absl::StatusOr<int64_t> ListInto(
      const IncidentFilter& filter, int32_t limit, int64_t before_id,
      google::protobuf::RepeatedPtrField<pb::Incident>* out) = 0;
  // List is ListInto as an IncidentPage.
  absl::StatusOr<IncidentPage> List(const IncidentFilter& filter, int32_t limit, int64_t before_id);
  // ListRecords is ListInto's page handed to `each` incident by incident, in
  // order, as stored records: a store that keeps them (SQLite) builds no
  // message. The default serializes what ListInto builds. On an error no
  // more incidents are handed over; the caller drops what it was given.
  virtual absl::StatusOr<int64_t> ListRecords(const IncidentFilter& filter, int32_t limit,
                                              int64_t before_id,
                                              absl::FunctionRef<void(const IncidentRecord&)> each);

  // RunRead runs `read` — blocking reads of this store that end by answering
  // a caller — where this store's reads belong. The default runs it at once
  // on the calling thread: an embedded database reads from memory and its
  // page cache, so a thread hand-off would cost more than the read. A store
  // across a network runs it on a thread of its own, so that the caller's
  // thread (one of gRPC's few callback threads) never waits on a round trip.
  virtual void RunRead(std::function<void()> read) { read(); }

  // Timeline returns the entries of incident `id`, oldest first, or NOT_FOUND.
  virtual absl::StatusOr<std::vector<pb::TimelineEntry>> Timeline(int64_t id) = 0;

  // WriteFollowUp reads the target (the follow-up, then its incident), runs
  // `mutation` and stores the follow-up with its timeline entries and events
  // (each event carrying the follow-up as stored), in one transaction; the
  // incident row is left as it is. NOT_FOUND for an unknown incident or
  // follow-up; any error of `mutation` as is. A change without records
  // stores nothing and returns the follow-up as it stands.
  virtual absl::StatusOr<Committed> WriteFollowUp(const FollowUpTarget& target,
                                                  const FollowUpMutation& mutation) = 0;
  // WriteFollowUpAsync is WriteFollowUp without a waiting caller (see
  // MutateAsync).
  virtual void WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                                  CommitDone done) {
    done(WriteFollowUp(target, mutation));
  }
  // GetFollowUp returns follow-up `id`, or NOT_FOUND.
  virtual absl::StatusOr<pb::FollowUp> GetFollowUp(int64_t id) = 0;
  // ListFollowUps returns at most `limit` follow-ups matching `filter` with
  // ids above `after_id`, by id.
  virtual absl::StatusOr<FollowUpPage> ListFollowUps(const FollowUpFilter& filter, int32_t limit,
                                                     int64_t after_id) = 0;
  // CountFollowUps counts the OPEN follow-ups and those due before `today`.
  virtual absl::StatusOr<FollowUpTotals> CountFollowUps(const std::string& today) = 0;

  // SetCommitObserver installs the observer. REQUIRES: called before the
  // first write, once.
  virtual void SetCommitObserver(CommitObserver observer) = 0;
};

// TrimIncidentPage ends a page that ListInto read with one row more than
// `limit` (the rows from index `first` of `out`): it drops the extra row and
// returns the next page's before_id, or 0 when there was no extra row.
int64_t TrimIncidentPage(google::protobuf::RepeatedPtrField<pb::Incident>* out, int first,
                         int32_t limit);

// NotFoundIncident is the NOT_FOUND status every store returns for `id`.
absl::Status NotFoundIncident(int64_t id);
// FollowUpsOf reads every follow-up of incident `incident_id`, by id.
absl::StatusOr<std::vector<pb::FollowUp>> FollowUpsOf(Store& store, int64_t incident_id);

// NotFoundFollowUp is the same for follow-up `id`.
absl::Status NotFoundFollowUp(int64_t id);

// MatchesFilter is true when `incident` passes `filter`.
bool MatchesFilter(const pb::Incident& incident, const IncidentFilter& filter);
// MatchesFollowUpFilter is true when `follow_up` passes `filter`.
bool MatchesFollowUpFilter(const pb::FollowUp& follow_up, const FollowUpFilter& filter);

// The follow-up reads both SQL backends make, in either dialect: `mark(n)`
// is the n-th (from 1) placeholder ("?" or "$n"); `args` are bound in order.
struct SqlArg {
  SqlArg(int64_t n) : number(n) {}  // NOLINT(google-explicit-constructor): a value
  SqlArg(std::string t)
      : is_text(true), text(std::move(t)) {}  // NOLINT(google-explicit-constructor)
  bool is_text = false;
  int64_t number = 0;
  std::string text;
};
struct SqlQuery {
  std::string sql;
  std::vector<SqlArg> args;
};
// FollowUpListSql selects the `id` and `record` columns of ListFollowUps' page (one
// row more than `limit`: see TrimFollowUpPage).
SqlQuery FollowUpListSql(const FollowUpFilter& filter, int32_t limit, int64_t after_id,
                         const std::function<std::string(int)>& mark);
// FollowUpCountSql selects CountFollowUps' two numbers.
SqlQuery FollowUpCountSql(const std::string& today, const std::function<std::string(int)>& mark);
// TrimFollowUpPage drops the extra row, setting next_after_id when there was one.
void TrimFollowUpPage(FollowUpPage& page, int32_t limit);

}  // namespace ff

#endif  // FF_SERVER_STORE_STORE_H_
