// The target's record of a copy in progress: fingerprint.copy_progress, in the
// `fingerprint` schema (PostgreSQL, the extension's) or database (MySQL/MariaDB, made by
// install.sql), created by the first `fingerprint copy` into that target. One row per
// target table (chunk -1: whether this tool created the table, whether its after-load
// statements ran) and one per chunk (its key range and, once loaded, the fingerprint of
// the rows the target holds for it). A chunk's row is written in the transaction that
// loads the chunk, so a chunk is either loaded and recorded or neither, whenever the
// copy is killed. A resumed run keeps a loaded chunk when the source's fingerprint of
// its range (in the new snapshot) is the recorded one. A run that proves every table
// identical deletes its tables' rows.
#pragma once

#include "copy_chunks.hpp"
#include "copy_session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

struct ChunkProgress {
	Chunk chunk;
	std::optional<std::string> fingerprint; // the target's, once loaded; none: not loaded
	std::uint64_t rows = 0;
};

struct TableProgress {
	bool exists = false; // a copy into this table started and was not finished
	bool created_table = false;
	bool after_load_done = false;
	std::vector<ChunkProgress> chunks; // by number
};

// CREATE TABLE IF NOT EXISTS fingerprint.copy_progress.
void EnsureProgressTable(Session &target);
// Nothing when the progress table does not exist yet. table: the target's "schema.table".
TableProgress ReadProgress(Session &target, const std::string &table);
// The table's row and one row per chunk, none of them loaded (the caller's transaction).
void SavePlan(Session &target, const std::string &table, bool created_table,
              const std::vector<Chunk> &chunks);
// A chunk loaded: the target's fingerprint of its rows (the caller's transaction).
void SaveChunk(Session &target, const std::string &table, const Chunk &chunk, const std::string &fingerprint,
               std::uint64_t rows);
void SaveAfterLoadDone(Session &target, const std::string &table);
void DeleteProgress(Session &target, const std::string &table);

} // namespace fingerprint::cli::copy
