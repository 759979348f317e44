#include "server/store/write_back.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/time_util.h"

namespace ff {

std::vector<ChangeRecord> ApplyWriteBack(pb::Incident& incident, const WriteBack& wb,
                                         absl::Time now) {
  bool links_changed = false;
  for (const pb::Link& link : wb.links) {
    auto* links = incident.mutable_links();
    auto same = std::find_if(links->begin(), links->end(), [&](const pb::Link& l) {
      return l.kind() == link.kind() && l.external_id() == link.external_id();
    });
    if (same == links->end()) {
      *incident.add_links() = link;
      links_changed = true;
    } else if (same->url() != link.url()) {
      *same = link;
      links_changed = true;
    }
  }
  std::vector<std::string> added;
  for (const std::string& person : wb.participants) {
    const auto& list = incident.participants();
    if (!person.empty() && std::find(list.begin(), list.end(), person) == list.end()) {
      incident.add_participants(person);
      added.push_back(person);
    }
  }
  std::vector<ChangeRecord> records;
  auto record = [&](absl::string_view type, std::string text) {
    ChangeRecord r;
    r.event_type = std::string(type);
    *r.entry.mutable_time() = ToTimestamp(now);
    r.entry.set_kind("notification");
    r.entry.set_actor(wb.actor);
    r.entry.set_text(std::move(text));
    records.push_back(std::move(r));
  };
  std::string note = wb.note;
  if (links_changed) {
    record(kEventLinksChanged, note.empty() ? "Links updated" : note);
    note.clear();
  }
  if (!added.empty()) {
    record(kEventParticipantsChanged,
           note.empty() ? absl::StrCat("Participants added: ", absl::StrJoin(added, ", ")) : note);
    note.clear();
  }
  if (!note.empty()) record(kEventEntryAdded, note);
  return records;
}

}  // namespace ff
