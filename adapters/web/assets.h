// The dashboard's static files (HTML, CSS, JavaScript, icon), compiled into
// the binary from adapters/web/assets/ so the process serves everything
// itself: no CDN, nothing to install beside it.
//
// Immutable data; thread-safe.
#ifndef FF_ADAPTERS_WEB_ASSETS_H_
#define FF_ADAPTERS_WEB_ASSETS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ff::web {

struct Asset {
  absl::string_view name;  // file name, e.g. "app.js"
  absl::string_view data;
};

// FindAsset returns the embedded file called `name`, or nullptr.
const Asset* FindAsset(absl::string_view name);

// ContentTypeOf returns the MIME type for `name`'s extension.
std::string ContentTypeOf(absl::string_view name);

}  // namespace ff::web

#endif  // FF_ADAPTERS_WEB_ASSETS_H_
