#include "migrate_ledger.hpp"

#include "cli_error.hpp"
#include "retry_until.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace fingerprint::cli::migrate {

namespace {

constexpr char kSchema[] = "fingerprint_migrate";

std::uint64_t Unsigned(const Value &value) {
	return value ? std::strtoull(value->c_str(), nullptr, 10) : 0;
}
std::int64_t Signed(const Value &value) {
	return value ? std::strtoll(value->c_str(), nullptr, 10) : 0;
}
std::string Number(std::int64_t value) {
	return std::to_string(value);
}
std::string Number(std::uint64_t value) {
	return std::to_string(value);
}

} // namespace

std::int64_t NowMs() {
	return std::chrono::duration_cast<std::chrono::milliseconds>(
	           std::chrono::system_clock::now().time_since_epoch())
	    .count();
}

bool Ledger::HasColumn(const std::string &table, const std::string &column) {
	return session_
	    .QueryValue(std::string("SELECT 1 FROM information_schema.columns WHERE table_schema = '") + kSchema +
	                    "' AND table_name = " + session_.Literal(table) +
	                    " AND column_name = " + session_.Literal(column),
	                "reading the migration ledger")
	    .has_value();
}

std::string Ledger::Table(const std::string &name) const {
	return session_.Name(kSchema) + "." + session_.Name(name);
}

void Ledger::Create() {
	const bool pg = session_.engine() == Engine::postgresql;
	const std::string name = pg ? "varchar(255)" : "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
	const std::string text = pg ? "text" : "TEXT CHARACTER SET utf8mb4";
	const std::string tail = pg ? ")" : ") ENGINE=InnoDB";
	const std::string seqs = pg ? "text" : "LONGTEXT CHARACTER SET ascii";
	session_.Exec(pg ? std::string("CREATE SCHEMA IF NOT EXISTS ") + kSchema
	                 : std::string("CREATE DATABASE IF NOT EXISTS ") + kSchema + " CHARACTER SET utf8mb4",
	              "creating the migration ledger");
	session_.Exec(
	    "CREATE TABLE IF NOT EXISTS " + Table("migrations") + " (name " + name + " PRIMARY KEY, source " +
	        text + " NOT NULL, consumer " + name +
	        " NOT NULL, last_batch BIGINT NOT NULL, batches BIGINT NOT NULL, changes BIGINT NOT NULL,"
	        " seam_seq BIGINT NOT NULL, seam_passed SMALLINT NOT NULL, created_ms BIGINT NOT NULL,"
	        " updated_ms BIGINT NOT NULL, phase " +
	        name + " NOT NULL, seam_exact SMALLINT NOT NULL DEFAULT 0" + tail,
	    "creating the migration ledger");
	session_.Exec(
	    "CREATE TABLE IF NOT EXISTS " + Table("tables") + " (migration " + name + " NOT NULL, source_table " +
	        name + " NOT NULL, log_name " + text + " NOT NULL, target_table " + name +
	        " NOT NULL, schema_version INTEGER NOT NULL, phase " + name + " NOT NULL, source_fingerprint " +
	        name + " NOT NULL, target_fingerprint " + name +
	        " NOT NULL, last_batch BIGINT NOT NULL, changes BIGINT NOT NULL, last_change_ms BIGINT NOT NULL,"
	        " proof_ms BIGINT NOT NULL, proof " +
	        name + " NOT NULL, message " + text + " NOT NULL, target_schema " + name +
	        " NOT NULL DEFAULT '', copy_seqs " + seqs +
	        " NOT NULL DEFAULT '', PRIMARY KEY (migration, source_table)" + tail,
	    "creating the migration ledger");
	// Columns added since the ledger's first release: added (last, as CREATE puts them),
	// only when missing, since ALTER TABLE would wait for every open apply transaction.
	// Ledgers made before target_schema keep '' in it (schema unknown): compared by name
	// alone. Ledgers of the 1.3 CLI get seam_exact 0 and copy_seqs '': their migrations
	// keep the seam they started with (docs/migrate.md "The copy seam").
	if (!HasColumn("tables", "target_schema"))
		session_.Exec("ALTER TABLE " + Table("tables") + " ADD COLUMN target_schema " + name +
		                  " NOT NULL DEFAULT ''",
		              "adding target_schema to the migration ledger");
	if (!HasColumn("tables", "copy_seqs"))
		session_.Exec("ALTER TABLE " + Table("tables") + " ADD COLUMN copy_seqs " + seqs +
		                  " NOT NULL DEFAULT ''",
		              "adding copy_seqs to the migration ledger");
	if (!HasColumn("migrations", "seam_exact"))
		session_.Exec("ALTER TABLE " + Table("migrations") +
		                  " ADD COLUMN seam_exact SMALLINT NOT NULL DEFAULT 0",
		              "adding seam_exact to the migration ledger");
	session_.Exec(
	    "CREATE TABLE IF NOT EXISTS " + Table("batches") + " (migration " + name +
	        " NOT NULL, batch_id BIGINT NOT NULL, changes BIGINT NOT NULL, first_change_ms BIGINT NOT NULL,"
	        " last_change_ms BIGINT NOT NULL, applied_ms BIGINT NOT NULL, apply_us BIGINT NOT NULL,"
	        " proof_us BIGINT NOT NULL, PRIMARY KEY (migration, batch_id)" +
	        tail,
	    "creating the migration ledger");
}

bool Ledger::Exists() {
	const bool pg = session_.engine() == Engine::postgresql;
	const bool listed =
	    session_
	        .QueryValue(pg ? std::string("SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = '") +
	                             kSchema + "' AND tablename = 'migrations'"
	                       : std::string("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '") +
	                             kSchema + "' AND TABLE_NAME = 'migrations'",
	                    "looking up the migration ledger")
	        .has_value();
	if (listed)
		return true;
	// The catalog hides tables the user may not read (MySQL's information_schema): a
	// ledger that is there but denied is said so, not reported as missing.
	try {
		session_.Query("SELECT 1 FROM " + Table("migrations") + " LIMIT 0", "reading the migration ledger");
		return true;
	} catch (const Error &error) {
		const std::string text = error.what();
		if (text.find("denied") != std::string::npos || text.find("permission") != std::string::npos)
			throw Error(session_.who() + ": no access to the migration ledger " + kSchema + ": " + text);
		return false;
	}
}

void Ledger::Lock() {
	const std::string key = session_.Literal("fingerprint_migrate:" + name_);
	const bool pg = session_.engine() == Engine::postgresql;
	// MySQL lock names are at most 64 characters: the migration's name is hashed.
	const std::string sql =
	    pg ? "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended(" + key + ", 0))"
	       : "SELECT GET_LOCK(CONCAT('fingerprint_migrate:', MD5(" + key + ")), 0)";
	// A run killed a moment ago may hold it until its server session notices the closed
	// connection: tried for up to 10 seconds.
	if (!RetryUntil(10, std::chrono::milliseconds(50), [&] {
		    return Text(session_.QueryValue(sql, "taking the lock of migration '" + name_ + "'")) ==
		           (pg ? "t" : "1");
	    }))
		throw Error(session_.who() + ": migration '" + name_ +
		            "' is already running (another session holds its lock on the target); wait for it or"
		            " stop it first");
}

std::string Ledger::OtherOwner(const std::string &target_table) {
	const std::vector<Row> rows = session_.Query(
	    "SELECT migration, phase FROM " + Table("tables") +
	        " WHERE target_table = " + session_.Literal(target_table) + " AND target_schema IN (" +
	        session_.Literal(session_.Namespace()) + ", '') AND migration <> " + session_.Literal(name_) +
	        " AND phase IN ('applying', 'cut over') ORDER BY migration LIMIT 1",
	    "reading the migration ledger");
	if (rows.empty())
		return std::string();
	return "migration '" + Text(rows[0][0]) + "' (" + Text(rows[0][1]) + ")";
}

bool Ledger::Load(LedgerMigration &migration, std::vector<LedgerTable> &tables) {
	const std::string key = session_.Literal(name_);
	// `status` reads a ledger of the 1.3 CLI as it is (only `migrate` adds columns).
	const std::string seam_exact = HasColumn("migrations", "seam_exact") ? "seam_exact" : "0";
	const std::string copy_seqs = HasColumn("tables", "copy_seqs") ? "copy_seqs" : "''";
	const std::vector<Row> rows =
	    session_.Query("SELECT name, source, consumer, last_batch, batches, "
	                   "changes, seam_seq, seam_passed, created_ms, updated_ms,"
	                   " phase, " +
	                       seam_exact + " FROM " + Table("migrations") + " WHERE name = " + key,
	                   "reading the migration ledger");
	if (rows.empty())
		return false;
	const Row &m = rows[0];
	migration = LedgerMigration{};
	migration.name = Text(m[0]);
	migration.source = Text(m[1]);
	migration.consumer = Text(m[2]);
	migration.last_batch = Unsigned(m[3]);
	migration.batches = Unsigned(m[4]);
	migration.changes = Unsigned(m[5]);
	migration.seam_seq = Unsigned(m[6]);
	migration.seam_passed = Text(m[7]) == "1";
	migration.created_ms = Signed(m[8]);
	migration.updated_ms = Signed(m[9]);
	migration.phase = Text(m[10]);
	migration.seam_exact = Text(m[11]) == "1";
	tables.clear();
	for (const Row &t : session_.Query(
	         "SELECT source_table, log_name, target_table, schema_version, phase, source_fingerprint,"
	         " target_fingerprint, last_batch, changes, last_change_ms, proof_ms, proof, message, " +
	             copy_seqs + " FROM " + Table("tables") + " WHERE migration = " + key +
	             " ORDER BY source_table",
	         "reading the migration ledger")) {
		LedgerTable table;
		table.source_table = Text(t[0]);
		table.log_name = Text(t[1]);
		table.target_table = Text(t[2]);
		table.schema_version = static_cast<int>(Signed(t[3]));
		table.phase = Text(t[4]);
		table.source_fingerprint = Text(t[5]);
		table.target_fingerprint = Text(t[6]);
		table.last_batch = Unsigned(t[7]);
		table.changes = Unsigned(t[8]);
		table.last_change_ms = Signed(t[9]);
		table.proof_ms = Signed(t[10]);
		table.proof = Text(t[11]);
		table.message = Text(t[12]);
		table.copy_seqs = Text(t[13]);
		tables.push_back(table);
	}
	return true;
}

void Ledger::Save(const LedgerMigration &m, const std::vector<LedgerTable> &tables,
                  const LedgerBatch &batch) {
	const std::string key = session_.Literal(name_);
	session_.Exec("DELETE FROM " + Table("migrations") + " WHERE name = " + key,
	              "writing the migration ledger");
	session_.Exec("INSERT INTO " + Table("migrations") + " VALUES (" + key + ", " +
	                  session_.Literal(m.source) + ", " + session_.Literal(m.consumer) + ", " +
	                  Number(m.last_batch) + ", " + Number(m.batches) + ", " + Number(m.changes) + ", " +
	                  Number(m.seam_seq) + ", " + (m.seam_passed ? "1" : "0") + ", " + Number(m.created_ms) +
	                  ", " + Number(m.updated_ms) + ", " + session_.Literal(m.phase) + ", " +
	                  (m.seam_exact ? "1" : "0") + ")",
	              "writing the migration ledger");
	std::string values;
	for (const LedgerTable &t : tables) {
		session_.Exec("DELETE FROM " + Table("tables") + " WHERE migration = " + key +
		                  " AND source_table = " + session_.Literal(t.source_table),
		              "writing the migration ledger");
		values += std::string(values.empty() ? "" : ", ") + "(" + key + ", " +
		          session_.Literal(t.source_table) + ", " + session_.Literal(t.log_name) + ", " +
		          session_.Literal(t.target_table) + ", " + std::to_string(t.schema_version) + ", " +
		          session_.Literal(t.phase) + ", " + session_.Literal(t.source_fingerprint) + ", " +
		          session_.Literal(t.target_fingerprint) + ", " + Number(t.last_batch) + ", " +
		          Number(t.changes) + ", " + Number(t.last_change_ms) + ", " + Number(t.proof_ms) + ", " +
		          session_.Literal(t.proof) + ", " + session_.Literal(t.message) + ", " +
		          session_.Literal(session_.Namespace()) + ", " + session_.Literal(t.copy_seqs) + ")";
	}
	if (!values.empty())
		session_.Exec("INSERT INTO " + Table("tables") + " VALUES " + values, "writing the migration ledger");
	if (batch.batch_id != 0)
		session_.Exec("INSERT INTO " + Table("batches") + " VALUES (" + key + ", " + Number(batch.batch_id) +
		                  ", " + Number(batch.changes) + ", " + Number(batch.first_change_ms) + ", " +
		                  Number(batch.last_change_ms) + ", " + Number(batch.applied_ms) + ", " +
		                  Number(batch.apply_us) + ", " + Number(batch.proof_us) + ")",
		              "writing the migration ledger");
}

std::vector<LedgerBatch> Ledger::RecentBatches(unsigned count) {
	std::vector<LedgerBatch> out;
	for (const Row &r :
	     session_.Query("SELECT batch_id, changes, first_change_ms, last_change_ms, applied_ms, apply_us, "
	                    "proof_us FROM " +
	                        Table("batches") + " WHERE migration = " + session_.Literal(name_) +
	                        " ORDER BY batch_id DESC LIMIT " + std::to_string(count),
	                    "reading the migration ledger"))
		out.push_back(LedgerBatch{Unsigned(r[0]), Unsigned(r[1]), Signed(r[2]), Signed(r[3]), Signed(r[4]),
		                          Signed(r[5]), Signed(r[6])});
	return out;
}

std::map<std::string, std::vector<std::string>> Ledger::OtherMigrationsOf(const std::string &source) {
	std::map<std::string, std::vector<std::string>> out;
	for (const Row &row :
	     session_.Query("SELECT m.name, t.log_name FROM " + Table("migrations") + " m JOIN " +
	                        Table("tables") + " t ON t.migration = m.name WHERE m.name <> " +
	                        session_.Literal(name_) + " AND m.source = " + session_.Literal(source),
	                    "reading the migration ledger"))
		out[Text(row[0])].push_back(Text(row[1]));
	return out;
}

std::pair<std::uint64_t, std::uint64_t> Ledger::Remove() {
	const bool pg = session_.engine() == Engine::postgresql;
	const std::string key = session_.Literal(name_);
	const std::string what = "removing migration '" + name_ + "' from the ledger";
	const auto count = [&](const std::string &table, const std::string &column) {
		return Unsigned(session_.QueryValue(
		    "SELECT COUNT(*) FROM " + Table(table) + " WHERE " + column + " = " + key, what));
	};
	session_.Exec(pg ? "BEGIN" : "START TRANSACTION", what);
	try {
		const std::uint64_t tables = count("tables", "migration"), batches = count("batches", "migration");
		session_.Exec("DELETE FROM " + Table("batches") + " WHERE migration = " + key, what);
		session_.Exec("DELETE FROM " + Table("tables") + " WHERE migration = " + key, what);
		session_.Exec("DELETE FROM " + Table("migrations") + " WHERE name = " + key, what);
		session_.Exec("COMMIT", what);
		return {tables, batches};
	} catch (...) {
		try {
			session_.Exec("ROLLBACK", what);
		} catch (const Error &) {
		}
		throw;
	}
}

std::string Ledger::DropWhenEmpty() {
	const bool pg = session_.engine() == Engine::postgresql;
	const std::string what = "dropping the empty migration ledger";
	const std::string all = Table("migrations") + ", " + Table("tables") + ", " + Table("batches");
	const auto empty = [&]() {
		for (const char *table : {"migrations", "tables", "batches"})
			if (session_.QueryValue("SELECT 1 FROM " + Table(table) + " LIMIT 1", what).has_value())
				return false;
		return true;
	};
	if (pg) {
		session_.Exec("BEGIN", what);
		try {
			// NOWAIT: a run writing the ledger holds these locks; then the ledger stays.
			session_.Exec("LOCK TABLE " + all + " IN ACCESS EXCLUSIVE MODE NOWAIT", what);
			if (!empty()) {
				session_.Exec("ROLLBACK", what);
				return std::string();
			}
			session_.Exec("DROP TABLE " + all, what);
			session_.Exec("SAVEPOINT tables_dropped", what);
			std::string dropped = std::string("tables of schema ") + kSchema;
			try {
				session_.Exec(std::string("DROP SCHEMA ") + kSchema + " RESTRICT", what);
				dropped = std::string("schema ") + kSchema;
			} catch (const Error &) {
				// Something else lives in the schema: it stays, without the ledger's tables.
				session_.Exec("ROLLBACK TO SAVEPOINT tables_dropped", what);
			}
			session_.Exec("COMMIT", what);
			return dropped;
		} catch (const Error &) {
			try {
				session_.Exec("ROLLBACK", what);
			} catch (const Error &) {
			}
			return std::string();
		}
	}
	if (!empty())
		return std::string();
	session_.Exec("DROP TABLE IF EXISTS " + all, what);
	const bool others =
	    session_
	        .QueryValue(std::string("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '") +
	                        kSchema + "' LIMIT 1",
	                    what)
	        .has_value();
	if (others)
		return std::string("tables of database ") + kSchema;
	session_.Exec(std::string("DROP DATABASE IF EXISTS ") + kSchema, what);
	return std::string("database ") + kSchema;
}

void RefuseOtherSource(const LedgerMigration &migration, const std::string &display) {
	if (migration.source != display)
		throw Error("migration '" + migration.name + "' on the target applies changes of " +
		            migration.source + ", not of " + display);
}

} // namespace fingerprint::cli::migrate
