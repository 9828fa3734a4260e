// `fingerprint diff`: connects to both sides, pairs the tables, compares them with
// --jobs workers (each with its own connection to each side), rechecks, reports.
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

// Returns the exit status; throws Error when it cannot even start (connections).
int RunDiff(const DiffCommand &command);

} // namespace fingerprint::cli
