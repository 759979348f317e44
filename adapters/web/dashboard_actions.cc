#include "adapters/web/dashboard_actions.h"

#include <utility>

#include "absl/strings/match.h"
#include "adapters/web/action_request.h"
#include "adapters/web/incident_json.h"
#include "adapters/web/query_params.h"

namespace ff::web {
namespace {

nlohmann::json FieldJson(const std::string& field) {
  return field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field);
}

// Act reads the request (a failure there is the body's fault), makes the
// call and answers `status` with {key: json of what came back}.
template <typename Request, typename Call, typename ToJson>
HttpReply Act(absl::StatusOr<Request> request, Call call, ToJson to_json, int status,
              const char* key, absl::string_view refused_field) {
  if (!request.ok()) return ActionErrorReply(request.status(), "");
  auto answer = call(*request);
  if (!answer.ok()) return ActionErrorReply(answer.status(), refused_field);
  return JsonReply(status, {{key, to_json(*answer)}});
}

// ReadWithId parses the path's incident id (or, with ParseFollowUpId, the
// follow-up's), then reads the body for it.
template <typename Read>
auto ReadWithId(const std::string& id_text, Read read,
                absl::StatusOr<int64_t> (*parse_id)(absl::string_view) = ParseIncidentId)
    -> decltype(read(int64_t{0})) {
  absl::StatusOr<int64_t> id = parse_id(id_text);
  if (!id.ok()) return id.status();
  return read(*id);
}

}  // namespace

HttpReply ActionErrorReply(const absl::Status& status, absl::string_view refused_field) {
  std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return JsonReply(400, {{"error", message}, {"field", FieldJson(FieldOf(message))}});
    case absl::StatusCode::kNotFound:
      return JsonReply(404, {{"error", message}, {"field", nullptr}});
    case absl::StatusCode::kFailedPrecondition: {
      std::string field =
          absl::StrContains(message, "needs a message") ? "message" : std::string(refused_field);
      return JsonReply(409, {{"error", message}, {"field", FieldJson(field)}});
    }
    case absl::StatusCode::kAborted:
      return JsonReply(409, {{"error", message}, {"field", "expected_version"}});
    default:
      return ErrorReply(status);
  }
}

HttpReply DashboardActions::Declare(const std::string& person, absl::string_view body) const {
  return Act(
      ReadDeclare(body, person),
      [this](const pb::OpenIncidentRequest& r) { return client_.OpenIncident(r); }, IncidentJson,
      201, "incident", "");
}

HttpReply DashboardActions::Update(const std::string& person, const std::string& id_text,
                                   absl::string_view body) const {
  absl::StatusOr<pb::UpdateIncidentRequest> request =
      ReadWithId(id_text, [&](int64_t id) { return ReadUpdate(body, id, person); });
  const char* refused = request.ok() && request->has_status() ? "status" : "";
  return Act(
      std::move(request),
      [this](const pb::UpdateIncidentRequest& r) { return client_.UpdateIncident(r); },
      IncidentJson, 200, "incident", refused);
}

HttpReply DashboardActions::TakeCommand(const std::string& person, const std::string& id_text,
                                        absl::string_view body) const {
  return Act(
      ReadWithId(id_text, [&](int64_t id) { return ReadTakeCommand(body, id, person); }),
      [this](const pb::UpdateIncidentRequest& r) { return client_.UpdateIncident(r); },
      IncidentJson, 200, "incident", "");
}

HttpReply DashboardActions::AddNote(const std::string& person, const std::string& id_text,
                                    absl::string_view body) const {
  return Act(
      ReadWithId(id_text, [&](int64_t id) { return ReadNote(body, id, person); }),
      [this](const pb::AddTimelineEntryRequest& r) { return client_.AddTimelineEntry(r); },
      TimelineEntryJson, 201, "entry", "");
}

HttpReply DashboardActions::Close(const std::string& person, const std::string& id_text,
                                  absl::string_view body) const {
  return Act(
      ReadWithId(id_text, [&](int64_t id) { return ReadClose(body, id, person); }),
      [this](const pb::CloseIncidentRequest& r) { return client_.CloseIncident(r); }, IncidentJson,
      200, "incident", "reason");
}

HttpReply DashboardActions::AddFollowUp(const std::string& person, const std::string& id_text,
                                        absl::string_view body) const {
  return Act(
      ReadWithId(id_text, [&](int64_t id) { return ReadAddFollowUp(body, id, person); }),
      [this](const pb::AddFollowUpRequest& r) { return client_.AddFollowUp(r); }, FollowUpJson, 201,
      "follow_up", "");
}

HttpReply DashboardActions::UpdateFollowUp(const std::string& person, const std::string& id_text,
                                           absl::string_view body) const {
  return Act(
      ReadWithId(
          id_text, [&](int64_t id) { return ReadUpdateFollowUp(body, id, person); },
          ParseFollowUpId),
      [this](const pb::UpdateFollowUpRequest& r) { return client_.UpdateFollowUp(r); },
      FollowUpJson, 200, "follow_up", "");
}

}  // namespace ff::web
