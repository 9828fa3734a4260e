#include "migrate_target_hooks.hpp"

#include "cli_error.hpp"

namespace fingerprint::cli::migrate {

namespace {

// 'a', 'b': the tables as literals of the session's engine.
std::string TableList(Session &target, const std::vector<std::string> &tables) {
	std::string list;
	for (const std::string &table : tables)
		list += (list.empty() ? "" : ", ") + target.Literal(table);
	return list;
}

// "foreign key x of s.child references s.parent ON DELETE CASCADE; ..." (the first few).
std::string Listed(const std::vector<std::string> &items) {
	std::string out;
	for (std::size_t i = 0; i < items.size() && i < 5; ++i)
		out += (out.empty() ? "" : "; ") + items[i];
	if (items.size() > 5)
		out += "; and " + std::to_string(items.size() - 5) + " more";
	return out;
}

// PostgreSQL: SQL for "schema.table" of a pg_class oid, quoted where needed.
std::string QualifiedSql(const std::string &oid) {
	return "(SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c"
	       " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = " +
	       oid + ")";
}

std::vector<std::string> ForeignKeys(Session &target, const std::vector<std::string> &tables) {
	const bool pg = target.engine() == Engine::postgresql;
	const std::string schema = target.Literal(target.Namespace()), list = TableList(target, tables);
	const std::string sql =
	    pg ? "SELECT con.conname, " + QualifiedSql("con.conrelid") + ", " + QualifiedSql("con.confrelid") +
	             ", CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN"
	             " 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END"
	             " FROM pg_catalog.pg_constraint con WHERE con.contype = 'f' AND EXISTS (SELECT 1"
	             " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	             " WHERE n.nspname = " +
	             schema + " AND c.relname IN (" + list +
	             ") AND c.oid IN (con.conrelid, con.confrelid)) ORDER BY 2, 1"
	       : "SELECT CONSTRAINT_NAME, CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME),"
	         " CONCAT(UNIQUE_CONSTRAINT_SCHEMA, '.', REFERENCED_TABLE_NAME), DELETE_RULE"
	         " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE (CONSTRAINT_SCHEMA = " +
	             schema + " AND TABLE_NAME IN (" + list + ")) OR (UNIQUE_CONSTRAINT_SCHEMA = " + schema +
	             " AND REFERENCED_TABLE_NAME IN (" + list + ")) ORDER BY 2, 1";
	std::vector<std::string> out;
	for (const Row &row : target.Query(sql, "listing the foreign keys of the target tables"))
		out.push_back("foreign key " + Text(row[0]) + " of " + Text(row[1]) + " references " + Text(row[2]) +
		              " ON DELETE " + Text(row[3]));
	return out;
}

struct Trigger {
	std::string name, table;
	bool always = false; // PostgreSQL: ENABLE ALWAYS or ENABLE REPLICA, fires in replica mode
};

// User triggers (fingerprint's own capture triggers left out: they log the target's
// changes for a migration onward, and the apply's writes are those changes).
std::vector<Trigger> Triggers(Session &target, const std::vector<std::string> &tables) {
	const bool pg = target.engine() == Engine::postgresql;
	const std::string schema = target.Literal(target.Namespace()), list = TableList(target, tables);
	const std::string sql =
	    pg ? "SELECT t.tgname, " + QualifiedSql("t.tgrelid") +
	             ", t.tgenabled IN ('A', 'R')"
	             " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
	             " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	             " WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND n.nspname = " +
	             schema + " AND c.relname IN (" + list +
	             ") AND t.tgname NOT IN ('fingerprint_capture', 'fingerprint_capture_truncate') ORDER BY 2, 1"
	       : "SELECT TRIGGER_NAME, CONCAT(EVENT_OBJECT_SCHEMA, '.', EVENT_OBJECT_TABLE), 0"
	         " FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = " +
	             schema + " AND EVENT_OBJECT_TABLE IN (" + list +
	             ") AND TRIGGER_NAME NOT LIKE 'fpc\\_%' AND TRIGGER_NAME NOT LIKE 'fph\\_%' ORDER BY 2, 1";
	std::vector<Trigger> out;
	for (const Row &row : target.Query(sql, "listing the triggers of the target tables"))
		out.push_back(Trigger{Text(row[0]), Text(row[1]), Text(row[2]) == "t"});
	return out;
}

const char *const kWhy =
    "the apply writes each batch as a DELETE of every key it touches and an INSERT of the"
    " final rows, so that an update of a row would";

void PreparePostgres(Session &target, const std::vector<std::string> &keys,
                     const std::vector<Trigger> &triggers) {
	std::vector<std::string> hooks = keys;
	for (const Trigger &trigger : triggers) {
		if (trigger.always)
			throw Error(
			    target.who() + ": trigger " + trigger.name + " on target table " + trigger.table +
			    " is ENABLE ALWAYS or ENABLE REPLICA: it would fire even in the apply's replica mode, " +
			    kWhy + " reach it as a delete and an insert. HINT: ALTER TABLE " + trigger.table +
			    " ENABLE TRIGGER " + target.Name(trigger.name) +
			    " (it then fires for ordinary sessions only), or DISABLE it for the migration");
		hooks.push_back("trigger " + trigger.name + " on " + trigger.table);
	}
	if (hooks.empty())
		return;
	try {
		target.Exec("SET session_replication_role = replica", "setting session_replication_role = replica");
	} catch (const Error &error) {
		const std::string role = Text(target.QueryValue("SELECT current_user", "reading the role"));
		throw Error(
		    std::string(error.what()) + ". Refused before anything is copied or applied: " + Listed(hooks) +
		    "; " + kWhy +
		    " fire them (a cascade deleting child rows, a RESTRICT failing, a trigger seeing deletes"
		    " that never happened); the apply runs with session_replication_role = replica, which"
		    " role " +
		    role + " may not set. HINT: as a superuser, GRANT SET ON PARAMETER session_replication_role TO " +
		    target.Name(role) +
		    "; or migrate as a superuser; or drop these foreign keys and triggers for the migration"
		    " and create them again after the cutover");
	}
}

void PrepareMysql(Session &target, const std::vector<std::string> &keys,
                  const std::vector<Trigger> &triggers) {
	if (!triggers.empty()) {
		std::vector<std::string> names;
		for (const Trigger &trigger : triggers)
			names.push_back("trigger " + trigger.name + " on " + trigger.table);
		throw Error(target.who() + ": " + Listed(names) + ": refused before anything is copied or applied; " +
		            kWhy +
		            " fire it as a delete and an insert that never happened on the source, and MariaDB has no"
		            " replica mode for triggers. HINT: save it (SHOW CREATE TRIGGER " +
		            target.Name(triggers[0].name) +
		            "), drop it for the migration (DROP TRIGGER), create it again after the cutover");
	}
	// A session setting any user may change; InnoDB then neither checks nor cascades.
	if (!keys.empty())
		target.Exec("SET SESSION foreign_key_checks = 0", "setting foreign_key_checks = 0");
}

} // namespace

void PrepareApplySession(Session &target, const std::vector<std::string> &tables) {
	if (tables.empty())
		return;
	const std::vector<std::string> keys = ForeignKeys(target, tables);
	const std::vector<Trigger> triggers = Triggers(target, tables);
	if (target.engine() == Engine::postgresql)
		PreparePostgres(target, keys, triggers);
	else
		PrepareMysql(target, keys, triggers);
}

} // namespace fingerprint::cli::migrate
