#include "server/logging/log.h"

#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "spdlog/formatter.h"
#include "spdlog/logger.h"
#include "spdlog/sinks/sink.h"
#include "spdlog/spdlog.h"

namespace ff {
namespace {

constexpr char kEventLoggerName[] = "firefighterd.event";

// Set once by InitLogging, before any other thread runs.
LogFormat g_format = LogFormat::kText;
std::shared_ptr<spdlog::logger> g_event_logger;

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A text value is bare when it is a simple token, else JSON-quoted, so a
// reader can always split a line into key=value pairs.
std::string TextValue(const nlohmann::json& value) {
  if (!value.is_string()) return Dump(value);
  const std::string& s = value.get_ref<const std::string&>();
  bool bare = !s.empty();
  for (char c : s) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c)) || c == '"' || c == '=') bare = false;
  }
  return bare ? s : Dump(value);
}

// LineFormatter writes a time, the level and the message; in JSON, a
// structured event's fields (its payload is their JSON object) are merged
// into the line's object.
class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string time =
        absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time), absl::UTCTimeZone());
    spdlog::string_view_t level_name = spdlog::level::to_string_view(msg.level);
    absl::string_view level(level_name.data(), level_name.size());
    std::string payload(msg.payload.data(), msg.payload.size());
    std::string line;
    if (format_ == LogFormat::kText) {
      line = absl::StrCat(time, " ", level, " ", payload, "\n");
    } else if (msg.logger_name == kEventLoggerName && payload.size() > 2) {
      line = absl::StrCat("{\"time\":\"", time, "\",\"level\":\"", level, "\",", payload.substr(1),
                          "\n");
    } else {
      line = absl::StrCat("{\"time\":\"", time, "\",\"level\":\"", level,
                          "\",\"msg\":", Dump(payload), "}\n");
    }
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  const LogFormat format_;
};

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(absl::StrCat("log format \"", name, "\" is not text or json"));
}

void InitLogging(const spdlog::sink_ptr& sink, LogFormat format, spdlog::level::level_enum level) {
  sink->set_formatter(std::make_unique<LineFormatter>(format));
  auto logger = std::make_shared<spdlog::logger>("firefighterd", sink);
  logger->set_level(level);
  spdlog::set_default_logger(logger);
  g_event_logger = std::make_shared<spdlog::logger>(kEventLoggerName, sink);
  g_event_logger->set_level(level);
  g_format = format;
}

void LogEvent(spdlog::level::level_enum level, absl::string_view event,
              const nlohmann::json& fields) {
  spdlog::logger* logger = g_event_logger ? g_event_logger.get() : spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  std::string payload;
  if (g_format == LogFormat::kJson && g_event_logger) {
    // "event" first, so a reader scanning lines sees what each one is.
    nlohmann::ordered_json object = {{"event", std::string(event)}};
    for (const auto& [key, value] : fields.items()) object[key] = value;
    payload = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    payload = std::string(event);
    for (const auto& [key, value] : fields.items()) {
      absl::StrAppend(&payload, " ", key, "=", TextValue(value));
    }
  }
  logger->log(level, "{}", payload);
}

}  // namespace ff
