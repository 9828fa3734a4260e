#include "copy_progress_table.hpp"

#include <cstdlib>

namespace fingerprint::cli::copy {

namespace {

// The n-th (1-based) parameter marker of the session's engine.
std::string P(const Session &session, int n) {
	return session.engine() == Engine::postgresql ? "$" + std::to_string(n) : "?";
}

bool True(const std::optional<std::string> &value) {
	return value && (*value == "t" || *value == "1" || *value == "true");
}

std::optional<std::int64_t> Bound(const std::optional<std::string> &value) {
	if (!value)
		return std::nullopt;
	return std::strtoll(value->c_str(), nullptr, 10);
}

std::string BoundText(const std::optional<std::int64_t> &bound) {
	return bound ? std::to_string(*bound) : "NULL";
}

const char kTable[] = "fingerprint.copy_progress";

} // namespace

void EnsureProgressTable(Session &target) {
	if (target.engine() == Engine::postgresql) {
		target.Execute("CREATE TABLE IF NOT EXISTS fingerprint.copy_progress ("
		               " target_table text NOT NULL, chunk integer NOT NULL, lo bigint, hi bigint,"
		               " fingerprint text, row_count bigint NOT NULL DEFAULT 0,"
		               " created_table boolean NOT NULL DEFAULT false,"
		               " after_load_done boolean NOT NULL DEFAULT false,"
		               " updated timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_table, chunk))",
		               "creating fingerprint.copy_progress");
		return;
	}
	target.Execute(
	    "CREATE TABLE IF NOT EXISTS fingerprint.copy_progress ("
	    " target_table VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
	    " chunk INT NOT NULL, lo BIGINT NULL, hi BIGINT NULL,"
	    " fingerprint VARCHAR(80) CHARACTER SET ascii NULL, row_count BIGINT NOT NULL DEFAULT 0,"
	    " created_table BOOLEAN NOT NULL DEFAULT FALSE, after_load_done BOOLEAN NOT NULL DEFAULT FALSE,"
	    " updated TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
	    " PRIMARY KEY (target_table, chunk)) ENGINE = InnoDB",
	    "creating fingerprint.copy_progress");
}

TableProgress ReadProgress(Session &target, const std::string &table) {
	TableProgress progress;
	const std::string exists =
	    target.engine() == Engine::postgresql
	        ? "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'fingerprint' AND tablename = "
	          "'copy_progress'"
	        : "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'fingerprint'"
	          " AND TABLE_NAME = 'copy_progress'";
	if (target.Query(exists, {}, "looking up fingerprint.copy_progress").empty())
		return progress;
	const std::vector<Row> rows = target.Query(
	    std::string("SELECT chunk, lo, hi, fingerprint, row_count, created_table, after_load_done FROM ") +
	        kTable + " WHERE target_table = " + P(target, 1) + " ORDER BY chunk",
	    {table}, "reading the progress of " + table);
	for (const Row &row : rows) {
		const int number = std::atoi(row[0]->c_str());
		if (number < 0) {
			progress.exists = true;
			progress.created_table = True(row[5]);
			progress.after_load_done = True(row[6]);
			continue;
		}
		ChunkProgress chunk;
		chunk.chunk.number = number;
		chunk.chunk.lo = Bound(row[1]);
		chunk.chunk.hi = Bound(row[2]);
		chunk.fingerprint = row[3];
		chunk.rows = std::strtoull(row[4]->c_str(), nullptr, 10);
		progress.chunks.push_back(chunk);
	}
	return progress;
}

void SavePlan(Session &target, const std::string &table, bool created_table,
              const std::vector<Chunk> &chunks) {
	const std::string insert = std::string("INSERT INTO ") + kTable +
	                           " (target_table, chunk, lo, hi, created_table) VALUES (" + P(target, 1) + ", ";
	target.Query(insert + "-1, NULL, NULL, " + (created_table ? "TRUE" : "FALSE") + ")", {table},
	             "recording the copy of " + table);
	for (const Chunk &chunk : chunks)
		target.Query(insert + std::to_string(chunk.number) + ", " + BoundText(chunk.lo) + ", " +
		                 BoundText(chunk.hi) + ", FALSE)",
		             {table}, "recording the chunks of " + table);
}

void SaveChunk(Session &target, const std::string &table, const Chunk &chunk, const std::string &fingerprint,
               std::uint64_t rows) {
	target.Query(std::string("UPDATE ") + kTable + " SET fingerprint = " + P(target, 1) +
	                 ", row_count = " + std::to_string(rows) + " WHERE target_table = " + P(target, 2) +
	                 " AND chunk = " + std::to_string(chunk.number),
	             {fingerprint, table}, "recording a loaded chunk of " + table);
}

void SaveAfterLoadDone(Session &target, const std::string &table) {
	target.Query(std::string("UPDATE ") + kTable +
	                 " SET after_load_done = TRUE WHERE target_table = " + P(target, 1) + " AND chunk = -1",
	             {table}, "recording the after-load statements of " + table);
}

void DeleteProgress(Session &target, const std::string &table) {
	target.Query(std::string("DELETE FROM ") + kTable + " WHERE target_table = " + P(target, 1), {table},
	             "deleting the progress of " + table);
}

} // namespace fingerprint::cli::copy
