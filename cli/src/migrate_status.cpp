// `fingerprint status SOURCE TARGET [--name N] [--json]`: the migration as its ledger on
// the target records it, with the source's backlog: per table phase, rows, last applied
// batch, lag in seconds and in changes, last proof and its result.
#include "cli_error.hpp"
#include "migrate_ledger.hpp"
#include "migrate_run.hpp"
#include "migrate_source.hpp"
#include "shown_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <optional>

namespace fingerprint::cli {

namespace {

using namespace migrate;

struct WaitingTable {
	LedgerTable table;
	std::uint64_t waiting = 0; // changes in the source's log not yet applied
	double lag_seconds = 0;    // age of the oldest of them
};

std::string Rows(const std::string &fingerprint) {
	const std::size_t first = fingerprint.find(':', 4);
	const std::size_t second = fingerprint.find(':', first + 1);
	if (first == std::string::npos || second == std::string::npos)
		return "0";
	return fingerprint.substr(first + 1, second - first - 1);
}

void PrintJson(const LedgerMigration &migration, const std::vector<WaitingTable> &tables,
               const std::optional<bool> &consumer_registered) {
	rapidjson::StringBuffer buffer;
	rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
	auto string = [&](const std::string &text) {
		writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
	};
	writer.StartObject();
	writer.Key("migration");
	string(migration.name);
	writer.Key("source");
	string(migration.source);
	writer.Key("consumer");
	string(migration.consumer);
	writer.Key("consumer_registered"); // null: a MariaDB source keeps no registry
	if (consumer_registered)
		writer.Bool(*consumer_registered);
	else
		writer.Null();
	writer.Key("phase");
	string(migration.phase);
	writer.Key("last_batch");
	writer.Uint64(migration.last_batch);
	writer.Key("batches");
	writer.Uint64(migration.batches);
	writer.Key("changes");
	writer.Uint64(migration.changes);
	writer.Key("updated_ms");
	writer.Int64(migration.updated_ms);
	writer.Key("tables");
	writer.StartArray();
	for (const WaitingTable &status : tables) {
		const LedgerTable &t = status.table;
		writer.StartObject();
		writer.Key("table");
		string(t.source_table);
		writer.Key("phase");
		string(t.phase);
		writer.Key("rows");
		writer.Int64(std::atoll(Rows(t.target_fingerprint).c_str()));
		writer.Key("last_batch");
		writer.Uint64(t.last_batch);
		writer.Key("changes_applied");
		writer.Uint64(t.changes);
		writer.Key("lag_changes");
		writer.Uint64(status.waiting);
		writer.Key("lag_seconds");
		writer.Double(status.lag_seconds);
		writer.Key("proof");
		string(t.proof);
		writer.Key("proof_ms");
		writer.Int64(t.proof_ms);
		writer.Key("source_fingerprint");
		string(t.source_fingerprint);
		writer.Key("target_fingerprint");
		string(t.target_fingerprint);
		writer.Key("message");
		string(t.message);
		writer.EndObject();
	}
	writer.EndArray();
	writer.EndObject();
	std::printf("%s\n", buffer.GetString());
}

void PrintText(const LedgerMigration &migration, const std::vector<WaitingTable> &tables) {
	std::printf("migration %s from %s: last batch %llu, %llu changes applied\n",
	            Shown(migration.name).c_str(), Shown(migration.source).c_str(),
	            static_cast<unsigned long long>(migration.last_batch),
	            static_cast<unsigned long long>(migration.changes));
	// Padded by display columns, not bytes (printf's %-24s): `café` stays in line.
	std::printf("%s %-10s %10s %10s %12s %10s  %s\n", Padded("table", 24).c_str(), "phase", "rows",
	            "last batch", "lag changes", "lag s", "last proof");
	for (const WaitingTable &status : tables) {
		const LedgerTable &t = status.table;
		std::printf("%s %-10s %10s %10llu %12llu %10.1f  %s\n", Padded(Shown(t.source_table), 24).c_str(),
		            t.phase.c_str(), Rows(t.target_fingerprint).c_str(),
		            static_cast<unsigned long long>(t.last_batch),
		            static_cast<unsigned long long>(status.waiting), status.lag_seconds, t.proof.c_str());
		if (!t.message.empty())
			std::printf("  %s\n", Shown(t.message).c_str());
	}
}

} // namespace

int RunStatus(const StatusCommand &command) {
	std::unique_ptr<Session> target = OpenSession(command.target, "target");
	Ledger ledger(*target, command.name);
	LedgerMigration migration;
	std::vector<LedgerTable> tables;
	if (!ledger.Exists() || !ledger.Load(migration, tables))
		throw Error(target->who() + ": no migration '" + command.name +
		            "' in its ledger (fingerprint_migrate)");
	RefuseOtherSource(migration, command.source.display);
	std::unique_ptr<Session> source_session = OpenSession(command.source, "source");
	Source source(*source_session, migration.consumer);
	// A PostgreSQL source without the migration's consumer (unregistered by hand, or by a
	// --drop of the same name given another target before 1.6): no run can resume it.
	std::optional<bool> consumer_registered;
	if (source_session->engine() == Engine::postgresql)
		consumer_registered = source.ConsumerExists();
	std::vector<WaitingTable> statuses;
	const double now = static_cast<double>(NowMs()) / 1000.0;
	bool stopped = false;
	for (const LedgerTable &t : tables) {
		WaitingTable status;
		status.table = t;
		double oldest = 0;
		source.Backlog({t.log_name}, status.waiting, oldest);
		status.lag_seconds = oldest > 0 ? now - oldest : 0;
		// Any proof short of equal is exit 1 (a `status && switch` script must not go on):
		// a stopped table, one that differs at cutover, a failed or different proof.
		const bool proven = t.proof == "copy" || t.proof == "equal" || t.proof == "cutover: identical";
		stopped = stopped || t.phase == "stopped" || t.phase == "differs" || !proven;
		statuses.push_back(status);
	}
	if (command.json)
		PrintJson(migration, statuses, consumer_registered);
	else
		PrintText(migration, statuses);
	std::fflush(stdout);
	if (consumer_registered == false) {
		std::fprintf(stderr,
		             "fingerprint: migration %s: %s has no consumer %s: its changes are no longer kept for"
		             " it and no run can resume it; drop it (--drop) and migrate its tables again\n",
		             Shown(command.name).c_str(), Shown(source_session->who()).c_str(),
		             Shown(migration.consumer).c_str());
		return 1;
	}
	return stopped ? 1 : 0;
}

} // namespace fingerprint::cli
