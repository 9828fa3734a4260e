// One table of a copy: its plan (how it is read, created or checked on the target, cut
// into chunks, resumed), the copy of one chunk (loaded, fingerprinted and recorded in one
// target transaction) and the end of the table (after-load statements, then the proof,
// or on failure the removal of what this copy loaded).
#pragma once

#include "copy_progress_table.hpp"
#include "copy_rows.hpp"
#include "copy_session.hpp"
#include "copy_types.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

enum class TableOutcome { pending, identical, different, error };
const char *OutcomeName(TableOutcome outcome); // "identical", "DIFFERENT", "error"

struct ChunkPlan {
	ChunkProgress progress;   // the stored state: bounds, fingerprint when done
	bool earlier_run = false; // recorded by an earlier run
	// The target may hold rows of this range (loaded by an earlier run): they are
	// deleted before it is loaded again. A chunk recorded but never loaded has none,
	// since a chunk's rows and its record commit together.
	bool MayHoldRows() const { return earlier_run && (progress.fingerprint || progress.rows > 0); }
};

struct TableCopy {
	// The plan.
	std::string source_table; // name on the source
	std::string target_table; // name on the target
	TableDefinition source;
	std::vector<std::unique_ptr<ValueConverter>> converters;
	StreamColumns stream;
	std::string select_list;
	std::vector<std::string> target_columns; // quoted, in the source's column order
	std::string source_key;                  // the integer key column chunks are cut on, or ""
	std::vector<std::string> target_serials; // PostgreSQL target columns owning a sequence (identity, serial)
	std::string target_key;
	std::vector<ChunkPlan> chunks;
	std::uint64_t source_rows = 0; // counted in the snapshot at planning time
	bool target_exists = false;
	bool target_has_rows = false;
	bool truncate_first = false;
	bool create = false;
	bool resumed = false;
	bool created_table = false; // by this tool (this run or the one it resumes)
	bool after_load_done = false;
	TargetDdl ddl;
	// What the target does not get (the type rules' notes on the source table and, when
	// this copy creates it, on its DDL): shown with the report.
	std::vector<std::string> notes;

	// While it runs (shared by the workers copying its chunks).
	std::atomic<std::size_t> tasks_left{0};
	std::atomic<bool> failed{false};
	std::atomic<bool> running{false};
	std::atomic<bool> ended{false}; // outcome is final
	std::atomic<std::uint64_t> rows{0};
	std::atomic<std::uint64_t> bytes{0};
	std::atomic<std::size_t> chunks_reused{0};
	std::mutex mutex;
	std::chrono::steady_clock::time_point started;
	bool has_started = false;

	// The result.
	TableOutcome outcome = TableOutcome::pending;
	std::string error;
	std::string source_fingerprint;
	std::string target_fingerprint;
	double seconds = 0;

	void Fail(const std::string &message); // the first error wins
	std::string SourceName() const;        // "schema.table" on the source
	std::string TargetName() const;        // "schema.table" on the target
	std::string source_namespace;
	std::string target_namespace;
};

struct CopySettings {
	bool create_tables = false;
	bool truncate = false;
	std::uint64_t chunk_rows = 1000000;
};

// Plans one table: reads its definition, counts its rows in the snapshot, looks at the
// target table and the progress of an interrupted copy. Throws Error naming the table.
void PlanTable(TableCopy &table, Session &source, Session &target, const CopySettings &settings);
// Creates or empties the target table as planned, records the plan, prepares the value
// converters. Throws Error (having undone what it did).
void PrepareTarget(TableCopy &table, Session &source, Session &target);
// --dry-run: the converters of an existing target table (reads its definition only).
void CheckTarget(TableCopy &table, Session &source, Session &target);
// Copies one chunk (source and target sessions of one worker). Errors mark the table
// failed instead of throwing.
void CopyChunk(TableCopy &table, std::size_t chunk, Session &source, Session &target);
// After the table's last chunk: the after-load statements and the proof, or, when the
// table failed, the removal of its partial load.
void FinishTable(TableCopy &table, Session &source, Session &target);

} // namespace fingerprint::cli::copy
