#include "common/http/connection.h"

#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "spdlog/spdlog.h"

namespace ff::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

// How long a refused request's unread body is read and dropped, so the
// client is not reset before it reads the refusal.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr size_t kDrainBuffer = 16 * 1024;

std::chrono::nanoseconds Chrono(absl::Duration d) { return absl::ToChronoNanoseconds(d); }

// IsHttpError: the client sent something that is not HTTP/1.1.
bool IsHttpError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

template <typename Message>
void AddHeaders(const HttpServer::Options& options, const Response& response, Message& message) {
  for (const auto& [name, value] : options.default_headers) message.set(name, value);
  for (const auto& [name, value] : response.headers) message.set(name, value);
  if (!response.content_type.empty())
    message.set(bhttp::field::content_type, response.content_type);
}

}  // namespace

Connection::Connection(ConnectionHost* host, net::ip::tcp::socket socket, uint64_t id)
    : host_(host), id_(id), stream_(std::move(socket)), idle_timer_(stream_.get_executor()) {}

void Connection::Start() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void Connection::Stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->state_ == State::kHeader) self->Close();
    if (self->state_ == State::kStreaming) self->Pump();
  });
}

void Connection::Abort() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
}

void Connection::ReadHeader() {
  if (stopping_) return Close();
  state_ = State::kHeader;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(host_->options().max_header_bytes));
  parser_->body_limit(host_->options().max_body_bytes);
  stream_.expires_after(Chrono(host_->options().header_timeout));
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Connection::OnHeader(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) return Refuse(431, "request header too large");
  // A declared length over the limit: the parser refuses it with the header,
  // before one byte of the body is read.
  if (ec == bhttp::error::body_limit) return Refuse(413, "");
  if (IsHttpError(ec)) return Refuse(400, "malformed request");
  if (ec) return Close();  // timed out, or the client went
  if (parser_->is_done()) return Handle();
  if (absl::EqualsIgnoreCase(std::string(parser_->get()[bhttp::field::expect]), "100-continue")) {
    auto proceed =
        std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    return bhttp::async_write(
        stream_, *proceed, [self = shared_from_this(), proceed](beast::error_code failed, size_t) {
          if (failed) return self->Close();
          self->ReadBody();
        });
  }
  ReadBody();
}

void Connection::ReadBody() {
  state_ = State::kBody;
  stream_.expires_after(Chrono(host_->options().body_timeout));
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
}

void Connection::OnBody(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) return Refuse(413, "");
  if (IsHttpError(ec)) return Refuse(400, "malformed request");
  if (ec) return Close();
  Handle();
}

void Connection::Handle() {
  stream_.expires_never();
  keep_alive_ = parser_->get().keep_alive();
  Request request = TakeRequest();
  absl::StatusOr<UrlEncoded> query = ParseUrlEncoded(request.matches[0]);
  if (!query.ok()) {
    return Reply(
        {400, "text/plain", "query: " + std::string(query.status().message()), {}, nullptr});
  }
  request.query = *std::move(query);
  const Route* route = FindRoute(request);
  if (route == nullptr) return Reply({404, "text/plain", "not found", {}, nullptr});
  if (route->dispatch == Dispatch::kInline) return Reply(route->handler(request));
  RunOnWorker(route, std::move(request));
}

// TakeRequest moves the parsed request out of the parser; matches[0] holds
// the raw query until the route is found.
Request Connection::TakeRequest() {
  bhttp::request<bhttp::string_body> message = parser_->release();
  Request request;
  request.method = std::string(message.method_string());
  absl::string_view target(message.target().data(), message.target().size());
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.matches.emplace_back(question == absl::string_view::npos ? absl::string_view()
                                                                   : target.substr(question + 1));
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  beast::error_code ec;
  net::ip::tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  if (!ec) request.peer = peer.address().to_string();
  return request;
}

const Route* Connection::FindRoute(Request& request) const {
  for (const Route& route : host_->routes()) {
    std::smatch match;
    if (route.method != request.method || !std::regex_match(request.path, match, route.path)) {
      continue;
    }
    request.matches.assign(match.begin(), match.end());
    return &route;
  }
  return nullptr;
}

void Connection::RunOnWorker(const Route* route, Request request) {
  state_ = State::kHandling;
  net::post(host_->workers(), [self = shared_from_this(), route, request = std::move(request)] {
    Response response;
    try {
      response = route->handler(request);
    } catch (const std::exception& e) {
      spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
      response = {500, "text/plain", "internal error", {}, nullptr};
    }
    net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->Reply(std::move(response));
    });
  });
}

void Connection::Reply(Response response) {
  if (state_ == State::kClosed) return;
  if (response.stream) return StartStream(std::move(response));
  response_ = {};
  response_.version(11);
  response_.result(response.status);
  AddHeaders(host_->options(), response, response_);
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive_ && !stopping_);
  response_.prepare_payload();
  state_ = State::kWriting;
  stream_.expires_after(Chrono(host_->options().write_timeout));
  bhttp::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
    self->OnWritten(ec);
  });
}

void Connection::OnWritten(beast::error_code ec) {
  if (ec || !response_.keep_alive() || stopping_) return Close();
  ReadHeader();
}

// Refuse answers `status` and closes; what the client still sends is read
// for a moment and dropped, never held.
void Connection::Refuse(int status, const std::string& body) {
  const HttpServer::Options& options = host_->options();
  Response response =
      status == 413 ? options.too_large : Response{status, "text/plain", body, {}, nullptr};
  response.status = status;
  spdlog::warn("{}: refused a request from a client ({}): {}", options.name, status,
               status == 413 ? "body over the limit" : body);
  keep_alive_ = false;
  response_ = {};
  response_.version(11);
  response_.result(status);
  AddHeaders(options, response, response_);
  response_.body() = std::move(response.body);
  response_.keep_alive(false);
  response_.prepare_payload();
  state_ = State::kWriting;
  stream_.expires_after(Chrono(options.write_timeout));
  bhttp::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->Close();
    beast::error_code ignored;
    self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    self->drain_.resize(kDrainBuffer);
    self->stream_.expires_after(kDrainTime);
    self->Drain(self->host_->options().max_body_bytes);
  });
}

void Connection::Drain(size_t left) {
  if (left == 0) return Close();
  stream_.async_read_some(net::buffer(drain_.data(), std::min(left, drain_.size())),
                          [self = shared_from_this(), left](beast::error_code ec, size_t n) {
                            if (ec) return self->Close();
                            self->Drain(left - std::min(left, n));
                          });
}

void Connection::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  idle_timer_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  if (body_stream_) body_stream_->Detach();
  body_stream_.reset();
  host_->Forget(id_);
}

}  // namespace ff::http
