// fingerprint copy: copies tables from a source to a target database (PostgreSQL or
// MySQL/MariaDB on either side) in one consistent snapshot of the source, in parallel
// and resumably, and proves each table with the fingerprints of both sides.
#pragma once

#include "options.hpp"

#include <string>

namespace fingerprint::cli {

// Returns the exit status: 0 all copied and identical, 1 a table differs, 2 an error.
// With `source_snapshot` on a PostgreSQL source, it receives pg_current_snapshot() of the
// copy's snapshot (the seam at which `fingerprint migrate` starts its change-log
// consumer, docs/capture.md); a MySQL/MariaDB source leaves it empty.
int RunCopy(const CopyCommand &command, std::string *source_snapshot = nullptr);

} // namespace fingerprint::cli
