// The canonical form of an exact number: -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?
// No exponent, no leading zeros, no trailing fractional zeros, no '+', and no "-0".
// Engines hand us decimals in different shapes (MySQL text with its declared scale,
// PostgreSQL's base-10000 digits, JSON numbers with exponents); each shape becomes a
// DigitSource and goes through the one normalizer below, so they cannot drift apart.
#pragma once

#include "fingerprint/status.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fingerprint {

// The parts of a decimal text: sign, the digits before and after the point, exponent.
struct DecimalText {
	bool negative = false;
	std::string_view integer_digits;
	std::string_view fraction_digits;
	std::int64_t exponent = 0;
};

// Accepts [+-]?digits[.digits]?([eE][+-]?digits)? with at least one digit in total.
bool ParseDecimalText(std::string_view text, DecimalText *out) noexcept;

struct PlainDecimal; // number_format.hpp

// The shape MariaDB gives a UDF for every DECIMAL, [-]digits[.digits], read and trimmed
// in one pass: the same *out as ParseDecimalText then TrimPlainDecimal. False (nothing
// decided) for any other text (a '+', an exponent, no digit, anything else), which
// ParseDecimalText then reads.
bool ScanPlainDecimal(std::string_view text, PlainDecimal *out) noexcept;

// A normalized number: `count` significant digits d[first..first+count) with no leading
// or trailing zero, and `point` = how many of them (possibly negative, possibly more
// than count) stand before the decimal point. count == 0 means zero.
struct DecimalLayout {
	bool negative;
	std::size_t first;
	std::size_t count;
	std::int64_t point;
};

// Length in bytes of the canonical text of a layout.
std::size_t CanonicalDecimalLength(const DecimalLayout &layout) noexcept;

// Normalizes any digit source: `digit(i)` returns the i-th digit ('0'..'9') of `size`
// digits, `point` is the position of the decimal point counted from the first digit.
template <typename DigitAt>
DecimalLayout NormalizeDigits(bool negative, std::size_t size, std::int64_t point, DigitAt digit) noexcept {
	std::size_t first = 0;
	while (first < size && digit(first) == '0') {
		first++;
		point--;
	}
	std::size_t end = size;
	while (end > first && digit(end - 1) == '0')
		end--;
	if (end == first)
		return DecimalLayout{false, 0, 0, 0};
	return DecimalLayout{negative, first, end - first, point};
}

// Writes the canonical text through `emit(const char *data, size_t length)`, in chunks.
template <typename DigitAt, typename Emit>
void WriteCanonicalDecimal(const DecimalLayout &layout, DigitAt digit, Emit emit) noexcept {
	char chunk[64];
	std::size_t used = 0;
	auto put = [&](char c) {
		chunk[used++] = c;
		if (used == sizeof chunk) {
			emit(chunk, used);
			used = 0;
		}
	};
	if (layout.count == 0) {
		put('0');
	} else {
		if (layout.negative)
			put('-');
		const std::int64_t count = static_cast<std::int64_t>(layout.count);
		if (layout.point <= 0) {
			put('0');
			put('.');
			for (std::int64_t i = 0; i < -layout.point; i++)
				put('0');
			for (std::size_t i = 0; i < layout.count; i++)
				put(digit(layout.first + i));
		} else if (layout.point >= count) {
			for (std::size_t i = 0; i < layout.count; i++)
				put(digit(layout.first + i));
			for (std::int64_t i = count; i < layout.point; i++)
				put('0');
		} else {
			for (std::int64_t i = 0; i < count; i++) {
				if (i == layout.point)
					put('.');
				put(digit(layout.first + static_cast<std::size_t>(i)));
			}
		}
	}
	if (used)
		emit(chunk, used);
}

// The digit source of a parsed DecimalText: integer digits then fraction digits.
struct TextDigits {
	const DecimalText *text;
	char operator()(std::size_t i) const noexcept {
		const std::size_t n = text->integer_digits.size();
		return i < n ? text->integer_digits[i] : text->fraction_digits[i - n];
	}
};

// The digit source of PostgreSQL numeric's base-10000 digits: four decimal digits each.
struct Base10000Digits {
	const std::int16_t *digits;
	char operator()(std::size_t i) const noexcept {
		static constexpr int kPow10[4] = {1000, 100, 10, 1};
		return static_cast<char>('0' + (digits[i / 4] / kPow10[i % 4]) % 10);
	}
};

// Normalizes base-10000 digits; the decimal point follows digit `weight`.
DecimalLayout LayoutOfBase10000(bool negative, int weight, const std::int16_t *digits, int ndigits) noexcept;

// Normalizes a parsed decimal text. number_out_of_range when the exponent would put the
// point absurdly far away (more than max_zeros zeros to write).
Status LayoutOfDecimalText(const DecimalText &text, std::int64_t max_zeros, DecimalLayout *out) noexcept;

} // namespace fingerprint
