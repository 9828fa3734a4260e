// The migration's ledger on the target: what has been applied, kept in the same target
// transaction as the batch itself, so that the ledger and the data never disagree. A
// batch the ledger records was applied exactly once (after a crash it is only finished
// on the source); a batch it does not record was rolled back with everything it did.
//
// Schema `fingerprint_migrate` (PostgreSQL) / database `fingerprint_migrate` (MySQL):
//   migrations  one row per migration (--name): its source, consumer, last batch
//   tables      one row per table: phase, running fingerprints of both sides, last
//               proof and its result, the message that stopped it
//   batches     one row per applied batch: changes, capture times, apply and proof time
#pragma once

#include "migrate_session.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

struct LedgerTable {
	std::string source_table; // in the source URL's schema/database
	std::string log_name;     // its name in the change log
	std::string target_table; // in the target URL's schema/database
	int schema_version = 0;
	std::string phase = "applying"; // applying, stopped, cut over
	std::string source_fingerprint; // advanced over the log
	std::string target_fingerprint; // advanced over what was read back
	std::uint64_t last_batch = 0;
	std::uint64_t changes = 0;
	std::int64_t last_change_ms = 0; // capture time of the last change applied
	std::int64_t proof_ms = 0;       // when the last proof ran
	std::string proof;               // equal, pending (copy seam), failed
	std::string message;             // why it stopped
	// MariaDB source, exact seam: the change-log seqs the snapshot this table was copied
	// in sees (LogSeqs text): the changes the copy holds, consumed without being applied.
	std::string copy_seqs;
};

struct LedgerMigration {
	std::string name;
	std::string source;   // the source URL as shown (no password)
	std::string consumer; // the capture consumer on the source
	std::uint64_t last_batch = 0;
	std::uint64_t batches = 0;
	std::uint64_t changes = 0;
	// MariaDB: the highest seq the copy may hold (exact seam: of the tables' copy_seqs;
	// else the log's last seq when the copy was taken). Passed once no change up to it is
	// left in the log: from then on the source's fingerprint comes from capture_state.
	std::uint64_t seam_seq = 0;
	bool seam_passed = true;
	// MariaDB: each table's copy_seqs says which changes its copy holds, so the proof is
	// strict from the first batch. False for a migration started with --no-copy or by the
	// 1.3 CLI (its ledger has no such columns; added with false): changes the copy may hold
	// are replayed over it, with the proof pending until the seam is passed.
	bool seam_exact = false;
	std::int64_t created_ms = 0;
	std::int64_t updated_ms = 0;
	std::string phase = "applying"; // applying, cut over
};

struct LedgerBatch {
	std::uint64_t batch_id = 0;
	std::uint64_t changes = 0;
	std::int64_t first_change_ms = 0;
	std::int64_t last_change_ms = 0;
	std::int64_t applied_ms = 0;
	std::int64_t apply_us = 0;
	std::int64_t proof_us = 0;
};

class Ledger {
  public:
	Ledger(Session &target, std::string name) : session_(target), name_(std::move(name)) {}
	// Creates the ledger's schema and tables when missing.
	void Create();
	bool Exists();
	// Holds the migration's lock on the target for the session's life (PostgreSQL: an
	// advisory lock; MySQL: GET_LOCK); throws Error "migration 'x' is already running"
	// when another session holds it: two runs of one migration never interleave.
	void Lock();
	// False when the ledger holds no migration of this name.
	bool Load(LedgerMigration &migration, std::vector<LedgerTable> &tables);
	// Inside the caller's transaction: the migration row, each table row, and the batch
	// row when batch.batch_id is not 0.
	void Save(const LedgerMigration &migration, const std::vector<LedgerTable> &tables,
	          const LedgerBatch &batch);
	// Another migration of this ledger whose target table is `target_table` in the
	// target URL's schema/database (a MySQL ledger serves every database of the server;
	// rows written before target_schema existed match by name alone) and which still
	// owns it (applying, or cut over: the application's data now), as
	// "migration 'x' (applying)"; "" when none.
	std::string OtherOwner(const std::string &target_table);
	// The most recent batches, newest first.
	std::vector<LedgerBatch> RecentBatches(unsigned count);
	// The other migrations of this ledger that apply changes of `source` (the source URL
	// as shown): migration name -> the change-log names of its tables. Whatever their phase:
	// `migrate --drop --disable-capture` leaves their capture on.
	std::map<std::string, std::vector<std::string>> OtherMigrationsOf(const std::string &source);
	// Deletes this migration's rows (batches, tables, migration) in one transaction;
	// returns the number of its table rows and of its batch rows removed.
	std::pair<std::uint64_t, std::uint64_t> Remove();
	// When no migration is left in the ledger: drops its three tables and then its schema
	// (PostgreSQL, RESTRICT) or database (MySQL, only when nothing else is in it), so that
	// a target nothing migrates to any more is as it was. Returns what it dropped ("" when
	// the ledger is in use or holds other objects). PostgreSQL: under NOWAIT locks in one
	// transaction, so a run writing its ledger meanwhile keeps it.
	std::string DropWhenEmpty();

  private:
	std::string Table(const std::string &name) const;
	// Whether the ledger's table has the column (ledgers made by earlier releases lack some).
	bool HasColumn(const std::string &table, const std::string &column);
	Session &session_;
	std::string name_;
};

std::int64_t NowMs();

// Throws Error when the migration applies changes of another source than `display` (the
// source URL as shown, without password): migrate and status both refuse it.
void RefuseOtherSource(const LedgerMigration &migration, const std::string &display);

} // namespace fingerprint::cli::migrate
