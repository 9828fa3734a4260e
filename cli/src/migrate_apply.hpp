// The replay engine of `fingerprint migrate`: takes one batch from the source's capture
// consumer and applies it to the target exactly once, with its proof.
//
// Exactly once: the batch's changes and the ledger's record of it are one target
// transaction; the batch is finished on the source only after that commit. After a
// crash anywhere, the source hands out the same batch again: if the ledger records it,
// it is only finished; if not, its transaction rolled back and it is applied again.
//
// The proof, in the same transaction, riding on the writes: the DELETE of the keys the
// batch touches returns the fingerprints of the rows it removed (each must be what the
// log says was there), and each row written must have the fingerprint the log gives for
// its final state, as the target stored it (MariaDB: returned by the INSERT; PostgreSQL,
// whose COPY returns nothing: read back by key; deleted keys absent, removed by the
// DELETE). Each table's fingerprint is kept on both sides: the source's advanced over
// the log (PostgreSQL: from the copy's proven fingerprint; MariaDB: capture_state's
// fingerprint minus the log, which finish_batch advances), the target's minus the rows
// deleted, plus the rows written. After every batch they must be equal. This proves the rows
// the batch touched, not the whole table: a target row changed by hand that no batch
// touches is not seen (only table_fingerprint at --cutover, or `fingerprint diff`, is).
//
// Fail closed, per table: a failure (a value the target cannot hold, a unique conflict,
// a row someone else changed on the target, a proof that fails, a schema change) rolls
// back that table's part of the batch to a savepoint and stops the table with a message
// naming batch, key and column; the other tables go on.
#pragma once

#include "migrate_ledger.hpp"
#include "migrate_source.hpp"
#include "migrate_target.hpp"

#include <fingerprint/aggregate.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

struct TableRun {
	LedgerTable ledger;
	SourceTable source;
	std::unique_ptr<TargetTable> target;
	// Stopped when this run started (its source no longer fits: renamed, dropped, altered)
	// and no batch named yet: the first batch holding its changes names itself in the
	// message, as those changes are consumed without being applied.
	bool stopped_at_start = false;
};

struct TableStep {
	std::string table;
	std::size_t changes = 0; // the batch's changes of the table (applied unless stopped)
	bool stopped = false;
};

struct BatchStep {
	bool had_batch = false;
	std::uint64_t batch_id = 0;
	bool resumed = false;    // applied before a crash: only finished now
	std::size_t changes = 0; // applied and proven
	// Consumed with the batch without being applied: changes of stopped tables (and of a
	// table that stopped in this batch, whose part was rolled back).
	std::size_t skipped = 0;
	// Consumed with the batch without being applied because the copy holds them already
	// (MariaDB's exact copy seam: their log rows were visible in the copy's snapshot).
	std::size_t in_copy = 0;
	double apply_seconds = 0;
	double proof_seconds = 0;
	double lag_seconds = 0; // now minus the capture time of the batch's last change
	std::vector<TableStep> tables;
};

class Applier {
  public:
	Applier(Source &source, Session &target, Ledger &ledger, LedgerMigration &migration,
	        std::vector<TableRun> &runs)
	    : source_(source), target_(target), ledger_(ledger), migration_(migration), runs_(runs) {}
	// One batch; had_batch false when the source had none.
	BatchStep Step(std::optional<unsigned> max_changes);
	// Writes the ledger as it is in memory (the seam passed, tables stopped at start).
	void SaveState();

  private:
	void ApplyTable(TableRun &run, const std::vector<const Change *> &changes, const std::string &stored,
	                std::uint64_t batch, double &proof_seconds);
	void Transaction(const char *statement);
	void PassSeam();

	Source &source_;
	Session &target_;
	Ledger &ledger_;
	LedgerMigration &migration_;
	std::vector<TableRun> &runs_;
};

// fp1:xxh3:<rows>:<hex> <-> state; throws Error naming `what`.
AggregateState ParseTableState(const std::string &text, const std::string &what);
std::string FormatTableState(const AggregateState &state);

} // namespace fingerprint::cli::migrate
