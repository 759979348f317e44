#include "server/logging/log.h"

#include <chrono>
#include <cstring>
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
// Time is `when` as 2026-01-01T10:00:00.000Z, valid until the thread's next
// call. The part up to the second is formatted once a second per thread.
absl::string_view Time(spdlog::log_clock::time_point when) {
  thread_local int64_t second = -1;
  thread_local char text[32] = {};
  const int64_t millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
  const int64_t now_second = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
  constexpr size_t kSecondLength = 19;  // 2026-01-01T10:00:00
  if (now_second != second) {
    std::string formatted = absl::FormatTime("%Y-%m-%dT%H:%M:%S", absl::FromUnixSeconds(now_second),
                                             absl::UTCTimeZone());
    if (formatted.size() != kSecondLength) {  // a year past 9999 or before 0
      static thread_local std::string odd;
      odd = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(when), absl::UTCTimeZone());
      second = -1;
      return odd;
    }
    std::memcpy(text, formatted.data(), kSecondLength);
    second = now_second;
  }
  const int ms = static_cast<int>(millis - now_second * 1000);
  text[kSecondLength] = '.';
  text[kSecondLength + 1] = static_cast<char>('0' + ms / 100);
  text[kSecondLength + 2] = static_cast<char>('0' + ms / 10 % 10);
  text[kSecondLength + 3] = static_cast<char>('0' + ms % 10);
  text[kSecondLength + 4] = 'Z';
  return absl::string_view(text, kSecondLength + 5);
}

class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  // Appends straight to `dest`: a line per RPC makes this a hot path.
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const absl::string_view time = Time(msg.time);
    spdlog::string_view_t level_name = spdlog::level::to_string_view(msg.level);
    const absl::string_view level(level_name.data(), level_name.size());
    const absl::string_view payload(msg.payload.data(), msg.payload.size());
    auto append = [&dest](absl::string_view piece) {
      dest.append(piece.data(), piece.data() + piece.size());
    };
    if (format_ == LogFormat::kText) {
      for (absl::string_view piece : {time, absl::string_view(" "), level, absl::string_view(" "),
                                      payload, absl::string_view("\n")}) {
        append(piece);
      }
      return;
    }
    for (absl::string_view piece :
         {absl::string_view("{\"time\":\""), time, absl::string_view("\",\"level\":\""), level,
          absl::string_view("\",")}) {
      append(piece);
    }
    if (msg.logger_name == kEventLoggerName && payload.size() > 2) {
      append(payload.substr(1));
    } else {
      append("\"msg\":");
      append(Dump(std::string(payload)));
      append("}");
    }
    append("\n");
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

bool LogEnabled(spdlog::level::level_enum level) {
  spdlog::logger* logger = g_event_logger ? g_event_logger.get() : spdlog::default_logger_raw();
  return logger->should_log(level);
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
