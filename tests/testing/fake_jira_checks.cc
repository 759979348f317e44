// The fake Jira's validators: Atlassian Document Format documents and the
// JQL subset it answers.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/fake_jira.h"

namespace ff::testing {
namespace {

using json = nlohmann::json;

// What each block node may hold; "inline" for text-level content.
const std::map<std::string, std::set<std::string>>& BlockChildren() {
  static const auto* kChildren = new std::map<std::string, std::set<std::string>>{
      {"paragraph", {"inline"}},
      {"heading", {"inline"}},
      {"bulletList", {"listItem"}},
      {"orderedList", {"listItem"}},
      {"listItem", {"paragraph", "bulletList", "orderedList", "codeBlock"}},
      {"blockquote", {"paragraph", "bulletList", "orderedList", "codeBlock"}},
      {"codeBlock", {"text"}},
      {"rule", {}},
  };
  return *kChildren;
}

const std::set<std::string>& TopLevelBlocks() {
  static const auto* kBlocks = new std::set<std::string>{
      "paragraph", "heading", "bulletList", "orderedList", "blockquote", "codeBlock", "rule"};
  return *kBlocks;
}

std::string MarkError(const json& mark) {
  static const std::set<std::string> kMarks = {"strong", "em",        "code",
                                               "strike", "underline", "link"};
  if (!mark.is_object() || !mark.contains("type") || !mark["type"].is_string() ||
      kMarks.count(mark["type"].get<std::string>()) == 0) {
    return absl::StrCat("unknown mark ", mark.dump());
  }
  if (mark["type"] == "link") {
    const json attrs = mark.value("attrs", json());
    if (!attrs.is_object() || !attrs.contains("href") || !attrs["href"].is_string() ||
        attrs["href"].get<std::string>().empty()) {
      return "link mark without attrs.href";
    }
  }
  return "";
}

std::string InlineError(const json& node) {
  std::string type = node.value("type", "");
  if (type == "hardBreak") return "";
  if (type != "text") return absl::StrCat("unknown inline node \"", type, "\"");
  if (!node.contains("text") || !node["text"].is_string() ||
      node["text"].get<std::string>().empty()) {
    return "text node with empty text";
  }
  if (node.contains("marks")) {
    if (!node["marks"].is_array()) return "marks is not an array";
    for (const json& mark : node["marks"]) {
      if (std::string error = MarkError(mark); !error.empty()) return error;
    }
  }
  return "";
}

std::string NodeError(const json& node, const std::set<std::string>& allowed);

std::string ContentError(const json& node, const std::set<std::string>& allowed) {
  if (!node.contains("content")) return "";
  if (!node["content"].is_array()) return "content is not an array";
  for (const json& child : node["content"]) {
    if (std::string error = NodeError(child, allowed); !error.empty()) return error;
  }
  return "";
}

std::string NodeError(const json& node, const std::set<std::string>& allowed) {
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string()) {
    return "a node without a type";
  }
  std::string type = node["type"];
  if (allowed.count("inline") > 0) return InlineError(node);
  if (type == "text" && allowed.count("text") > 0) return InlineError(node);
  auto children = BlockChildren().find(type);
  if (children == BlockChildren().end()) {
    return absl::StrCat("unknown node type \"", type, "\"");
  }
  if (allowed.count(type) == 0) return absl::StrCat("\"", type, "\" is not allowed here");
  if (type == "heading") {
    int level = node.value("attrs", json::object()).value("level", 0);
    if (level < 1 || level > 6) return "heading without attrs.level 1-6";
  }
  return ContentError(node, children->second);
}

bool IsJqlWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

// JqlValue reads a quoted or bare value at `pos`; nullopt when none.
std::optional<std::string> JqlValue(const std::string& jql, size_t& pos) {
  if (pos < jql.size() && jql[pos] == '"') {
    std::string value;
    for (++pos; pos < jql.size(); ++pos) {
      if (jql[pos] == '\\' && pos + 1 < jql.size()) {
        value += jql[++pos];
      } else if (jql[pos] == '"') {
        ++pos;
        return value;
      } else {
        value += jql[pos];
      }
    }
    return std::nullopt;  // unterminated
  }
  size_t start = pos;
  while (pos < jql.size() && IsJqlWordChar(jql[pos])) ++pos;
  if (pos == start) return std::nullopt;
  return jql.substr(start, pos - start);
}

void SkipSpace(const std::string& jql, size_t& pos) {
  while (pos < jql.size() && absl::ascii_isspace(static_cast<unsigned char>(jql[pos]))) ++pos;
}

}  // namespace

std::string JiraDocError(const json& doc) {
  if (!doc.is_object() || doc.value("type", "") != "doc") return "the root is not of type doc";
  if (!doc.contains("version") || doc["version"] != 1) return "the doc's version is not 1";
  if (!doc.contains("content") || !doc["content"].is_array()) return "the doc has no content";
  return ContentError(doc, TopLevelBlocks());
}

std::optional<std::vector<JiraClause>> ParseJiraJql(const std::string& jql, std::string* error) {
  static const std::set<std::string> kFields = {"project", "labels", "key"};
  std::vector<JiraClause> clauses;
  size_t pos = 0;
  SkipSpace(jql, pos);
  while (pos < jql.size()) {
    if (!clauses.empty()) {
      if (absl::AsciiStrToLower(jql.substr(pos, 3)) != "and") break;
      pos += 3;
      SkipSpace(jql, pos);
    }
    std::optional<std::string> field = JqlValue(jql, pos);
    SkipSpace(jql, pos);
    if (!field || pos >= jql.size() || jql[pos] != '=') break;
    ++pos;
    SkipSpace(jql, pos);
    std::optional<std::string> value = JqlValue(jql, pos);
    if (!value) break;
    std::string name = absl::AsciiStrToLower(*field);
    if (kFields.count(name) == 0) {
      *error = absl::StrCat("Field '", *field,
                            "' does not exist or you do not have permission "
                            "to view it.");
      return std::nullopt;
    }
    clauses.push_back({name, *value});
    SkipSpace(jql, pos);
  }
  if (pos < jql.size()) {
    *error = absl::StrCat("Error in the JQL Query: the query could not be parsed at character ",
                          pos, ".");
    return std::nullopt;
  }
  if (clauses.empty()) {
    *error =
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your "
        "query.";
    return std::nullopt;
  }
  return clauses;
}

}  // namespace ff::testing
