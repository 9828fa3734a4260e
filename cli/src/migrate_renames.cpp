// Renamed PostgreSQL source tables (migrate_renames.hpp).
#include "migrate_renames.hpp"

namespace fingerprint::cli::migrate {

namespace {

std::string WhatToDo(const std::string &renamed_to, const std::string &migration) {
	return "migration '" + migration +
	       "' follows a table by the name it started with, so nothing of the table is applied any"
	       " more; migrate " +
	       renamed_to + " again under a new --name (or rename it back and migrate it again)";
}

// Whether the batch holds a name no table of the migration has, or a change of one of
// its applying tables' names under another schema version (a new table given the old
// name): only then can a table have been renamed.
bool Suspect(const std::map<std::string, std::vector<const Change *>> &by_table,
             const std::vector<TableRun> &runs) {
	for (const TableRun &run : runs) {
		if (run.ledger.phase != "applying")
			continue;
		const auto found = by_table.find(run.source.log_name);
		if (found == by_table.end())
			continue;
		for (const Change *change : found->second)
			if (change->schema_version != run.ledger.schema_version)
				return true;
	}
	for (const auto &table : by_table) {
		bool known = false;
		for (const TableRun &run : runs)
			known = known || run.source.log_name == table.first;
		if (!known)
			return true;
	}
	return false;
}

} // namespace

std::vector<TableStep> StopRenamedTables(Session &source, std::uint64_t batch, const std::string &migration,
                                         std::map<std::string, std::vector<const Change *>> &by_table,
                                         std::vector<TableRun> &runs) {
	// Looked up only for a suspect batch: any other costs no query.
	std::vector<TableStep> stopped;
	if (!Suspect(by_table, runs))
		return stopped;
	std::string ours;
	for (const TableRun &run : runs)
		if (run.ledger.phase == "applying")
			ours += std::string(ours.empty() ? "" : ", ") + "(" + source.Literal(run.source.log_name) + ", " +
			        std::to_string(run.ledger.schema_version) + ")";
	if (ours.empty())
		return stopped;
	// The registration the migration started with names the relation; a later one of the
	// same relation under another name is the table under its new name.
	const std::vector<Row> rows = source.Query(
	    "SELECT o.table_name, n.table_name FROM fingerprint.capture_tables o"
	    " JOIN fingerprint.capture_tables n ON n.relid = o.relid AND n.enabled_at >= o.enabled_at"
	    " AND n.table_name <> o.table_name WHERE (o.table_name, o.schema_version) IN (" +
	        ours + ") ORDER BY n.enabled_at",
	    "looking up the relations of batch " + std::to_string(batch) + "'s tables");
	for (TableRun &run : runs) {
		std::string renamed_to;
		for (const Row &row : rows)
			if (Text(row.at(0)) == run.source.log_name)
				renamed_to = Text(row.at(1)); // the latest name
		if (renamed_to.empty() || run.ledger.phase != "applying")
			continue;
		std::size_t count = 0;
		for (const std::string &name : {run.source.log_name, renamed_to}) {
			const auto found = by_table.find(name);
			if (found == by_table.end())
				continue;
			count += found->second.size();
			run.ledger.last_change_ms = static_cast<std::int64_t>(found->second.back()->captured_at * 1000);
			by_table.erase(found);
		}
		run.ledger.phase = "stopped";
		run.ledger.proof = "failed";
		run.ledger.last_batch = batch;
		run.ledger.message = "batch " + std::to_string(batch) + ", table " + run.source.log_name +
		                     ": renamed to " + renamed_to +
		                     " on the source (ALTER TABLE ... RENAME or SET SCHEMA); none of its " +
		                     std::to_string(count) +
		                     " change(s) in this batch was applied: " + WhatToDo(renamed_to, migration);
		run.ledger.proof_ms = NowMs();
		stopped.push_back(TableStep{run.source.name, count, true});
	}
	return stopped;
}

std::optional<CapturedRelation> RelationNow(Session &source, const std::string &log_name,
                                            int schema_version) {
	// (table_name, schema_version) is capture_tables' key: one row at most.
	const std::vector<Row> rows = source.Query(
	    "SELECT c.oid::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
	    " EXISTS (SELECT 1 FROM fingerprint.capture_tables e WHERE e.enabled AND e.relid = t.relid)"
	    " FROM fingerprint.capture_tables t JOIN pg_catalog.pg_class c ON c.oid = t.relid"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE t.table_name = " +
	        source.Literal(log_name) + " AND t.schema_version = " + std::to_string(schema_version),
	    "looking up the relation of " + log_name);
	if (rows.empty())
		return std::nullopt;
	return CapturedRelation{Text(rows[0].at(0)), Text(rows[0].at(1)), Text(rows[0].at(2)) == "t"};
}

std::string RenamedSinceStart(Session &source, const std::string &log_name, int schema_version,
                              const std::string &migration) {
	const std::optional<CapturedRelation> now = RelationNow(source, log_name, schema_version);
	if (!now || now->name == log_name)
		return std::string();
	return source.who() + ": table " + log_name + " was renamed to " + now->name +
	       " on the source (ALTER TABLE ... RENAME or SET SCHEMA) since migration '" + migration +
	       "' last ran; a table now named " + log_name +
	       ", if any, is another one: " + WhatToDo(now->name, migration);
}

} // namespace fingerprint::cli::migrate
