// What `fingerprint migrate` prints: a line per batch on standard error (a terminal) or
// nothing but the summary (not a terminal); with --json one JSON object per line on
// standard output for every batch, then one for the end.
#pragma once

#include "migrate_apply.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

class BatchReport {
  public:
	BatchReport(bool json, bool terminal) : json_(json), terminal_(terminal) {}
	void Start(const LedgerMigration &migration, const std::vector<TableRun> &runs);
	void Batch(const BatchStep &step, const std::vector<TableRun> &runs);
	// caught_up_to: the source's time at the run's catch-up mark (migrate_catch_up.hpp), or
	// "" (--follow).
	void End(const LedgerMigration &migration, const std::vector<TableRun> &runs, bool signalled,
	         const std::string &caught_up_to);

  private:
	bool json_;
	bool terminal_;
	std::uint64_t batches_ = 0;
	std::uint64_t changes_ = 0;
	std::uint64_t skipped_ = 0; // consumed without applying (stopped tables)
	std::uint64_t in_copy_ = 0; // consumed without applying: the copy held them (exact seam)
	double apply_seconds_ = 0;
	double proof_seconds_ = 0;
};

// The JSON line of one batch (without newline).
std::string BatchJson(const BatchStep &step, const std::vector<TableRun> &runs);

} // namespace fingerprint::cli::migrate
