// The canonical text of exact numbers (docs/FORMAT.md) written at memory speed.
//
// Why this exists beside decimal.hpp: the general normalizer there asks a digit source
// for one digit at a time, which for integers and PostgreSQL's base-10000 digits costs a
// division per digit and a call per character. Here integers are written four digits per
// step (one division by 10000, which compilers turn into a multiplication, then two
// look-ups in a 200-byte table of digit pairs), base-10000 groups are expanded four
// digits at a time the same way, a decimal text without exponent is trimmed and copied
// in two pieces, and the length of the text is known (or bounded) before its first byte
// is written, so a caller can reserve the room once and write straight into its buffer.
// The bytes are the same as the general path's; tests/core/number_format_test.cpp checks
// that against the straightforward definition over many random values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fingerprint {

// "00", "01", ..., "99" back to back.
struct DigitPairTable {
	char text[200];
	constexpr DigitPairTable() : text() {
		for (int i = 0; i < 100; i++) {
			text[2 * i] = static_cast<char>('0' + i / 10);
			text[2 * i + 1] = static_cast<char>('0' + i % 10);
		}
	}
};
inline constexpr DigitPairTable kDigitPairs{};

// Longest decimal text of a 64-bit integer: 20 digits (UINT64_MAX), or '-' and 19 digits.
constexpr std::size_t kMaxIntegerText = 20;

// Number of decimal digits of value (1 for 0), without a loop: the bit length gives
// log10 to within one, and one comparison with a power of ten settles it.
inline unsigned DecimalDigitCount(std::uint64_t value) noexcept {
	static constexpr std::uint64_t kPow10[20] = {1ULL,
	                                             10ULL,
	                                             100ULL,
	                                             1000ULL,
	                                             10000ULL,
	                                             100000ULL,
	                                             1000000ULL,
	                                             10000000ULL,
	                                             100000000ULL,
	                                             1000000000ULL,
	                                             10000000000ULL,
	                                             100000000000ULL,
	                                             1000000000000ULL,
	                                             10000000000000ULL,
	                                             100000000000000ULL,
	                                             1000000000000000ULL,
	                                             10000000000000000ULL,
	                                             100000000000000000ULL,
	                                             1000000000000000000ULL,
	                                             10000000000000000000ULL};
	value |= 1; // 0 has one digit, like 1
	const unsigned bits = 64 - static_cast<unsigned>(__builtin_clzll(value));
	const unsigned guess = (bits * 1233) >> 12; // bits * log10(2), never more than log10 + 1
	return guess + (value >= kPow10[guess] ? 1 : 0);
}

// Writes a base-10000 group (0..9999) as exactly four digits.
inline void WriteGroupOf4(unsigned group, char *out) noexcept {
	const unsigned high = group / 100;
	std::memcpy(out, kDigitPairs.text + 2 * high, 2);
	std::memcpy(out + 2, kDigitPairs.text + 2 * (group - 100 * high), 2);
}

// Writes the `count` = DecimalDigitCount(value) digits of value at out from the end:
// four digits per step of the loop (one division by 10000 on the chain from step to
// step, the split into pairs off it), then the one to four leading digits.
inline void WriteDecimalDigits(std::uint64_t value, unsigned count, char *out) noexcept {
	char *p = out + count;
	while (value >= 10000) {
		const std::uint64_t group = value % 10000;
		value /= 10000;
		p -= 4;
		WriteGroupOf4(static_cast<unsigned>(group), p);
	}
	unsigned lead = static_cast<unsigned>(value);
	if (lead >= 100) {
		const unsigned pair = lead % 100;
		lead /= 100;
		p -= 2;
		std::memcpy(p, kDigitPairs.text + 2 * pair, 2);
	}
	if (lead >= 10)
		std::memcpy(p - 2, kDigitPairs.text + 2 * lead, 2);
	else
		p[-1] = static_cast<char>('0' + lead);
}

// The eight decimal digits of value (< 10^8), leading zeros included, one per byte of the
// result: byte k (bits 8k..8k+7) holds the digit k places from the left, as a number
// 0..9. Why: no loop and no branch on the number of digits, which the CPU mispredicts
// when lengths vary from row to row, as prices do. Used for short numerics (RowHasher's
// AddDecimalBase10000) and, through WriteShortDecimalDigits, for the integers of 10^4 to
// 10^8 (ids) that the UDF's image writers write (value_writer.cpp, PutDigits), in one
// step without WriteDecimalDigits's loop. RowHasher's AddInt64/AddUint64 keep
// WriteDecimalDigits: the eight-digit word measured no faster there (bench/RESULTS.md).
// The word splits into two four-digit halves, each half into two pairs and each pair
// into two digits, all lanes at once; a division by 100 or 10 is a multiplication and a
// shift, exact below 10^4 and 10^2 (every value below 10^8 was checked; the test
// number_format_test.cpp keeps a sample).
inline std::uint64_t EightDigits(std::uint32_t value) noexcept {
	std::uint64_t x = (value / 10000) | (std::uint64_t{value % 10000} << 32);
	const std::uint64_t hundreds = ((x * 10486) >> 20) & 0x0000007F0000007FULL;
	x = hundreds | ((x - hundreds * 100) << 16);
	const std::uint64_t tens = ((x * 103) >> 10) & 0x000F000F000F000FULL;
	return tens | ((x - tens * 10) << 8);
}

// Stores the eight bytes of a word from EightDigits (or its text) in their byte order.
inline void StoreDigitBytes(std::uint64_t bytes, char *out) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	bytes = __builtin_bswap64(bytes);
#endif
	std::memcpy(out, &bytes, 8);
}

constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ULL;

// Writes the `count` = DecimalDigitCount(value) digits of a value below 10^8 at out, and
// then garbage up to out + 8: the caller must own 8 bytes there.
inline void WriteShortDecimalDigits(std::uint32_t value, unsigned count, char *out) noexcept {
	StoreDigitBytes((EightDigits(value) | kAsciiZeros) >> (8 * (8 - count)), out);
}

// A base-10000 digit as the writers below use it: its value when 0..9999, as
// PostgreSQL's numeric guarantees; anything else (a corrupt value) clears `valid` and
// reads as 0, so that the digit-pair table is never indexed out of bounds.
inline unsigned CheckedGroup(std::int16_t digit, bool &valid) noexcept {
	const unsigned group = static_cast<std::uint16_t>(digit);
	valid &= group <= 9999;
	return group <= 9999 ? group : 0;
}

// PostgreSQL numeric's base-10000 digits (each 0..9999), the first weighted 10000^weight,
// with leading and trailing zero groups stripped. first > last means the number is zero.
struct Base10000Span {
	bool negative;
	int weight;
	const std::int16_t *digits;
	int first;           // first nonzero group
	int last;            // last nonzero group
	unsigned lead_count; // digits of the first group without its leading zeros
};

inline Base10000Span SpanOfBase10000(bool negative, int weight, const std::int16_t *digits,
                                     int ndigits) noexcept {
	int first = 0;
	while (first < ndigits && digits[first] == 0)
		first++;
	int last = ndigits - 1;
	while (last >= first && digits[last] == 0)
		last--;
	const unsigned lead = first <= last ? static_cast<unsigned>(digits[first]) : 0;
	const unsigned lead_count = 1 + (lead >= 10) + (lead >= 100) + (lead >= 1000);
	return Base10000Span{negative, weight, digits, first, last, lead_count};
}

// Length of the canonical text of a span if the last group had no trailing zeros: an
// upper bound, at most 3 more than the length (64-bit: a weight of 32767 is 131072
// digits).
inline std::uint64_t Base10000TextBound(const Base10000Span &span) noexcept {
	if (span.first > span.last)
		return 1; // "0", also for negative zero
	std::uint64_t length = span.negative ? 1 : 0;
	if (span.weight >= span.first)
		length += span.lead_count +
		          4 * static_cast<std::uint64_t>(static_cast<std::int64_t>(span.weight) - span.first);
	else
		length += 1; // "0" before the point
	if (span.last > span.weight)
		length += 1 + 4 * static_cast<std::uint64_t>(static_cast<std::int64_t>(span.last) - span.weight);
	return length;
}

// Writes the canonical text of a span into out, which must hold Base10000TextBound(span)
// bytes, and returns its length. The last group is written in full and its trailing
// zeros are then left out of the length, so up to 3 bytes past the text are overwritten.
// Returns 0 (no canonical text is empty) when a digit is outside 0..9999: then what was
// written means nothing and the caller takes the general path.
inline std::size_t WriteBase10000Text(const Base10000Span &span, char *out) noexcept {
	if (span.first > span.last) {
		*out = '0';
		return 1;
	}
	bool valid = true;
	char *p = out;
	if (span.negative)
		*p++ = '-';
	if (span.weight >= span.first) {
		// The integer part: the first group without its leading zeros, the other stored
		// groups in full, then zeros for groups past the last nonzero one.
		WriteDecimalDigits(CheckedGroup(span.digits[span.first], valid), span.lead_count, p);
		p += span.lead_count;
		const int stored_end = span.weight < span.last ? span.weight : span.last;
		for (int g = span.first + 1; g <= stored_end; g++, p += 4)
			WriteGroupOf4(CheckedGroup(span.digits[g], valid), p);
		for (int g = stored_end + 1; g <= span.weight; g++, p += 4)
			std::memcpy(p, "0000", 4);
	} else {
		*p++ = '0';
	}
	if (span.last > span.weight) {
		// The fraction: zero groups between the point and the first nonzero group, then the
		// groups up to the last, whose trailing zeros are dropped (it is nonzero).
		*p++ = '.';
		int g = span.weight + 1;
		for (; g < span.first; g++, p += 4)
			std::memcpy(p, "0000", 4);
		for (; g <= span.last; g++, p += 4)
			WriteGroupOf4(CheckedGroup(span.digits[g], valid), p);
		p -= p[-1] != '0' ? 0 : p[-2] != '0' ? 1 : p[-3] != '0' ? 2 : 3;
	}
	return valid ? static_cast<std::size_t>(p - out) : 0;
}

// A decimal text without exponent (MySQL's DECIMAL as a UDF receives it, "12345.60"),
// trimmed to its canonical parts: the integer digits without leading zeros and the
// fraction without trailing zeros. Its text is [-](integer or "0")[.fraction], and "0"
// when both parts are empty, whatever the sign.
struct PlainDecimal {
	bool negative;
	std::string_view integer;
	std::string_view fraction;
};

inline PlainDecimal TrimPlainDecimal(bool negative, std::string_view integer,
                                     std::string_view fraction) noexcept {
	std::size_t lead = 0;
	while (lead < integer.size() && integer[lead] == '0')
		lead++;
	std::size_t end = fraction.size();
	while (end > 0 && fraction[end - 1] == '0')
		end--;
	integer.remove_prefix(lead);
	fraction = fraction.substr(0, end);
	return PlainDecimal{negative && !(integer.empty() && fraction.empty()), integer, fraction};
}

inline std::size_t PlainDecimalLength(const PlainDecimal &number) noexcept {
	return (number.negative ? 1 : 0) + (number.integer.empty() ? 1 : number.integer.size()) +
	       (number.fraction.empty() ? 0 : 1 + number.fraction.size());
}

// Writes the canonical text (PlainDecimalLength(number) bytes) at out; returns its length.
inline std::size_t WritePlainDecimal(const PlainDecimal &number, char *out) noexcept {
	char *p = out;
	if (number.negative)
		*p++ = '-';
	if (number.integer.empty()) {
		*p++ = '0';
	} else {
		std::memcpy(p, number.integer.data(), number.integer.size());
		p += number.integer.size();
	}
	if (!number.fraction.empty()) {
		*p++ = '.';
		std::memcpy(p, number.fraction.data(), number.fraction.size());
		p += number.fraction.size();
	}
	return static_cast<std::size_t>(p - out);
}

} // namespace fingerprint
