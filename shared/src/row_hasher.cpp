#include "fingerprint/row_hasher.hpp"

#include "big_endian.hpp"
#include "decimal.hpp"
#include "json.hpp"
#include "temporal.hpp"
#include "fingerprint/utf8.hpp"

#include <cmath>
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

void RowHasher::AppendEncoded(const void *data, std::size_t length) noexcept {
	Put(data, length);
}

void RowHasher::PutTag(Tag tag) noexcept {
	const unsigned char byte = static_cast<unsigned char>(tag);
	Put(&byte, 1);
}

void RowHasher::PutU32(std::uint32_t value) noexcept {
	unsigned char bytes[4];
	StoreBigEndian32(value, bytes);
	Put(bytes, 4);
}

void RowHasher::PutTagAndLength(Tag tag, std::size_t length) noexcept {
	unsigned char bytes[5];
	bytes[0] = static_cast<unsigned char>(tag);
	StoreBigEndian32(static_cast<std::uint32_t>(length), bytes + 1);
	Put(bytes, 5);
}

void RowHasher::PutI32(std::int32_t value) noexcept {
	PutU32(static_cast<std::uint32_t>(value));
}

void RowHasher::PutI64(std::int64_t value) noexcept {
	unsigned char bytes[8];
	StoreBigEndian64(static_cast<std::uint64_t>(value), bytes);
	Put(bytes, 8);
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

void RowHasher::AddUint64(std::uint64_t value) noexcept {
	char digits[20];
	std::size_t n = 0;
	do {
		digits[sizeof digits - 1 - n++] = static_cast<char>('0' + value % 10);
		value /= 10;
	} while (value != 0);
	PutTagAndLength(Tag::exact_number, n);
	Put(digits + sizeof digits - n, n);
}

void RowHasher::AddInt64(std::int64_t value) noexcept {
	if (value >= 0) {
		AddUint64(static_cast<std::uint64_t>(value));
		return;
	}
	// Magnitude without overflow for INT64_MIN.
	std::uint64_t magnitude = ~static_cast<std::uint64_t>(value) + 1;
	char text[21];
	std::size_t n = 0;
	do {
		text[sizeof text - 1 - n++] = static_cast<char>('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude != 0);
	text[sizeof text - 1 - n++] = '-';
	PutTagAndLength(Tag::exact_number, n);
	Put(text + sizeof text - n, n);
}

void RowHasher::AddBool(bool value) noexcept {
	AddUint64(value ? 1 : 0);
}

Status RowHasher::AddDecimalText(std::string_view text) noexcept {
	DecimalText parsed;
	if (!ParseDecimalText(text, &parsed))
		return Status::invalid_decimal;
	DecimalLayout layout;
	const Status status = LayoutOfDecimalText(parsed, kMaxDecimalZeros, &layout);
	if (status != Status::ok)
		return status;
	PutTagAndLength(Tag::exact_number, CanonicalDecimalLength(layout));
	WriteCanonicalDecimal(layout, TextDigits{&parsed},
	                      [this](const char *data, std::size_t n) { Put(data, n); });
	return Status::ok;
}

void RowHasher::AddDecimalBase10000(bool negative, int weight, const std::int16_t *digits,
                                    int ndigits) noexcept {
	// Each base-10000 digit is four decimal digits; the point follows digit `weight`.
	const std::size_t size = ndigits > 0 ? static_cast<std::size_t>(ndigits) * 4 : 0;
	const std::int64_t point = (static_cast<std::int64_t>(weight) + 1) * 4;
	auto emit = [this](const char *data, std::size_t n) { Put(data, n); };
	char expanded[256];
	if (size <= sizeof expanded) {
		// The common case (up to 256 digits): expand once, then index plain characters.
		for (int i = 0; i < ndigits; i++) {
			const int d = digits[i];
			expanded[4 * i] = static_cast<char>('0' + d / 1000);
			expanded[4 * i + 1] = static_cast<char>('0' + d / 100 % 10);
			expanded[4 * i + 2] = static_cast<char>('0' + d / 10 % 10);
			expanded[4 * i + 3] = static_cast<char>('0' + d % 10);
		}
		auto digit = [&expanded](std::size_t i) { return expanded[i]; };
		const DecimalLayout layout = NormalizeDigits(negative, size, point, digit);
		PutTagAndLength(Tag::exact_number, CanonicalDecimalLength(layout));
		WriteCanonicalDecimal(layout, digit, emit);
		return;
	}
	// Longer numbers compute each digit where it is needed.
	const DecimalLayout layout = LayoutOfBase10000(negative, weight, digits, ndigits);
	PutTagAndLength(Tag::exact_number, CanonicalDecimalLength(layout));
	WriteCanonicalDecimal(layout, Base10000Digits{digits}, emit);
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
	std::uint64_t bits;
	if (std::isnan(value)) {
		bits = 0x7FF8000000000000ULL; // one NaN, whatever its sign and payload
	} else {
		if (value == 0.0)
			value = 0.0; // -0.0 becomes +0.0
		std::memcpy(&bits, &value, sizeof bits);
	}
	unsigned char bytes[8];
	StoreBigEndian64(bits, bytes);
	PutTag(Tag::approx_number);
	Put(bytes, 8);
}

void RowHasher::AddFloat(float value) noexcept {
	AddDouble(static_cast<double>(value));
}

Status RowHasher::AddBytes(const void *data, std::size_t length) noexcept {
	if (length > std::numeric_limits<std::uint32_t>::max())
		return Status::value_too_long;
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
	while (length > 0 && data[length - 1] == ' ')
		length--;
	return AddText(data, length, validate_utf8);
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
	PutTag(Tag::date);
	PutI32(days_since_2000);
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
	PutTag(Tag::timestamp);
	PutI64(micros_since_2000);
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
	PutTag(Tag::time);
	PutI64(micros);
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
