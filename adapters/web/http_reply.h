// HttpReply: a whole HTTP answer of the dashboard's API, as its handlers
// build it and the HTTP layer sends it. A plain value.
#ifndef FF_ADAPTERS_WEB_HTTP_REPLY_H_
#define FF_ADAPTERS_WEB_HTTP_REPLY_H_

#include <string>

namespace ff::web {

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
};

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_HTTP_REPLY_H_
