// Checks before a migration's start (migrate_preconditions.hpp).
#include "migrate_preconditions.hpp"

#include "cli_error.hpp"
#include "installed_version.hpp"

#include <map>

namespace fingerprint::cli::migrate {

namespace {

const char kNothingDone[] = "; nothing was enabled or copied";

// The release installed on the side, or nullopt when fingerprint is not installed there.
Value InstalledRelease(Session &session) {
	if (session.engine() == Engine::postgresql)
		return session.QueryValue(
		    "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'fingerprint'",
		    "looking up the fingerprint extension");
	const auto has_routine = [&session](const char *name) {
		return session
		    .QueryValue("SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint'"
		                " AND ROUTINE_NAME = '" +
		                    std::string(name) + "'",
		                "looking up fingerprint's install.sql")
		    .has_value();
	};
	if (!has_routine("version"))
		return has_routine("table_fingerprint") ? Value("1.0") : std::nullopt; // 1.0 had no version()
	return session.QueryValue("SELECT fingerprint.version()", "asking fingerprint.version()");
}

void CheckInstall(Session &session) {
	const Value release = InstalledRelease(session);
	if (!release)
		throw Error(session.who() +
		            (session.engine() == Engine::postgresql
		                 ? ": the fingerprint extension is not installed in this database (CREATE EXTENSION"
		                   " fingerprint)"
		                 : ": fingerprint is not installed on this server (load its install.sql,"
		                   " share/fingerprint/mysql/, as an administrator)") +
		            kNothingDone);
	try {
		CheckInstalledRelease(*release, session.engine(), session.who());
	} catch (const Error &error) {
		throw Error(error.what() + std::string(kNothingDone));
	}
}

bool TableExists(Session &session, const std::string &table) {
	if (session.engine() == Engine::postgresql)
		return session
		    .QueryValue("SELECT pg_catalog.to_regclass(" + session.Literal(session.Qualified(table)) + ")",
		                "looking up table " + table)
		    .has_value();
	return session
	    .QueryValue("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
	                    session.Literal(session.Namespace()) + " AND BINARY TABLE_NAME = BINARY " +
	                    session.Literal(table),
	                "looking up table " + table)
	    .has_value();
}

// What a source table name resolves to: PostgreSQL's relation (`k1`, `public.k1` and
// `"k1"` are one), MariaDB's name in the URL's database; nullopt when there is no such
// table (on PostgreSQL the same to_regclass says both).
Value Identity(Session &source, const std::string &table) {
	if (source.engine() == Engine::mysql)
		return TableExists(source, table) ? Value(table) : std::nullopt;
	return source.QueryValue("SELECT pg_catalog.to_regclass(" + source.Literal(source.Qualified(table)) +
	                             ")::oid::text",
	                         "looking up table " + table);
}

} // namespace

void CheckStartPreconditions(Session &source, Session &target, const std::vector<std::string> &tables,
                             bool create_tables) {
	CheckInstall(source);
	CheckInstall(target);
	// A table named twice copied, then failed on the ledger's duplicate key, leaving capture on.
	std::map<std::string, std::string> named; // identity -> the name given first
	for (const std::string &table : tables) {
		const Value identity = Identity(source, table);
		if (!identity)
			throw Error(source.who() + ": table " + source.Namespace() + "." + table + " does not exist" +
			            kNothingDone);
		const auto [first, added] = named.emplace(*identity, table);
		if (!added)
			throw Error("table " + table + " is named twice" +
			            (first->second == table ? std::string() : " (as " + first->second + ")") +
			            ": name each table of the migration once" + kNothingDone);
		if (!create_tables && !TableExists(target, table))
			throw Error(target.who() + ": table " + target.Namespace() + "." + table +
			            " does not exist (the copy creates it with --create-tables)" + kNothingDone);
	}
}

} // namespace fingerprint::cli::migrate
