#include "bench/micro/bench_util.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace ff::bench {

firefighter::v1::OpenIncidentRequest TypicalOpenRequest() {
  firefighter::v1::OpenIncidentRequest request;
  request.set_title("Checkout returns 502 for a quarter of the requests");
  request.set_description(
      "Since the 14:02 release, /checkout answers 502 for about 25% of requests in eu-west. "
      "Payment provider dashboards are green.");
  request.set_domain("payment");
  request.set_severity(firefighter::v1::SEVERITY_SEV2);
  request.set_reporter("alice");
  request.set_trigger_oncall(true);
  return request;
}

std::string ScratchDbPath(const std::string& name) {
  const char* dir = std::getenv("FF_BENCH_DIR");
  std::string path =
      absl::StrCat(dir != nullptr ? dir : "/var/tmp", "/ff-micro-", getpid(), "-", name, ".db");
  RemoveDb(path);
  return path;
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove(absl::StrCat(path, suffix).c_str());
  }
}

}  // namespace ff::bench
