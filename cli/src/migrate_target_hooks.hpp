// What on the target acts on the apply's writes besides the rows themselves: foreign keys
// (a cascade or SET NULL on another table, a RESTRICT that fails, a child row inserted
// before its parent) and user triggers. The apply writes a batch as a DELETE of every
// touched key and an INSERT of the final rows (migrate_apply.cpp): an update of a parent
// row on the source must not delete its children on the target, nor an audit trigger see
// deletes that never happened. So the apply session runs as a replication apply does
// (pglogical, pgcopydb, Debezium): PostgreSQL with session_replication_role = replica,
// MariaDB with foreign_key_checks = 0 (docs/migrate.md "Targets with foreign keys and
// triggers").
#pragma once

#include "migrate_session.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// Sets the target session up for the apply of these target tables (names in the
// session's schema or database). Nothing is set when no foreign key and no user trigger
// touches them. Throws Error, before anything is copied or applied, naming the
// constraint or trigger and its table, with the GRANT or the alternative, when:
// PostgreSQL's role may not set session_replication_role, a trigger is ENABLE ALWAYS or
// ENABLE REPLICA (it would fire all the same), or a MariaDB table has a trigger (MariaDB
// has no replica mode for triggers).
void PrepareApplySession(Session &target, const std::vector<std::string> &tables);

} // namespace fingerprint::cli::migrate
