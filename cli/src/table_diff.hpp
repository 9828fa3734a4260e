// The diff of one table pair:
//   1. table_columns on both sides, checked against each other (column_check.hpp);
//   2. a bucket count from the row estimates (about 64 rows per bucket, a power of two);
//   3. bucket_fingerprints on both sides at once: one scan each, one short row per
//      bucket; equal buckets are never read again;
//   4. bucket_rows for the differing buckets (and those present on one side only), in
//      batches of bucket ids, both sides at once, matched by key image (classify.hpp);
//      row images are fetched in the same pass when the differing buckets are small,
//      otherwise in a second pass for the changed keys only.
// Steps 1-4 run in one read-only snapshot per side. --recheck repeats step 4 later, in a
// new snapshot, for the buckets of the keys found, and keeps the keys that still differ.
#pragma once

#include "classify.hpp"
#include "connection.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fingerprint::cli {

struct DiffSettings {
	std::vector<std::string> exclude_columns;
	std::vector<std::string> key_columns;
	std::string where_source;
	std::string where_target;
	std::uint32_t buckets = 0;          // 0: from the row estimate
	std::uint64_t image_rows = 200000;  // fetch images in the first pass up to this many rows
	std::uint64_t batch_rows = 1000000; // rows per bucket_rows call (about)
};

// pending: on both sides, not compared yet (a table never stays so: the comparison
// sets its result or error).
enum class TableStatus {
	pending,
	equal,
	different,
	columns_differ,
	missing_on_target,
	missing_on_source,
	error
};
const char *TableStatusName(TableStatus status);  // "missing_on_target"
const char *TableStatusLabel(TableStatus status); // "missing on target"

struct TableResult {
	std::string source_table; // names on each side ("" when absent)
	std::string target_table;
	TableStatus status = TableStatus::error;
	std::string error;
	std::vector<std::string> column_problems;
	// --exclude-columns names that are no column of this table on either side, once
	// names_resolved (the column check ran).
	std::vector<std::string> unmatched_excludes;
	bool names_resolved = false;
	std::vector<std::string> key; // key column names
	std::int64_t source_rows = -1;
	std::int64_t target_rows = -1;
	std::string source_fingerprint; // the table fingerprints (sum of the buckets)
	std::string target_fingerprint;
	std::uint32_t buckets = 0;
	std::size_t differing_buckets = 0;
	std::vector<KeyDifference> differences;
	bool rechecked = false;
	std::size_t resolved_by_recheck = 0; // keys that differed at first and agreed on recheck
	double seconds = 0;
	// Where the time went: the column check and estimates, bucket_fingerprints, the
	// bucket_rows drill-down, the second pass for row images, the recheck.
	struct Phases {
		double columns = 0;
		double bucket_fingerprints = 0;
		double bucket_rows = 0;
		double row_images = 0;
		double recheck = 0;
	} phase_seconds;

	// What the drill-down needs again for a recheck.
	std::vector<std::string> names;
	ScanOptions source_options;
	ScanOptions target_options;

	const std::string &name() const { return source_table.empty() ? target_table : source_table; }
};

// Reports the phase of a table ("bucket fingerprints", "drilling into 12 buckets", ...).
using ProgressFn = std::function<void(const std::string &table, const std::string &phase)>;

// Compares source_table with target_table; throws Error (the caller records it).
void CompareTable(Connection &source, Connection &target, const DiffSettings &settings,
                  const ProgressFn &progress, TableResult *result);

// Checks the result's differing keys again; keeps those that still differ.
void RecheckTable(Connection &source, Connection &target, const DiffSettings &settings,
                  const ProgressFn &progress, TableResult *result);

// Buckets for a table of about `rows` rows: the power of two nearest rows / 64, 1..2^24.
std::uint32_t ChooseBucketCount(double rows);

} // namespace fingerprint::cli
