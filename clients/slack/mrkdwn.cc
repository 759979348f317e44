#include "clients/slack/mrkdwn.h"

#include "absl/strings/str_replace.h"

namespace ff {

std::string SlackEscape(const std::string& text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
}

}  // namespace ff
