#include "tests/testing/prometheus_text.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ff::testing {
namespace {

bool IsName(absl::string_view s, bool colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
              (colon && c == ':') || (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

bool ParseValue(absl::string_view text, double* value) {
  if (text == "+Inf" || text == "Inf") {
    *value = HUGE_VAL;
    return true;
  }
  if (text == "-Inf") {
    *value = -HUGE_VAL;
    return true;
  }
  if (text == "NaN") {
    *value = std::nan("");
    return true;
  }
  std::string s(text);
  char* end = nullptr;
  *value = std::strtod(s.c_str(), &end);
  return !s.empty() && end == s.c_str() + s.size() && !absl::StrContains(s, "n") &&
         !absl::StrContains(s, "N");
}

// Parser keeps the state of one parse.
class Parser {
 public:
  absl::StatusOr<std::map<std::string, PromFamily>> Parse(const std::string& text);

 private:
  absl::Status Fail(const std::string& why) const {
    return absl::InvalidArgumentError(absl::StrCat("line ", line_no_, ": ", why));
  }
  absl::Status Comment(absl::string_view line);
  absl::Status Sample(absl::string_view line);
  absl::Status Labels(absl::string_view* rest, PromSample* sample);
  // FamilyOf maps a sample name to its family (histogram suffixes).
  std::string FamilyOf(const std::string& sample) const;
  absl::Status Enter(const std::string& family);
  absl::Status CheckHistogram(const PromFamily& family) const;

  std::map<std::string, PromFamily> families_;
  std::set<std::string> closed_;  // families whose samples are over
  std::set<std::string> series_;
  std::set<std::string> helped_;
  std::string current_;
  int line_no_ = 0;
};

absl::StatusOr<std::map<std::string, PromFamily>> Parser::Parse(const std::string& text) {
  if (!text.empty() && text.back() != '\n') return Fail("the text must end with a newline");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no_;
    if (line.empty()) continue;
    absl::Status s = absl::StartsWith(line, "#") ? Comment(line) : Sample(line);
    if (!s.ok()) return s;
  }
  for (const auto& [name, family] : families_) {
    if (family.type == "histogram") {
      absl::Status s = CheckHistogram(family);
      if (!s.ok()) return s;
    }
  }
  return families_;
}

absl::Status Parser::Enter(const std::string& family) {
  if (family == current_) return absl::OkStatus();
  if (closed_.count(family) > 0) {
    return Fail(absl::StrCat("family ", family, " appears again after another family"));
  }
  if (!current_.empty()) closed_.insert(current_);
  current_ = family;
  families_[family].name = family;
  return absl::OkStatus();
}

absl::Status Parser::Comment(absl::string_view line) {
  std::vector<absl::string_view> parts = absl::StrSplit(line, absl::MaxSplits(' ', 3));
  if (parts.size() < 3 || (parts[1] != "HELP" && parts[1] != "TYPE")) return absl::OkStatus();
  std::string name(parts[2]);
  if (!IsName(name, true)) return Fail(absl::StrCat("bad metric name \"", name, "\""));
  if (absl::Status s = Enter(name); !s.ok()) return s;
  PromFamily& family = families_[name];
  std::string text = parts.size() > 3 ? std::string(parts[3]) : "";
  if (parts[1] == "TYPE") {
    static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                 "untyped"};
    if (kTypes.count(text) == 0) return Fail(absl::StrCat("unknown type \"", text, "\""));
    if (!family.type.empty()) return Fail(absl::StrCat("second TYPE for ", name));
    if (!family.samples.empty()) return Fail(absl::StrCat("TYPE of ", name, " after samples"));
    family.type = text;
    return absl::OkStatus();
  }
  if (!helped_.insert(name).second) return Fail(absl::StrCat("second HELP for ", name));
  std::string help;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      help += text[i];
    } else if (i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
      help += text[++i] == 'n' ? '\n' : '\\';
    } else {
      return Fail("bad escape in HELP");
    }
  }
  family.help = help;
  return absl::OkStatus();
}

absl::Status Parser::Labels(absl::string_view* rest, PromSample* sample) {
  absl::ConsumePrefix(rest, "{");
  while (!absl::ConsumePrefix(rest, "}")) {
    size_t eq = rest->find('=');
    if (eq == absl::string_view::npos) return Fail("label without '='");
    std::string name(rest->substr(0, eq));
    if (!IsName(name, false)) return Fail(absl::StrCat("bad label name \"", name, "\""));
    rest->remove_prefix(eq + 1);
    if (!absl::ConsumePrefix(rest, "\"")) return Fail("label value must be quoted");
    std::string value;
    while (true) {
      if (rest->empty()) return Fail("unterminated label value");
      char c = rest->front();
      rest->remove_prefix(1);
      if (c == '"') break;
      if (c == '\n') return Fail("raw newline in a label value");
      if (c == '\\') {
        if (rest->empty()) return Fail("unterminated escape");
        char e = rest->front();
        rest->remove_prefix(1);
        if (e == '\\') {
          value += '\\';
        } else if (e == '"') {
          value += '"';
        } else if (e == 'n') {
          value += '\n';
        } else {
          return Fail(absl::StrCat("bad escape \\", std::string(1, e), " in a label value"));
        }
        continue;
      }
      value += c;
    }
    if (!sample->labels.emplace(name, value).second) {
      return Fail(absl::StrCat("label ", name, " twice"));
    }
    if (!absl::ConsumePrefix(rest, ",") && !absl::StartsWith(*rest, "}")) {
      return Fail("labels must be separated by ','");
    }
  }
  return absl::OkStatus();
}

std::string Parser::FamilyOf(const std::string& sample) const {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    if (!absl::EndsWith(sample, suffix)) continue;
    std::string base = sample.substr(0, sample.size() - strlen(suffix));
    auto it = families_.find(base);
    if (it != families_.end() && (it->second.type == "histogram" || it->second.type == "summary")) {
      return base;
    }
  }
  return sample;
}

absl::Status Parser::Sample(absl::string_view line) {
  size_t end = line.find_first_of("{ ");
  if (end == absl::string_view::npos) return Fail("sample without a value");
  PromSample sample;
  sample.name = std::string(line.substr(0, end));
  if (!IsName(sample.name, true))
    return Fail(absl::StrCat("bad metric name \"", sample.name, "\""));
  absl::string_view rest = line.substr(end);
  if (absl::StartsWith(rest, "{")) {
    if (absl::Status s = Labels(&rest, &sample); !s.ok()) return s;
  }
  if (!absl::ConsumePrefix(&rest, " ")) return Fail("a single space must precede the value");
  std::vector<absl::string_view> fields = absl::StrSplit(rest, ' ');
  if (fields.empty() || fields.size() > 2 || !ParseValue(fields[0], &sample.value)) {
    return Fail(absl::StrCat("bad sample value \"", std::string(rest), "\""));
  }
  std::string family = FamilyOf(sample.name);
  if (absl::Status s = Enter(family); !s.ok()) return s;
  PromFamily& f = families_[family];
  if (f.type.empty()) f.type = "untyped";
  if (f.type == "counter" && !(sample.value >= 0)) return Fail("a counter is negative");
  if (f.type == "histogram" && sample.name == family) {
    return Fail(absl::StrCat("histogram ", family, " sample without _bucket/_sum/_count"));
  }
  std::vector<std::string> pairs;
  for (const auto& [k, v] : sample.labels) pairs.push_back(absl::StrCat(k, "=", v));
  if (!series_.insert(absl::StrCat(sample.name, "{", absl::StrJoin(pairs, "\x1f"), "}")).second) {
    return Fail(absl::StrCat("series ", sample.name, " repeated"));
  }
  f.samples.push_back(std::move(sample));
  return absl::OkStatus();
}

absl::Status Parser::CheckHistogram(const PromFamily& family) const {
  // Group by label set without "le".
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // le, count
    double count = -1;
    bool sum = false;
  };
  std::map<std::map<std::string, std::string>, Series> by_labels;
  for (const PromSample& s : family.samples) {
    std::map<std::string, std::string> labels = s.labels;
    if (s.name == family.name + "_bucket") {
      auto le = labels.find("le");
      double bound = 0;
      if (le == labels.end() || !ParseValue(le->second, &bound)) {
        return absl::InvalidArgumentError(absl::StrCat(family.name, ": bucket without a valid le"));
      }
      labels.erase(le);
      by_labels[labels].buckets.push_back({bound, s.value});
    } else if (s.name == family.name + "_count") {
      by_labels[labels].count = s.value;
    } else {
      by_labels[labels].sum = true;
    }
  }
  for (const auto& [labels, series] : by_labels) {
    const auto& b = series.buckets;
    if (b.empty() || !std::isinf(b.back().first) || series.count < 0 || !series.sum) {
      return absl::InvalidArgumentError(
          absl::StrCat(family.name, ": a series lacks its +Inf bucket, _sum or _count"));
    }
    for (size_t i = 1; i < b.size(); ++i) {
      if (!(b[i].first > b[i - 1].first) || b[i].second < b[i - 1].second) {
        return absl::InvalidArgumentError(
            absl::StrCat(family.name, ": buckets must ascend in le and be cumulative"));
      }
    }
    if (b.back().second != series.count) {
      return absl::InvalidArgumentError(
          absl::StrCat(family.name, ": the +Inf bucket differs from _count"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::map<std::string, PromFamily>> ParsePrometheusText(const std::string& text) {
  Parser parser;
  return parser.Parse(text);
}

double FindSample(const std::map<std::string, PromFamily>& families, const std::string& family,
                  const std::string& name, const std::map<std::string, std::string>& labels) {
  auto f = families.find(family);
  if (f == families.end()) return -1;
  for (const PromSample& s : f->second.samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      match = match && it != s.labels.end() && it->second == v;
    }
    if (match) return s.value;
  }
  return -1;
}

}  // namespace ff::testing
