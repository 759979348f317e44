#include "tests/testing/fake_http_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace ff::testing {

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

std::string RecordedRequest::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

FakeHttpServer::FakeHttpServer() = default;

FakeHttpServer::~FakeHttpServer() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void FakeHttpServer::Start() { Listen(); }

void FakeHttpServer::Listen() {
  server_ = std::make_unique<httplib::Server>();
  // One request per connection: a kept-alive connection would hold stop()
  // for httplib's keep-alive timeout.
  server_->set_keep_alive_max_count(1);
  server_->set_pre_routing_handler([this](const httplib::Request&, httplib::Response& response) {
    return ApplyFault(response);
  });
  RegisterRoutes(*server_);
  if (port_ == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    server_->bind_to_port("127.0.0.1", port_);
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it, so a fake can
  // be refused or destroyed right after it starts.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) std::this_thread::yield();
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
}

std::string FakeHttpServer::base_url() const { return absl::StrCat("http://127.0.0.1:", port_); }

httplib::Server::HandlerResponse FakeHttpServer::ApplyFault(httplib::Response& response) {
  absl::Duration hang = absl::ZeroDuration();
  {
    absl::MutexLock lock(&mu_);
    if (fail_count_ > 0) {
      --fail_count_;
      ++faulted_;
      response.status = fail_status_;
      if (retry_after_) response.set_header("Retry-After", std::to_string(*retry_after_));
      response.set_content(R"({"error":"injected fault"})", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (hang_count_ > 0) {
      --hang_count_;
      hang = hang_for_;
      ++hanging_;
    }
  }
  if (hang > absl::ZeroDuration()) {
    absl::SleepFor(hang);  // a slow outside system, as the client sees it
    absl::MutexLock lock(&mu_);
    --hanging_;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

void FakeHttpServer::FailNext(int count, int status, std::optional<int> retry_after_seconds) {
  absl::MutexLock lock(&mu_);
  fail_count_ = count;
  fail_status_ = status;
  retry_after_ = retry_after_seconds;
}

void FakeHttpServer::HangNext(int count, absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  hang_count_ = count;
  hang_for_ = delay;
}

void FakeHttpServer::Refuse() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void FakeHttpServer::Heal() {
  if (!server_->is_running()) Listen();
}

void FakeHttpServer::Record(const httplib::Request& request) {
  RecordedRequest recorded;
  recorded.method = request.method;
  recorded.path = request.path;
  for (const auto& [key, value] : request.params) recorded.params.emplace(key, value);
  for (const auto& [key, value] : request.headers) recorded.headers.emplace(key, value);
  recorded.body = request.body;
  absl::MutexLock lock(&mu_);
  requests_.push_back(std::move(recorded));
}

std::vector<RecordedRequest> FakeHttpServer::requests() {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool FakeHttpServer::WaitForRequests(size_t n, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return requests_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

int FakeHttpServer::hanging() {
  absl::MutexLock lock(&mu_);
  return hanging_;
}

bool FakeHttpServer::WaitForHanging(int n, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return hanging_ >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

int FakeHttpServer::faulted() {
  absl::MutexLock lock(&mu_);
  return faulted_;
}

}  // namespace ff::testing
