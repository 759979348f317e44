// firefighterd: the IncidentService server. The composition root: the only
// place that names concrete implementations and wires them together.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "common/host_port.h"
#include "common/lifecycle.h"
#include "common/status_macros.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "server/auth/authorizer.h"
#include "server/config/config.h"
#include "server/events/event_bus.h"
#include "server/grpc/incident_service.h"
#include "server/grpc/malformed_request.h"
#include "server/grpc/rpc_observer.h"
#include "server/logging/log.h"
#include "server/metrics/metrics_http.h"
#include "server/metrics/server_metrics.h"
#include "server/notifiers/builtin.h"
#include "server/outbox/dispatcher.h"
#include "server/reminders/reminder_scheduler.h"
#include "server/store/pg_store.h"
#include "server/store/sqlite_store.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace {

struct Flags {
  std::string listen = "127.0.0.1:50051";
  std::string db = "./firefighter.db";
  std::string config;
  std::string log_level = "info";
  std::string auth_tokens;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string log_format = "text";
  std::string metrics_listen;  // empty: no /metrics
  int db_pool_size = 8;
  int outbox_lease_seconds = 60;
};

// IsLoopback is true when HOST:PORT (or [V6]:PORT, or unix:PATH) can only be
// reached from this machine.
bool IsLoopback(const std::string& address) {
  if (absl::StartsWith(address, "unix:")) return true;
  return ff::IsLoopbackHost(address.substr(0, address.rfind(':')));
}

absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ServerCredentials is TLS when --tls-cert is given (verifying client
// certificates against --tls-client-ca when that is given too), else
// plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(const Flags& flags) {
  if (flags.tls_cert.empty() != flags.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together; give both or neither");
  }
  if (flags.tls_cert.empty()) {
    if (!flags.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  FF_ASSIGN_OR_RETURN(pair.cert_chain, ReadFile("--tls-cert", flags.tls_cert));
  FF_ASSIGN_OR_RETURN(pair.private_key, ReadFile("--tls-key", flags.tls_key));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!flags.tls_client_ca.empty()) {
    FF_ASSIGN_OR_RETURN(options.pem_root_certs, ReadFile("--tls-client-ca", flags.tls_client_ca));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

// Storage is the store behind both interfaces, SQLite or PostgreSQL.
struct Storage {
  std::unique_ptr<ff::Store> owner;
  ff::Store* store = nullptr;
  ff::OutboxStore* outbox = nullptr;
};

template <typename T>
Storage StorageOf(std::unique_ptr<T> store) {
  T* raw = store.get();
  return {std::move(store), raw, raw};
}

// OpenStorage opens --db: a postgresql:// URI, else a SQLite file.
absl::StatusOr<Storage> OpenStorage(const Flags& flags) {
  if (!ff::IsPostgresUri(flags.db)) {
    auto sqlite = ff::SqliteStore::Create(flags.db);
    if (!sqlite.ok()) return sqlite.status();
    return StorageOf(*std::move(sqlite));
  }
  ff::PgStoreOptions options;
  options.pool_size = flags.db_pool_size;
  options.claim_lease = absl::Seconds(flags.outbox_lease_seconds);
  auto pg = ff::PgStore::Create(flags.db, std::move(options));
  if (!pg.ok()) return pg.status();
  return StorageOf(*std::move(pg));
}

// Redacted is --db for the log: a URI loses its user, password and query.
std::string Redacted(const std::string& db) {
  if (!ff::IsPostgresUri(db)) return db;
  size_t scheme = db.find("://") + 3;
  size_t at = db.find('@', scheme);
  std::string rest = db.substr(at == std::string::npos ? scheme : at + 1);
  return db.substr(0, scheme) + rest.substr(0, rest.find('?'));
}

// WithPort replaces the port of HOST:PORT (or [V6]:PORT) with `port`; a
// unix:PATH address has no port and stays as it is.
std::string WithPort(const std::string& address, int port) {
  if (absl::StartsWith(address, "unix:")) return address;
  return absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
}

// Notifiers builds the configured notifiers; errors name the config key.
absl::StatusOr<std::vector<std::unique_ptr<ff::Notifier>>> Notifiers(const ff::ServerConfig& config,
                                                                     const ff::NotifierEnv& env) {
  ff::NotifierRegistry registry;
  if (absl::Status s = ff::RegisterBuiltinNotifiers(registry); !s.ok()) return s;
  return registry.CreateAll(config.notifiers, env);
}

ff::Dispatcher::Options DispatchOptions(const ff::ServerConfig& config) {
  ff::Dispatcher::Options options;
  options.retry.initial_backoff = config.initial_backoff;
  options.retry.max_backoff = config.max_backoff;
  options.retry.max_attempts = config.max_attempts;
  options.workers_per_notifier = config.workers_per_notifier;
  return options;
}

#ifndef FF_VERSION
#define FF_VERSION "dev"
#endif

// ObserveRpc counts a finished call and logs its line: method, code, latency
// and incident only (see rpc_observer.h for what is never logged).
void ObserveRpc(ff::ServerMetrics& metrics, const ff::RpcRecord& rpc) {
  const char* code = ff::StatusCodeName(rpc.code);
  metrics.ObserveRpc(rpc.method, code, rpc.latency);
  if (!ff::LogEnabled(spdlog::level::info)) return;
  nlohmann::json fields = {{"method", rpc.method},
                           {"code", code},
                           {"latency_ms", absl::ToDoubleMilliseconds(rpc.latency)}};
  if (rpc.incident_id > 0) fields["incident"] = rpc.incident_id;
  ff::LogEvent(spdlog::level::info, "rpc", fields);
}

std::optional<std::string> GetEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

// Daemon: every part firefighterd runs, declared in the order they are built
// (and so destroyed in reverse). Filled by the steps of Run.
struct Daemon {
  std::unique_ptr<ff::Authorizer> auth;
  std::shared_ptr<grpc::ServerCredentials> credentials;
  ff::ServerConfig config;
  Storage storage;
  std::string installation_id;
  std::unique_ptr<ff::DomainCatalog> domains;
  ff::SystemClock clock;
  std::unique_ptr<ff::CurlHttpClient> http;
  std::vector<std::unique_ptr<ff::Notifier>> notifiers;
  std::unique_ptr<ff::ServerMetrics> metrics;
  std::unique_ptr<ff::Dispatcher> dispatcher;
  std::unique_ptr<ff::EventBus> bus;
  std::unique_ptr<ff::ReminderScheduler> reminders;
  std::unique_ptr<ff::IncidentServiceImpl> service;
  std::unique_ptr<ff::MetricsHttpServer> metrics_http;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// LoadSettings reads what the flags name: the token file, the TLS files and
// the configuration. Its errors are the operator's to fix (exit status 2).
absl::Status LoadSettings(const Flags& flags, Daemon& d) {
  if (flags.auth_tokens.empty() && !IsLoopback(flags.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to listen on ", flags.listen,
        " without --auth-tokens: anyone who can reach that address could open, change and close "
        "any incident. Listen on 127.0.0.1, or give --auth-tokens FILE (see the README, \"Running "
        "it for a team\")"));
  }
  if (flags.auth_tokens.empty()) {
    d.auth = ff::Authorizer::Open();
  } else {
    auto auth = ff::Authorizer::FromFile(flags.auth_tokens);
    if (!auth.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--auth-tokens: ", auth.status().message()));
    }
    d.auth = *std::move(auth);
  }
  FF_ASSIGN_OR_RETURN(d.credentials, ServerCredentials(flags));
  FF_ASSIGN_OR_RETURN(
      d.config, flags.config.empty() ? ff::DefaultConfig() : ff::LoadConfigFile(flags.config));
  return absl::OkStatus();
}

// OpenDatabase opens --db and reads its installation id (exit status 1).
absl::Status OpenDatabase(const Flags& flags, Daemon& d) {
  FF_ASSIGN_OR_RETURN(d.storage, OpenStorage(flags));
  FF_ASSIGN_OR_RETURN(d.installation_id, d.storage.outbox->InstallationId());
  return absl::OkStatus();
}

// CreateNotifiers builds the configured notifiers; errors name the config
// key (exit status 2).
absl::Status CreateNotifiers(Daemon& d) {
  d.domains = std::make_unique<ff::DomainCatalog>(d.config.domains);
  d.http = ff::CurlHttpClient::Create();
  ff::NotifierEnv env{d.http.get(), &d.clock, d.domains.get(), GetEnv, d.installation_id};
  FF_ASSIGN_OR_RETURN(d.notifiers, Notifiers(d.config, env));
  return absl::OkStatus();
}

// Active lists the notifiers by pointer, in configuration order.
std::vector<ff::Notifier*> Active(const Daemon& d) {
  std::vector<ff::Notifier*> active;
  for (const auto& n : d.notifiers) active.push_back(n.get());
  return active;
}

// CountIncidents makes the metrics and counts the stored incidents into them
// (exit status 1).
absl::Status CountIncidents(Daemon& d) {
  std::vector<std::string> names;
  for (const auto& n : d.notifiers) names.emplace_back(n->name());
  d.metrics = std::make_unique<ff::ServerMetrics>(FF_VERSION, names);
  return d.metrics->LoadIncidents(d.storage.store);
}

// WireEvents connects a commit to everything that follows it: the outbox's
// routing, the watchers' bus, the metrics and the delivery workers, which it
// starts, with the reminders.
void WireEvents(Daemon& d) {
  std::vector<ff::Notifier*> active = Active(d);
  d.storage.outbox->SetOutboxRouter([active](const ff::pb::IncidentEvent& event) {
    std::vector<std::string> names;
    for (ff::Notifier* n : active) {
      if (n->Interested(event)) names.emplace_back(n->name());
    }
    return names;
  });
  ff::Dispatcher::Options dispatch = DispatchOptions(d.config);
  ff::ServerMetrics* metrics = d.metrics.get();
  dispatch.on_attempt = [metrics](absl::string_view notifier, absl::string_view result) {
    metrics->ObserveDeliveryAttempt(notifier, result);
  };
  dispatch.follow_ups = [store = d.storage.store, followups = &d.config.followups,
                         clock = &d.clock](int64_t incident_id) {
    absl::StatusOr<std::vector<ff::pb::FollowUp>> all = ff::FollowUpsOf(*store, incident_id);
    if (!all.ok()) return all;
    const absl::CivilDay today = ff::TodayIn(*followups, clock->Now());
    for (ff::pb::FollowUp& f : *all) f.set_overdue(ff::IsOverdue(f, today));
    return all;
  };
  d.dispatcher = std::make_unique<ff::Dispatcher>(d.storage.outbox, active, &d.clock, dispatch);
  ff::WatchLimits limits;
  limits.queue_events = static_cast<size_t>(d.config.watch_queue_limit);
  limits.buffer_bytes = d.config.watch_buffer_bytes;
  limits.max_streams = static_cast<size_t>(d.config.watch_max_streams);
  limits.max_streams_per_principal = static_cast<size_t>(d.config.watch_max_streams_per_principal);
  d.bus = std::make_unique<ff::EventBus>(limits);
  ff::Dispatcher* dispatcher = d.dispatcher.get();
  ff::EventBus* bus = d.bus.get();
  const bool notifying = !active.empty();  // without notifiers no commit makes work
  d.storage.store->SetCommitObserver([bus, dispatcher, metrics, notifying](const ff::Committed& c) {
    bus->Publish(c);
    metrics->ObserveCommit(c);
    if (notifying) dispatcher->Wake();
  });
  d.dispatcher->Start();
  d.reminders = std::make_unique<ff::ReminderScheduler>(d.storage.store, d.storage.outbox, &d.clock,
                                                        d.config.reminders, d.config.followups);
  if (d.config.reminders.enabled()) d.reminders->Start();
}

// ServeMetrics serves /metrics when --metrics-listen asks for it (exit
// status 1 when it cannot).
absl::Status ServeMetrics(const Flags& flags, Daemon& d) {
  if (flags.metrics_listen.empty()) return absl::OkStatus();
  ff::ServerMetrics* metrics = d.metrics.get();
  ff::OutboxStore* outbox = d.storage.outbox;
  ff::Store* store = d.storage.store;
  const ff::FollowUpSettings* followups = &d.config.followups;
  const ff::Clock* clock = &d.clock;
  auto follow_ups = [store, followups, clock] {
    return store->CountFollowUps(ff::FormatDueDate(ff::TodayIn(*followups, clock->Now())));
  };
  FF_ASSIGN_OR_RETURN(d.metrics_http, ff::MetricsHttpServer::Start(
                                          flags.metrics_listen, [metrics, outbox, follow_ups] {
                                            return metrics->Render(outbox, follow_ups);
                                          }));
  std::cout << "firefighterd metrics on " << WithPort(flags.metrics_listen, d.metrics_http->port())
            << std::endl;
  return absl::OkStatus();
}

// ServeGrpc starts the IncidentService with health, reflection and the RPC
// observer, and reports SERVING (exit status 1 when it cannot listen).
absl::Status ServeGrpc(const Flags& flags, Daemon& d) {
  d.service = std::make_unique<ff::IncidentServiceImpl>(d.storage.store, d.storage.outbox,
                                                        d.domains.get(), &d.clock, d.bus.get(),
                                                        d.auth.get(), d.config.followups);
  // gRPC's built-in health service does not use the generated messages;
  // touching them links their descriptors in, so reflection can describe it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  // First: the observer below then counts the status it replaces.
  observers.push_back(ff::MakeMalformedRequestFactory());
  ff::ServerMetrics* metrics = d.metrics.get();
  observers.push_back(ff::MakeRpcObserverFactory(
      [metrics](const ff::RpcRecord& rpc) { ObserveRpc(*metrics, rpc); }));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  builder.AddListeningPort(flags.listen, d.credentials, &d.port);
  builder.RegisterService(d.service.get());
  d.server = builder.BuildAndStart();
  if (d.server == nullptr || d.port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", flags.listen, ": address in use or invalid"));
  }
  d.server->GetHealthCheckService()->SetServingStatus("firefighter.v1.IncidentService", true);
  return absl::OkStatus();
}

void AnnounceServing(const Flags& flags, const Daemon& d) {
  std::string address = WithPort(flags.listen, d.port);
  std::cout << "firefighterd listening on " << address << std::endl;
  spdlog::info("serving IncidentService on {} ({}) with database {}; notifiers: {}; {}", address,
               flags.tls_cert.empty() ? "plaintext" : "TLS", Redacted(flags.db), d.notifiers.size(),
               d.auth->enabled()
                   ? absl::StrCat("bearer tokens: ", d.auth->TokenCount())
                   : std::string("no authentication (loopback only; see --auth-tokens)"));
}

// ReloadTokens is SIGHUP: the token file is read again; connections stay
// up, watch streams of a token no longer listed end (UNAUTHENTICATED), and a
// bad file keeps the previous tokens.
void ReloadTokens(const Flags& flags, ff::Authorizer& auth) {
  if (absl::Status reloaded = auth.Reload(); reloaded.ok()) {
    spdlog::info("reloaded {}: {} tokens", flags.auth_tokens, auth.TokenCount());
  } else {
    spdlog::error("kept the previous tokens: {}", std::string(reloaded.message()));
  }
}

// ShutdownSteps: after SIGTERM or SIGINT, in order (see common/lifecycle.h).
// Watch streams end with UNAVAILABLE "firefighterd is shutting down"; calls
// in flight get up to 10 s to finish; deliveries in flight finish and the
// pending ones stay stored for the next start.
// TODO(#15): gRPC's built-in health service never ends a Health/Watch stream,
// so an open one holds the shutdown for the whole 10 s; a health service of
// our own would end them as WatchIncidents ends.
std::vector<ff::ShutdownStep> ShutdownSteps(Daemon& d) {
  return {
      {"report NOT_SERVING", [&d] { d.server->GetHealthCheckService()->Shutdown(); }},
      {"end the watch streams", [&d] { d.bus->Close(); }},
      {"stop accepting calls and finish those in flight",
       [&d] {
         d.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
         d.server->Wait();
       }},
      {"stop the reminders", [&d] { d.reminders->Stop(); }},
      {"finish the deliveries in flight", [&d] { d.dispatcher->Stop(); }},
      // No commit observer call may reach the bus past here.
      {"close the database", [&d] { d.storage.owner.reset(); }},
  };
}

// Failed logs why firefighterd cannot start and returns `exit_status`.
int Failed(int exit_status, const absl::Status& status) {
  spdlog::critical("{}", std::string(status.message()));
  return exit_status;
}

int Run(const Flags& flags, const ff::StopSignals& signals) {
  Daemon d;
  if (absl::Status s = LoadSettings(flags, d); !s.ok()) return Failed(2, s);
  if (absl::Status s = OpenDatabase(flags, d); !s.ok()) return Failed(1, s);
  if (absl::Status s = CreateNotifiers(d); !s.ok()) return Failed(2, s);
  if (absl::Status s = CountIncidents(d); !s.ok()) return Failed(1, s);
  WireEvents(d);
  if (absl::Status s = ServeMetrics(flags, d); !s.ok()) return Failed(1, s);
  if (absl::Status s = ServeGrpc(flags, d); !s.ok()) return Failed(1, s);
  AnnounceServing(flags, d);
  return ff::ServeUntilStopped(signals, ShutdownSteps(d),
                               [&flags, &d] { ReloadTokens(flags, *d.auth); });
}

void AddStorageFlags(CLI::App& app, Flags& flags) {
  app.add_option("--db", flags.db,
                 "SQLite database file, created if absent, or a postgresql:// URI shared by "
                 "several replicas")
      ->capture_default_str();
  app.add_option("--db-pool-size", flags.db_pool_size,
                 "PostgreSQL: connections to the database, at most")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000));
  app.add_option("--outbox-lease", flags.outbox_lease_seconds,
                 "PostgreSQL: seconds a replica holds a claimed delivery before another may "
                 "take it over; longer than any notifier's timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option("--config", flags.config, "JSON configuration file (domains, settings)")
      ->check(CLI::ExistingFile);
}

void AddSecurityFlags(CLI::App& app, Flags& flags) {
  app.add_option("--auth-tokens", flags.auth_tokens,
                 "token file: `<sha256-hex> <principal> <viewer|responder|admin> [service]` "
                 "per line; re-read on SIGHUP. Without it only loopback addresses are allowed")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", flags.tls_cert, "PEM certificate chain: serve TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-client-ca", flags.tls_client_ca,
                 "PEM CA bundle: require client certificates signed by it")
      ->check(CLI::ExistingFile);
}

void AddObservabilityFlags(CLI::App& app, Flags& flags) {
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--log-format", flags.log_format, "text, or json: one object per line")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "serve Prometheus metrics at http://HOST:PORT/metrics (port 0: any)");
}

void StartLogging(const Flags& flags) {
  // Abseil's mutex deadlock detector tracks every lock in a global graph; it
  // is a debugging aid that cost a measurable share of each request here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ff::InitLogging(std::make_shared<spdlog::sinks::stderr_sink_mt>(),
                  *ff::ParseLogFormat(flags.log_format), spdlog::level::from_str(flags.log_level));
}

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread starts: SIGTERM, SIGINT and SIGHUP are taken by
  // ServeUntilStopped, never by a handler.
  ff::StopSignals signals = ff::StopSignals::Block(/*reload_on_hangup=*/true);
  CLI::App app{"firefighterd: the FireFighter incident service"};
  Flags flags;
  app.add_option("--listen", flags.listen, "address to serve gRPC on, HOST:PORT (port 0: any)")
      ->capture_default_str();
  AddStorageFlags(app, flags);
  AddSecurityFlags(app, flags);
  AddObservabilityFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  StartLogging(flags);
  return Run(flags, signals);
}
