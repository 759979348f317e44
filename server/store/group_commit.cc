#include "server/store/group_commit.h"

#include <utility>

namespace ff {

absl::StatusOr<Committed> GroupCommit::Run(Body body) {
  Member me{&body};
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(&me);
    auto my_turn = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return me.done || !leading_; };
    mu_.Await(absl::Condition(&my_turn));
    if (me.done) return std::move(me.result);  // a leader committed it
    leading_ = true;
  }
  LeadGroups(&me);
  return std::move(me.result);
}

void GroupCommit::LeadGroups(Member* me) {
  // Lead until this writer's own write is done, then hand over: a waiting
  // writer becomes the next leader, so no leader serves others forever.
  while (true) {
    std::vector<Member*> group;
    {
      absl::MutexLock lock(&mu_);
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::vector<const Body*> bodies;
    for (Member* m : group) bodies.push_back(m->body);
    std::vector<absl::StatusOr<Committed>> results = runner_(bodies);
    absl::MutexLock lock(&mu_);
    ++groups_;
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->result = std::move(results[i]);
      group[i]->done = true;
    }
    if (me->done) {
      leading_ = false;
      return;
    }
  }
}

int64_t GroupCommit::groups() {
  absl::MutexLock lock(&mu_);
  return groups_;
}

}  // namespace ff

namespace ff {

size_t GroupCommit::waiting() {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

}  // namespace ff
