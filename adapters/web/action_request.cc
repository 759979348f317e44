#include "adapters/web/action_request.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/incident/vocabulary.h"
#include "common/quote.h"
#include "common/status_macros.h"
#include "nlohmann/json.hpp"

namespace ff::web {
namespace {

using Fields = std::initializer_list<absl::string_view>;

// Every field some action takes: FieldOf names only these.
constexpr absl::string_view kAllFields[] = {"body",
                                            "domain",
                                            "severity",
                                            "title",
                                            "description",
                                            "page_oncall",
                                            "status",
                                            "commander",
                                            "communication_lead",
                                            "operations_lead",
                                            "message",
                                            "expected_version",
                                            "text",
                                            "reason",
                                            "owner",
                                            "due_date"};

absl::Status FieldError(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

// JsonBody: a parsed body, read field by field. A field that is absent or
// null leaves the output unset.
class JsonBody {
 public:
  static absl::StatusOr<JsonBody> Parse(absl::string_view text, Fields known) {
    nlohmann::json object = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) return FieldError("body", "not a JSON object");
    for (const auto& item : object.items()) {
      if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
        return FieldError(QuoteUnlessPlain(item.key()),
                          absl::StrCat("not a field of this action; expected one of ",
                                       absl::StrJoin(known, ", ")));
      }
    }
    return JsonBody(std::move(object));
  }

  absl::Status Read(absl::string_view field, std::optional<std::string>& out) const {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_string()) return FieldError(field, "must be a string");
    out = value->get<std::string>();
    return absl::OkStatus();
  }
  absl::Status Read(absl::string_view field, std::optional<bool>& out) const {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_boolean()) return FieldError(field, "must be true or false");
    out = value->get<bool>();
    return absl::OkStatus();
  }
  absl::Status Read(absl::string_view field, std::optional<int64_t>& out) const {
    const nlohmann::json* value = Find(field);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_number_integer()) return FieldError(field, "must be an integer");
    out = value->get<int64_t>();
    return absl::OkStatus();
  }

 private:
  explicit JsonBody(nlohmann::json object) : object_(std::move(object)) {}

  const nlohmann::json* Find(absl::string_view field) const {
    auto it = object_.find(std::string(field));
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  // An unknown key is named as sent when it is a short plain word.
  static std::string QuoteUnlessPlain(const std::string& key) {
    bool plain = !key.empty() && key.size() <= kMaxQuotedBytes &&
                 std::all_of(key.begin(), key.end(), [](char c) {
                   return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
                 });
    return plain ? key : QuoteValue(key);
  }

  nlohmann::json object_;
};

// ReadWord reads `field` as a vocabulary word with `parse`.
template <typename Value, typename Parse>
absl::StatusOr<std::optional<Value>> ReadWord(const JsonBody& body, absl::string_view field,
                                              Parse parse) {
  std::optional<std::string> text;
  FF_RETURN_IF_ERROR(body.Read(field, text));
  if (!text) return std::optional<Value>();
  FF_ASSIGN_OR_RETURN(Value value, parse(*text, field));
  return std::optional<Value>(value);
}

// TextOr: the string at `field`, or `fallback` when it is absent or null.
absl::StatusOr<std::string> TextOr(const JsonBody& body, absl::string_view field,
                                   std::string fallback = "") {
  std::optional<std::string> text;
  FF_RETURN_IF_ERROR(body.Read(field, text));
  return text ? *std::move(text) : std::move(fallback);
}

// ReadInto calls `set` with the string at `field` when one was sent.
template <typename Set>
absl::Status ReadInto(const JsonBody& body, absl::string_view field, Set set) {
  std::optional<std::string> text;
  FF_RETURN_IF_ERROR(body.Read(field, text));
  if (text) set(*std::move(text));
  return absl::OkStatus();
}

// Reads the text fields of an update, each set as it was sent.
absl::Status ReadUpdateTexts(const JsonBody& body, pb::UpdateIncidentRequest& r) {
  FF_RETURN_IF_ERROR(ReadInto(body, "title", [&](std::string v) { r.set_title(v); }));
  FF_RETURN_IF_ERROR(ReadInto(body, "description", [&](std::string v) { r.set_description(v); }));
  FF_RETURN_IF_ERROR(ReadInto(body, "commander", [&](std::string v) { r.set_commander(v); }));
  FF_RETURN_IF_ERROR(
      ReadInto(body, "communication_lead", [&](std::string v) { r.set_communication_lead(v); }));
  FF_RETURN_IF_ERROR(
      ReadInto(body, "operations_lead", [&](std::string v) { r.set_operations_lead(v); }));
  return ReadInto(body, "message", [&](std::string v) { r.set_message(v); });
}

bool ChangesSomething(const pb::UpdateIncidentRequest& r) {
  return r.has_status() || r.has_severity() || r.has_title() || r.has_description() ||
         r.has_commander() || r.has_communication_lead() || r.has_operations_lead();
}

// ReadExpectedVersion sets the request's expected_version when one was sent.
template <typename Request>
absl::Status ReadExpectedVersion(const JsonBody& body, Request& request) {
  std::optional<int64_t> expected_version;
  FF_RETURN_IF_ERROR(body.Read("expected_version", expected_version));
  if (expected_version) request.set_expected_version(*expected_version);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<pb::OpenIncidentRequest> ReadDeclare(absl::string_view text,
                                                    const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(text, {"domain", "severity", "title",
                                                            "description", "page_oncall"}));
  pb::OpenIncidentRequest request;
  request.set_reporter(person);
  FF_ASSIGN_OR_RETURN(*request.mutable_domain(), TextOr(body, "domain"));
  FF_ASSIGN_OR_RETURN(*request.mutable_title(), TextOr(body, "title"));
  FF_ASSIGN_OR_RETURN(*request.mutable_description(), TextOr(body, "description"));
  FF_ASSIGN_OR_RETURN(std::optional<pb::Severity> severity,
                      ReadWord<pb::Severity>(body, "severity", ParseSeverity));
  request.set_severity(severity.value_or(pb::SEVERITY_UNSPECIFIED));
  std::optional<bool> page;
  FF_RETURN_IF_ERROR(body.Read("page_oncall", page));
  request.set_trigger_oncall(page.value_or(false));
  return request;
}

absl::StatusOr<pb::UpdateIncidentRequest> ReadUpdate(absl::string_view text, int64_t id,
                                                     const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body,
                      JsonBody::Parse(text, {"status", "severity", "title", "description",
                                             "commander", "communication_lead", "operations_lead",
                                             "message", "expected_version"}));
  pb::UpdateIncidentRequest request;
  request.set_id(id);
  request.set_actor(person);
  FF_ASSIGN_OR_RETURN(std::optional<pb::Status> status,
                      ReadWord<pb::Status>(body, "status", ParseStatus));
  if (status) request.set_status(*status);
  FF_ASSIGN_OR_RETURN(std::optional<pb::Severity> severity,
                      ReadWord<pb::Severity>(body, "severity", ParseSeverity));
  if (severity) request.set_severity(*severity);
  FF_RETURN_IF_ERROR(ReadUpdateTexts(body, request));
  FF_RETURN_IF_ERROR(ReadExpectedVersion(body, request));
  if (!ChangesSomething(request)) return FieldError("body", "nothing to change");
  return request;
}

absl::StatusOr<pb::UpdateIncidentRequest> ReadTakeCommand(absl::string_view text, int64_t id,
                                                          const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(text, {"message", "expected_version"}));
  pb::UpdateIncidentRequest request;
  request.set_id(id);
  request.set_actor(person);
  request.set_commander(person);
  FF_ASSIGN_OR_RETURN(*request.mutable_message(), TextOr(body, "message"));
  FF_RETURN_IF_ERROR(ReadExpectedVersion(body, request));
  return request;
}

absl::StatusOr<pb::AddTimelineEntryRequest> ReadNote(absl::string_view text, int64_t id,
                                                     const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(text, {"text"}));
  pb::AddTimelineEntryRequest request;
  request.set_incident_id(id);
  request.set_actor(person);
  request.set_kind("note");
  FF_ASSIGN_OR_RETURN(*request.mutable_text(), TextOr(body, "text"));
  return request;
}

absl::StatusOr<pb::CloseIncidentRequest> ReadClose(absl::string_view text, int64_t id,
                                                   const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body,
                      JsonBody::Parse(text, {"reason", "message", "expected_version"}));
  pb::CloseIncidentRequest request;
  request.set_id(id);
  request.set_actor(person);
  FF_ASSIGN_OR_RETURN(std::optional<pb::CloseReason> reason,
                      ReadWord<pb::CloseReason>(body, "reason", ParseCloseReason));
  request.set_reason(reason.value_or(pb::CLOSE_REASON_RESOLVED));
  FF_ASSIGN_OR_RETURN(*request.mutable_message(), TextOr(body, "message"));
  FF_RETURN_IF_ERROR(ReadExpectedVersion(body, request));
  return request;
}

absl::StatusOr<pb::AddFollowUpRequest> ReadAddFollowUp(absl::string_view text, int64_t id,
                                                       const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body,
                      JsonBody::Parse(text, {"title", "description", "owner", "due_date"}));
  pb::AddFollowUpRequest request;
  request.set_incident_id(id);
  request.set_actor(person);
  FF_ASSIGN_OR_RETURN(*request.mutable_title(), TextOr(body, "title"));
  FF_ASSIGN_OR_RETURN(*request.mutable_description(), TextOr(body, "description"));
  FF_ASSIGN_OR_RETURN(*request.mutable_owner(), TextOr(body, "owner"));
  FF_RETURN_IF_ERROR(ReadInto(body, "due_date", [&](std::string v) { request.set_due_date(v); }));
  return request;
}

absl::StatusOr<pb::UpdateFollowUpRequest> ReadUpdateFollowUp(absl::string_view text, int64_t id,
                                                             const std::string& person) {
  FF_ASSIGN_OR_RETURN(JsonBody body,
                      JsonBody::Parse(text, {"title", "description", "owner", "due_date", "status",
                                             "expected_version"}));
  pb::UpdateFollowUpRequest r;
  r.set_id(id);
  r.set_actor(person);
  FF_RETURN_IF_ERROR(ReadInto(body, "title", [&](std::string v) { r.set_title(v); }));
  FF_RETURN_IF_ERROR(ReadInto(body, "description", [&](std::string v) { r.set_description(v); }));
  FF_RETURN_IF_ERROR(ReadInto(body, "owner", [&](std::string v) { r.set_owner(v); }));
  FF_RETURN_IF_ERROR(ReadInto(body, "due_date", [&](std::string v) { r.set_due_date(v); }));
  FF_ASSIGN_OR_RETURN(std::optional<pb::FollowUpStatus> status,
                      ReadWord<pb::FollowUpStatus>(body, "status", ParseFollowUpStatus));
  if (status) r.set_status(*status);
  FF_RETURN_IF_ERROR(ReadExpectedVersion(body, r));
  if (!r.has_title() && !r.has_description() && !r.has_owner() && !r.has_due_date() &&
      !r.has_status()) {
    return FieldError("body", "nothing to change");
  }
  return r;
}

std::string FieldOf(absl::string_view message) {
  size_t end = 0;
  while (end < message.size() &&
         (absl::ascii_islower(static_cast<unsigned char>(message[end])) || message[end] == '_')) {
    ++end;
  }
  if (end == 0 || end == message.size()) return "";
  absl::string_view word = message.substr(0, end);
  if (message[end] == ':') return std::string(word);  // ours: "field: what is wrong"
  if (message[end] != ' ') return "";
  for (absl::string_view field : kAllFields) {
    if (field == word) return std::string(word);
  }
  return "";
}

}  // namespace ff::web
