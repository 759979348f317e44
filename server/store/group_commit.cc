#include "server/store/group_commit.h"

#include <utility>

namespace ff {

absl::StatusOr<Committed> GroupCommit::Run(const Body& body) {
  Member me;
  me.body = &body;
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

GroupCommit::~GroupCommit() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (committer_.joinable()) committer_.join();
}

void GroupCommit::Submit(Body body, Done done) {
  auto* member = new Member;
  member->owned = std::move(body);
  member->body = &member->owned;
  member->callback = std::move(done);
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(member);
    if (!committer_.joinable()) committer_ = std::thread([this] { CommitterLoop(); });
    if (leading_) return;
    leading_ = true;
  }
  LeadGroups(nullptr);
}

void GroupCommit::CommitterLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return (!queue_.empty() && !leading_) || (stopping_ && queue_.empty() && !leading_);
      };
      mu_.Await(absl::Condition(&work));
      if (queue_.empty()) return;  // stopping, and nothing left to answer
      leading_ = true;
    }
    LeadGroups(nullptr);
  }
}

void GroupCommit::LeadGroups(Member* me) {
  // Lead until this writer's own write is done (a submitted write's
  // committer: until the queue is empty), then hand over: a waiting writer
  // becomes the next leader, so no leader serves others forever.
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
    bodies.reserve(group.size());
    for (Member* m : group) bodies.push_back(m->body);
    std::vector<absl::StatusOr<Committed>> results =
        bodies.empty() ? std::vector<absl::StatusOr<Committed>>() : runner_(bodies);
    std::vector<std::pair<Member*, absl::StatusOr<Committed>>> answers;
    {
      absl::MutexLock lock(&mu_);
      if (!group.empty()) ++groups_;
      for (size_t i = 0; i < group.size(); ++i) {
        if (group[i]->callback) {
          answers.emplace_back(group[i], std::move(results[i]));
        } else {
          group[i]->result = std::move(results[i]);
          group[i]->done = true;
        }
      }
    }
    // Submitted writes are answered outside the lock; their members are ours.
    for (auto& [member, result] : answers) {
      member->callback(std::move(result));
      delete member;
    }
    absl::MutexLock lock(&mu_);
    if (me != nullptr ? me->done : queue_.empty()) {
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
