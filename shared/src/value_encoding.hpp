// The canonical encoding's rules that RowHasher (row_hasher.cpp) and the image writers
// (value_writer.cpp) both write with, stated once: a value's header and MariaDB's DECIMAL
// text. Internal to the core (not installed); docs/FORMAT.md is the definition,
// tests/core/value_writer_test.cpp checks that both writers give the same bytes.
#pragma once

#include "big_endian.hpp"
#include "fingerprint/row_hasher.hpp"

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
