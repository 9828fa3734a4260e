// fingerprint_agg's batch loop, writing a batched row's image itself (the core's
// WritePackedRowImage, value_writer.hpp) and hashing it whole, instead of feeding a
// RowHasher value by value: the writer for each column is chosen once, at _init, and the
// room for a value is checked once. Anything a writer does not take (a text of another
// shape, a zero date, a value the core refuses) sends the whole row to RowHasher's path
// (call_state.cpp, HashBatchedRow), which writes the same bytes or reports the error.
#pragma once

#include "fingerprint/value_writer.hpp"

#include <cstdint>

namespace fingerprint::udf {

// The writer of a class letter's values (spec.hpp): i u f d s S c C b T D have one;
// WriterKind::none for the others (j, t, U), whose tables keep RowHasher's path.
WriterKind ImageWriterOf(char letter) noexcept;

// A batched value's length for SQL NULL (call_state.cpp, BatchRow): the batch is a packed
// row per row (value_writer.hpp).
constexpr std::uint32_t kNullLength = kPackedNullLength;

} // namespace fingerprint::udf
