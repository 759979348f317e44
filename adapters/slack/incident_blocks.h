// Block Kit answers of `/incident info` and `/incident list`: ephemeral
// messages with `blocks` (section, fields and context blocks) and a `text`
// fallback for notifications. They keep to Block Kit's limits: at most 50
// blocks with unique block_ids, section texts of at most 3000 characters,
// fields of at most 2000 and at most 10 fields. Every string people wrote is
// escaped (SlackEscape) and cut to fit (EscapedPrefix).
//
// Thread-safe: pure functions.
#ifndef FF_ADAPTERS_SLACK_INCIDENT_BLOCKS_H_
#define FF_ADAPTERS_SLACK_INCIDENT_BLOCKS_H_

#include <cstddef>
#include <string>

#include "firefighter/v1/incident_service.pb.h"
#include "nlohmann/json.hpp"

namespace ff::slack {

namespace pb = ::firefighter::v1;

// How many incidents `/incident list` shows; the rest are counted.
inline constexpr int kListShown = 15;

// InfoMessage is the answer to `/incident info`: the title, a fields block
// (status, severity with its meaning, domain, reporter, the three roles,
// opened and closed), the description, the links, and when it was opened.
nlohmann::json InfoMessage(const pb::Incident& incident);

// IncidentList: what `/incident list` shows.
struct IncidentList {
  bool all = false;                // closed incidents included
  pb::ListIncidentsResponse page;  // newest first
};

// ListMessage is the answer to `/incident list`: a heading, one section
// per incident (the first kListShown of the page) and "…and N more" when
// there are more (N+ when the page is not the last).
nlohmann::json ListMessage(const IncidentList& list);

}  // namespace ff::slack

#endif  // FF_ADAPTERS_SLACK_INCIDENT_BLOCKS_H_
