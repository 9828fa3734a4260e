#include "migrate_cutover.hpp"

#include "cli_error.hpp"

#include <fingerprint/printable.hpp>
#include <fingerprint/version.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace fingerprint::cli::migrate {

namespace {

using Clock = std::chrono::steady_clock;

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
// serial column; MySQL, the table's AUTO_INCREMENT. Empty when the column has none.
struct Counter {
	std::string column;
	long long next = 0; // 0: none
};

Counter SourceCounter(Session &session, const std::string &table) {
	Counter counter;
	if (session.engine() == Engine::postgresql) {
		const std::vector<Row> rows = session.Query(
		    "SELECT a.attname, pg_catalog.pg_get_serial_sequence(" +
		        session.Literal(session.Qualified(table)) +
		        ", a.attname) FROM pg_catalog.pg_attribute a WHERE a.attrelid = " +
		        session.Literal(session.Qualified(table)) +
		        "::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.pg_get_serial_sequence(" +
		        session.Literal(session.Qualified(table)) + ", a.attname) IS NOT NULL LIMIT 1",
		    "looking up the sequence of " + table);
		if (rows.empty())
			return counter;
		counter.column = Text(rows[0][0]);
		const std::vector<Row> value = session.Query("SELECT last_value, is_called FROM " + Text(rows[0][1]),
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
		session.Exec("SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(" +
		                 session.Literal(session.Qualified(table)) + ", " + session.Literal(target.column) +
		                 "), " + std::to_string(value) + ", false)",
		             "moving the sequence of " + table);
	} else {
		session.Exec("ALTER TABLE " + session.Qualified(table) + " AUTO_INCREMENT = " + std::to_string(value),
		             "moving the AUTO_INCREMENT of " + table);
	}
	return target.column + " next " + std::to_string(value);
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
	// 1. Apply until no change arrived for --quiet seconds: the application has stopped.
	auto last_change = Clock::now();
	while (!stop_requested) {
		const BatchStep step = applier.Step(command.batch_changes);
		if (step.had_batch) {
			report.Batch(step, runs);
			if (step.changes > 0)
				last_change = Clock::now();
			continue;
		}
		if (std::chrono::duration<double>(Clock::now() - last_change).count() >= command.quiet_seconds)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
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
