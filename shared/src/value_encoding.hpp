// The canonical encoding's rules that RowHasher (row_hasher.cpp) and the image writers
// (value_writer.cpp) both write with, stated once: a value's header, an integer's text,
// a double's bits, CHAR padding and MariaDB's DECIMAL text. Internal to the core (not
// installed); docs/FORMAT.md is the definition, tests/core/value_writer_test.cpp checks
// that both writers give the same bytes.
#pragma once

#include "big_endian.hpp"
#include "number_format.hpp"
#include "fingerprint/row_hasher.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace fingerprint {

// The tag and big-endian 32-bit length before a length-prefixed payload (5 bytes).
inline std::size_t PutHeader(Tag tag, std::size_t length, unsigned char *out) noexcept {
	out[0] = static_cast<unsigned char>(tag);
	StoreBigEndian32(static_cast<std::uint32_t>(length), out + 1);
	return 5;
}

// Writes the count digits of a value at out (number_format.hpp's WriteDecimalDigits or
// value_writer.cpp's PutDigits).
using DigitWriter = void (*)(std::uint64_t value, unsigned count, char *out) noexcept;

// An unsigned integer's encoding, its count = DecimalDigitCount(value) digits written by
// Digits: 5 + count bytes.
template <DigitWriter Digits>
inline std::size_t PutUint64(std::uint64_t value, unsigned count, unsigned char *out) noexcept {
	PutHeader(Tag::exact_number, count, out);
	Digits(value, count, reinterpret_cast<char *>(out + 5));
	return 5 + count;
}

// The magnitude of a negative integer, without overflow for INT64_MIN.
inline std::uint64_t NegativeMagnitude(std::int64_t value) noexcept {
	return ~static_cast<std::uint64_t>(value) + 1;
}

// A negative integer's encoding from its NegativeMagnitude and that magnitude's count =
// DecimalDigitCount digits: '-' and the digits, 6 + count bytes.
template <DigitWriter Digits>
inline std::size_t PutNegativeInt64(std::uint64_t magnitude, unsigned count, unsigned char *out) noexcept {
	PutHeader(Tag::exact_number, count + 1, out);
	out[5] = '-';
	Digits(magnitude, count, reinterpret_cast<char *>(out + 6));
	return 6 + count;
}

// A signed integer's encoding (PutUint64 or PutNegativeInt64, the count found here).
template <DigitWriter Digits> inline std::size_t PutInt64(std::int64_t value, unsigned char *out) noexcept {
	if (value >= 0) {
		const std::uint64_t magnitude = static_cast<std::uint64_t>(value);
		return PutUint64<Digits>(magnitude, DecimalDigitCount(magnitude), out);
	}
	const std::uint64_t magnitude = NegativeMagnitude(value);
	return PutNegativeInt64<Digits>(magnitude, DecimalDigitCount(magnitude), out);
}

// The bits a double is encoded as: one NaN, whatever its sign and payload; -0.0 as 0.0.
inline std::uint64_t CanonicalDoubleBits(double value) noexcept {
	if (std::isnan(value))
		return 0x7FF8000000000000ULL;
	if (value == 0.0)
		value = 0.0;
	std::uint64_t bits;
	std::memcpy(&bits, &value, sizeof bits);
	return bits;
}

// CHAR(n) text's length without its trailing pad spaces.
inline std::size_t Unpadded(const char *text, std::size_t length) noexcept {
	while (length > 0 && text[length - 1] == ' ')
		--length;
	return length;
}

// MariaDB's own DECIMAL text, "[-]digits[.digits]" with no leading zero before another
// digit, is already canonical but for the fraction's trailing zeros (and the point when
// they are all) and the sign of a zero: it is copied once straight to its place (out + 5),
// checked and trimmed there, one byte at a time (any length, any host). Returns the bytes
// written (tag, length, text; out must hold 5 + size), or 0 for any other text, which
// then takes the general path.
inline std::size_t WriteMariaDbDecimal(const char *text, std::size_t size, unsigned char *out) noexcept {
	char *const digits = reinterpret_cast<char *>(out + 5);
	std::memcpy(digits, text, size);
	const auto is_digit = [](char c) { return static_cast<unsigned char>(c - '0') <= 9; };
	std::size_t pos = size != 0 && digits[0] == '-' ? 1 : 0;
	const std::size_t integer_begin = pos;
	while (pos < size && is_digit(digits[pos]))
		++pos;
	if (pos == integer_begin || (digits[integer_begin] == '0' && pos - integer_begin > 1))
		return 0; // no integer digit, or a leading zero: not MariaDB's shape
	std::size_t end = pos;
	if (pos < size) {
		if (digits[pos] != '.')
			return 0;
		const std::size_t fraction_begin = ++pos;
		while (pos < size && is_digit(digits[pos]))
			++pos;
		if (pos != size || pos == fraction_begin)
			return 0;
		end = size;
		while (digits[end - 1] == '0')
			--end; // stops at the point at the latest
		if (end == fraction_begin)
			--end; // no fraction left: no point either
	}
	if (end == 2 && digits[0] == '-' && digits[1] == '0') {
		digits[0] = '0'; // "-0", "-0.00": zero has no sign
		end = 1;
	}
	return PutHeader(Tag::exact_number, end, out) + end;
}

} // namespace fingerprint
