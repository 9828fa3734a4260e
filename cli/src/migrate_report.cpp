#include "migrate_report.hpp"

#include "shown_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace fingerprint::cli::migrate {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer &writer, const std::string &text) {
	writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void Key(Writer &writer, const char *key) {
	writer.Key(key);
}

// The rows a table fingerprint counts: fp1:xxh3:<rows>:<hex>.
std::string Rows(const std::string &fingerprint) {
	const std::size_t first = fingerprint.find(':', 4);
	const std::size_t second = fingerprint.find(':', first + 1);
	if (first == std::string::npos || second == std::string::npos)
		return "?";
	return fingerprint.substr(first + 1, second - first - 1);
}

void TableJson(Writer &writer, const TableRun &run) {
	writer.StartObject();
	Key(writer, "table");
	String(writer, run.ledger.source_table);
	Key(writer, "phase");
	String(writer, run.ledger.phase);
	Key(writer, "rows");
	writer.Int64(std::atoll(Rows(run.ledger.target_fingerprint).c_str()));
	Key(writer, "source_fingerprint");
	String(writer, run.ledger.source_fingerprint);
	Key(writer, "target_fingerprint");
	String(writer, run.ledger.target_fingerprint);
	Key(writer, "last_batch");
	writer.Uint64(run.ledger.last_batch);
	Key(writer, "proof");
	String(writer, run.ledger.proof);
	if (!run.ledger.message.empty()) {
		Key(writer, "message");
		String(writer, run.ledger.message);
	}
	writer.EndObject();
}

// The changes a batch consumed without applying them: those of stopped tables, and
// those the copy already held (MariaDB's exact copy seam).
std::string Skipped(std::size_t skipped, std::size_t in_copy) {
	std::string out;
	if (in_copy != 0)
		out += ", " + std::to_string(in_copy) + " already in the copy (copy seam)";
	if (skipped != 0)
		out += ", " + std::to_string(skipped) + " consumed without applying (stopped tables)";
	return out;
}

} // namespace

std::string BatchJson(const BatchStep &step, const std::vector<TableRun> &runs) {
	rapidjson::StringBuffer buffer;
	Writer writer(buffer);
	writer.StartObject();
	Key(writer, "batch");
	writer.Uint64(step.batch_id);
	Key(writer, "resumed");
	writer.Bool(step.resumed);
	Key(writer, "changes");
	writer.Uint64(step.changes);
	Key(writer, "skipped_changes");
	writer.Uint64(step.skipped);
	Key(writer, "in_copy_changes");
	writer.Uint64(step.in_copy);
	Key(writer, "apply_seconds");
	writer.Double(step.apply_seconds);
	Key(writer, "proof_seconds");
	writer.Double(step.proof_seconds);
	Key(writer, "lag_seconds");
	writer.Double(step.lag_seconds);
	Key(writer, "tables");
	writer.StartArray();
	for (const TableStep &table : step.tables)
		for (const TableRun &run : runs)
			if (run.ledger.source_table == table.table) {
				TableJson(writer, run);
				break;
			}
	writer.EndArray();
	writer.EndObject();
	return buffer.GetString();
}

void BatchReport::Start(const LedgerMigration &migration, const std::vector<TableRun> &runs) {
	if (json_)
		return;
	std::fprintf(stderr, "migration %s: %zu tables from %s, ledger at batch %llu before this run\n",
	             Shown(migration.name).c_str(), runs.size(), Shown(migration.source).c_str(),
	             static_cast<unsigned long long>(migration.last_batch));
}

void BatchReport::Batch(const BatchStep &step, const std::vector<TableRun> &runs) {
	++batches_;
	changes_ += step.changes;
	skipped_ += step.skipped;
	in_copy_ += step.in_copy;
	apply_seconds_ += step.apply_seconds;
	proof_seconds_ += step.proof_seconds;
	if (json_) {
		std::printf("%s\n", BatchJson(step, runs).c_str());
		std::fflush(stdout);
	}
	for (const TableStep &table : step.tables)
		if (table.stopped)
			for (const TableRun &run : runs)
				if (run.ledger.source_table == table.table)
					std::fprintf(stderr, "table %s STOPPED: %s\n", Shown(table.table).c_str(),
					             Shown(run.ledger.message).c_str());
	if (json_ || !terminal_)
		return;
	if (step.resumed) {
		std::fprintf(stderr, "batch %llu: applied before an interruption; finished on the source\n",
		             static_cast<unsigned long long>(step.batch_id));
		return;
	}
	const double rate = step.apply_seconds > 0 ? static_cast<double>(step.changes) / step.apply_seconds : 0;
	std::fprintf(
	    stderr,
	    "batch %llu: %zu changes applied and proven in %.3f s (%.0f changes/s, proof %.3f s), lag %.1f s%s\n",
	    static_cast<unsigned long long>(step.batch_id), step.changes, step.apply_seconds, rate,
	    step.proof_seconds, step.lag_seconds, Skipped(step.skipped, step.in_copy).c_str());
}

void BatchReport::End(const LedgerMigration &migration, const std::vector<TableRun> &runs, bool signalled,
                      const std::string &caught_up_to) {
	const std::string result = signalled              ? "stopped by signal"
	                           : caught_up_to.empty() ? "caught up"
	                                                  : "caught up to " + caught_up_to;
	if (json_) {
		rapidjson::StringBuffer buffer;
		Writer writer(buffer);
		writer.StartObject();
		Key(writer, "migration");
		String(writer, migration.name);
		Key(writer, "result");
		String(writer, signalled ? "stopped by signal" : "caught up");
		if (!signalled && !caught_up_to.empty()) {
			Key(writer, "caught_up_to");
			String(writer, caught_up_to);
		}
		Key(writer, "last_batch");
		writer.Uint64(migration.last_batch);
		Key(writer, "batches");
		writer.Uint64(batches_);
		Key(writer, "changes");
		writer.Uint64(changes_);
		Key(writer, "skipped_changes");
		writer.Uint64(skipped_);
		Key(writer, "in_copy_changes");
		writer.Uint64(in_copy_);
		Key(writer, "tables");
		writer.StartArray();
		for (const TableRun &run : runs)
			TableJson(writer, run);
		writer.EndArray();
		writer.EndObject();
		std::printf("%s\n", buffer.GetString());
		std::fflush(stdout);
		return;
	}
	// The ledger's batch now (after this run's batches; the opening line gave it before).
	std::printf(
	    "%s, ledger at batch %llu: this run %llu batches, %llu changes applied in %.2f s (proof %.2f s)%s\n",
	    result.c_str(), static_cast<unsigned long long>(migration.last_batch),
	    static_cast<unsigned long long>(batches_), static_cast<unsigned long long>(changes_), apply_seconds_,
	    proof_seconds_, Skipped(skipped_, in_copy_).c_str());
	// Padded by display columns, not bytes (printf's %-24s): `café` stays in line.
	std::printf("%s %-10s %10s  %-10s %s\n", Padded("table", 24).c_str(), "phase", "rows", "proof",
	            "fingerprint (both sides)");
	for (const TableRun &run : runs) {
		std::printf("%s %-10s %10s  %-10s %s\n", Padded(Shown(run.ledger.source_table), 24).c_str(),
		            run.ledger.phase.c_str(), Rows(run.ledger.target_fingerprint).c_str(),
		            run.ledger.proof.c_str(), run.ledger.target_fingerprint.c_str());
		if (!run.ledger.message.empty())
			std::printf("  %s\n", Shown(run.ledger.message).c_str());
	}
	std::fflush(stdout);
}

} // namespace fingerprint::cli::migrate
