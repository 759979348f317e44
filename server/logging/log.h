// Logging of firefighterd: every line on stderr, as text or as one JSON
// object per line (--log-format), through spdlog.
//
// Free-form messages use spdlog's functions as before. Structured lines —
// one per RPC and per delivery attempt — go through LogEvent, whose fields
// become `key=value` pairs in text and keys of the object in JSON. Nothing
// here logs request metadata or secrets: callers pass only the fields they
// choose. Thread-safe once InitLogging has run (call it before any thread).
#ifndef FF_SERVER_LOGGING_LOG_H_
#define FF_SERVER_LOGGING_LOG_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "spdlog/common.h"

namespace ff {

enum class LogFormat { kText, kJson };

// ParseLogFormat accepts "text" and "json"; INVALID_ARGUMENT otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// InitLogging makes `sink` (stderr in the server) the destination of the
// default logger and of LogEvent, formatted as `format`, at `level` and above.
void InitLogging(const spdlog::sink_ptr& sink, LogFormat format, spdlog::level::level_enum level);

// LogEnabled is true when a LogEvent at `level` would be written: callers
// with fields to build check it first, so a quieter level costs nothing.
bool LogEnabled(spdlog::level::level_enum level);

// LogEvent logs one structured line: in text
//   2026-01-01T10:00:00.000Z info rpc method=… code=OK latency_ms=1.250
// and in JSON
//   {"time":"…","level":"info","event":"rpc","method":"…","code":"OK",…}
// `fields` must be a JSON object; strings that are not UTF-8 are replaced,
// never thrown on.
void LogEvent(spdlog::level::level_enum level, absl::string_view event,
              const nlohmann::json& fields);

}  // namespace ff

#endif  // FF_SERVER_LOGGING_LOG_H_
