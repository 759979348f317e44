#include "adapters/slack/background.h"

#include <utility>

namespace ff::slack {

Background::~Background() {
  std::list<Task> tasks;
  {
    absl::MutexLock lock(&mu_);
    tasks.swap(tasks_);
  }
  for (Task& task : tasks) task.thread.join();
}

void Background::Start(std::function<void()> task) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  absl::MutexLock lock(&mu_);
  JoinFinished();
  tasks_.push_back(Task{std::thread([task = std::move(task), done] {
                          task();
                          done->store(true);
                        }),
                        done});
}

void Background::JoinFinished() {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = tasks_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace ff::slack
