// How `fingerprint migrate` applies a batch to a table captured with whole-row identity
// (a table without any usable unique key, docs/capture.md "Tables without a unique key"):
// as a multiset, change by change in log order, never compacted. Two identical rows are
// two rows; only their count tells them apart.
//
//   I  inserts the new row;
//   D  deletes exactly one target row equal to the old row;
//   U  is a D of the old row then an I of the new one.
//
// "Equal" is the project's notion of the same row: the same row fingerprint (computed
// on the target by its own fingerprint functions), after a cheap filter of NULL-safe
// equality on the columns whose values compare exactly (exact numbers, dates,
// timestamps, times). A delete that finds no such row stops the table: someone else
// changed the target.
//
// The proof, per batch and table: for every distinct row the batch touched (by row
// fingerprint), the number of equal rows on the target after the batch equals the number
// before plus the batch's inserts minus its deletes of that row. The target's running
// fingerprint moves by exactly those counts (a table fingerprint is a row count and a
// sum of row fingerprints: a multiset sum), the source's over the log as for every table.
#pragma once

#include "apply_plan.hpp"
#include "migrate_target.hpp"

#include <map>
#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// The database-free part: what a batch does to the count of each distinct row.
struct MultisetPlan {
	bool truncate = false;                     // the table is emptied first (PostgreSQL TRUNCATE)
	std::vector<const Change *> changes;       // after the last T, in seq order
	std::map<std::string, long long> delta;    // row fingerprint -> inserts - deletes
	std::map<std::string, std::string> images; // row fingerprint -> that row's image
};

// Throws TableStop (naming `where` and the change) when a change lacks a row image or
// fingerprint its op needs.
MultisetPlan PlanMultiset(const std::vector<const Change *> &changes, const std::string &where);

// Applies the plan to the target inside the apply transaction and checks the counts.
// Returns the target's running fingerprint advanced from `target_fingerprint`; throws
// TableStop naming `where`, the table and the row image on any mismatch.
std::string ApplyMultiset(TargetTable &target, const MultisetPlan &plan,
                          const std::string &target_fingerprint, const std::string &where);

} // namespace fingerprint::cli::migrate
