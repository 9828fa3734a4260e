#include "fingerprint/row_hasher.hpp"

#include "big_endian.hpp"
#include "decimal.hpp"
#include "json.hpp"
#include "number_format.hpp"
#include "temporal.hpp"
#include "value_encoding.hpp"
#include "fingerprint/utf8.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <string>

// xxhash is compiled into the core (see shared/CMakeLists.txt).
#define XXH_INLINE_ALL
#include <xxhash.h>
// The low-level SHA256_* API is deprecated in OpenSSL 3 but is the one whose context is a
// plain struct with no heap allocation, which RowHasher's longjmp-safety depends on.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

// Exact numbers may be written with exponents ("1e5"); this bounds the zeros they expand to.
constexpr std::int64_t kMaxDecimalZeros = 200000;

static_assert(sizeof(XXH3_state_t) + 63 <= 704 + 64, "RowHasher::kStateSize too small for XXH3");
static_assert(sizeof(SHA256_CTX) + 63 <= 704 + 64, "RowHasher::kStateSize too small for SHA-256");

Digest128 DigestOfXxh3(XXH128_hash_t hash) {
	return Digest128{hash.high64, hash.low64};
}

Digest128 DigestOfSha256(const unsigned char full[SHA256_DIGEST_LENGTH]) {
	return Digest128{LoadBigEndian64(full), LoadBigEndian64(full + 8)};
}

} // namespace

// buffer_ and state_storage_ are left uninitialized on purpose: only the first buffered_
// bytes are ever read, and the stream state is initialized by Spill() before use.
RowHasher::RowHasher(Algorithm algorithm) noexcept : algorithm_(algorithm), spilled_(false), buffered_(0) {}

void RowHasher::Reset() noexcept {
	spilled_ = false;
	buffered_ = 0;
}

void *RowHasher::StreamState() noexcept {
	const auto address = reinterpret_cast<std::uintptr_t>(state_storage_);
	return reinterpret_cast<void *>((address + 63) & ~static_cast<std::uintptr_t>(63));
}

// Moves the buffered bytes into the streaming state, starting it on first use.
void RowHasher::Spill() noexcept {
	void *state = StreamState();
	if (!spilled_) {
		if (algorithm_ == Algorithm::sha256)
			SHA256_Init(static_cast<SHA256_CTX *>(state));
		else
			XXH3_128bits_reset(static_cast<XXH3_state_t *>(state));
		spilled_ = true;
	}
	if (buffered_ == 0)
		return;
	if (sink_ != nullptr)
		sink_(sink_context_, buffer_, buffered_);
	if (algorithm_ == Algorithm::sha256)
		SHA256_Update(static_cast<SHA256_CTX *>(state), buffer_, buffered_);
	else
		XXH3_128bits_update(static_cast<XXH3_state_t *>(state), buffer_, buffered_);
	buffered_ = 0;
}

// The row outgrew the inline buffer: continue in the streaming state.
void RowHasher::PutSlow(const void *data, std::size_t length) noexcept {
	Spill();
	if (length >= kBufferSize) {
		// Large values go straight to the streaming state, without a copy.
		if (sink_ != nullptr)
			sink_(sink_context_, static_cast<const unsigned char *>(data), length);
		void *state = StreamState();
		if (algorithm_ == Algorithm::sha256)
			SHA256_Update(static_cast<SHA256_CTX *>(state), data, length);
		else
			XXH3_128bits_update(static_cast<XXH3_state_t *>(state), data, length);
		return;
	}
	std::memcpy(buffer_, data, length);
	buffered_ = length;
}

template <std::size_t kMax, typename Write>
void RowHasher::PutWritten(std::size_t room, Write write) noexcept {
	if (room <= kBufferSize - buffered_) {
		buffered_ += write(buffer_ + buffered_);
		return;
	}
	unsigned char scratch[kMax];
	PutSlow(scratch, write(scratch));
}

void RowHasher::AppendEncoded(const void *data, std::size_t length) noexcept {
	Put(data, length);
}

void RowHasher::PutTag(Tag tag) noexcept {
	const unsigned char byte = static_cast<unsigned char>(tag);
	Put(&byte, 1);
}

// Fixed-size pieces are stored straight into the buffer rather than assembled in a local
// array and copied: a copy that reads back a byte and a word stored separately just
// before stalls the CPU (no store-to-load forwarding across two stores).
void RowHasher::PutTagAndLength(Tag tag, std::size_t length) noexcept {
	PutWritten<5>(5, [&](unsigned char *out) { return PutHeader(tag, length, out); });
}

// A tag and a fixed 8-byte big-endian payload, appended as one piece.
void RowHasher::PutTagged64(Tag tag, std::uint64_t value) noexcept {
	PutWritten<9>(9, [&](unsigned char *out) {
		out[0] = static_cast<unsigned char>(tag);
		StoreBigEndian64(value, out + 1);
		return std::size_t{9};
	});
}

Digest128 RowHasher::Finish() noexcept {
	Digest128 digest;
	if (!spilled_) {
		if (sink_ != nullptr && buffered_ != 0)
			sink_(sink_context_, buffer_, buffered_);
		if (algorithm_ == Algorithm::sha256) {
			unsigned char full[SHA256_DIGEST_LENGTH];
			SHA256(buffer_, buffered_, full);
			digest = DigestOfSha256(full);
		} else {
			digest = DigestOfXxh3(XXH3_128bits(buffer_, buffered_));
		}
	} else {
		Spill();
		void *state = StreamState();
		if (algorithm_ == Algorithm::sha256) {
			unsigned char full[SHA256_DIGEST_LENGTH];
			SHA256_Final(full, static_cast<SHA256_CTX *>(state));
			digest = DigestOfSha256(full);
		} else {
			digest = DigestOfXxh3(XXH3_128bits_digest(static_cast<XXH3_state_t *>(state)));
		}
	}
	Reset();
	return digest;
}

void RowHasher::AddNull() noexcept {
	PutTag(Tag::null);
}

// Integers: tag, length and digits written in place, the digits four at a time.
void RowHasher::AddUint64(std::uint64_t value) noexcept {
	const unsigned count = DecimalDigitCount(value);
	PutWritten<5 + kMaxIntegerText>(
	    5 + count, [&](unsigned char *out) { return PutUint64<WriteDecimalDigits>(value, count, out); });
}

void RowHasher::AddInt64(std::int64_t value) noexcept {
	if (value >= 0) {
		AddUint64(static_cast<std::uint64_t>(value));
		return;
	}
	const std::uint64_t magnitude = NegativeMagnitude(value);
	const unsigned count = DecimalDigitCount(magnitude);
	PutWritten<6 + kMaxIntegerText>(6 + count, [&](unsigned char *out) {
		return PutNegativeInt64<WriteDecimalDigits>(magnitude, count, out);
	});
}

void RowHasher::AddBool(bool value) noexcept {
	PutWritten<6>(6, [&](unsigned char *out) {
		PutHeader(Tag::exact_number, 1, out);
		out[5] = static_cast<unsigned char>(value ? '1' : '0');
		return std::size_t{6};
	});
}

bool RowHasher::PutPlainDecimal(const PlainDecimal &number) noexcept {
	constexpr std::size_t kMaxInPlace = 128;
	const std::size_t length = PlainDecimalLength(number);
	if (length > kMaxInPlace)
		return false;
	PutWritten<5 + kMaxInPlace>(5 + length, [&](unsigned char *out) {
		PutHeader(Tag::exact_number, length, out);
		return 5 + WritePlainDecimal(number, reinterpret_cast<char *>(out + 5));
	});
	return true;
}

Status RowHasher::AddDecimalText(std::string_view text) noexcept {
	// MariaDB's own DECIMAL text first, copied straight to its place in the row and trimmed
	// there (WriteMariaDbDecimal); for any other text nothing is appended.
	constexpr std::size_t kMaxInPlace = 128;
	if (text.size() <= kMaxInPlace) {
		bool written = false;
		PutWritten<5 + kMaxInPlace>(5 + text.size(), [&](unsigned char *out) {
			const std::size_t length = WriteMariaDbDecimal(text.data(), text.size(), out);
			written = length != 0;
			return length;
		});
		if (written)
			return Status::ok;
	}
	// Other shapes without exponent ("+1.5", "007"): read and trimmed in one pass, copied in place.
	PlainDecimal number{};
	if (ScanPlainDecimal(text, &number) && PutPlainDecimal(number))
		return Status::ok;
	DecimalText parsed;
	if (!ParseDecimalText(text, &parsed))
		return Status::invalid_decimal;
	if (parsed.exponent == 0) {
		// Another shape without exponent ("+1.5"): trimmed and copied in place in two pieces.
		number = TrimPlainDecimal(parsed.negative, parsed.integer_digits, parsed.fraction_digits);
		if (PutPlainDecimal(number))
			return Status::ok;
	}
	DecimalLayout layout;
	const Status status = LayoutOfDecimalText(parsed, kMaxDecimalZeros, &layout);
	if (status != Status::ok)
		return status;
	PutTagAndLength(Tag::exact_number, CanonicalDecimalLength(layout));
	WriteCanonicalDecimal(layout, TextDigits{&parsed},
	                      [this](const char *data, std::size_t n) { Put(data, n); });
	return Status::ok;
}

namespace {

// A numeric below 10^8 with at most eight fraction digits (numeric(12,2) prices, most
// amounts): its integer part and its fraction's first eight digits as two integers.
struct ShortNumeric {
	std::uint32_t integer;
	std::uint32_t fraction; // the fraction's digits as an 8-digit number: .5 is 50000000
};

// Reads the digits as a ShortNumeric when they are one (weight -2..1, nothing past the
// second fraction group, every digit 0..9999); false otherwise.
bool ReadShortNumeric(int weight, const std::int16_t *digits, int ndigits, ShortNumeric *out) noexcept {
	if (weight < -2 || weight > 1 || ndigits - weight > 3)
		return false;
	std::uint32_t integer = 0;
	std::uint32_t fraction = 0;
	bool valid = true;
	for (int i = 0; i < ndigits; i++) {
		const unsigned group = static_cast<std::uint16_t>(digits[i]);
		valid &= group <= 9999;
		const int place = weight - i; // 1, 0: integer groups; -1, -2: fraction groups
		const std::uint32_t scaled = (place == 1 || place == -1) ? group * 10000 : group;
		if (place >= 0)
			integer += scaled;
		else
			fraction += scaled;
	}
	*out = ShortNumeric{integer, fraction};
	return valid;
}

} // namespace

// Short numerics are written whole, eight digits per step with no branch on their length;
// other numerics that fit in the scratch below (all but absurdly long ones) are written
// in place four digits at a time; longer ones stream through the general normalizer in
// chunks.
void RowHasher::AddDecimalBase10000(bool negative, int weight, const std::int16_t *digits,
                                    int ndigits) noexcept {
	ShortNumeric number;
	if (ReadShortNumeric(weight, digits, ndigits, &number)) {
		// [-]integer[.fraction]: at most 1 + 8 + 1 + 8 bytes, each piece stored as a word.
		PutWritten<5 + 18>(5 + 18, [&](unsigned char *out) {
			char *const text = reinterpret_cast<char *>(out + 5);
			char *p = text;
			*p = '-';
			p += negative && (number.integer | number.fraction) != 0; // zero has no sign
			const unsigned integer_count = DecimalDigitCount(number.integer);
			WriteShortDecimalDigits(number.integer, integer_count, p);
			p += integer_count;
			if (number.fraction != 0) {
				const std::uint64_t fraction = EightDigits(number.fraction);
				// The fraction's trailing zero digits are the word's high zero bytes.
				const unsigned fraction_count = 8 - static_cast<unsigned>(__builtin_clzll(fraction)) / 8;
				*p = '.';
				StoreDigitBytes(fraction | kAsciiZeros, p + 1);
				p += 1 + fraction_count;
			}
			const std::size_t length = static_cast<std::size_t>(p - text);
			return PutHeader(Tag::exact_number, length, out) + length;
		});
		return;
	}
	constexpr std::size_t kMaxInPlace = 512;
	const Base10000Span span = SpanOfBase10000(negative, weight, digits, ndigits);
	const std::uint64_t bound = Base10000TextBound(span);
	if (bound <= kMaxInPlace) {
		bool written = false;
		PutWritten<5 + kMaxInPlace>(5 + bound, [&](unsigned char *out) {
			const std::size_t length = WriteBase10000Text(span, reinterpret_cast<char *>(out + 5));
			if (length == 0)
				return std::size_t{0}; // a digit out of range: nothing appended
			written = true;
			return PutHeader(Tag::exact_number, length, out) + length;
		});
		if (written)
			return;
	}
	const DecimalLayout layout = LayoutOfBase10000(negative, weight, digits, ndigits);
	PutTagAndLength(Tag::exact_number, CanonicalDecimalLength(layout));
	WriteCanonicalDecimal(layout, Base10000Digits{digits},
	                      [this](const char *data, std::size_t n) { Put(data, n); });
}

void RowHasher::AddNumericSpecial(NumericSpecial special) noexcept {
	// Spelled so that no decimal number can share the bytes.
	const char *text = special == NumericSpecial::nan                 ? "NaN"
	                   : special == NumericSpecial::positive_infinity ? "Infinity"
	                                                                  : "-Infinity";
	const std::size_t n = std::strlen(text);
	PutTagAndLength(Tag::exact_number, n);
	Put(text, n);
}

void RowHasher::AddDouble(double value) noexcept {
	PutTagged64(Tag::approx_number, CanonicalDoubleBits(value));
}

void RowHasher::AddFloat(float value) noexcept {
	AddDouble(static_cast<double>(value));
}

Status RowHasher::AddBytes(const void *data, std::size_t length) noexcept {
	if (length > std::numeric_limits<std::uint32_t>::max())
		return Status::value_too_long;
	if (kBufferSize - buffered_ >= 5 && length <= kBufferSize - buffered_ - 5) {
		// The usual case: header and bytes go into the buffer with one check.
		unsigned char *out = buffer_ + buffered_;
		PutHeader(Tag::string, length, out);
		std::memcpy(out + 5, data, length);
		buffered_ += 5 + length;
		return Status::ok;
	}
	PutTagAndLength(Tag::string, length);
	Put(data, length);
	return Status::ok;
}

Status RowHasher::AddText(const char *data, std::size_t length, bool validate_utf8) noexcept {
	if (validate_utf8 && !IsValidUtf8(reinterpret_cast<const unsigned char *>(data), length))
		return Status::invalid_utf8;
	return AddBytes(data, length);
}

Status RowHasher::AddPaddedText(const char *data, std::size_t length, bool validate_utf8) noexcept {
	return AddText(data, Unpadded(data, length), validate_utf8);
}

void RowHasher::AddUuid(const std::uint8_t bytes[16]) noexcept {
	static constexpr char kHex[] = "0123456789abcdef";
	char text[36];
	std::size_t n = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			text[n++] = '-';
		text[n++] = kHex[bytes[i] >> 4];
		text[n++] = kHex[bytes[i] & 0xf];
	}
	AddBytes(text, sizeof text);
}

Status RowHasher::AddUuidText(std::string_view text) noexcept {
	if (text.size() != 36)
		return Status::invalid_uuid;
	std::uint8_t bytes[16];
	std::size_t pos = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (text[pos++] != '-')
				return Status::invalid_uuid;
		}
		int value = 0;
		for (int k = 0; k < 2; k++) {
			const char c = text[pos++];
			int nibble;
			if (c >= '0' && c <= '9')
				nibble = c - '0';
			else if (c >= 'a' && c <= 'f')
				nibble = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				nibble = c - 'A' + 10;
			else
				return Status::invalid_uuid;
			value = value * 16 + nibble;
		}
		bytes[i] = static_cast<std::uint8_t>(value);
	}
	AddUuid(bytes);
	return Status::ok;
}

void RowHasher::AddDateDays(std::int32_t days_since_2000) noexcept {
	PutWritten<5>(5, [&](unsigned char *out) {
		out[0] = static_cast<unsigned char>(Tag::date);
		StoreBigEndian32(static_cast<std::uint32_t>(days_since_2000), out + 1);
		return std::size_t{5};
	});
}

// A MySQL zero date keeps its own text under its own tag: it never equals a real date,
// NULL, or anything PostgreSQL can hold (docs/FORMAT.md, "invalid temporal values").
void RowHasher::AddInvalidTemporal(std::string_view text) noexcept {
	PutTagAndLength(Tag::invalid_temporal, text.size());
	Put(text.data(), text.size());
}

Status RowHasher::AddDateText(std::string_view text) noexcept {
	std::int32_t days;
	const TemporalParse parse = ParseDateText(text, &days);
	if (parse == TemporalParse::ok)
		AddDateDays(days);
	else if (parse == TemporalParse::not_a_real_day)
		AddInvalidTemporal(text);
	return parse == TemporalParse::invalid ? Status::invalid_date : Status::ok;
}

void RowHasher::AddTimestampMicros(std::int64_t micros_since_2000) noexcept {
	PutTagged64(Tag::timestamp, static_cast<std::uint64_t>(micros_since_2000));
}

Status RowHasher::AddTimestampText(std::string_view text) noexcept {
	std::int64_t micros;
	const TemporalParse parse = ParseTimestampText(text, &micros);
	if (parse == TemporalParse::ok)
		AddTimestampMicros(micros);
	else if (parse == TemporalParse::not_a_real_day)
		AddInvalidTemporal(text);
	return parse == TemporalParse::invalid ? Status::invalid_timestamp : Status::ok;
}

void RowHasher::AddTimeMicros(std::int64_t micros) noexcept {
	PutTagged64(Tag::time, static_cast<std::uint64_t>(micros));
}

Status RowHasher::AddTimeText(std::string_view text) noexcept {
	std::int64_t micros;
	if (ParseTimeText(text, &micros) != TemporalParse::ok)
		return Status::invalid_time;
	AddTimeMicros(micros);
	return Status::ok;
}

Status RowHasher::AddJsonText(std::string_view text) noexcept {
	// The only Add* that allocates: the canonical text is built, hashed and freed here,
	// so no heap memory outlives the call.
	try {
		std::string canonical;
		const Status status = CanonicalizeJson(text, &canonical);
		if (status != Status::ok)
			return status;
		if (canonical.size() > std::numeric_limits<std::uint32_t>::max())
			return Status::value_too_long;
		PutTagAndLength(Tag::json, canonical.size());
		Put(canonical.data(), canonical.size());
		return Status::ok;
	} catch (const std::bad_alloc &) {
		return Status::out_of_memory;
	} catch (...) {
		return Status::invalid_json;
	}
}

} // namespace fingerprint
