// fingerprint copy: copies tables from a source to a target database (PostgreSQL or
// MySQL/MariaDB on either side) in one consistent snapshot of the source, in parallel
// and resumably, and proves each table with the fingerprints of both sides.
#pragma once

#include "log_seqs.hpp"
#include "options.hpp"

#include <map>
#include <string>

namespace fingerprint::cli {

// Where the copy's snapshots stand in the source's change log: the seam at which
// `fingerprint migrate` starts applying captured changes (docs/migrate.md "The copy seam").
struct CopySeam {
	// PostgreSQL: pg_current_snapshot() of the copy's one snapshot.
	std::string pg_snapshot;
	// MySQL/MariaDB: per source table copied, the fingerprint.change_log seqs that the
	// snapshot its rows were read and proven in sees (read in that snapshot): a logged
	// change is in the copy exactly when its seq is in this set.
	std::map<std::string, LogSeqs> visible_seqs;
};

// Returns the exit status: 0 all copied and identical, 1 a table differs, 2 an error.
// With `seam`, also where the copy stands in the change log (which the source must hold:
// capture installed, and on MySQL/MariaDB SELECT on fingerprint.change_log).
int RunCopy(const CopyCommand &command, CopySeam *seam = nullptr);

} // namespace fingerprint::cli
