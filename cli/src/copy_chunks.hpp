// How one table is cut into chunks that can be copied, proven and resumed one by one.
// A table whose primary key is one integer column is cut into ranges of that key; every
// other table is one chunk. The first range starts at minus infinity and the last ends
// at plus infinity, so rows inserted outside the keys seen at planning time (a source
// that changed before a resumed run) still belong to exactly one chunk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

struct Chunk {
	int number = 0;                 // 0-based, the chunk's id in the progress table
	std::optional<std::int64_t> lo; // inclusive; none: from the smallest key
	std::optional<std::int64_t> hi; // exclusive; none: to the largest key
};

// At most this many chunks per table.
inline constexpr std::uint64_t kMaxChunks = 100000;

// Cuts [min, max] into about rows / chunk_rows ranges of equal key width (one chunk when
// the table is empty, small or chunk_rows is 0).
std::vector<Chunk> PlanChunks(std::int64_t min, std::int64_t max, std::uint64_t rows,
                              std::uint64_t chunk_rows);

// The SQL condition selecting a chunk's rows, for a quoted key column: "" for a chunk
// without bounds, else `k >= lo`, `k < hi` or both joined by AND.
std::string ChunkFilter(const Chunk &chunk, const std::string &quoted_key);

// "rows 10..19", "keys < 10", "keys >= 20", "whole table": for messages.
std::string DescribeChunk(const Chunk &chunk);

// The fingerprint of no rows, as both engines write it.
extern const char kEmptyFingerprint[];

// The sum of two table fingerprints of one algorithm ("fp1:xxh3:ROWS:HEX"): the
// fingerprint of the union of their rows. Throws Error when either is malformed or
// their algorithms differ.
std::string AddFingerprints(const std::string &a, const std::string &b);

} // namespace fingerprint::cli::copy
