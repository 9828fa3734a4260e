// `fingerprint migrate --drop` (migrate_drop.hpp): the target first, whose lock says
// whether the migration runs and whose ledger says which tables it has; then the source
// (consumer, capture); then the ledger's rows, removed last so that a drop stopped by an
// error on the source can be run again and still knows the migration's tables.
#include "migrate_drop.hpp"

#include "capture.hpp"
#include "cli_error.hpp"
#include "migrate_ledger.hpp"
#include "migrate_renames.hpp"
#include "migrate_source.hpp"
#include "shown_text.hpp"
#include "text_list.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace fingerprint::cli {

namespace {

using namespace migrate;

// What the drop did and did not do, as printed (text or --json).
struct DropReport {
	std::string name;
	std::string ledger; // removed, kept, not reached
	std::uint64_t ledger_tables = 0, ledger_batches = 0;
	std::string ledger_dropped;                  // the empty ledger dropped after it ("" none)
	std::string consumer = "not registered";     // unregistered, not registered, not reached, no registry
	std::optional<std::uint64_t> batch_finished; // MariaDB: its open batch, finished
	std::vector<std::string> capture_disabled;
	std::vector<std::pair<std::string, std::string>> capture_left_on; // table, why
	std::vector<std::string> not_done;
};

// The table as the drop names it: its name now, and the migrated name when it was renamed.
std::string Named(const LedgerTable &table, const std::optional<CapturedRelation> &relation) {
	if (!relation || relation->name == table.log_name)
		return table.log_name;
	return relation->name + " (migrated as " + table.log_name + ", renamed since)";
}

// PostgreSQL: the relation the migration's capture registration of the table names, by
// relid (RelationNow: a table given the old name since is none of the drop's business);
// nullopt on MariaDB.
std::optional<CapturedRelation> RelationOf(Session &source, const LedgerTable &table) {
	if (source.engine() != Engine::postgresql)
		return std::nullopt;
	return RelationNow(source, table.log_name, table.schema_version);
}

// MariaDB: the log names of the tables whose capture is on, read once for all the
// migration's tables. PostgreSQL: empty (RelationNow says it per table).
std::set<std::string> CapturedOnMariaDb(Session &source) {
	if (source.engine() != Engine::mysql)
		return {};
	const std::vector<std::string> captured = Source(source, std::string()).CapturedTables();
	return std::set<std::string>(captured.begin(), captured.end());
}

// Whether capture of the migration's table is on now (a table dropped since: off).
// PostgreSQL: RelationNow's word (`captured` is empty, so a relation gone is off);
// MariaDB: its log name among `captured`, compared byte for byte (as BINARY did).
bool CaptureIsOn(const LedgerTable &table, const std::optional<CapturedRelation> &relation,
                 const std::set<std::string> &captured) {
	return relation ? relation->capture_on : captured.count(table.log_name) > 0;
}

// The source's consumers other than this migration's. PostgreSQL: fingerprint.consumers.
// MariaDB keeps no registry: the consumers its log's batch rows name (the open batch and
// the latest finished one) are the only ones it can show.
std::vector<std::string> OtherConsumers(Session &source, const std::string &ours) {
	const bool pg = source.engine() == Engine::postgresql;
	std::vector<std::string> out;
	for (const Row &row : source.Query(
	         pg ? "SELECT consumer FROM fingerprint.consumers WHERE consumer <> " + source.Literal(ours) +
	                  " ORDER BY consumer"
	            : "SELECT DISTINCT consumer FROM fingerprint.capture_batches WHERE BINARY consumer <>"
	              " BINARY " +
	                  source.Literal(ours) + " ORDER BY consumer",
	         "listing the source's other consumers"))
		out.push_back(Text(row[0]));
	return out;
}

// PostgreSQL: unregisters the consumer. MariaDB: finishes its open batch, if any, which
// else blocks every other consumer of the log (its changes leave the log unapplied: the
// migration they were for is dropped); only while the migration's lock on the target is
// held, that is when it is known not to run.
void ReleaseConsumer(Session &source, const std::string &name, bool locked, DropReport &report) {
	const std::string consumer = Consumer(name);
	Source reader(source, consumer);
	if (source.engine() == Engine::postgresql) {
		if (!reader.ConsumerExists())
			return;
		reader.Unregister();
		report.consumer = "unregistered";
		return;
	}
	report.consumer = "no registry";
	const Value open = source.QueryValue("SELECT batch_id FROM fingerprint.capture_batches WHERE finished_at "
	                                     "IS NULL AND BINARY consumer = BINARY " +
	                                         source.Literal(consumer),
	                                     "looking up the open batch of " + consumer);
	if (!open)
		return;
	const std::uint64_t batch = std::strtoull(open->c_str(), nullptr, 10);
	if (!locked) {
		report.not_done.push_back(
		    source.who() + ": batch " + *open + " of consumer " + consumer +
		    " stays open on the change log (the target was not reached, so whether the"
		    " migration still runs is unknown); no other consumer can take a batch until"
		    " it is finished: CALL fingerprint.finish_batch('" +
		    consumer + "', " + *open + ") once it has stopped");
		return;
	}
	reader.FinishBatch(batch);
	report.batch_finished = batch;
}

// --disable-capture: off for each of the migration's tables that no other reader needs.
// A table of another migration of the same source in the target's ledger stays on (in
// any phase: its consumer may be registered again); so does every table while a consumer
// whose tables are unknown is registered (not a migration of this ledger: another
// target's, or a reader of its own), since each PostgreSQL consumer reads every table's
// changes and MariaDB's log has no registry to ask.
void DisableCapture(Session &source, Ledger &ledger, const MigrateCommand &command,
                    const std::vector<LedgerTable> &tables, DropReport &report) {
	std::map<std::string, std::string> needed; // log name -> why it stays on
	const auto others = ledger.OtherMigrationsOf(command.source.display);
	for (const auto &[migration, logs] : others)
		for (const std::string &log : logs)
			needed.emplace(log, "migration '" + migration + "' in the target's ledger reads it");
	std::vector<std::string> unknown;
	for (const std::string &consumer : OtherConsumers(source, Consumer(command.name))) {
		const bool known = consumer.rfind(kConsumerPrefix, 0) == 0 &&
		                   others.count(consumer.substr(kConsumerPrefix.size())) > 0;
		if (!known)
			unknown.push_back(consumer);
	}
	const std::string unknown_reason =
	    unknown.empty()
	        ? std::string()
	        : "consumer " + Join(unknown, ", ") +
	              " on the source may read it (not a migration of this target's ledger: its tables"
	              " are unknown)";
	const bool pg = source.engine() == Engine::postgresql;
	const std::set<std::string> captured = CapturedOnMariaDb(source);
	for (const LedgerTable &table : tables) {
		const std::optional<CapturedRelation> relation = RelationOf(source, table);
		if (!CaptureIsOn(table, relation, captured))
			continue;
		const auto found = needed.find(table.log_name);
		if (found != needed.end()) {
			report.capture_left_on.emplace_back(Named(table, relation), found->second);
			continue;
		}
		if (!unknown.empty()) {
			report.capture_left_on.emplace_back(Named(table, relation), unknown_reason);
			continue;
		}
		if (pg) {
			source.Exec("SELECT fingerprint_capture_disable(" + relation->oid + "::oid::regclass)",
			            "disabling capture of " + Named(table, relation));
		} else {
			CaptureCommand capture;
			capture.action = "disable";
			capture.url = command.source;
			capture.tables = {table.log_name}; // db.table: a name holding a dot stays whole
			capture.print = false;
			RunCapture(capture);
		}
		report.capture_disabled.push_back(Named(table, relation));
	}
}

// Without --disable-capture: the tables whose capture stays on, said so.
void ListCaptureLeftOn(Session &source, const std::vector<LedgerTable> &tables, DropReport &report) {
	const std::set<std::string> captured = CapturedOnMariaDb(source);
	for (const LedgerTable &table : tables) {
		const std::optional<CapturedRelation> relation = RelationOf(source, table);
		if (CaptureIsOn(table, relation, captured))
			report.capture_left_on.emplace_back(Named(table, relation), "--disable-capture was not given");
	}
}

// dropped; partly dropped; nothing dropped (neither side reached, or nothing found).
std::string Result(const DropReport &report) {
	if (report.not_done.empty())
		return "dropped";
	const bool something = report.ledger == "removed" || report.consumer == "unregistered" ||
	                       report.batch_finished || !report.capture_disabled.empty();
	return something ? "partly dropped" : "nothing dropped";
}

void PrintJson(const DropReport &report) {
	rapidjson::StringBuffer buffer;
	rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
	auto string = [&](const std::string &text) {
		writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
	};
	writer.StartObject();
	writer.Key("migration");
	string(report.name);
	writer.Key("result");
	string(Result(report));
	writer.Key("ledger");
	string(report.ledger);
	writer.Key("ledger_tables");
	writer.Uint64(report.ledger_tables);
	writer.Key("ledger_batches");
	writer.Uint64(report.ledger_batches);
	writer.Key("ledger_dropped");
	string(report.ledger_dropped);
	writer.Key("consumer");
	string(report.consumer);
	writer.Key("batch_finished");
	if (report.batch_finished)
		writer.Uint64(*report.batch_finished);
	else
		writer.Null();
	writer.Key("capture_disabled");
	writer.StartArray();
	for (const std::string &table : report.capture_disabled)
		string(table);
	writer.EndArray();
	writer.Key("capture_left_on");
	writer.StartArray();
	for (const auto &[table, why] : report.capture_left_on) {
		writer.StartObject();
		writer.Key("table");
		string(table);
		writer.Key("reason");
		string(why);
		writer.EndObject();
	}
	writer.EndArray();
	writer.Key("not_done");
	writer.StartArray();
	for (const std::string &text : report.not_done)
		string(text);
	writer.EndArray();
	writer.EndObject();
	std::printf("%s\n", buffer.GetString());
}

void PrintText(const DropReport &report) {
	std::printf("migration %s %s\n", Shown(report.name).c_str(), Result(report).c_str());
	if (report.ledger == "removed")
		std::printf("  target   ledger rows removed (%llu tables, %llu batches)%s\n",
		            static_cast<unsigned long long>(report.ledger_tables),
		            static_cast<unsigned long long>(report.ledger_batches),
		            report.ledger_dropped.empty()
		                ? ""
		                : ("; no migration left: " + report.ledger_dropped + " dropped").c_str());
	else
		std::printf("  target   ledger rows %s\n", report.ledger.c_str());
	if (report.consumer == "no registry")
		std::printf("  source   MariaDB (no consumer registry)%s\n",
		            report.batch_finished
		                ? ("; its open batch " + std::to_string(*report.batch_finished) + " finished").c_str()
		                : "");
	else
		std::printf("  source   consumer %s %s\n", Shown(Consumer(report.name)).c_str(),
		            report.consumer.c_str());
	for (const std::string &table : report.capture_disabled)
		std::printf("  capture  turned off: %s\n", Shown(table).c_str());
	for (const auto &[table, why] : report.capture_left_on)
		std::printf("  capture  stays on: %s (%s)\n", Shown(table).c_str(), Shown(why).c_str());
}

// A reachable target without the migration: refused before the source is opened. The
// source's consumer migrate:NAME may be that of the same name's migration onto another
// target (the wrong TARGET given), still running: unregistering it broke that migration
// for good. Forgetting a consumer whose target is gone is the unreachable-target path.
std::string NotInLedger(Session &target, const MigrateCommand &command) {
	return "no migration '" + command.name + "' in the ledger (fingerprint_migrate) of " + target.who() +
	       ": nothing dropped, the source not touched (its consumer " + Consumer(command.name) +
	       ", if any, may be that of a migration onto another target: give the migration's own"
	       " target; if that target is gone for good, --drop with its URL drops the source's part)";
}

} // namespace

int RunMigrateDrop(const MigrateCommand &command) {
	DropReport report;
	report.name = command.name;
	const std::string consumer = Consumer(command.name);

	// The target: the lock (refused while the migration runs: nothing is done) and the
	// ledger, which names the tables.
	std::unique_ptr<Session> target;
	try {
		target = OpenSession(command.target, "target");
	} catch (const Error &error) {
		report.ledger = "not reached";
		report.not_done.push_back(std::string(error.what()) + ": the ledger rows of migration '" +
		                          command.name + "' (if any) stay on the target");
	}
	std::unique_ptr<Ledger> ledger;
	LedgerMigration migration;
	std::vector<LedgerTable> tables;
	if (target) {
		ledger = std::make_unique<Ledger>(*target, command.name);
		ledger->Lock();
		if (!ledger->Exists() || !ledger->Load(migration, tables))
			throw Error(NotInLedger(*target, command));
		RefuseOtherSource(migration, command.source.display);
	}

	// The source: consumer, then capture.
	std::unique_ptr<Session> source;
	try {
		source = OpenSession(command.source, "source");
	} catch (const Error &error) {
		report.consumer = "not reached";
		report.not_done.push_back(std::string(error.what()) + ": on the source, consumer " + consumer +
		                          " stays (PostgreSQL: SELECT fingerprint.unregister_consumer('" + consumer +
		                          "'); MariaDB: CALL fingerprint.finish_batch('" + consumer +
		                          "', <its open batch>) if it has one)");
		std::vector<std::string> on;
		for (const LedgerTable &table : tables)
			on.push_back(table.log_name);
		if (!on.empty())
			report.not_done.push_back(
			    "capture of " + Join(on, ", ") + " was not looked at (the source was not reached)" +
			    (command.disable_capture ? ": turn it off by hand once nothing reads it" : ""));
	}
	bool source_failed = false;
	if (source) {
		try {
			ReleaseConsumer(*source, command.name, ledger != nullptr, report);
			if (!ledger && command.disable_capture) // the target not reached
				report.not_done.push_back("capture not turned off: the target's ledger, which names the"
				                          " migration's tables, was not reached; turn it off by hand once"
				                          " nothing reads them");
			else if (command.disable_capture)
				DisableCapture(*source, *ledger, command, tables, report);
			else
				ListCaptureLeftOn(*source, tables, report);
		} catch (const Error &error) {
			if (!ledger && report.consumer != "unregistered" && !report.batch_finished)
				throw; // the target not reached, and nothing done yet: a plain error
			source_failed = true;
			report.not_done.push_back(error.what());
		}
	}

	// The ledger's rows last, and only when the source's part did not fail: a second
	// --drop then still knows the tables.
	if (ledger && source_failed) {
		report.ledger = "kept";
		report.not_done.push_back("the ledger rows of migration '" + command.name +
		                          "' were kept so that --drop can be run again");
	} else if (ledger) {
		const auto removed = ledger->Remove();
		report.ledger = "removed";
		report.ledger_tables = removed.first;
		report.ledger_batches = removed.second;
		report.ledger_dropped = ledger->DropWhenEmpty();
	}

	if (command.json)
		PrintJson(report);
	else
		PrintText(report);
	std::fflush(stdout);
	for (const std::string &text : report.not_done)
		std::fprintf(stderr, "fingerprint: migration %s: not done: %s\n", Shown(command.name).c_str(),
		             Shown(text).c_str());
	return report.not_done.empty() ? 0 : 2;
}

} // namespace fingerprint::cli
