// Human-readable views of notification deliveries (the server's outbox): a
// table for `ff deliveries` and a card for the delivery `ff retry-delivery`
// put back in line.
// Thread-compatible: a DeliveryView is used by one thread at a time.
#ifndef FF_ADAPTERS_CLI_DELIVERY_VIEWS_H_
#define FF_ADAPTERS_CLI_DELIVERY_VIEWS_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "firefighter/v1/delivery.pb.h"

namespace ff::cli {
namespace pb = ::firefighter::v1;

class DeliveryView {
 public:
  // `out` must outlive the view. `colour` turns ANSI styles on; times are
  // shown in `zone`, relative times against `now`.
  DeliveryView(std::ostream& out, bool colour, absl::TimeZone zone, absl::Time now)
      : out_(out), colour_(colour), zone_(zone), now_(now) {}

  // DeliveryList prints a table: ID INCIDENT NOTIFIER EVENT STATE ATTEMPTS
  // NEXT/DELIVERED LAST ERROR (truncated), or "No deliveries." when empty.
  void DeliveryList(const pb::ListDeliveriesResponse& list) const;
  // Delivery prints a card: a title line, then one "key  value" line per field.
  void Delivery(const pb::Delivery& delivery) const;

 private:
  // When: "in 5s" / "due" for a pending delivery's next attempt, "3m ago"
  // for a delivered one, "-" otherwise.
  std::string When(const pb::Delivery& delivery) const;
  std::string DateTimeAndAge(absl::Time t) const;
  void Field(const char* key, const std::string& value) const;

  std::ostream& out_;
  bool colour_;
  absl::TimeZone zone_;
  absl::Time now_;
};

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_DELIVERY_VIEWS_H_
