// ListByRecords: a page read through Store::ListRecords, each record parsed
// back into the incident it stands for, for the store tests to compare with
// what List and Get answer.
#ifndef FF_TESTS_STORE_RECORD_PAGE_H_
#define FF_TESTS_STORE_RECORD_PAGE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/store/store.h"

namespace ff::testing {

struct RecordPage {
  std::vector<pb::Incident> incidents;  // each record with its id set
  int64_t next_before_id = 0;
};

// ListByRecords lists like Store::List. A record that does not parse, that
// carries an id, or whose status or severity differ from those handed over
// beside it is an INTERNAL error naming the incident.
inline absl::StatusOr<RecordPage> ListByRecords(Store& store, const IncidentFilter& filter,
                                                int32_t limit, int64_t before_id) {
  RecordPage page;
  absl::Status bad;
  auto next = store.ListRecords(filter, limit, before_id, [&](const IncidentRecord& listed) {
    pb::Incident incident;
    if (!incident.ParseFromArray(listed.record.data(), static_cast<int>(listed.record.size()))) {
      bad = absl::InternalError(absl::StrCat("incident #", listed.id, ": record does not parse"));
    } else if (incident.id() != 0) {
      bad = absl::InternalError(absl::StrCat("incident #", listed.id, ": record carries an id"));
    } else if (incident.status() != listed.status || incident.severity() != listed.severity) {
      bad = absl::InternalError(
          absl::StrCat("incident #", listed.id, ": status or severity differ from the record's"));
    }
    incident.set_id(listed.id);
    page.incidents.push_back(std::move(incident));
  });
  if (!next.ok()) return next.status();
  if (!bad.ok()) return bad;
  page.next_before_id = *next;
  return page;
}

}  // namespace ff::testing

#endif  // FF_TESTS_STORE_RECORD_PAGE_H_
