// What one call site of row_fingerprint/fingerprint_agg keeps between calls: made in
// _init with new (std::nothrow), kept in initid->ptr, deleted in _deinit. Nothing here
// is global, so any number of connections can run the functions at once.
#pragma once

#include "classed_values.hpp"
#include "rollup_guard.hpp"
#include "udf_abi.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/algorithm.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/value_writer.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace fingerprint::udf {

// Room for a fingerprint or an error string ("error: column ..."). The server keeps a
// pointer to the returned text instead of copying it, so it lives here until the next
// call or _deinit.
constexpr std::size_t kResultSize = 512;

// Bytes of fingerprint_agg's row batch (BatchRow): many rows, and small enough to stay in
// the CPU's second-level cache while it is hashed.
constexpr std::size_t kBatchSize = 64 * 1024;

// Bytes of the image a batched row is written into (ImageWriterOf, classed_values.hpp); a
// longer row takes RowHasher's path.
constexpr std::size_t kImageSize = 4096;

struct CallState {
	explicit CallState(Algorithm chosen) noexcept : algorithm(chosen), hasher(chosen) {}

	Algorithm algorithm;
	unsigned value_count = 0;
	std::unique_ptr<char[]> classes;      // value_count class letters, one per value argument
	std::unique_ptr<ValueAdder[]> adders; // AdderOf each letter, chosen in InitCall (capture_row.cpp: null)
	RowHasher hasher;
	AggregateState aggregate{};
	bool failed = false; // fingerprint_agg: result holds the group's first error
	// fingerprint_agg: who added the group's rows (WITH ROLLUP is refused).
	GroupOwner group_owner;
	// fingerprint_agg: rows copied by BatchRow and not yet hashed (kBatchSize bytes, or
	// null: then every row is hashed at once), batch_used bytes of them.
	std::unique_ptr<unsigned char[]> batch;
	std::unique_ptr<std::uint32_t[]> batch_widths; // per value: 8 for an integer or a double, else 0
	// The batch loop's writer per value and the row image it writes (kImageSize bytes and
	// the writers' slack), or null when a class has no writer: then RowHasher's path.
	std::unique_ptr<WriterKind[]> writers;
	std::unique_ptr<unsigned char[]> image;
	std::size_t batch_used = 0;
	std::size_t result_length = 0;
	char result[kResultSize] = {};
};

// Checks the arguments of function (its SQL name, for messages), asks the server for the
// argument types the classes need and allocates the state. On refusal returns nullptr
// with a message of less than kInitMessageSize bytes, having freed what it allocated.
CallState *InitCall(const char *function, UDF_ARGS *args, char *message) noexcept;

// The state behind initid->ptr.
inline CallState *StateOf(UDF_INIT *initid) noexcept {
	return static_cast<CallState *>(StatePointer(initid));
}

// Deletes the state behind initid->ptr (what every _deinit does; only called when _init
// succeeded).
void FreeCall(UDF_INIT *initid) noexcept;

// Hashes the current row's values (a state from InitCall, with its adders). On a data
// error (invalid UTF-8, bad JSON, ...) writes "error: column <name> (argument N, class
// 'x'): <reason>" into state->result and returns false: a row-time *error = 1 would show
// the user a bare NULL.
bool HashRow(CallState *state, const UDF_ARGS *args, Digest128 *digest) noexcept;

// fingerprint_agg's rows, hashed in batches. Between two _add calls the server runs a long
// path of its own (reading the record, preparing every argument) that pushes our code and
// tables out of the CPU's first-level caches, so a row hashed at once pays for reloading
// them. BatchRow copies the row's values into state->batch instead (a length and the
// bytes per value) and hashes the whole batch in one loop when it is full; FlushBatch
// hashes what is left before the result is formatted. Rows are hashed in the order they
// came, so the first error met is the same. Both add each row's hash to state->aggregate
// and return false with the error in state->result on a data error.
bool StartBatching(CallState *state) noexcept; // false: no memory, rows hashed one by one
bool BatchRow(CallState *state, const UDF_ARGS *args) noexcept;
bool FlushBatch(CallState *state, const UDF_ARGS *args) noexcept;

// Writes a fixed message (for failures that have no column) into state->result.
void SetErrorResult(CallState *state, const char *text) noexcept;

// Exact printable lengths, for UDF_INIT::max_length.
unsigned long RowFingerprintLength(Algorithm algorithm) noexcept;
unsigned long MaxTableFingerprintLength(Algorithm algorithm) noexcept;

} // namespace fingerprint::udf
