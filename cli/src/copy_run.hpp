// fingerprint copy: copies tables from a source to a target database (PostgreSQL or
// MySQL/MariaDB on either side) in one consistent snapshot of the source, in parallel
// and resumably, and proves each table with the fingerprints of both sides.
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

// Returns the exit status: 0 all copied and identical, 1 a table differs, 2 an error.
int RunCopy(const CopyCommand &command);

} // namespace fingerprint::cli
