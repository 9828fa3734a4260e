#include "table_diff.hpp"

#include "both.hpp"
#include "cli_error.hpp"
#include "column_check.hpp"
#include "text_list.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/bucket.hpp"
#include "fingerprint/printable.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

namespace fingerprint::cli {

namespace {

constexpr double kRowsPerBucket = 64;

// Begins a read-only snapshot on both sides and ends both when it goes out of scope.
class SnapshotScope {
  public:
	SnapshotScope(Connection &source, Connection &target) : source_(source), target_(target) {
		try {
			RunBoth([&] { source_.BeginSnapshot(); }, [&] { target_.BeginSnapshot(); });
		} catch (...) { // one side may have begun: the destructor will not run
			source_.EndSnapshot();
			target_.EndSnapshot();
			throw;
		}
	}
	~SnapshotScope() {
		source_.EndSnapshot();
		target_.EndSnapshot();
	}
	SnapshotScope(const SnapshotScope &) = delete;
	SnapshotScope &operator=(const SnapshotScope &) = delete;

  private:
	Connection &source_;
	Connection &target_;
};

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point start) {
	return std::chrono::duration<double>(Clock::now() - start).count();
}

struct BucketNeed {
	std::int32_t bucket;
	std::int64_t rows; // the larger side's row count in the bucket
};

// The table fingerprint of a table: the sum of its bucket fingerprints.
std::string SumBuckets(const std::vector<BucketFingerprint> &buckets, const char *side, std::int64_t *rows) {
	AggregateState total;
	AggregateInit(&total, Algorithm::xxh3);
	for (const BucketFingerprint &bucket : buckets) {
		AggregateState state;
		if (ParseTableFingerprint(bucket.fingerprint, &state) != Status::ok ||
		    AggregateMerge(&total, state) != Status::ok)
			throw Error(std::string("the ") + side + " returned '" + bucket.fingerprint + "' for bucket " +
			            std::to_string(bucket.bucket) + ", which is not a table fingerprint");
	}
	*rows = static_cast<std::int64_t>(total.rows);
	char text[kMaxPrintableLength];
	FormatTableFingerprint(total, text);
	return text;
}

// The buckets whose fingerprints differ or that only one side has, with their sizes.
std::vector<BucketNeed> DifferingBuckets(std::vector<BucketFingerprint> source,
                                         std::vector<BucketFingerprint> target) {
	const auto by_bucket = [](const BucketFingerprint &a, const BucketFingerprint &b) {
		return a.bucket < b.bucket;
	};
	std::sort(source.begin(), source.end(), by_bucket);
	std::sort(target.begin(), target.end(), by_bucket);
	std::vector<BucketNeed> out;
	std::size_t s = 0, t = 0;
	while (s < source.size() || t < target.size()) {
		if (t == target.size() || (s < source.size() && source[s].bucket < target[t].bucket)) {
			out.push_back({source[s].bucket, source[s].rows});
			++s;
		} else if (s == source.size() || target[t].bucket < source[s].bucket) {
			out.push_back({target[t].bucket, target[t].rows});
			++t;
		} else {
			if (source[s].fingerprint != target[t].fingerprint)
				out.push_back({source[s].bucket, std::max(source[s].rows, target[t].rows)});
			++s;
			++t;
		}
	}
	return out;
}

// Cuts the bucket list into bucket_rows calls of about batch_rows rows each.
std::vector<std::vector<std::int32_t>> Batches(const std::vector<BucketNeed> &needs,
                                               std::uint64_t batch_rows) {
	std::vector<std::vector<std::int32_t>> batches;
	std::uint64_t rows = 0;
	for (const BucketNeed &need : needs) {
		if (batches.empty() || (rows > 0 && rows + static_cast<std::uint64_t>(need.rows) > batch_rows)) {
			batches.emplace_back();
			rows = 0;
		}
		batches.back().push_back(need.bucket);
		rows += static_cast<std::uint64_t>(need.rows);
	}
	return batches;
}

std::uint64_t TotalRows(const std::vector<BucketNeed> &needs) {
	std::uint64_t rows = 0;
	for (const BucketNeed &need : needs)
		rows += static_cast<std::uint64_t>(need.rows);
	return rows;
}

// bucket_rows of the given buckets on both sides at once, classified into out.
void FetchAndClassify(Connection &source, Connection &target, const TableResult &table,
                      const std::vector<std::int32_t> &ids, bool with_images,
                      std::vector<KeyDifference> *out) {
	std::vector<BucketRow> source_rows;
	std::vector<BucketRow> target_rows;
	RunBoth(
	    [&] {
		    source_rows =
		        source.BucketRows(table.source_table, table.buckets, ids, table.source_options, with_images);
	    },
	    [&] {
		    target_rows =
		        target.BucketRows(table.target_table, table.buckets, ids, table.target_options, with_images);
	    });
	ClassifyRows(source_rows, target_rows, table.names, out);
}

// Fetches the row images of the changed keys' buckets and names their changed columns.
void NameChangedColumns(Connection &source, Connection &target, const DiffSettings &settings,
                        const ProgressFn &progress, TableResult *table) {
	std::map<std::int32_t, std::int64_t> bucket_rows;
	const double per_bucket = std::max<double>(
	    1, static_cast<double>(std::max(table->source_rows, table->target_rows)) / table->buckets);
	for (const KeyDifference &difference : table->differences)
		if (difference.kind == DiffClass::changed && !difference.images_compared)
			bucket_rows[difference.bucket] = static_cast<std::int64_t>(per_bucket);
	if (bucket_rows.empty())
		return;
	std::vector<BucketNeed> needs;
	for (const auto &[bucket, rows] : bucket_rows)
		needs.push_back({bucket, rows});
	progress(table->name(), "row images of " + std::to_string(needs.size()) + " buckets");
	const Clock::time_point started = Clock::now();
	std::vector<KeyDifference> with_images;
	for (const std::vector<std::int32_t> &batch :
	     Batches(needs, std::max<std::uint64_t>(1, std::min(settings.batch_rows, settings.image_rows))))
		FetchAndClassify(source, target, *table, batch, true, &with_images);
	std::map<std::string_view, const KeyDifference *> by_key;
	for (const KeyDifference &difference : with_images)
		by_key[difference.key_image] = &difference;
	for (KeyDifference &difference : table->differences) {
		if (difference.kind != DiffClass::changed || difference.images_compared)
			continue;
		const auto found = by_key.find(difference.key_image);
		if (found != by_key.end() && found->second->kind == DiffClass::changed) {
			difference.changes = found->second->changes;
			difference.images_compared = found->second->images_compared;
		}
	}
	table->phase_seconds.row_images += Since(started);
}

void DrillDown(Connection &source, Connection &target, const DiffSettings &settings,
               const ProgressFn &progress, const std::vector<BucketNeed> &needs, TableResult *table) {
	const Clock::time_point started = Clock::now();
	const bool with_images = TotalRows(needs) <= settings.image_rows;
	const std::vector<std::vector<std::int32_t>> batches =
	    Batches(needs, std::max<std::uint64_t>(1, settings.batch_rows));
	for (std::size_t i = 0; i < batches.size(); ++i) {
		progress(table->name(), "rows of " + std::to_string(needs.size()) + " differing buckets" +
		                            (batches.size() > 1 ? " (batch " + std::to_string(i + 1) + " of " +
		                                                      std::to_string(batches.size()) + ")"
		                                                : std::string()));
		FetchAndClassify(source, target, *table, batches[i], with_images, &table->differences);
	}
	table->phase_seconds.bucket_rows += Since(started);
	if (!with_images)
		NameChangedColumns(source, target, settings, progress, table);
}

} // namespace

namespace {

// The name (for --json) and the label (for people) of a status.
struct StatusNames {
	const char *name;
	const char *label;
};

StatusNames NamesOf(TableStatus status) {
	switch (status) {
	case TableStatus::pending:
		return {"pending", "not compared"};
	case TableStatus::equal:
		return {"equal", "equal"};
	case TableStatus::different:
		return {"different", "different"};
	case TableStatus::columns_differ:
		return {"columns_differ", "columns differ"};
	case TableStatus::missing_on_target:
		return {"missing_on_target", "missing on target"};
	case TableStatus::missing_on_source:
		return {"missing_on_source", "missing on source"};
	case TableStatus::error:
		return {"error", "error"};
	}
	return {"?", "?"};
}

} // namespace

const char *TableStatusName(TableStatus status) {
	return NamesOf(status).name;
}

const char *TableStatusLabel(TableStatus status) {
	return NamesOf(status).label;
}

std::uint32_t ChooseBucketCount(double rows) {
	const double wanted = rows / kRowsPerBucket;
	if (!(wanted > 1))
		return 1;
	const long exponent = std::lround(std::log2(wanted));
	return exponent >= 24 ? static_cast<std::uint32_t>(kMaxBucketCount) : std::uint32_t{1} << exponent;
}

// The --exclude-columns and --key names as one side resolves them.
ResolvedNames ResolveNames(Connection &side, const std::string &table, const std::vector<ColumnInfo> &columns,
                           const DiffSettings &settings) {
	ResolvedNames names;
	names.exclude = side.ResolveColumnNames(table, columns, settings.exclude_columns);
	names.key = side.ResolveColumnNames(table, columns, settings.key_columns);
	return names;
}

void CompareTable(Connection &source, Connection &target, const DiffSettings &settings,
                  const ProgressFn &progress, TableResult *result) {
	const std::string &name = result->name();
	Clock::time_point started = Clock::now();
	SnapshotScope snapshot(source, target);

	progress(name, "columns");
	std::vector<ColumnInfo> source_columns;
	std::vector<ColumnInfo> target_columns;
	RunBoth([&] { source_columns = source.TableColumns(result->source_table); },
	        [&] { target_columns = target.TableColumns(result->target_table); });
	ResolvedNames source_names;
	ResolvedNames target_names;
	RunBoth([&] { source_names = ResolveNames(source, result->source_table, source_columns, settings); },
	        [&] { target_names = ResolveNames(target, result->target_table, target_columns, settings); });
	result->unmatched_excludes = UnmatchedExcludes(settings.exclude_columns, source_names, target_names);
	result->names_resolved = true;
	ColumnCheck check = CheckColumns(source_columns, target_columns, source_names, target_names);
	if (!check.errors.empty())
		throw Error(Join(check.errors, "; "));
	result->key = check.key;
	result->names = check.names;
	result->source_options = check.source_options;
	result->target_options = check.target_options;
	result->source_options.filter = settings.where_source;
	result->target_options.filter = settings.where_target;
	if (!check.problems.empty()) {
		result->status = TableStatus::columns_differ;
		result->column_problems = check.problems;
		return;
	}

	result->buckets = settings.buckets;
	if (result->buckets == 0) {
		double source_estimate = 0;
		double target_estimate = 0;
		RunBoth([&] { source_estimate = source.EstimateRows(result->source_table); },
		        [&] { target_estimate = target.EstimateRows(result->target_table); });
		// The larger side decides, so that a nearly empty side cannot put a big one
		// into a few huge buckets.
		result->buckets = ChooseBucketCount(std::max(source_estimate, target_estimate));
	}

	result->phase_seconds.columns = Since(started);
	started = Clock::now();
	progress(name, "bucket fingerprints (" + std::to_string(result->buckets) + " buckets)");
	std::vector<BucketFingerprint> source_buckets;
	std::vector<BucketFingerprint> target_buckets;
	RunBoth(
	    [&] {
		    source_buckets =
		        source.BucketFingerprints(result->source_table, result->buckets, result->source_options);
	    },
	    [&] {
		    target_buckets =
		        target.BucketFingerprints(result->target_table, result->buckets, result->target_options);
	    });
	result->source_fingerprint = SumBuckets(source_buckets, "source", &result->source_rows);
	result->target_fingerprint = SumBuckets(target_buckets, "target", &result->target_rows);
	result->phase_seconds.bucket_fingerprints = Since(started);
	const std::vector<BucketNeed> needs =
	    DifferingBuckets(std::move(source_buckets), std::move(target_buckets));
	result->differing_buckets = needs.size();
	if (!needs.empty())
		DrillDown(source, target, settings, progress, needs, result);
	SortDifferences(&result->differences);
	result->status = needs.empty() ? TableStatus::equal : TableStatus::different;
}

void RecheckTable(Connection &source, Connection &target, const DiffSettings &settings,
                  const ProgressFn &progress, TableResult *result) {
	if (result->status != TableStatus::different || result->differences.empty())
		return;
	const Clock::time_point started = Clock::now();
	SnapshotScope snapshot(source, target);
	std::set<std::int32_t> buckets;
	std::set<std::string> keys;
	for (const KeyDifference &difference : result->differences) {
		buckets.insert(difference.bucket);
		keys.insert(difference.key_image);
	}
	const double per_bucket = std::max<double>(
	    1, static_cast<double>(std::max(result->source_rows, result->target_rows)) / result->buckets);
	std::vector<BucketNeed> needs;
	for (const std::int32_t bucket : buckets)
		needs.push_back({bucket, static_cast<std::int64_t>(per_bucket)});
	progress(result->name(), "recheck of " + std::to_string(keys.size()) + " keys");
	std::vector<KeyDifference> fresh;
	for (const std::vector<std::int32_t> &batch :
	     Batches(needs, std::max<std::uint64_t>(1, settings.batch_rows)))
		FetchAndClassify(source, target, *result, batch, true, &fresh);
	std::vector<KeyDifference> still;
	for (KeyDifference &difference : fresh)
		if (keys.count(difference.key_image) > 0)
			still.push_back(std::move(difference));
	SortDifferences(&still);
	result->resolved_by_recheck = keys.size() - still.size();
	result->differences = std::move(still);
	result->rechecked = true;
	if (result->differences.empty())
		result->status = TableStatus::equal;
	result->phase_seconds.recheck = Since(started);
}

} // namespace fingerprint::cli
