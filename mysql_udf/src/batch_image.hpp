// fingerprint_agg's batch loop, writing a batched row's image itself (value_writer.hpp)
// and hashing it whole, instead of feeding a RowHasher value by value: the writer for
// each column is chosen once, at _init, and the room for a value is checked once.
// Anything a writer does not take (a text of another shape, a zero date, a value the
// core refuses) sends the whole row to RowHasher's path (call_state.cpp,
// HashBatchedRow), which writes the same bytes or reports the error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fingerprint::udf {

// How the batch loop writes a column's value: one per class letter the loop knows
// (spec.hpp); none for the others (j, t, U), whose tables keep RowHasher's path.
enum class ImageWriter : std::uint8_t {
	none,
	signed_integer,   // i
	unsigned_integer, // u
	real,             // f
	decimal,          // d
	text,             // s: validated
	checked_text,     // S: only surrogates looked for
	padded_text,      // c
	checked_padded,   // C
	bytes,            // b
	timestamp,        // T
	date,             // D
};
ImageWriter ImageWriterOf(char letter) noexcept;

// A batched value's length for SQL NULL (call_state.cpp, BatchRow).
constexpr std::uint32_t kNullLength = 0xFFFFFFFF;

// Writes the batched row at *cursor (count values, each a 4-byte length and its bytes,
// kNullLength for NULL) as its image into image, which holds capacity bytes and
// kValueWriterSlack more; the batch must have kValueWriterSlack readable bytes past its
// end too. Returns the image's length and moves *cursor past the row, or returns 0 and
// leaves *cursor where it was when a value needs RowHasher's path or does not fit.
std::size_t WriteBatchedRowImage(const ImageWriter *writers, unsigned count, const unsigned char **cursor,
                                 unsigned char *image, std::size_t capacity) noexcept;

} // namespace fingerprint::udf
