// firefighterd: the IncidentService server. The composition root: the only
// place that names concrete implementations and wires them together.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clients/http/curl_http_client.h"
#include "common/clock.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/config/config.h"
#include "server/events/event_bus.h"
#include "server/grpc/incident_service.h"
#include "server/notifiers/builtin.h"
#include "server/outbox/dispatcher.h"
#include "server/store/pg_store.h"
#include "server/store/sqlite_store.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

struct Flags {
  std::string listen = "127.0.0.1:50051";
  std::string db = "./firefighter.db";
  std::string config;
  std::string log_level = "info";
  int db_pool_size = 8;
  int outbox_lease_seconds = 60;
};

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

std::optional<std::string> GetEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

int Run(const Flags& flags) {
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
  auto notifiers = Notifiers(*config, {http.get(), &clock, &domains, GetEnv});
  if (!notifiers.ok()) {
    spdlog::critical("{}", std::string(notifiers.status().message()));
    return 2;
  }
  std::vector<ff::Notifier*> active;
  for (auto& n : *notifiers) active.push_back(n.get());
  store->outbox->SetOutboxRouter([active](const ff::pb::IncidentEvent& event) {
    std::vector<std::string> names;
    for (ff::Notifier* n : active) {
      if (n->Interested(event)) names.emplace_back(n->name());
    }
    return names;
  });
  ff::Dispatcher dispatcher(store->outbox, active, &clock, DispatchOptions(*config));
  ff::EventBus bus(static_cast<size_t>(config->watch_queue_limit));
  const bool notifying = !active.empty();
  store->store->SetCommitObserver([&bus, &dispatcher, notifying](const ff::Committed& c) {
    bus.Publish(c);
    if (notifying) dispatcher.Wake();  // without notifiers no commit makes work
  });
  dispatcher.Start();
  ff::IncidentServiceImpl service(store->store, store->outbox, &domains, &clock, &bus);

  // gRPC's built-in health service does not use the generated messages;
  // touching them links their descriptors in, so reflection can describe it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(flags.listen, grpc::InsecureServerCredentials(), &port);
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
    int received = 0;
    sigwait(&set, &received);
    spdlog::info("received signal {}; shutting down", received);
    health->Shutdown();  // report NOT_SERVING to load balancers first
    bus.Close();         // let watchers go
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  });

  std::cout << "firefighterd listening on " << WithPort(flags.listen, port) << std::endl;
  spdlog::info("serving IncidentService on {} with database {}; notifiers: {}",
               WithPort(flags.listen, port), Redacted(flags.db), active.size());
  server->Wait();
  signal_thread.join();
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
  CLI11_PARSE(app, argc, argv);

  // Abseil's mutex deadlock detector tracks every lock in a global graph; it
  // is a debugging aid that cost a measurable share of each request here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto logger = spdlog::stderr_color_mt("firefighterd");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(flags.log_level));

  // Block the shutdown signals before any thread starts so that only the
  // signal thread receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return Run(flags);
}
