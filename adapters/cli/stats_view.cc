#include "adapters/cli/stats_view.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/cli/text_format.h"
#include "clients/incident/vocabulary.h"

namespace ff::cli {
namespace {

void AddRow(TextTable& table, const std::string& group, const pb::StatsGroup& g) {
  std::vector<TextTable::Cell> cells = {TextTable::Cell(group, Style::kBold),
                                        absl::StrCat(g.incidents())};
  for (const pb::MilestoneStats* m :
       {&g.time_to_acknowledge(), &g.time_to_fix(), &g.time_to_close()}) {
    cells.emplace_back(absl::StrCat(m->count()));
    cells.emplace_back(StatsDuration(m->p50(), m->count() > 0));
    cells.emplace_back(StatsDuration(m->p90(), m->count() > 0));
  }
  table.AddRow(std::move(cells));
}

}  // namespace

std::string StatsDuration(const google::protobuf::Duration& d, bool set) {
  if (!set) return "-";
  int64_t seconds = d.seconds();
  if (seconds < 60) return absl::StrCat(seconds, "s");
  int64_t minutes = seconds / 60;
  if (minutes < 60) {
    return seconds % 60 == 0 ? absl::StrCat(minutes, "m")
                             : absl::StrFormat("%dm%02ds", minutes, seconds % 60);
  }
  int64_t hours = minutes / 60;
  if (hours < 24) return absl::StrFormat("%dh%02dm", hours, minutes % 60);
  return absl::StrFormat("%dd%02dh", hours / 24, hours % 24);
}

void PrintStats(const pb::GetStatsResponse& stats, absl::TimeZone zone, std::ostream& out,
                bool colour) {
  out << "Incidents opened " << FormatDateTime(ToTime(stats.start()), zone) << " to "
      << FormatDateTime(ToTime(stats.end()), zone) << ": " << stats.total().incidents() << " ("
      << stats.total().closed() << " closed)\n";
  if (stats.total().incidents() == 0) return;
  out << "\n";
  TextTable table({"GROUP", "INCIDENTS", "ACKED", "ACK P50", "ACK P90", "FIXED", "FIX P50",
                   "FIX P90", "CLOSED", "CLOSE P50", "CLOSE P90"});
  AddRow(table, "all", stats.total());
  for (const pb::StatsGroup& g : stats.by_severity())
    AddRow(table, std::string(Word(g.severity())), g);
  for (const pb::StatsGroup& g : stats.by_domain()) AddRow(table, g.domain(), g);
  table.Print(out, colour);
  out << "Acknowledged: opened to first move out of open. Fixed: occurred to fixed. "
         "Closed: opened to closed.\n";
}

}  // namespace ff::cli
