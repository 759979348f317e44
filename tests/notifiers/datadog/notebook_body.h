// NotebookBody: a valid POST /api/v1/notebooks body named `name` (one
// markdown cell), for the Datadog tests that create or plant a notebook.
#ifndef FF_TESTS_NOTIFIERS_DATADOG_NOTEBOOK_BODY_H_
#define FF_TESTS_NOTIFIERS_DATADOG_NOTEBOOK_BODY_H_

#include <string>

#include "nlohmann/json.hpp"

namespace ff::testing {

inline nlohmann::json NotebookBody(const std::string& name) {
  return {{"data",
           {{"type", "notebooks"},
            {"attributes",
             {{"name", name},
              {"time", {{"live_span", "4h"}}},
              {"cells",
               {{{"type", "notebook_cells"},
                 {"attributes", {{"definition", {{"type", "markdown"}, {"text", "old"}}}}}}}}}}}}};
}

}  // namespace ff::testing

#endif  // FF_TESTS_NOTIFIERS_DATADOG_NOTEBOOK_BODY_H_
