// RawConnection: a TCP connection to 127.0.0.1 that sends exactly the bytes
// a test gives it, for HTTP clients no library would be: slow ones, ones
// that declare a huge body, ones that keep thousands of streams open.
// Also ProcessReadBytes, how many bytes a process has read so far.
//
// Header-only. Not thread-safe: one thread owns a connection.
#ifndef FF_TESTS_TESTING_RAW_CONNECTION_H_
#define FF_TESTS_TESTING_RAW_CONNECTION_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace ff::testing {

class RawConnection {
 public:
  // Connects at once; ok() says whether it did.
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }

  // Send writes all of `data`; false when the peer closed or it could not
  // within `timeout` (the peer stopped reading).
  bool Send(absl::string_view data, absl::Duration timeout = absl::Seconds(5)) {
    absl::Time deadline = absl::Now() + timeout;
    while (!data.empty()) {
      if (!Wait(POLLOUT, deadline)) return false;
      ssize_t sent = send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && errno == EAGAIN) continue;
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }

  // ReadUntil reads until what was received contains `text` (never, when
  // `text` is ""), the peer closes, or `timeout` passes; returns everything
  // received so far.
  const std::string& ReadUntil(absl::string_view text, absl::Duration timeout) {
    absl::Time deadline = absl::Now() + timeout;
    char buffer[16384];
    auto done = [&] { return !text.empty() && absl::StrContains(received_, text); };
    while (!done() && !closed_ && Wait(POLLIN, deadline)) {
      ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n < 0 && errno == EAGAIN) continue;
      if (n <= 0) closed_ = true;
      if (n > 0) received_.append(buffer, static_cast<size_t>(n));
    }
    return received_;
  }
  // ReadToEnd reads until the peer closes (or `timeout`).
  const std::string& ReadToEnd(absl::Duration timeout) { return ReadUntil("", timeout); }
  const std::string& received() const { return received_; }
  bool closed() const { return closed_; }

 private:
  bool Wait(short events, absl::Time deadline) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p{fd_, events, 0};
    return poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1) > 0;
  }

  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// StatusOf: the status code of the HTTP response `text` starts with; 0 when
// it does not start with one.
inline int StatusOf(absl::string_view text) {
  int status = 0;
  if (!absl::StartsWith(text, "HTTP/1.1 ") || text.size() < 12) return 0;
  return absl::SimpleAtoi(text.substr(9, 3), &status) ? status : 0;
}

// Fetch sends one request (`method` `path`, `headers` lines "Name: value\r\n",
// Connection: close) and returns the whole response as received.
inline std::string Fetch(int port, const std::string& method, const std::string& path,
                         const std::string& headers = "Host: 127.0.0.1\r\n",
                         absl::Duration timeout = absl::Seconds(10)) {
  RawConnection connection(port);
  if (!connection.Send(
          absl::StrCat(method, " ", path, " HTTP/1.1\r\n", headers, "Connection: close\r\n\r\n"))) {
    return "";
  }
  return connection.ReadToEnd(timeout);
}

// ProcessReadBytes: the bytes process `pid` ("self" for this one) has read
// through read-like calls, sockets included (rchar of /proc/PID/io); -1
// when unknown.
inline int64_t ProcessReadBytes(const std::string& pid) {
  std::ifstream io("/proc/" + pid + "/io");
  std::string name;
  int64_t value = -1;
  while (io >> name >> value) {
    if (name == "rchar:") return value;
  }
  return -1;
}

}  // namespace ff::testing

#endif  // FF_TESTS_TESTING_RAW_CONNECTION_H_
