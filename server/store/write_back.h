// What the OutboxStore implementations share: how a delivered notification's
// write-back changes its incident, and the status of an unknown delivery.
// Pure functions.
#ifndef FF_SERVER_STORE_WRITE_BACK_H_
#define FF_SERVER_STORE_WRITE_BACK_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/core/workflow.h"
#include "server/store/outbox_store.h"

namespace ff {

// ApplyWriteBack adds the links and participants of `write_back` to
// `incident` and returns the records describing what changed (none when
// nothing did and there is no note).
std::vector<ChangeRecord> ApplyWriteBack(pb::Incident& incident, const WriteBack& write_back,
                                         absl::Time now);

// NotFoundDelivery is the NOT_FOUND status for delivery `id`.
absl::Status NotFoundDelivery(int64_t id);

}  // namespace ff

#endif  // FF_SERVER_STORE_WRITE_BACK_H_
