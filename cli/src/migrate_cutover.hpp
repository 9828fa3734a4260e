// `fingerprint migrate --cutover`: once the application's writes have stopped (no new
// change for --quiet seconds), the last batches are applied, every table is proven by a
// full table_fingerprint on both sides, sequences and AUTO_INCREMENT counters on the
// target are brought past the source's values, and a certificate (JSON) records per
// table rows, fingerprints, format version and last batch.
#pragma once

#include "migrate_apply.hpp"
#include "migrate_report.hpp"
#include "options.hpp"

namespace fingerprint::cli::migrate {

// Returns the exit status: 0 every table identical, 1 a table differs or had stopped,
// kCutoverWritesGoOn (4) when the writes did not stop within --cutover-timeout.
int Cutover(const MigrateCommand &command, Source &source, Session &target, Ledger &ledger,
            LedgerMigration &migration, std::vector<TableRun> &runs, Applier &applier, BatchReport &report,
            const std::atomic<bool> &stop_requested);

} // namespace fingerprint::cli::migrate
