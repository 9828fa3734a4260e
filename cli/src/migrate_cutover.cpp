#include "migrate_cutover.hpp"

#include "cli_error.hpp"
#include "migrate_cutover_wait.hpp"

#include <fingerprint/printable.hpp>
#include <fingerprint/version.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace fingerprint::cli::migrate {

namespace {

// table_fingerprint of a table on either side, in one statement.
std::string FullFingerprint(Session &session, const std::string &table) {
	if (session.engine() == Engine::postgresql)
		return Text(session.QueryValue("SELECT " + session.Name(ExtensionSchema(session)) +
		                                   ".table_fingerprint(" + session.Literal(session.Qualified(table)) +
		                                   "::regclass)",
		                               "table_fingerprint of " + table));
	return Text(session.QueryValue("CALL fingerprint.table_fingerprint(" +
	                                   session.Literal(session.Namespace() + "." + table) + ")",
	                               "fingerprint.table_fingerprint of " + table));
}

// The next value a table's counter hands out: PostgreSQL, the sequence of an identity or
// serial column, or a sequence a column's default takes its values from without being
// owned by it (`DEFAULT nextval('free_seq')`: pg_get_serial_sequence does not see it, the
// default's dependency in pg_depend does; before, such a counter was skipped without a
// word); MySQL, the table's AUTO_INCREMENT. Empty when the table has none.
struct Counter {
	std::string column;
	std::string sequence; // PostgreSQL: the sequence, as regclass text
	long long next = 0;   // 0: none
};

Counter SourceCounter(Session &session, const std::string &table) {
	Counter counter;
	if (session.engine() == Engine::postgresql) {
		const std::string rel = session.Literal(session.Qualified(table));
		const std::vector<Row> rows = session.Query(
		    "SELECT name, seq FROM (SELECT a.attnum, a.attname AS name, coalesce("
		    "pg_catalog.pg_get_serial_sequence(" +
		        rel +
		        ", a.attname), (SELECT d.refobjid::regclass::text FROM pg_catalog.pg_attrdef ad"
		        " JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = "
		        "ad.oid"
		        " AND d.refclassid = 'pg_catalog.pg_class'::regclass"
		        " JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'"
		        " WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum ORDER BY d.refobjid LIMIT 1)) AS seq"
		        " FROM pg_catalog.pg_attribute a WHERE a.attrelid = " +
		        rel +
		        "::regclass AND a.attnum > 0 AND NOT a.attisdropped) c WHERE seq IS NOT NULL ORDER BY attnum "
		        "LIMIT 1",
		    "looking up the sequence of " + table);
		if (rows.empty())
			return counter;
		counter.column = Text(rows[0][0]);
		counter.sequence = Text(rows[0][1]);
		const std::vector<Row> value = session.Query("SELECT last_value, is_called FROM " + counter.sequence,
		                                             "reading the sequence of " + table);
		counter.next = std::atoll(Text(value[0][0]).c_str()) + (Text(value[0][1]) == "t" ? 1 : 0);
		return counter;
	}
	const std::vector<Row> rows = session.Query(
	    "SELECT c.COLUMN_NAME, t.AUTO_INCREMENT FROM information_schema.COLUMNS c JOIN "
	    "information_schema.TABLES t"
	    " ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = " +
	        session.Literal(session.Namespace()) + " AND c.TABLE_NAME = " + session.Literal(table) +
	        " AND c.EXTRA LIKE '%auto_increment%'",
	    "looking up the AUTO_INCREMENT of " + table);
	if (rows.empty())
		return counter;
	counter.column = Text(rows[0][0]);
	counter.next = std::atoll(Text(rows[0][1]).c_str());
	return counter;
}

// Moves the target's counter past `next` and past its own rows; returns what it set
// ("" when the target table has no counter).
std::string RaiseTargetCounter(Session &session, const std::string &table, long long next) {
	const Counter target = SourceCounter(session, table);
	if (target.column.empty())
		return std::string();
	const long long highest =
	    std::atoll(Text(session.QueryValue("SELECT MAX(" + session.Name(target.column) + ") FROM " +
	                                           session.Qualified(table),
	                                       "reading the highest " + target.column + " of " + table))
	                   .c_str());
	const long long value = std::max({next, highest + 1, target.next, 1LL});
	if (session.engine() == Engine::postgresql) {
		session.Exec("SELECT pg_catalog.setval(" + session.Literal(target.sequence) + "::regclass, " +
		                 std::to_string(value) + ", false)",
		             "moving the sequence of " + table);
	} else {
		session.Exec("ALTER TABLE " + session.Qualified(table) + " AUTO_INCREMENT = " + std::to_string(value),
		             "moving the AUTO_INCREMENT of " + table);
	}
	return target.column + " next " + std::to_string(value);
}

// What to say of a source counter the target table has nothing to move for: the
// application's next insert without that column would fail or collide on the target.
std::string CounterNotMoved(const Counter &source, Session &target, const std::string &table) {
	const std::string what = source.sequence.empty() ? "AUTO_INCREMENT" : "sequence " + source.sequence;
	return "the source's column " + source.column + " takes its values from " + what + " (next " +
	       std::to_string(source.next) + "), but target table " + target.Namespace() + "." + table +
	       " has no counter on it (" +
	       (target.engine() == Engine::postgresql ? "no identity, serial or nextval default"
	                                              : "no AUTO_INCREMENT") +
	       "): nothing was moved; give it one that starts past " + std::to_string(source.next) +
	       " before the application inserts without " + source.column;
}

std::string IsoTime(std::int64_t ms) {
	const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
	std::tm tm{};
	gmtime_r(&seconds, &tm);
	char text[96];
	std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
	return text;
}

struct Proven {
	std::string table;
	std::string source_fingerprint;
	std::string target_fingerprint;
	std::string counter;
	std::string counter_not_moved;
	std::uint64_t last_batch = 0;
	std::string phase;
	std::string message;
	bool equal = false;
};

std::string Certificate(const MigrateCommand &command, const LedgerMigration &migration,
                        const std::vector<Proven> &tables, bool identical, std::int64_t started_ms) {
	rapidjson::StringBuffer buffer;
	rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
	auto string = [&](const std::string &text) {
		writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
	};
	writer.StartObject();
	writer.Key("certificate");
	string("fingerprint migrate cutover");
	writer.Key("migration");
	string(migration.name);
	writer.Key("source");
	string(command.source.display);
	writer.Key("target");
	string(command.target.display);
	writer.Key("release");
	string(kRelease);
	writer.Key("format");
	string(kFormatName);
	writer.Key("result");
	string(identical ? "identical" : "different");
	writer.Key("migration_started");
	string(IsoTime(migration.created_ms));
	writer.Key("cutover_started");
	string(IsoTime(started_ms));
	writer.Key("cutover_finished");
	string(IsoTime(NowMs()));
	writer.Key("last_batch");
	writer.Uint64(migration.last_batch);
	writer.Key("changes_applied");
	writer.Uint64(migration.changes);
	writer.Key("tables");
	writer.StartArray();
	for (const Proven &t : tables) {
		writer.StartObject();
		writer.Key("table");
		string(t.table);
		writer.Key("rows");
		AggregateState state{};
		writer.Uint64(ParseTableFingerprint(t.target_fingerprint, &state) == Status::ok ? state.rows : 0);
		writer.Key("source_fingerprint");
		string(t.source_fingerprint);
		writer.Key("target_fingerprint");
		string(t.target_fingerprint);
		writer.Key("equal");
		writer.Bool(t.equal);
		writer.Key("last_batch");
		writer.Uint64(t.last_batch);
		writer.Key("phase");
		string(t.phase);
		if (!t.counter.empty()) {
			writer.Key("counter");
			string(t.counter);
		}
		if (!t.counter_not_moved.empty()) {
			writer.Key("counter_not_moved");
			string(t.counter_not_moved);
		}
		if (!t.message.empty()) {
			writer.Key("message");
			string(t.message);
		}
		writer.EndObject();
	}
	writer.EndArray();
	writer.EndObject();
	return std::string(buffer.GetString()) + "\n";
}

} // namespace

int Cutover(const MigrateCommand &command, Source &source, Session &target, Ledger &ledger,
            LedgerMigration &migration, std::vector<TableRun> &runs, Applier &applier, BatchReport &report,
            const std::atomic<bool> &stop_requested) {
	const std::int64_t started_ms = NowMs();
	// 1. Apply until no change arrived for --quiet seconds: the application has stopped
	// (or give up after --cutover-timeout seconds: nothing is switched).
	if (!WaitForQuiet(command, applier, report, runs, stop_requested) && !stop_requested) {
		applier.SaveState();
		return kCutoverWritesGoOn;
	}
	if (stop_requested)
		throw Error("cutover interrupted by a signal before the writes stopped: nothing was cut over");
	// 2. The full proof: table_fingerprint of every table on both sides.
	std::vector<Proven> proven;
	bool identical = true;
	for (TableRun &run : runs) {
		Proven p;
		p.table = run.ledger.source_table;
		p.last_batch = run.ledger.last_batch;
		p.source_fingerprint = FullFingerprint(source.session(), run.ledger.source_table);
		p.target_fingerprint = FullFingerprint(target, run.ledger.target_table);
		// A table already cut over is proven again: a repeated cutover re-certifies it.
		const bool live = run.ledger.phase == "applying" || run.ledger.phase == "cut over";
		p.equal = p.source_fingerprint == p.target_fingerprint && live;
		p.phase = p.equal ? "cut over" : live ? "differs" : run.ledger.phase;
		p.message = run.ledger.message;
		if (p.source_fingerprint != p.target_fingerprint && p.message.empty())
			p.message = "table_fingerprint differs: source " + p.source_fingerprint + ", target " +
			            p.target_fingerprint;
		identical = identical && p.equal;
		proven.push_back(p);
	}
	// A change that arrived meanwhile means the writes had not stopped.
	if (source.NextBatch(command.batch_changes))
		throw Error(source.session().who() +
		            ": new changes arrived during the cutover's proof: the application"
		            " is still writing; stop it and run --cutover again");
	// 3. Counters past the source's values, for each table proven identical.
	for (std::size_t i = 0; i < runs.size(); ++i)
		if (proven[i].equal) {
			const Counter counter = SourceCounter(source.session(), runs[i].ledger.source_table);
			proven[i].counter = RaiseTargetCounter(target, runs[i].ledger.target_table, counter.next);
			if (proven[i].counter.empty() && !counter.column.empty()) {
				proven[i].counter_not_moved = CounterNotMoved(counter, target, runs[i].ledger.target_table);
				std::fprintf(stderr, "cutover: %s: %s\n", proven[i].table.c_str(),
				             proven[i].counter_not_moved.c_str());
			}
		}
	// 4. The ledger and the certificate.
	for (std::size_t i = 0; i < runs.size(); ++i) {
		runs[i].ledger.phase = proven[i].phase;
		runs[i].ledger.proof = proven[i].equal ? "cutover: identical" : "cutover: different";
		runs[i].ledger.proof_ms = NowMs();
		if (!proven[i].equal)
			runs[i].ledger.message = proven[i].message;
	}
	migration.phase = identical ? "cut over" : "cutover failed";
	migration.updated_ms = NowMs();
	std::vector<LedgerTable> tables;
	for (const TableRun &run : runs)
		tables.push_back(run.ledger);
	target.Exec(target.engine() == Engine::postgresql ? "BEGIN" : "START TRANSACTION",
	            "recording the cutover");
	ledger.Save(migration, tables, LedgerBatch{});
	target.Exec("COMMIT", "recording the cutover");
	const std::string certificate = Certificate(command, migration, proven, identical, started_ms);
	if (command.certificate.empty()) {
		std::fputs(certificate.c_str(), stdout);
	} else {
		std::ofstream out(command.certificate, std::ios::binary | std::ios::trunc);
		out << certificate;
		if (!out)
			throw Error("cannot write the certificate to " + command.certificate);
		std::printf("certificate written to %s: %s\n", command.certificate.c_str(),
		            identical ? "every table identical" : "TABLES DIFFER");
	}
	std::fflush(stdout);
	return identical ? 0 : 1;
}

} // namespace fingerprint::cli::migrate
