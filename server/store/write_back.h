// How a delivered notification's write-back changes its incident, the same
// for every OutboxStore (see StoreTransaction::MarkDelivered). Pure function.
#ifndef FF_SERVER_STORE_WRITE_BACK_H_
#define FF_SERVER_STORE_WRITE_BACK_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "server/core/workflow.h"
#include "server/store/outbox_store.h"

namespace ff {

// ApplyWriteBack adds the links and participants of `write_back` to
// `incident` and returns the records describing what changed (none when
// nothing did and there is no note).
std::vector<ChangeRecord> ApplyWriteBack(pb::Incident& incident, const WriteBack& write_back,
                                         absl::Time now);

}  // namespace ff

#endif  // FF_SERVER_STORE_WRITE_BACK_H_
