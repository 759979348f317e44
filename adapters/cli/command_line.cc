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

void AddFollowUpId(CLI::App* sub, RawArgs* raw) {
  sub->add_option("ID", raw->id, "follow-up id, e.g. 7 or FU-7")
      ->required()
      ->type_name("")
      ->check(Check(ParseFollowUpId));
}

void AddDueDate(CLI::App* sub, RawArgs* raw, const char* due_help, const char* no_due_help) {
  sub->add_option("--due", raw->due, due_help)->type_name("YYYY-MM-DD");
  sub->add_flag("--no-due", raw->no_due, no_due_help);
}

void DeclareFollowUpAdd(CLI::App* sub, RawArgs* raw) {
  sub->add_option("INCIDENT", raw->id, "incident id, e.g. 42 or #42")
      ->required()
      ->type_name("")
      ->check(Check(ParseIncidentId));
  sub->add_option("TITLE", raw->title, "what is to be done (at most 200 characters)")->required();
  sub->add_option("--description", raw->description, "details");
  sub->add_option("--owner", raw->owner, "who does it, e.g. an email");
  AddDueDate(sub, raw, "due date (default: the server's default for the incident's severity)",
             "no due date, whatever the severity's default");
  AddActor(sub, raw, "--actor");
}

void DeclareFollowUpList(CLI::App* sub, RawArgs* raw) {
  sub->add_option("INCIDENT", raw->incident, "only this incident's follow-ups, e.g. 42 or #42")
      ->type_name("")
      ->check(Check(ParseIncidentId));
  sub->add_flag("--mine", raw->mine, "only mine (the actor: $FF_USER, git's user.email, ...)");
  sub->add_option("--owner", raw->owner, "only this owner's");
  sub->add_option(
         "--status", raw->statuses,
         absl::StrCat("only these statuses (repeatable): ", OneOf(WordList(AllFollowUpStatuses()))))
      ->type_name("STATUS");
  sub->add_flag("--overdue", raw->overdue, "only open follow-ups past their due date");
  sub->add_option("--limit", raw->max_results, "show at most N (default: all)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
}

void DeclareFollowUpEdit(CLI::App* sub, RawArgs* raw) {
  AddFollowUpId(sub, raw);
  sub->add_option("--title", raw->title, "new title");
  sub->add_option("--description", raw->description, "new description");
  sub->add_option("--owner", raw->owner, "new owner (\"\" removes)");
  AddDueDate(sub, raw, "new due date", "remove the due date");
  sub->add_flag("--reopen", raw->reopen, "open a done or cancelled follow-up again");
  sub->add_option("--expected-version", raw->expected_version,
                  "fail with exit 5 if the follow-up changed since this version");
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
  CLI::App* Subcommand(const char* name, const char* description, Command command,
                       CLI::App* parent = nullptr);
  void DeclareFollowUp();
  ParseResult Help(std::ostream& out, std::ostream& err) const;
  ParseResult Usage(std::ostream& err, const std::string& message) const;
  void RecordGivenOptions(const CLI::App& sub);
  // Selected is the innermost subcommand given ("add" of `ff followup
  // add`), or nullptr; CommandPath names it from the top ("followup add").
  CLI::App* Selected() const;
  std::string CommandPath(const CLI::App* sub) const;

  CLI::App app_{"ff: FireFighter incidents from the terminal.", "ff"};
  RawArgs raw_;
  std::map<const CLI::App*, Command> commands_;
  CLI::App* help_ = nullptr;
  CLI::App* followup_ = nullptr;
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
  DeclareFollowUp();
  help_ = app_.add_subcommand("help", "Show help for ff or for one command");
  help_->add_option("COMMAND", raw_.help_topic, "command to describe");
  // Extras are allowed at the top only, so that an unknown command is
  // reported as such instead of as "A subcommand is required".
  app_.allow_extras();
}

CLI::App* Parser::Subcommand(const char* name, const char* description, Command command,
                             CLI::App* parent) {
  CLI::App* sub = (parent != nullptr ? parent : &app_)->add_subcommand(name, description);
  sub->allow_extras(false);
  AddGlobalOptions(sub, &raw_);
  commands_[sub] = command;
  return sub;
}

// `ff followup VERB`: the verbs are subcommands of a group that does
// nothing by itself.
void Parser::DeclareFollowUp() {
  CLI::App* group = followup_ =
      app_.add_subcommand("followup", "Add, list, finish and edit an incident's follow-ups");
  group->require_subcommand(1);
  group->allow_extras(false);
  AddGlobalOptions(group, &raw_);
  DeclareFollowUpAdd(
      Subcommand("add", "Add a follow-up to an incident", Command::kFollowUpAdd, group), &raw_);
  DeclareFollowUpList(
      Subcommand("list", "List follow-ups, oldest first", Command::kFollowUpList, group), &raw_);
  CLI::App* done = Subcommand("done", "Mark a follow-up done", Command::kFollowUpDone, group);
  AddFollowUpId(done, &raw_);
  AddActor(done, &raw_, "--actor");
  CLI::App* cancel = Subcommand("cancel", "Cancel a follow-up (it will not be done)",
                                Command::kFollowUpCancel, group);
  AddFollowUpId(cancel, &raw_);
  AddActor(cancel, &raw_, "--actor");
  DeclareFollowUpEdit(
      Subcommand("edit", "Change a follow-up's title, owner or due date, or reopen it",
                 Command::kFollowUpEdit, group),
      &raw_);
}

CLI::App* Parser::Selected() const {
  std::vector<CLI::App*> subs = app_.get_subcommands();
  CLI::App* selected = nullptr;
  while (!subs.empty()) {
    selected = subs[0];
    subs = selected->get_subcommands();
  }
  return selected;
}

std::string Parser::CommandPath(const CLI::App* sub) const {
  std::string path = sub->get_name();
  for (const CLI::App* up = sub->get_parent(); up != nullptr && up != &app_;
       up = up->get_parent()) {
    path = absl::StrCat(up->get_name(), " ", path);
  }
  return path;
}

ParseResult Parser::Usage(std::ostream& err, const std::string& message) const {
  CLI::App* selected = Selected();
  std::string hint =
      selected == nullptr ? "ff help" : absl::StrCat("ff ", CommandPath(selected), " --help");
  err << "ff: " << message << "\nRun '" << hint << "' for usage.\n";
  return {std::nullopt, kExitUsage};
}

ParseResult Parser::Help(std::ostream& out, std::ostream& err) const {
  if (raw_.help_topic.empty()) {
    // Not app_.help(): it would describe the selected subcommand, "help".
    out << app_.get_formatter()->make_help(&app_, "ff", CLI::AppFormatMode::Normal);
    return {std::nullopt, kExitOk};
  }
  if (raw_.help_topic == followup_->get_name()) {
    out << followup_->help("ff", CLI::AppFormatMode::Normal);
    return {std::nullopt, kExitOk};
  }
  for (const auto& [sub, command] : commands_) {
    if (sub->get_parent() == &app_ && sub->get_name() == raw_.help_topic) {
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
  CLI::App* selected = Selected();
  if (selected == nullptr) {
    return Usage(err, extras.empty() ? std::string("no command given")
                                     : absl::StrCat("unknown command '", extras[0], "'"));
  }
  if (!extras.empty()) {
    return Usage(err, absl::StrCat("unexpected argument '", extras[0], "'"));
  }
  RecordGivenOptions(*selected);
  absl::StatusOr<Invocation> invocation = BuildInvocation(commands_.at(selected), raw_);
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
