// firefighterd: the IncidentService server. The composition root: the only
// place that names concrete implementations and wires them together.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
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
  std::string host = address.substr(0, address.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
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

// WithPort replaces the port of HOST:PORT (or [V6]:PORT) with `port`.
std::string WithPort(const std::string& address, int port) {
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

int Run(const Flags& flags) {
  if (flags.auth_tokens.empty() && !IsLoopback(flags.listen)) {
    spdlog::critical(
        "refusing to listen on {} without --auth-tokens: anyone who can reach that address "
        "could open, change and close any incident. Listen on 127.0.0.1, or give "
        "--auth-tokens FILE (see the README, \"Running it for a team\")",
        flags.listen);
    return 2;
  }
  absl::StatusOr<std::unique_ptr<ff::Authorizer>> auth =
      flags.auth_tokens.empty()
          ? absl::StatusOr<std::unique_ptr<ff::Authorizer>>(ff::Authorizer::Open())
          : ff::Authorizer::FromFile(flags.auth_tokens);
  if (!auth.ok()) {
    spdlog::critical("--auth-tokens: {}", std::string(auth.status().message()));
    return 2;
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = ServerCredentials(flags);
  if (!credentials.ok()) {
    spdlog::critical("{}", std::string(credentials.status().message()));
    return 2;
  }
  absl::StatusOr<ff::ServerConfig> config =
      flags.config.empty() ? ff::DefaultConfig() : ff::LoadConfigFile(flags.config);
  if (!config.ok()) {
    spdlog::critical("{}", std::string(config.status().message()));
    return 2;
  }
  absl::StatusOr<Storage> store = OpenStorage(flags);
  if (!store.ok()) {
    spdlog::critical("{}", std::string(store.status().message()));
    return 1;
  }
  ff::DomainCatalog domains(config->domains);
  ff::SystemClock clock;
  std::unique_ptr<ff::CurlHttpClient> http = ff::CurlHttpClient::Create();
  absl::StatusOr<std::string> installation = store->outbox->InstallationId();
  if (!installation.ok()) {
    spdlog::critical("{}", std::string(installation.status().message()));
    return 1;
  }
  auto notifiers = Notifiers(*config, {http.get(), &clock, &domains, GetEnv, *installation});
  if (!notifiers.ok()) {
    spdlog::critical("{}", std::string(notifiers.status().message()));
    return 2;
  }
  std::vector<ff::Notifier*> active;
  std::vector<std::string> notifier_names;
  for (auto& n : *notifiers) {
    active.push_back(n.get());
    notifier_names.emplace_back(n->name());
  }
  ff::ServerMetrics metrics(FF_VERSION, notifier_names);
  if (absl::Status loaded = metrics.LoadIncidents(store->store); !loaded.ok()) {
    spdlog::critical("{}", std::string(loaded.message()));
    return 1;
  }
  store->outbox->SetOutboxRouter([active](const ff::pb::IncidentEvent& event) {
    std::vector<std::string> names;
    for (ff::Notifier* n : active) {
      if (n->Interested(event)) names.emplace_back(n->name());
    }
    return names;
  });
  ff::Dispatcher::Options dispatch_options = DispatchOptions(*config);
  dispatch_options.on_attempt = [&metrics](absl::string_view notifier, absl::string_view result) {
    metrics.ObserveDeliveryAttempt(notifier, result);
  };
  ff::Dispatcher dispatcher(store->outbox, active, &clock, dispatch_options);
  ff::EventBus bus(static_cast<size_t>(config->watch_queue_limit));
  const bool notifying = !active.empty();
  store->store->SetCommitObserver([&bus, &dispatcher, &metrics, notifying](const ff::Committed& c) {
    bus.Publish(c);
    metrics.ObserveCommit(c);
    if (notifying) dispatcher.Wake();  // without notifiers no commit makes work
  });
  dispatcher.Start();
  ff::ReminderScheduler reminders(store->store, store->outbox, &clock, config->reminders);
  if (config->reminders.enabled()) reminders.Start();
  ff::IncidentServiceImpl service(store->store, store->outbox, &domains, &clock, &bus, auth->get());

  // gRPC's built-in health service does not use the generated messages;
  // touching them links their descriptors in, so reflection can describe it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<ff::MetricsHttpServer> metrics_http;
  if (!flags.metrics_listen.empty()) {
    auto started = ff::MetricsHttpServer::Start(
        flags.metrics_listen, [&metrics, &store] { return metrics.Render(store->outbox); });
    if (!started.ok()) {
      spdlog::critical("{}", std::string(started.status().message()));
      return 1;
    }
    metrics_http = *std::move(started);
    std::cout << "firefighterd metrics on " << WithPort(flags.metrics_listen, metrics_http->port())
              << std::endl;
  }
  grpc::ServerBuilder builder;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  observers.push_back(ff::MakeRpcObserverFactory(
      [&metrics](const ff::RpcRecord& rpc) { ObserveRpc(metrics, rpc); }));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  int port = 0;
  builder.AddListeningPort(flags.listen, *credentials, &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    spdlog::critical("cannot listen on {}: address in use or invalid", flags.listen);
    return 1;
  }
  auto* health = server->GetHealthCheckService();
  health->SetServingStatus("firefighter.v1.IncidentService", true);

  // Signals were blocked in every thread; this one waits for them.
  std::thread signal_thread([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    int received = 0;
    // SIGHUP re-reads the token file; connections and streams stay up.
    while (sigwait(&set, &received) == 0 && received == SIGHUP) {
      if (absl::Status reloaded = (*auth)->Reload(); reloaded.ok()) {
        spdlog::info("reloaded {}: {} tokens", flags.auth_tokens, (*auth)->TokenCount());
      } else {
        spdlog::error("kept the previous tokens: {}", std::string(reloaded.message()));
      }
    }
    spdlog::info("received signal {}; shutting down", received);
    health->Shutdown();  // report NOT_SERVING to load balancers first
    bus.Close();         // let watchers go
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  });

  std::cout << "firefighterd listening on " << WithPort(flags.listen, port) << std::endl;
  spdlog::info("serving IncidentService on {} ({}) with database {}; notifiers: {}; {}",
               WithPort(flags.listen, port), flags.tls_cert.empty() ? "plaintext" : "TLS",
               Redacted(flags.db), active.size(),
               (*auth)->enabled()
                   ? absl::StrCat("bearer tokens: ", (*auth)->TokenCount())
                   : std::string("no authentication (loopback only; see --auth-tokens)"));
  server->Wait();
  signal_thread.join();
  reminders.Stop();
  dispatcher.Stop();     // in-flight deliveries finish; pending ones stay stored
  store->owner.reset();  // no commit observer call may reach the bus past here
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"firefighterd: the FireFighter incident service"};
  Flags flags;
  app.add_option("--listen", flags.listen, "address to serve gRPC on, HOST:PORT (port 0: any)")
      ->capture_default_str();
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
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
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
  app.add_option("--log-format", flags.log_format, "text, or json: one object per line")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "serve Prometheus metrics at http://HOST:PORT/metrics (port 0: any)");
  CLI11_PARSE(app, argc, argv);

  // Abseil's mutex deadlock detector tracks every lock in a global graph; it
  // is a debugging aid that cost a measurable share of each request here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ff::InitLogging(std::make_shared<spdlog::sinks::stderr_sink_mt>(),
                  *ff::ParseLogFormat(flags.log_format), spdlog::level::from_str(flags.log_level));

  // Block the shutdown signals before any thread starts so that only the
  // signal thread receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return Run(flags);
}
