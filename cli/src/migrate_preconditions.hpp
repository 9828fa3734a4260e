// What a first `fingerprint migrate` run checks before it enables capture or copies
// anything. Each of these used to be found only after capture was on at the source (the
// copy checked the installs; capture enable met a missing table half-way through the
// list): the run then exited 2 leaving capture on, which on a MariaDB source blocks every
// other migration of the database (one consumer per log).
#pragma once

#include "migrate_session.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// Throws Error naming the side and what to do when: fingerprint is not installed there
// (PostgreSQL: the extension in that database; MariaDB: install.sql) or is another
// release than this tool's; a source table does not exist; without --create-tables, a
// target table does not exist; a table is named twice (PostgreSQL: `k1` and `public.k1`,
// one relation). Reads only; changes nothing.
void CheckStartPreconditions(Session &source, Session &target, const std::vector<std::string> &tables,
                             bool create_tables);

} // namespace fingerprint::cli::migrate
