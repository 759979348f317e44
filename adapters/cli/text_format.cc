#include "adapters/cli/text_format.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ff::cli {
namespace {

const char* AnsiCode(Style style) {
  switch (style) {
    case Style::kPlain:
      return "";
    case Style::kBold:
      return "\033[1m";
    case Style::kDim:
      return "\033[2m";
    case Style::kRed:
      return "\033[31m";
    case Style::kBoldRed:
      return "\033[1;31m";
    case Style::kYellow:
      return "\033[33m";
    case Style::kGreen:
      return "\033[32m";
    case Style::kCyan:
      return "\033[36m";
  }
  return "";
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string HumanDuration(absl::Duration d) {
  int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(d));
  if (seconds < 60) return absl::StrCat(seconds, "s");
  int64_t minutes = seconds / 60;
  if (minutes < 60) return absl::StrCat(minutes, "m");
  int64_t hours = minutes / 60;
  if (hours < 24) return absl::StrFormat("%dh%02dm", hours, minutes % 60);
  return absl::StrCat(hours / 24, "d");
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return absl::InfinitePast();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

std::string FormatDateTime(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfinitePast()) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, zone);
}

std::string FormatClock(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfinitePast()) return "-";
  return absl::FormatTime("%H:%M:%S", t, zone);
}

std::string Styled(const std::string& text, Style style, bool colour) {
  if (!colour || style == Style::kPlain) return text;
  return absl::StrCat(AnsiCode(style), text, "\033[0m");
}

size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !IsContinuationByte(c); }));
}

std::string Truncate(const std::string& text, size_t width) {
  if (DisplayWidth(text) <= width) return text;
  size_t kept = 0;  // code points kept, leaving one column for the ellipsis
  size_t end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && IsContinuationByte(text[next])) ++next;
    if (kept + 1 > width - 1) break;
    ++kept;
    end = next;
  }
  return text.substr(0, end) + "…";
}

TextTable::TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void TextTable::AddRow(std::vector<Cell> cells) { rows_.push_back(std::move(cells)); }

void TextTable::Print(std::ostream& out, bool colour) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i].text));
    }
  }
  std::vector<Cell> header;
  for (const std::string& h : headers_) header.emplace_back(h, Style::kBold);
  PrintRow(out, header, widths, colour);
  for (const auto& row : rows_) PrintRow(out, row, widths, colour);
}

void TextTable::PrintRow(std::ostream& out, const std::vector<Cell>& row,
                         const std::vector<size_t>& widths, bool colour) const {
  std::string line;
  for (size_t i = 0; i < row.size(); ++i) {
    line += Styled(row[i].text, row[i].style, colour);
    if (i + 1 == row.size()) break;
    line.append(widths[i] - DisplayWidth(row[i].text) + 2, ' ');
  }
  out << line << '\n';
}

}  // namespace ff::cli
