// CurlHttpClient: HttpClient on libcurl — the only code that links libcurl.
//
// TLS peer and host verification stay on. Connections are reused: each thread
// keeps its own easy handle (libcurl handles are not shareable across threads
// without locking), so keep-alive works per worker thread. Thread-safe.
#ifndef FF_CLIENTS_HTTP_CURL_HTTP_CLIENT_H_
#define FF_CLIENTS_HTTP_CURL_HTTP_CLIENT_H_

#include <memory>

#include "clients/http/http_client.h"

namespace ff {

class CurlHttpClient final : public HttpClient {
 public:
  // Create initialises libcurl once per process.
  static std::unique_ptr<CurlHttpClient> Create();
  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

 private:
  CurlHttpClient() = default;
};

}  // namespace ff

#endif  // FF_CLIENTS_HTTP_CURL_HTTP_CLIENT_H_
