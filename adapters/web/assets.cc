#include "adapters/web/assets.h"

#include <vector>

#include "absl/strings/match.h"

namespace ff::web {

// Defined in the embedded_assets.cc the build generates (embed_assets.cmake).
const std::vector<Asset>& EmbeddedAssets();

const Asset* FindAsset(absl::string_view name) {
  for (const Asset& asset : EmbeddedAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

std::string ContentTypeOf(absl::string_view name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(name, ".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace ff::web
