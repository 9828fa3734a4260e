// What one batch does to one table, worked out before any row is written: the changes
// of the batch (in seq order, full row images) are replayed in memory over the target's
// rows of the keys they touch. Those rows come from the batch's one DELETE of every
// touched key (DELETE ... RETURNING their fingerprints, in the apply transaction), so
// what is left is the final state of each touched key (absent, or a row image with its
// fingerprint) and the target receives one INSERT of the rows present at the end.
// Transient states inside the batch (a key swap, a row deleted and inserted again, a
// secondary unique value moving between rows) never reach the target, and neither
// REPLACE nor an upsert is needed.
//
// Replay rules (docs/capture.md): I and U write the new image under the new key; a U
// that moved the key deletes the old key only while that row still holds the old row
// (its fingerprint is the logged old fingerprint), which keeps key swaps right; D deletes
// the key; T (PostgreSQL TRUNCATE) empties the table: only the changes after the last T
// matter, over an empty table.
//
// The plan also checks the target: the first time the batch touches a key, the target's
// row must be the one the log says was there (absent before an insert, the logged old
// fingerprint before an update or delete). Otherwise someone else changed that row on
// the target, and the table stops. Across the copy seam (docs/migrate.md) the copy may
// already hold a later state of a key, possibly one a later batch leads to (a MariaDB
// batch with --batch-changes can end inside a transaction): with `seam` set any row is accepted,
// and the proof rests on the rows written and, once past the seam, on the running
// fingerprints. Database-free: unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fingerprint::cli::migrate {

// One change-log row, as both engines log it (docs/capture.md, "The change-log format").
struct Change {
	std::uint64_t seq = 0;
	char op = 'I'; // I, U, D, T
	std::string table;
	int schema_version = 0;
	std::string key_image;     // the new key (I, U), the old key (D); empty for T
	std::string old_key_image; // U that moved the key; else empty
	bool moved_key = false;
	std::string new_image; // I, U
	std::string old_fingerprint;
	std::string new_fingerprint;
	double captured_at = 0; // seconds since the epoch
};

// A key's row on the target: absent, or present with its row fingerprint (and, for the
// plan's final states, the image to write: a view of the Change's new_image, which the
// batch's vector of changes holds while the batch is applied; copying each image cost
// an allocation per change).
struct RowState {
	bool present = false;
	std::string fingerprint;
	std::string_view image;
	// FinishPlan: the batch's first change of the key was checked against this row (a
	// flag on the row instead of a second set of the batch's keys).
	bool checked = false;
};

// Rows by key image. Hashed, not ordered: nothing walks them in key order, and key images
// of one table share their leading bytes, so an ordered map compared most of each key
// many times per lookup.
using RowsByKey = std::unordered_map<std::string, RowState>;

struct TablePlan {
	bool truncate = false;         // delete every row of the table first
	std::vector<std::string> keys; // key images touched after the last T, first use first
	RowsByKey last;                // the final state of each key
	// The first conflict with the log: key image and what was expected/found; empty if none.
	std::string conflict_key;
	std::string conflict;
	// The change whose expectation failed and what it expected (present: the row before
	// it, whose image only the log's old_image holds), for naming the column and values
	// (migrate_mismatch.hpp, on the failure path only).
	std::uint64_t conflict_seq = 0;
	bool conflict_expected_present = false;
	bool conflict_found_present = false;
};

// The changes after the last T and whether there was one; changes: one table's, seq order.
TablePlan StartPlan(const std::vector<const Change *> &changes);

// Replays the changes (after the last T) over `before` (the target's rows of plan.keys;
// a key missing from it is absent; taken over as plan.last's start) and fills plan.last
// and plan.conflict.
void FinishPlan(const std::vector<const Change *> &changes, RowsByKey before, bool seam, TablePlan &plan);

// The keys whose final row must be inserted (every touched key's row was deleted first,
// or the table emptied), in plan.keys order: those present at the end, unchanged ones
// included (a row the batch leaves as it was is written back as it was).
std::vector<std::string> KeysToInsert(const TablePlan &plan);

// The same keys with their final states (pointers into plan.last), found in one pass so
// that the write and its proof look no key up again.
struct FinalRows {
	std::vector<std::string> keys;
	std::vector<const RowState *> rows; // rows[i]: the final state of keys[i]
};
FinalRows FinalRowsToInsert(const TablePlan &plan);

} // namespace fingerprint::cli::migrate
