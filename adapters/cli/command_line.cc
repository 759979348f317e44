#include "adapters/cli/command_line.h"

#include <cstdlib>
#include <map>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "adapters/cli/default_user.h"
#include "adapters/cli/exit_codes.h"
#include "adapters/cli/raw_args.h"
#include "adapters/cli/value_parsing.h"
#include "clients/incident/vocabulary.h"

namespace ff::cli {
namespace {

// A CLI11 check that runs one of our Parse* functions on the value.
template <typename ParseFn>
CLI::Validator Check(ParseFn parse) {
  return CLI::Validator(
      [parse](std::string& value) -> std::string {
        auto parsed = parse(value);
        return parsed.ok() ? std::string() : std::string(parsed.status().message());
      },
      "");
}

// Statuses, severities and close reasons are read by BuildInvocation with
// the vocabulary's parsers (which name the flag themselves), so their help
// lists the vocabulary's words rather than a copy of them.
std::string OneOf(const std::string& words) { return absl::StrCat("one of ", words); }
std::string StatusHelp() { return OneOf(WordList(AllStatuses())); }
std::string SeverityHelp() { return OneOf(absl::StrCat(WordList(AllSeverities()), " (or 1..5)")); }

void AddGlobalOptions(CLI::App* app, RawArgs* raw) {
  app->add_option("--addr", raw->addr, "server address (env FF_ADDR)")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  app->add_option("--timeout", raw->timeout, "deadline of each call, e.g. 2s, 500ms")
      ->type_name("DURATION")
      ->check(Check(ParseTimeout))
      ->capture_default_str();
  app->add_option("-o,--output", raw->output, "output format: table or json")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app->add_option("--token-file", raw->token_file,
                  "file holding the bearer token (default: env FF_TOKEN)")
      ->type_name("FILE");
  app->add_flag("--tls", raw->tls, "connect with TLS, verifying the server with the system's CAs");
  app->add_option("--tls-ca", raw->tls_ca, "connect with TLS, verifying the server with this CA")
      ->type_name("PEM")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-cert", raw->tls_cert, "client certificate, for servers that ask one")
      ->type_name("PEM")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-key", raw->tls_key, "key of --tls-cert")
      ->type_name("PEM")
      ->check(CLI::ExistingFile);
}

void AddId(CLI::App* sub, RawArgs* raw) {
  sub->add_option("ID", raw->id, "incident id, e.g. 42 or #42")
      ->required()
      ->type_name("")
      ->check(Check(ParseIncidentId));
}

void AddActor(CLI::App* sub, RawArgs* raw, const char* name) {
  sub->add_option(name, raw->actor,
                  "who does it (default: $FF_USER, git's user.email or the login name)");
}

void AddFilters(CLI::App* sub, RawArgs* raw) {
  sub->add_option("--status", raw->statuses,
                  absl::StrCat("only these statuses (repeatable): ", StatusHelp()))
      ->type_name("STATUS");
  sub->add_option("--severity", raw->severities,
                  absl::StrCat("only these severities (repeatable): ", SeverityHelp()))
      ->type_name("SEV");
  sub->add_option("--domain", raw->domain, "only this domain");
}

void DeclareOpen(CLI::App* sub, RawArgs* raw) {
  sub->add_option("--title", raw->title, "what is broken (at most 200 characters)")->required();
  sub->add_option("--description", raw->description, "details, impact");
  sub->add_option("--domain", raw->domain, "affected domain (see 'ff domains')")->required();
  sub->add_option("--severity", raw->severity, SeverityHelp())->type_name("SEV")->required();
  sub->add_flag("--oncall", raw->oncall, "page the domain's on-call engineer");
  AddActor(sub, raw, "--reporter");
  sub->add_option("--dedup-key", raw->dedup_key, "return the open incident with this key, if any");
}

void DeclareUpdate(CLI::App* sub, RawArgs* raw) {
  AddId(sub, raw);
  sub->add_option("--status", raw->status, StatusHelp())->type_name("STATUS");
  sub->add_option("--severity", raw->severity, SeverityHelp())->type_name("SEV");
  sub->add_option("--commander", raw->commander, "incident commander (\"\" removes)");
  sub->add_option("--comms-lead", raw->comms_lead, "communication lead (\"\" removes)");
  sub->add_option("--ops-lead", raw->ops_lead, "operations lead (\"\" removes)");
  sub->add_option("--title", raw->title, "new title");
  sub->add_option("--description", raw->description, "new description");
  sub->add_option("--message", raw->message, "why (required to go back or reopen)");
  sub->add_option("--expected-version", raw->expected_version,
                  "fail with exit 5 if the incident changed since this version");
  AddActor(sub, raw, "--actor");
}

void DeclareClose(CLI::App* sub, RawArgs* raw) {
  AddId(sub, raw);
  raw->reason = std::string(Word(pb::CLOSE_REASON_RESOLVED));
  sub->add_option("--reason", raw->reason, OneOf(WordList(AllCloseReasons())))
      ->type_name("REASON")
      ->capture_default_str();
  sub->add_option("--message", raw->message, "closing remark");
  sub->add_option("--expected-version", raw->expected_version,
                  "fail with exit 5 if the incident changed since this version");
  AddActor(sub, raw, "--actor");
}

void DeclareList(CLI::App* sub, RawArgs* raw) {
  AddFilters(sub, raw);
  sub->add_option("--limit", raw->limit, "incidents per page (1..500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  sub->add_flag("--all", raw->all, "follow pages until the last incident");
}

void DeclareDeliveries(CLI::App* sub, RawArgs* raw) {
  sub->add_option("--incident", raw->incident, "only this incident's deliveries, e.g. 42 or #42")
      ->type_name("ID")
      ->check(Check(ParseIncidentId));
  sub->add_option("--state", raw->states,
                  "only these states: pending, delivered, dead (repeatable)")
      ->type_name("STATE")
      ->check(Check(ParseDeliveryState));
  sub->add_option("--notifier", raw->notifier, "only this notifier, e.g. slack");
  sub->add_option("--limit", raw->limit, "deliveries per page (1..500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  sub->add_flag("--all", raw->all, "follow pages until the last delivery");
}

void DeclareRetryDelivery(CLI::App* sub, RawArgs* raw) {
  sub->add_option("ID", raw->id, "delivery id, as 'ff deliveries' shows it")
      ->required()
      ->type_name("")
      ->check(Check(ParseDeliveryId));
  AddActor(sub, raw, "--actor");
}

void DeclareStats(CLI::App* sub, RawArgs* raw) {
  auto time_check = Check(
      [](const std::string& v) { return ParseTimeArg(v, absl::Now(), absl::LocalTimeZone()); });
  sub->add_option("--since", raw->since,
                  "incidents opened from (default: 30 days before --until): 2026-01-31, "
                  "'2026-01-31 10:00', RFC 3339, or an age like 7d")
      ->type_name("TIME")
      ->check(time_check);
  sub->add_option("--until", raw->until, "incidents opened before (default: now)")
      ->type_name("TIME")
      ->check(time_check);
  sub->add_option("--severity", raw->severities,
                  absl::StrCat("only these severities (repeatable): ", SeverityHelp()))
      ->type_name("SEV");
  sub->add_option("--domain", raw->domain, "only this domain");
}

void DeclareNote(CLI::App* sub, RawArgs* raw) {
  AddId(sub, raw);
  sub->add_option("TEXT", raw->text, "the note")->required();
  sub->add_option("--kind", raw->kind, "entry kind (default: note)");
  AddActor(sub, raw, "--actor");
}

constexpr const char* kFooter = R"(
Environment: FF_ADDR (server address), FF_USER (default actor/reporter; else
git's user.email, else the login name), FF_TOKEN (bearer token), NO_COLOR.
Exit codes: 0 ok, 1 other error, 2 usage, 3 not found, 4 refused by the workflow
rules (or retrying a delivery that is not dead), 5 conflict (stale
--expected-version), 6 server unreachable or timed out, 7 not allowed
(missing or unknown token, or a role without the permission).
Run 'ff COMMAND --help' for a command's options.
)";

// Parser owns the CLI11 app and the strings it fills.
class Parser {
 public:
  Parser();
  ParseResult Parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

 private:
  CLI::App* Subcommand(const char* name, const char* description, Command command);
  ParseResult Help(std::ostream& out, std::ostream& err) const;
  ParseResult Usage(std::ostream& err, const std::string& message) const;
  void RecordGivenOptions(const CLI::App& sub);

  CLI::App app_{"ff: FireFighter incidents from the terminal.", "ff"};
  RawArgs raw_;
  std::map<const CLI::App*, Command> commands_;
  CLI::App* help_ = nullptr;
};

Parser::Parser() {
  raw_.actor = DefaultUser();
  // Not CLI11's envname(): --addr is declared on every subcommand too, and
  // CLI11 would let the environment overwrite a value given on the other one.
  if (const char* addr = std::getenv("FF_ADDR"); addr != nullptr && *addr != '\0') {
    raw_.addr = addr;
  }
  if (const char* token = std::getenv("FF_TOKEN"); token != nullptr && *token != '\0') {
    raw_.token = token;
  }
  app_.footer(kFooter);
  app_.require_subcommand(0, 1);
  AddGlobalOptions(&app_, &raw_);
  DeclareOpen(Subcommand("open", "Open an incident", Command::kOpen), &raw_);
  DeclareUpdate(Subcommand("update", "Change an incident's status, severity, roles or details",
                           Command::kUpdate),
                &raw_);
  DeclareClose(Subcommand("close", "Close an incident", Command::kClose), &raw_);
  AddId(Subcommand("info", "Show one incident", Command::kInfo), &raw_);
  DeclareList(Subcommand("list", "List incidents, newest first", Command::kList), &raw_);
  AddId(Subcommand("timeline", "Show an incident's timeline, oldest first", Command::kTimeline),
        &raw_);
  DeclareNote(Subcommand("note", "Add a note to an incident's timeline", Command::kNote), &raw_);
  AddFilters(
      Subcommand("watch", "Print every change as it happens (Ctrl-C stops)", Command::kWatch),
      &raw_);
  Subcommand("domains", "List the configured domains", Command::kDomains);
  DeclareDeliveries(
      Subcommand("deliveries", "List notification deliveries, newest first", Command::kDeliveries),
      &raw_);
  DeclareRetryDelivery(
      Subcommand("retry-delivery", "Put a dead delivery back in line", Command::kRetryDelivery),
      &raw_);
  DeclareStats(
      Subcommand("stats", "Show response times (acknowledge, fix, close) per severity and domain",
                 Command::kStats),
      &raw_);
  help_ = app_.add_subcommand("help", "Show help for ff or for one command");
  help_->add_option("COMMAND", raw_.help_topic, "command to describe");
  // Extras are allowed at the top only, so that an unknown command is
  // reported as such instead of as "A subcommand is required".
  app_.allow_extras();
}

CLI::App* Parser::Subcommand(const char* name, const char* description, Command command) {
  CLI::App* sub = app_.add_subcommand(name, description);
  sub->allow_extras(false);
  AddGlobalOptions(sub, &raw_);
  commands_[sub] = command;
  return sub;
}

ParseResult Parser::Usage(std::ostream& err, const std::string& message) const {
  std::vector<CLI::App*> subs = app_.get_subcommands();
  std::string hint = subs.empty() ? "ff help" : absl::StrCat("ff ", subs[0]->get_name(), " --help");
  err << "ff: " << message << "\nRun '" << hint << "' for usage.\n";
  return {std::nullopt, kExitUsage};
}

ParseResult Parser::Help(std::ostream& out, std::ostream& err) const {
  if (raw_.help_topic.empty()) {
    // Not app_.help(): it would describe the selected subcommand, "help".
    out << app_.get_formatter()->make_help(&app_, "ff", CLI::AppFormatMode::Normal);
    return {std::nullopt, kExitOk};
  }
  for (const auto& [sub, command] : commands_) {
    if (sub->get_name() == raw_.help_topic) {
      out << sub->help("ff", CLI::AppFormatMode::Normal);
      return {std::nullopt, kExitOk};
    }
  }
  err << "ff: unknown command '" << raw_.help_topic << "'\nRun 'ff help' for usage.\n";
  return {std::nullopt, kExitUsage};
}

void Parser::RecordGivenOptions(const CLI::App& sub) {
  for (const CLI::Option* option : sub.get_options()) {
    if (option->count() == 0) continue;
    for (const std::string& name : option->get_lnames()) raw_.given.insert("--" + name);
  }
}

ParseResult Parser::Parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app_.help();
    return {std::nullopt, kExitOk};
  } catch (const CLI::CallForAllHelp&) {
    out << app_.help("", CLI::AppFormatMode::All);
    return {std::nullopt, kExitOk};
  } catch (const CLI::ParseError& e) {
    return Usage(err, e.what());
  }
  if (help_->parsed()) return Help(out, err);
  std::vector<std::string> extras = app_.remaining(true);
  std::vector<CLI::App*> subs = app_.get_subcommands();
  if (subs.empty()) {
    return Usage(err, extras.empty() ? std::string("no command given")
                                     : absl::StrCat("unknown command '", extras[0], "'"));
  }
  if (!extras.empty()) {
    return Usage(err, absl::StrCat("unexpected argument '", extras[0], "'"));
  }
  RecordGivenOptions(*subs[0]);
  absl::StatusOr<Invocation> invocation = BuildInvocation(commands_.at(subs[0]), raw_);
  if (!invocation.ok()) return Usage(err, std::string(invocation.status().message()));
  return {*std::move(invocation), kExitOk};
}

}  // namespace

ParseResult ParseCommandLine(int argc, const char* const* argv, std::ostream& out,
                             std::ostream& err) {
  Parser parser;
  return parser.Parse(argc, argv, out, err);
}

}  // namespace ff::cli
