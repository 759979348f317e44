// ff-seed-db: builds a benchmark database of N incidents in seconds
// (BulkSeedDatabase), for the list-over-a-large-table figure of bench/run.
// Benchmark setup only: it writes the database without firefighterd.
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "bench/seed/bulk_seed.h"

int main(int argc, char** argv) {
  CLI::App app{"ff-seed-db: fill a FireFighter database with synthetic incidents"};
  std::string db;
  ff::bench::BulkSeedOptions options;
  app.add_option("--db", db, "SQLite database file, created if absent")->required();
  app.add_option("--incidents", options.incidents, "incidents to add")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--entries", options.entries_per_incident, "timeline entries per incident")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status s = ff::bench::BulkSeedDatabase(db, options); !s.ok()) {
    std::cerr << "ff-seed-db: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
