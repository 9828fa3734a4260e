// Writers of one value's canonical encoding (docs/FORMAT.md: tag, then payload) straight
// into a row image, for an adapter that builds a row's image itself and hashes it whole
// (HashImage, row_image.hpp): the MariaDB UDF's batch loop (mysql_udf/src/call_state.cpp),
// through WritePackedRowImage below.
//
// Why beside RowHasher: RowHasher's Add* check the room left in its buffer for every
// value and go through a call per value and per piece; a loop that knows a row's room in
// advance needs neither. The bytes are RowHasher's: tests/core/value_writer_test.cpp
// compares every writer with the matching Add* over many generated values, RowHasher
// staying the definition.
//
// Each writer returns the number of bytes written at out, or 0 when it does not take the
// value (a text not of MariaDB's shape, a value the core refuses or writes under another
// tag): then nothing is decided, and the caller gives the value (or the row) to
// RowHasher, which writes it or reports the error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fingerprint {

// A writer may read up to this many bytes past the end of its input and write up to
// this many past the end of what it returns (whole words instead of byte loops): both
// buffers must have that much room beyond.
constexpr std::size_t kValueWriterSlack = 16;

// Most bytes an integer's encoding takes (tag, length, '-' and 20 digits).
constexpr std::size_t kIntegerValueRoom = 26;

// RowHasher::AddInt64 / AddUint64 / AddDouble: always taken.
std::size_t WriteInt64Value(std::int64_t value, unsigned char *out) noexcept;
std::size_t WriteUint64Value(std::uint64_t value, unsigned char *out) noexcept;
std::size_t WriteDoubleValue(double value, unsigned char *out) noexcept;

// RowHasher::AddBytes (and AddText without validation): length + 5 bytes, always taken
// (length below 2^32).
std::size_t WriteStringValue(const char *data, std::size_t length, unsigned char *out) noexcept;

// Text of a utf8mb4/utf8mb3 value MariaDB has checked (the 'S' class): AddText with
// HasUtf8Surrogate's verdict; 0 when the text holds an 0xED byte followed by a surrogate's
// second byte (the caller's RowHasher path reports it).
std::size_t WriteCheckedTextValue(const char *data, std::size_t length, unsigned char *out) noexcept;

// RowHasher::AddDecimalText for MariaDB's DECIMAL text, "[-]digits[.digits]" with no
// leading zero before another integer digit: length + 5 bytes at most; 0 for any other
// text (the general path then reads it).
std::size_t WriteUdfDecimalValue(const char *text, std::size_t length, unsigned char *out) noexcept;

// RowHasher::AddTimestampText / AddDateText for a text of MariaDB's own shape naming a
// real instant / day: 9 / 5 bytes; 0 for any other text, a zero date, a refused one.
std::size_t WriteUdfTimestampValue(const char *text, std::size_t length, unsigned char *out) noexcept;
std::size_t WriteUdfDateValue(const char *text, std::size_t length, unsigned char *out) noexcept;

// Which writer takes a column's values in WritePackedRowImage.
enum class WriterKind : std::uint8_t {
	none,             // no writer: the row is declined
	signed_integer,   // an 8-byte long long slot: WriteInt64Value
	unsigned_integer, // an 8-byte slot holding the 64-bit pattern: WriteUint64Value
	real,             // an 8-byte double slot: WriteDoubleValue
	decimal,          // WriteUdfDecimalValue
	text,             // UTF-8 validated (IsValidUtf8), then WriteStringValue
	checked_text,     // WriteCheckedTextValue
	padded_text,      // trailing spaces dropped, then as text
	checked_padded,   // trailing spaces dropped, then as checked_text
	bytes,            // WriteStringValue
	timestamp,        // WriteUdfTimestampValue
	date,             // WriteUdfDateValue
};

// A packed value's length for SQL NULL (written as the null tag).
constexpr std::uint32_t kPackedNullLength = 0xFFFFFFFF;

// Writes a packed row at *cursor (count values, each a 4-byte host-order length and its
// bytes, kPackedNullLength for NULL) as its image into image, which holds capacity bytes
// and kValueWriterSlack more; kValueWriterSlack bytes past the row must be readable too.
// Returns the image's length and moves *cursor past the row, or returns 0 and leaves
// *cursor where it was when a writer declines a value or the image would not fit. The
// writers are called from here, in this file, so that they are inlined into one loop.
std::size_t WritePackedRowImage(const WriterKind *kinds, unsigned count, const unsigned char **cursor,
                                unsigned char *image, std::size_t capacity) noexcept;

} // namespace fingerprint
