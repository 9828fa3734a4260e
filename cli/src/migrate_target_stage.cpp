// PostgreSQL: the rows a batch writes go through a staging table, so that the write
// itself returns their proof. COPY is the fast way in but returns nothing, so the rows it
// wrote had to be read back by key (an index descent per row); a temporary table takes
// the COPY instead (no WAL, no index, local buffers), and one INSERT ... SELECT from it
// moves the rows into the target and returns fingerprint_agg over them as stored (after
// BEFORE triggers, with generated columns; `t.*`, never `t`, which would name a column t):
// one aggregate, compared with the aggregate of the log's row fingerprints. Measured in
// bench/RESULTS.md ("the proof onto PostgreSQL").
#include "migrate_target.hpp"
#include "test_hooks.hpp"

#include <fingerprint/aggregate.hpp>
#include <fingerprint/printable.hpp>

#include <algorithm>
#include <atomic>
#include <utility>

namespace fingerprint::cli::migrate {

namespace {

// The staging tables of one process are told apart by number (a temporary table belongs
// to its session, so no other process sees the name).
std::atomic<unsigned> stage_count{0};

// The test seam of tests/migrate/migrate_stage_test.py, for tests only (inert unless both
// are set): FINGERPRINT_MIGRATE_TEST_STAGE_TABLE names a target table as the migration
// names it, FINGERPRINT_MIGRATE_TEST_STAGE_SQL a statement run on that table's staging
// table after the COPY and before the INSERT ... SELECT, with {stage} standing for its
// name: the target then stores another row than the log says, which no replica-mode apply
// lets a trigger do, and the aggregate the INSERT returns must catch it.
std::string StageSqlForTest(const std::string &table, const std::string &stage) {
	return SqlForTest("FINGERPRINT_MIGRATE_TEST_STAGE_TABLE", "FINGERPRINT_MIGRATE_TEST_STAGE_SQL", table,
	                  "{stage}", stage);
}

bool SameAggregate(const std::string &text, const AggregateState &expected) {
	AggregateState got;
	return ParseTableFingerprint(text, &got) == Status::ok && got.algorithm == expected.algorithm &&
	       got.rows == expected.rows && got.sum_hi == expected.sum_hi && got.sum_lo == expected.sum_lo;
}

} // namespace

// Staging is used when the INSERT does what COPY would: COPY ignores rules and an INSERT
// rule could send the rows elsewhere, so a table with one keeps COPY and the read-back;
// so does a role that may not create temporary tables.
void TargetTable::PrepareStage(const std::string &columns, bool overriding) {
	const std::string regclass = session_.Literal(qualified_) + "::regclass";
	const Value usable = session_.QueryValue(
	    "SELECT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'TEMP') AND NOT EXISTS"
	    " (SELECT 1 FROM pg_catalog.pg_rewrite WHERE ev_class = " +
	        regclass + " AND ev_type = '3')",
	    "checking whether " + name_ + " can be written through a staging table");
	if (Text(usable) != "t")
		return;
	const std::string stage = "pg_temp.fingerprint_migrate_stage_" + std::to_string(++stage_count);
	// Created on first use in a transaction (a rolled-back savepoint takes it away again),
	// emptied before each use and at every commit. CREATE TABLE AS keeps each column's
	// type and type modifier, not its NOT NULL or CHECK constraints: the target checks them.
	stage_prepare_ = "CREATE TEMP TABLE IF NOT EXISTS " + stage + " ON COMMIT DELETE ROWS AS SELECT " +
	                 columns + " FROM " + qualified_ + " WITH NO DATA; TRUNCATE " + stage;
	stage_test_sql_ = StageSqlForTest(name_, stage);
	stage_copy_head_ = "COPY " + stage + " (" + columns + ") FROM STDIN";
	stage_insert_ = "WITH written AS (INSERT INTO " + qualified_ + " AS t (" + columns + ")" +
	                (overriding ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns + " FROM " + stage +
	                " RETURNING t.*) SELECT " + session_.Name(ext_schema_) +
	                ".fingerprint_agg(written.*) FROM written";
}

void TargetTable::InsertStaged(const std::vector<std::string_view> &images) {
	written_aggregate_.clear();
	if (images.empty())
		return;
	session_.Exec(stage_prepare_, "preparing the staging table of " + name_);
	WriteRows(images, nullptr, nullptr, stage_copy_head_);
	if (!stage_test_sql_.empty())
		session_.Exec(stage_test_sql_, "running the test statement on the staging table of " + name_);
	written_aggregate_ = Text(session_.QueryValue(stage_insert_, "inserting rows into " + name_));
}

bool TargetTable::WrittenAsExpected(const std::vector<std::string> &keys, const AggregateState &want,
                                    const std::vector<const RowState *> &expected) {
	if (!stage_insert_.empty()) {
		const std::string written = std::exchange(written_aggregate_, std::string());
		return expected.empty() ? written.empty() : SameAggregate(written, want);
	}
	// COPY straight into the table: the rows read back by key, their row fingerprints only.
	std::vector<std::string> read = ReadRowFingerprints(keys);
	std::vector<std::string> texts;
	texts.reserve(expected.size());
	for (const RowState *row : expected)
		texts.push_back(row->fingerprint);
	std::sort(read.begin(), read.end());
	std::sort(texts.begin(), texts.end());
	return read == texts;
}

} // namespace fingerprint::cli::migrate
