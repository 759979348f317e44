#include "adapters/slack/socket_handler.h"

#include <optional>
#include <string>

#include "spdlog/spdlog.h"

namespace ff::slack {
namespace {

using nlohmann::json;

// FormOf is the form a slash command's payload stands for (its strings).
Form FormOf(const json& payload) {
  Form form;
  if (!payload.is_object()) return form;
  for (const auto& [key, value] : payload.items()) {
    if (value.is_string()) form.emplace(key, value.get<std::string>());
  }
  return form;
}

// AckPayload turns a handler's HTTP reply into the ack's payload.
std::optional<json> AckPayload(const std::string& type, const HttpReply& reply) {
  json body = reply.body.empty() ? json() : json::parse(reply.body, nullptr, false);
  if (reply.status / 100 == 2) {
    if (body.is_object()) return body;
    return std::nullopt;
  }
  std::string why = body.is_object() && body.contains("error") && body["error"].is_string()
                        ? body["error"].get<std::string>()
                        : reply.body;
  spdlog::warn("socket mode: refused a {} envelope: {}", type, why);
  if (type == "slash_commands") return Ephemeral(why);
  return std::nullopt;
}

}  // namespace

SocketModeClient::Handler SocketHandler(SlackApp* app) {
  return [app](const SocketEnvelope& envelope) -> std::optional<json> {
    HttpReply reply;
    if (envelope.type == "slash_commands") {
      reply = app->HandleCommand(FormOf(envelope.payload));
    } else if (envelope.type == "interactive") {
      reply = app->HandleInteraction(envelope.payload);
    } else if (envelope.type == "events_api") {
      absl::StatusOr<json> body = CheckEventEnvelope(envelope.payload);
      reply = body.ok() ? app->HandleEvent(*body)
                        : HttpReply{400, "text/plain", std::string(body.status().message())};
    } else {
      spdlog::warn("socket mode: acked an envelope of unknown type \"{}\"", envelope.type);
      return std::nullopt;
    }
    return AckPayload(envelope.type, reply);
  };
}

}  // namespace ff::slack
