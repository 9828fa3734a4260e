// Where a run without --follow stops: at the changes committed on the source when its
// apply began. Under a steady write load every batch holds new changes, so "until a
// batch comes back empty" never came; the changes committed after the mark are left
// for the next run (or --follow). A run stops only at a batch boundary, so exactly-once
// and the ledger are as at any other stop (docs/migrate.md "Catching up").
#pragma once

#include "migrate_source.hpp"

#include <cstdint>
#include <string>

namespace fingerprint::cli::migrate {

class CatchUpMark {
  public:
	// Reads the source's position now. PostgreSQL: pg_current_snapshot(); MariaDB: the
	// log's highest seq.
	CatchUpMark(Source &source, std::string consumer);
	// After a finished batch: whether every change committed at the mark has been
	// consumed. PostgreSQL: the consumer's last batch snapshot sees every transaction
	// the mark's snapshot saw; MariaDB: no change up to the mark's seq is left in the log.
	bool Reached();
	// The source's clock at the mark, UTC ("2026-12-05 18:01:02 UTC").
	const std::string &Time() const { return time_; }

  private:
	Source &source_;
	std::string consumer_;
	std::string snapshot_;  // PostgreSQL
	std::uint64_t seq_ = 0; // MariaDB
	std::string time_;
};

} // namespace fingerprint::cli::migrate
