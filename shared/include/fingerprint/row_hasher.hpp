// RowHasher: the canonical encoding of one row, fed value by value into a 128-bit hash.
//
// A row is its column values in ordinal order. Each Add* call appends one value's
// canonical bytes (docs/FORMAT.md): a one-byte class tag, then a fixed-size or
// length-prefixed payload. Engines call the Add* that matches the value they hold; the
// core decides which values are "the same", so neither adapter re-implements it.
//
// Why the object is shaped this way: adapters keep a RowHasher on the stack of code that
// may also call PostgreSQL functions which longjmp on error. So the object owns no heap
// memory and is trivially destructible; skipping its destructor leaks nothing. Small rows
// collect in an inline buffer and are hashed in one shot; a row that outgrows the buffer
// spills into the streaming state, which gives the identical digest.
//
// Every member is noexcept. Calls that can meet bad input return Status; after a non-ok
// Status the row's digest is meaningless and the caller must report the error.
#pragma once

#include "fingerprint/algorithm.hpp"
#include "fingerprint/status.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fingerprint {

struct PlainDecimal; // src/number_format.hpp: a decimal text already trimmed

// Class tags of the canonical encoding (docs/FORMAT.md).
enum class Tag : std::uint8_t {
	null = 0x00,
	exact_number = 0x01,     // u32 length + canonical decimal ASCII
	approx_number = 0x02,    // 8 bytes: IEEE-754 binary64, big-endian
	string = 0x03,           // u32 length + UTF-8 text or raw bytes
	date = 0x04,             // i32 big-endian days since 2000-01-01
	timestamp = 0x05,        // i64 big-endian microseconds since 2000-01-01 00:00:00 UTC
	time = 0x06,             // i64 big-endian microseconds (signed)
	json = 0x07,             // u32 length + canonical JSON text
	invalid_temporal = 0x08, // u32 length + the engine's text (MySQL zero dates)
};

// Special exact numbers that PostgreSQL's numeric can hold and MySQL's DECIMAL cannot.
enum class NumericSpecial { nan, positive_infinity, negative_infinity };

// Deepest JSON nesting accepted. MySQL itself stops at 100; the bound keeps the
// recursive canonical writer well inside mysqld's small thread stacks.
constexpr int kMaxJsonDepth = 256;

// Receives the canonical bytes of a row in order, in pieces, as they are hashed.
using ByteSink = void (*)(void *context, const unsigned char *data, std::size_t length) noexcept;

class RowHasher {
  public:
	explicit RowHasher(Algorithm algorithm = kDefaultAlgorithm) noexcept;

	// Starts a new row with the same algorithm.
	void Reset() noexcept;
	Algorithm algorithm() const noexcept { return algorithm_; }

	// NULL is its own tag: never equal to '', 0 or false.
	void AddNull() noexcept;

	// Exact numbers: integers, booleans and decimals are one class, equal by value.
	void AddInt64(std::int64_t value) noexcept;
	void AddUint64(std::uint64_t value) noexcept;
	void AddBool(bool value) noexcept; // false = 0, true = 1
	// Decimal text such as "-001.500", "1.5e3", "+7"; canonicalized (1.500 = 1.5, -0 = 0).
	Status AddDecimalText(std::string_view text) noexcept;
	// PostgreSQL numeric's own form: base-10000 digits, the first one weighted 10000^weight.
	void AddDecimalBase10000(bool negative, int weight, const std::int16_t *digits, int ndigits) noexcept;
	void AddNumericSpecial(NumericSpecial special) noexcept;

	// Approximate numbers: IEEE-754 doubles; float widens exactly; -0.0 = 0.0; one NaN.
	void AddDouble(double value) noexcept;
	void AddFloat(float value) noexcept;

	// Strings and bytes are one class. Text must be UTF-8: validate_utf8 checks it (an
	// engine that already guarantees valid UTF-8 may skip the check for speed).
	Status AddText(const char *data, std::size_t length, bool validate_utf8) noexcept;
	// CHAR(n)/char(n): trailing spaces (0x20) are padding and are dropped first.
	Status AddPaddedText(const char *data, std::size_t length, bool validate_utf8) noexcept;
	Status AddBytes(const void *data, std::size_t length) noexcept;
	// A binary UUID (16 bytes), hashed as its lower-case 8-4-4-4-12 text.
	void AddUuid(const std::uint8_t bytes[16]) noexcept;
	// UUID text in any letter case, hashed lower-case; invalid_uuid if malformed.
	Status AddUuidText(std::string_view text) noexcept;

	// Dates: days since 2000-01-01 (PostgreSQL's DateADT; INT32_MIN/MAX are -/+infinity).
	void AddDateDays(std::int32_t days_since_2000) noexcept;
	// "YYYY-MM-DD". A date MySQL stores that names no real day (a zero date such as
	// "0000-00-00" or "2024-00-10", or "2020-02-30" under ALLOW_INVALID_DATES) follows
	// the invalid-temporal rule (docs/FORMAT.md) and is not an error.
	Status AddDateText(std::string_view text) noexcept;

	// Timestamps: one instant, microseconds since 2000-01-01 00:00:00 UTC
	// (PostgreSQL's Timestamp; INT64_MIN/MAX are -/+infinity).
	void AddTimestampMicros(std::int64_t micros_since_2000) noexcept;
	// "YYYY-MM-DD HH:MM:SS[.f...]" (or 'T' between), read as UTC, 0..6 fractional digits.
	Status AddTimestampText(std::string_view text) noexcept;

	// Times of day or MySQL TIME durations: signed microseconds.
	void AddTimeMicros(std::int64_t micros) noexcept;
	// "[-]H...H:MM:SS[.f...]".
	Status AddTimeText(std::string_view text) noexcept;

	// JSON text: parsed and written canonically (keys sorted by UTF-8 bytes, last
	// duplicate wins, no whitespace, numbers as canonical decimals).
	Status AddJsonText(std::string_view text) noexcept;

	// The row's 128-bit hash. The hasher may be Reset() and reused afterwards.
	Digest128 Finish() noexcept;

	// Raw access for tests and future encoders: append already-encoded bytes.
	void AppendEncoded(const void *data, std::size_t length) noexcept;

	// Also hands every byte of every following row to sink (nullptr stops it). By the time
	// Finish() returns, the sink has received the row's whole image (row_image.hpp) and
	// nothing more. Costs nothing per value: bytes are handed over when the inline buffer
	// is hashed. The sink may longjmp (PostgreSQL's out of memory); the hasher is
	// trivially destructible, so skipping it is harmless.
	void SetSink(ByteSink sink, void *context) noexcept {
		sink_ = sink;
		sink_context_ = context;
	}

  private:
	// Appends to the row's bytes; inline because most calls copy a few bytes.
	void Put(const void *data, std::size_t length) noexcept {
		if (length <= kBufferSize - buffered_) {
			std::memcpy(buffer_ + buffered_, data, length);
			buffered_ += length;
			return;
		}
		PutSlow(data, length);
	}
	void PutSlow(const void *data, std::size_t length) noexcept;
	// Appends the bytes that write(unsigned char *out) produces and whose number it
	// returns, at most `room` (<= kMax), straight into the buffer when that much is free
	// there, so a value is checked against the space only once.
	template <std::size_t kMax, typename Write> void PutWritten(std::size_t room, Write write) noexcept;
	void PutTagged64(Tag tag, std::uint64_t value) noexcept;
	void PutTag(Tag tag) noexcept;
	void PutTagAndLength(Tag tag, std::size_t length) noexcept;
	void AddInvalidTemporal(std::string_view text) noexcept;
	// Writes a trimmed decimal of at most 128 characters in place; false (nothing
	// written) for a longer one, which takes the general path.
	bool PutPlainDecimal(const PlainDecimal &number) noexcept;
	void Spill() noexcept;
	void *StreamState() noexcept;

	static constexpr std::size_t kBufferSize = 2048;
	// Room for XXH3_state_t (576 bytes, must be 64-byte aligned) or SHA256_CTX, aligned by
	// hand so that the RowHasher itself needs only ordinary alignment (palloc gives 8).
	static constexpr std::size_t kStateSize = 704 + 64;

	Algorithm algorithm_;
	ByteSink sink_ = nullptr;
	void *sink_context_ = nullptr;
	bool spilled_;
	std::size_t buffered_;
	unsigned char buffer_[kBufferSize];
	unsigned char state_storage_[kStateSize];
};

} // namespace fingerprint
