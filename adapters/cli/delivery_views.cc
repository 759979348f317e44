#include "adapters/cli/delivery_views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "adapters/cli/text_format.h"
#include "adapters/cli/value_parsing.h"

namespace ff::cli {
namespace {

constexpr size_t kErrorColumns = 60;
constexpr size_t kKeyColumns = 14;

Style StateStyle(int state) {
  switch (state) {
    case pb::DELIVERY_STATE_PENDING:
      return Style::kYellow;
    case pb::DELIVERY_STATE_DELIVERED:
      return Style::kGreen;
    case pb::DELIVERY_STATE_DEAD:
      return Style::kBoldRed;
    default:
      return Style::kPlain;
  }
}

// The event without its "incident." prefix, as `ff watch` shows it.
std::string ShortEvent(const std::string& event_type) {
  absl::string_view event = event_type;
  absl::ConsumePrefix(&event, "incident.");
  return event.empty() ? "-" : std::string(event);
}

// An HTTP error body may span lines; a table cell must not.
std::string OneLine(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

}  // namespace

std::string DeliveryView::When(const pb::Delivery& delivery) const {
  switch (delivery.state()) {
    case pb::DELIVERY_STATE_PENDING: {
      absl::Time next = ToTime(delivery.next_attempt_at());
      // Under a second away reads as due: the view shows whole seconds, and
      // the server's clock (which set the time) may run a little ahead of ours.
      if (next == absl::InfinitePast() || next - now_ < absl::Seconds(1)) return "due";
      return absl::StrCat("in ", HumanDuration(next - now_));
    }
    case pb::DELIVERY_STATE_DELIVERED: {
      absl::Time delivered = ToTime(delivery.delivered_at());
      if (delivered == absl::InfinitePast()) return "-";
      return absl::StrCat(HumanDuration(now_ - delivered), " ago");
    }
    default:
      return "-";
  }
}

std::string DeliveryView::DateTimeAndAge(absl::Time t) const {
  if (t == absl::InfinitePast()) return "-";
  std::string age = t > now_ ? absl::StrCat("in ", HumanDuration(t - now_))
                             : absl::StrCat(HumanDuration(now_ - t), " ago");
  return absl::StrCat(FormatDateTime(t, zone_), " (", age, ")");
}

void DeliveryView::Field(const char* key, const std::string& value) const {
  std::string padded(key);
  padded.resize(kKeyColumns, ' ');
  out_ << "  " << padded << value << '\n';
}

void DeliveryView::DeliveryList(const pb::ListDeliveriesResponse& list) const {
  if (list.deliveries().empty()) {
    out_ << "No deliveries.\n";
    return;
  }
  TextTable table(
      {"ID", "INCIDENT", "NOTIFIER", "EVENT", "STATE", "ATTEMPTS", "NEXT/DELIVERED", "LAST ERROR"});
  for (const pb::Delivery& d : list.deliveries()) {
    table.AddRow({absl::StrCat(d.id()),
                  absl::StrCat("#", d.incident_id()),
                  OrDash(d.notifier()),
                  ShortEvent(d.event_type()),
                  {DeliveryStateLabel(d.state()), StateStyle(d.state())},
                  absl::StrCat(d.attempts()),
                  When(d),
                  OrDash(Truncate(OneLine(d.last_error()), kErrorColumns))});
  }
  table.Print(out_, colour_);
}

void DeliveryView::Delivery(const pb::Delivery& d) const {
  out_ << Styled(absl::StrCat("Delivery ", d.id(), ": ", OrDash(d.event_type()), " of incident #",
                              d.incident_id(), " to ", OrDash(d.notifier())),
                 Style::kBold, colour_)
       << '\n';
  Field("state", Styled(DeliveryStateLabel(d.state()), StateStyle(d.state()), colour_));
  Field("attempts", absl::StrCat(d.attempts()));
  if (d.state() == pb::DELIVERY_STATE_PENDING) {
    Field("next attempt",
          absl::StrCat(FormatDateTime(ToTime(d.next_attempt_at()), zone_), " (", When(d), ")"));
  }
  if (d.has_delivered_at()) Field("delivered", DateTimeAndAge(ToTime(d.delivered_at())));
  Field("last error", OrDash(OneLine(d.last_error())));
  Field("created", DateTimeAndAge(ToTime(d.created_at())));
  Field("updated", DateTimeAndAge(ToTime(d.updated_at())));
}

}  // namespace ff::cli
