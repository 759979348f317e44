#include "common/http/http_server.h"

#include <sys/resource.h>

#include <atomic>
#include <map>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "common/http/connection.h"
#include "spdlog/spdlog.h"

namespace ff::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// The answer past max_connections: written straight to the socket.
constexpr char kTooManyConnections[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n"
    "Connection: close\r\n\r\ntoo many connections";

// RaiseOpenFileLimit lifts the soft limit on open files to the hard one:
// each connection is a descriptor, and the default soft limit (1024) is
// below the connections the servers are meant to hold.
void RaiseOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

std::string Request::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

class HttpServer::Impl : public ConnectionHost {
 public:
  explicit Impl(Options options)
      : options_(std::move(options)), workers_(options_.worker_threads) {}

  const Options& options() const override { return options_; }
  const std::vector<http::Route>& routes() const override { return routes_; }
  net::thread_pool& workers() override { return workers_; }
  void Forget(uint64_t id) override {
    absl::MutexLock lock(&mu_);
    connections_.erase(id);
  }

  std::vector<http::Route>& mutable_routes() { return routes_; }
  absl::StatusOr<int> Start(const std::string& host, int port);
  void Stop();
  size_t Open() const {
    absl::MutexLock lock(&mu_);
    return connections_.size();
  }

 private:
  void Accept();
  void Admit(tcp::socket socket);
  // StopAll calls `stop` on each open connection.
  void ForEachConnection(void (Connection::*stop)());

  const Options options_;
  std::vector<http::Route> routes_;
  net::io_context io_{1};
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  tcp::acceptor acceptor_{io_};
  net::steady_timer retry_accept_{io_};
  net::thread_pool workers_;
  std::thread io_thread_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};

  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::weak_ptr<Connection>> connections_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<int> HttpServer::Impl::Start(const std::string& host, int port) {
  boost::system::error_code ec;
  std::string name = host;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  net::ip::address address =
      net::ip::make_address(name == "localhost" ? std::string("127.0.0.1") : name, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("not an IP address: ", host));
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host, ":", port, ": ", ec.message()));
  }
  RaiseOpenFileLimit();
  int bound = acceptor_.local_endpoint().port();
  Accept();
  io_thread_ = std::thread([this] { io_.run(); });
  started_ = true;
  return bound;
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(io_),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           if (!acceptor_.is_open()) return;
                           if (!ec) {
                             Admit(std::move(socket));
                             return Accept();
                           }
                           // Out of descriptors, most likely: try again shortly rather than spin.
                           spdlog::warn("{}: accept failed: {}", options_.name, ec.message());
                           retry_accept_.expires_after(std::chrono::milliseconds(100));
                           retry_accept_.async_wait([this](boost::system::error_code) {
                             if (acceptor_.is_open()) Accept();
                           });
                         });
}

void HttpServer::Impl::Admit(tcp::socket socket) {
  if (stopped_) return;  // accepted just before the listener closed: dropped
  std::shared_ptr<Connection> connection;
  {
    absl::MutexLock lock(&mu_);
    if (connections_.size() < options_.max_connections) {
      uint64_t id = next_id_++;
      connection = std::make_shared<Connection>(this, std::move(socket), id);
      connections_.emplace(id, connection);
    }
  }
  if (connection) return connection->Start();
  auto refused = std::make_shared<tcp::socket>(std::move(socket));
  net::async_write(*refused, net::buffer(kTooManyConnections, sizeof(kTooManyConnections) - 1),
                   [refused](boost::system::error_code, size_t) {
                     boost::system::error_code ignored;
                     refused->shutdown(tcp::socket::shutdown_both, ignored);
                     refused->close(ignored);
                   });
}

void HttpServer::Impl::ForEachConnection(void (Connection::*stop)()) {
  std::vector<std::shared_ptr<Connection>> open;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  for (const auto& connection : open) ((*connection).*stop)();
}

void HttpServer::Impl::Stop() {
  if (!started_ || stopped_.exchange(true)) return;
  net::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_accept_.cancel();
  });
  ForEachConnection(&Connection::Stop);
  {
    absl::MutexLock lock(&mu_);
    auto drained = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return connections_.empty(); };
    if (!mu_.AwaitWithTimeout(absl::Condition(&drained), options_.drain_timeout)) {
      spdlog::warn("{}: {} connections still open after {}; closing them", options_.name,
                   connections_.size(), absl::FormatDuration(options_.drain_timeout));
    }
  }
  ForEachConnection(&Connection::Abort);
  work_.reset();
  io_thread_.join();
  workers_.join();
}

HttpServer::HttpServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& path_regex, Dispatch dispatch,
                       Handler handler) {
  impl_->mutable_routes().push_back({method, std::regex(path_regex), dispatch, std::move(handler)});
}

absl::Status HttpServer::Start(const std::string& host, int port) {
  absl::StatusOr<int> bound = impl_->Start(host, port);
  if (!bound.ok()) return bound.status();
  port_ = *bound;
  return absl::OkStatus();
}

void HttpServer::Stop() { impl_->Stop(); }

size_t HttpServer::OpenConnections() const { return impl_->Open(); }

}  // namespace ff::http
