// Text formatting for terminal output: human durations and times, ANSI
// styles, and aligned tables. Pure apart from reading the local time zone;
// thread-safe.
#ifndef FF_ADAPTERS_CLI_TEXT_FORMAT_H_
#define FF_ADAPTERS_CLI_TEXT_FORMAT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace ff::cli {

// HumanDuration renders `d` at a glance: "45s", "3m", "2h05m", "4d".
// Negative durations render as "0s".
std::string HumanDuration(absl::Duration d);

// ToTime converts a timestamp; an unset one (all zero) is absl::InfinitePast().
absl::Time ToTime(const google::protobuf::Timestamp& ts);
// FormatDateTime renders "2026-01-01 10:00:00" in `zone`, or "-" when unset.
std::string FormatDateTime(absl::Time t, absl::TimeZone zone);
// FormatClock renders "10:00:00" in `zone`, or "-" when unset.
std::string FormatClock(absl::Time t, absl::TimeZone zone);

// OrDash returns `s`, or "-" for an empty value in a card or a table.
inline std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// How a piece of text is highlighted on a colour terminal.
enum class Style { kPlain, kBold, kDim, kRed, kBoldRed, kYellow, kGreen, kCyan };

// Styled wraps `text` in the ANSI codes of `style` when `colour` is true.
std::string Styled(const std::string& text, Style style, bool colour);

// DisplayWidth counts the code points of UTF-8 `text`: the columns it takes
// on a terminal for the scripts incident titles are written in.
size_t DisplayWidth(const std::string& text);
// Truncate shortens UTF-8 `text` to at most `width` columns, ending with
// "…" when it cut something. REQUIRES: width >= 1.
std::string Truncate(const std::string& text, size_t width);

// TextTable prints rows in columns aligned on their widest cell, with a
// header line. The last column is not padded. Not thread-safe.
class TextTable {
 public:
  struct Cell {
    Cell(std::string t, Style s = Style::kPlain) : text(std::move(t)), style(s) {}  // NOLINT
    Cell(const char* t, Style s = Style::kPlain) : text(t), style(s) {}             // NOLINT
    std::string text;
    Style style;
  };

  explicit TextTable(std::vector<std::string> headers);
  // REQUIRES: cells.size() == number of headers.
  void AddRow(std::vector<Cell> cells);
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out, bool colour) const;

 private:
  void PrintRow(std::ostream& out, const std::vector<Cell>& row, const std::vector<size_t>& widths,
                bool colour) const;

  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace ff::cli

#endif  // FF_ADAPTERS_CLI_TEXT_FORMAT_H_
