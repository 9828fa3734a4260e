// A PostgreSQL source table renamed (ALTER TABLE ... RENAME, SET SCHEMA) while it is
// migrated. Capture registers it again under its new name (a new capture_tables row,
// same relid), and the change log names it so: a migration that matched changes by name
// alone took the renamed table's changes for another table's and skipped them, went on
// saying "equal", and the next run looked up a table of the old name (docs/migrate.md
// "Fail closed"). Tables are told apart here by the relation their registration names
// (relid), not by their name: a renamed table stops, the message naming both names.
#pragma once

#include "migrate_apply.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// The relation a capture registration names, as it is now.
struct CapturedRelation {
	std::string oid;
	std::string name;        // quote_ident(schema) || '.' || quote_ident(table) now
	bool capture_on = false; // some registration of the relation (under any name) is enabled
};

// PostgreSQL source: the relation capture's registration `log_name` (schema version
// `schema_version`, the pair the ledger recorded) names, by relid, not by name: after
// `ALTER TABLE t RENAME TO t_old` and a new table t, the name t is another table.
// nullopt when the registration or the relation is gone. One catalog query.
std::optional<CapturedRelation> RelationNow(Session &source, const std::string &log_name, int schema_version);

// PostgreSQL source, in a batch: every applying table whose relation capture registered
// again under another name since the migration's registration of it (same relid) stops
// at this batch, with a message naming both names and the batch. Its changes in the
// batch (under either name) are removed from `by_table`, so none is applied. Returns a
// TableStep per table stopped. One catalog query, only when the batch holds a name the
// migration lacks or a change of one of its names under another schema version.
std::vector<TableStep> StopRenamedTables(Session &source, std::uint64_t batch, const std::string &migration,
                                         std::map<std::string, std::vector<const Change *>> &by_table,
                                         std::vector<TableRun> &runs);

// PostgreSQL source, when a run resumes: why the table the ledger registered as
// `log_name` (capture schema version `schema_version`) no longer goes by that name, or
// empty when it does (or the registration or relation is gone: Describe says so).
std::string RenamedSinceStart(Session &source, const std::string &log_name, int schema_version,
                              const std::string &migration);

} // namespace fingerprint::cli::migrate
