#include "server/store/grouped_writes.h"

#include <utility>

#include "common/status_macros.h"

namespace ff {

absl::StatusOr<Committed> GroupedWrites::Open(const Change& change) {
  return group_.Run([this, &change] { return begin_().Open(change); });
}

void GroupedWrites::OpenAsync(Change change, CommitDone done) {
  group_.Submit([this, change = std::move(change)] { return begin_().Open(change); },
                std::move(done));
}

absl::StatusOr<Committed> GroupedWrites::Mutate(int64_t id, const Mutation& mutation) {
  return group_.Run([this, id, &mutation] { return begin_().Mutate(id, mutation); });
}

void GroupedWrites::MutateAsync(int64_t id, Mutation mutation, CommitDone done) {
  group_.Submit(
      [this, id, mutation = std::move(mutation)] { return begin_().Mutate(id, mutation); },
      std::move(done));
}

absl::StatusOr<Committed> GroupedWrites::WriteFollowUp(const FollowUpTarget& target,
                                                       const FollowUpMutation& mutation) {
  return group_.Run(
      [this, &target, &mutation] { return begin_().WriteFollowUp(target, mutation); });
}

void GroupedWrites::WriteFollowUpAsync(FollowUpTarget target, FollowUpMutation mutation,
                                       CommitDone done) {
  group_.Submit(
      [this, target, mutation = std::move(mutation)] {
        return begin_().WriteFollowUp(target, mutation);
      },
      std::move(done));
}

absl::StatusOr<bool> GroupedWrites::RecordOnce(int64_t id, const OnceDecision& decide,
                                               absl::Time now) {
  FF_ASSIGN_OR_RETURN(Committed committed, group_.Run([this, id, &decide, now] {
    return begin_().RecordOnce(id, decide, now);
  }));
  return !committed.events.empty();
}

absl::Status GroupedWrites::MarkDelivered(int64_t id, const WriteBack& write_back, absl::Time now) {
  return group_
      .Run([this, id, &write_back, now] { return begin_().MarkDelivered(id, write_back, now); })
      .status();
}

}  // namespace ff
