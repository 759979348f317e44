// Connection's streamed responses: the header once, then a chunk each time
// the ResponseStream has something (or has been idle for stream_idle), and
// the last chunk when it ends or the server stops.
#include <utility>

#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "common/http/connection.h"

namespace ff::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

}  // namespace

void Connection::StartStream(Response response) {
  state_ = State::kStreaming;
  body_stream_ = std::move(response.stream);
  stream_header_ = {};
  stream_header_.version(11);
  stream_header_.result(response.status);
  for (const auto& [name, value] : host_->options().default_headers)
    stream_header_.set(name, value);
  for (const auto& [name, value] : response.headers) stream_header_.set(name, value);
  if (!response.content_type.empty()) {
    stream_header_.set(bhttp::field::content_type, response.content_type);
  }
  stream_header_.chunked(true);
  stream_header_.keep_alive(false);  // the connection ends with the stream
  serializer_.emplace(stream_header_);
  pending_ = std::move(response.body);
  writing_ = true;
  stream_.expires_after(absl::ToChronoNanoseconds(host_->options().write_timeout));
  bhttp::async_write_header(stream_, *serializer_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->writing_ = false;
                              if (ec) return self->Close();
                              std::weak_ptr<Connection> weak = self;
                              auto executor = self->stream_.get_executor();
                              self->body_stream_->Attach([weak, executor] {
                                net::post(executor, [weak] {
                                  if (auto connection = weak.lock()) connection->Pump();
                                });
                              });
                              self->Pump();
                            });
}

void Connection::Pump() {
  if (state_ != State::kStreaming || writing_) return;
  bool done = false;
  pending_ += body_stream_->Read(&done);
  done = done || stopping_;
  if (pending_.empty() && !done) return ArmIdle();
  WriteChunk(done);
}

// WriteChunk sends what is pending, then the last chunk when `last`.
void Connection::WriteChunk(bool last) {
  writing_ = true;
  chunk_ = std::move(pending_);
  pending_.clear();
  stream_.expires_after(absl::ToChronoNanoseconds(host_->options().write_timeout));
  auto written = [self = shared_from_this(), last](beast::error_code ec, size_t) {
    self->writing_ = false;
    if (ec) return self->Close();
    if (!last) return self->Pump();
    self->writing_ = true;
    net::async_write(self->stream_, bhttp::make_chunk_last(),
                     [self](beast::error_code, size_t) { self->Close(); });
  };
  if (chunk_.empty()) return written({}, 0);
  net::async_write(stream_, bhttp::make_chunk(net::buffer(chunk_)), std::move(written));
}

void Connection::ArmIdle() {
  idle_timer_.expires_after(absl::ToChronoNanoseconds(host_->options().stream_idle));
  idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->state_ != State::kStreaming || self->writing_) return;
    self->pending_ += self->body_stream_->Idle();
    if (self->pending_.empty()) return self->ArmIdle();
    self->WriteChunk(/*last=*/false);
  });
}

}  // namespace ff::http
