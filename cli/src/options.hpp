// The command line: `fingerprint diff ...`, `fingerprint capture ...`, --help, --version.
#pragma once

#include "table_diff.hpp"
#include "url.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fingerprint::cli {

extern const char kUsage[];

struct DiffCommand {
	ConnectionUrl source;
	ConnectionUrl target;
	std::vector<std::string> tables; // empty: every table of the source (and target)
	DiffSettings settings;
	double recheck_seconds = -1; // < 0: no recheck
	unsigned jobs = 1;
	unsigned timeout = 0; // --timeout seconds, 0 = none (also set on both URLs)
	bool json = false;
	bool progress = true;
};

// fingerprint copy (copy_run.cpp).
struct CopyCommand {
	ConnectionUrl source;
	ConnectionUrl target;
	std::vector<std::string> tables; // empty: every table of the source schema
	unsigned jobs = 1;
	bool create_tables = false;
	bool truncate = false;
	bool dry_run = false;
	bool lock_for_snapshot = false;     // MySQL/MariaDB source: one point for every worker
	std::uint64_t chunk_rows = 1000000; // rows per key range of a large table
	unsigned timeout = 0;
	bool json = false;
	bool progress = true;
	// Seconds to retry a target table's copy lock held by another session (0: refuse at
	// once). migrate sets 10: a run killed a moment ago still holds it on the server.
	double lock_wait_seconds = 0;
};

struct CaptureCommand {
	std::string action; // enable, disable, ddl
	ConnectionUrl url;
	std::vector<std::string> tables;
	bool print = true; // a line per table on standard output (migrate --drop --json: none)
};

// fingerprint migrate SOURCE TARGET [TABLE ...] (docs/migrate.md).
struct MigrateCommand {
	ConnectionUrl source;
	ConnectionUrl target;
	std::vector<std::string> tables;        // empty: the tables of the named migration
	std::string name = "migrate";           // --name: the migration (and its capture consumer)
	bool no_copy = false;                   // --no-copy: the target holds the copy already
	bool create_tables = false;             // --create-tables: passed to the copy
	unsigned copy_jobs = 1;                 // --jobs: the copy's workers
	bool lock_for_snapshot = false;         // --lock-for-snapshot: passed to the copy
	std::uint64_t chunk_rows = 1000000;     // --chunk-rows: passed to the copy
	bool cutover = false;                   // --cutover: drain, full proof, counters, certificate
	double quiet_seconds = 5.0;             // --quiet: no change for this long = writes stopped
	double cutover_timeout_seconds = 300.0; // --cutover-timeout: give up waiting for quiet
	std::string certificate;                // --certificate FILE (default: standard output)
	bool follow = false;                    // --follow: keep applying until SIGINT/SIGTERM
	bool json = false;
	// --batch-changes: at most this many per MariaDB batch (may split a source transaction
	// at the cut); absent: snapshot batches, every committed transaction whole.
	std::optional<unsigned> batch_changes;
	double poll_seconds = 1.0;    // --poll: wait between empty batches with --follow
	bool drop = false;            // --drop: forget the migration (migrate_drop.hpp)
	bool disable_capture = false; // --drop --disable-capture: capture no one else reads off
};

// fingerprint status SOURCE TARGET [--name N] [--json].
struct StatusCommand {
	ConnectionUrl source;
	ConnectionUrl target;
	std::string name = "migrate";
	bool json = false;
};

struct Command {
	enum class Kind { help, version, diff, copy, capture, migrate, status } kind = Kind::help;
	DiffCommand diff;
	CopyCommand copy;
	CaptureCommand capture;
	MigrateCommand migrate;
	StatusCommand status;
};

// Throws UsageError.
Command ParseCommandLine(int argc, char **argv);

} // namespace fingerprint::cli
