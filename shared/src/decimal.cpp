#include "decimal.hpp"

#include "fingerprint/decimal_text.hpp"
#include "number_format.hpp"

#include <cstring>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

bool IsDigit(char c) {
	return c >= '0' && c <= '9';
}

} // namespace

bool ScanPlainDecimal(std::string_view text, PlainDecimal *out) noexcept {
	const char *s = text.data();
	const char *const end = s + text.size();
	const bool negative = s < end && *s == '-';
	s += negative;
	const char *const integer_begin = s;
	while (s < end && *s == '0') // leading zeros are not part of the canonical text
		++s;
	const char *const significant = s;
	while (s < end && IsDigit(*s))
		++s;
	const char *const integer_end = s;
	const char *fraction_begin = s;
	const char *fraction_end = s; // after the last non-zero fraction digit
	if (s < end && *s == '.') {
		fraction_begin = fraction_end = ++s;
		for (; s < end && IsDigit(*s); ++s)
			if (*s != '0')
				fraction_end = s + 1;
	}
	if (s != end || (integer_end == integer_begin && s == fraction_begin))
		return false; // not this shape, or no digit at all
	const std::string_view integer(significant, static_cast<std::size_t>(integer_end - significant));
	const std::string_view fraction(fraction_begin, static_cast<std::size_t>(fraction_end - fraction_begin));
	*out = PlainDecimal{negative && !(integer.empty() && fraction.empty()), integer, fraction};
	return true;
}

bool ParseDecimalText(std::string_view text, DecimalText *out) noexcept {
	DecimalText result;
	std::size_t pos = 0;
	if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
		result.negative = text[pos] == '-';
		pos++;
	}
	const std::size_t int_start = pos;
	while (pos < text.size() && IsDigit(text[pos]))
		pos++;
	result.integer_digits = text.substr(int_start, pos - int_start);
	if (pos < text.size() && text[pos] == '.') {
		pos++;
		const std::size_t frac_start = pos;
		while (pos < text.size() && IsDigit(text[pos]))
			pos++;
		result.fraction_digits = text.substr(frac_start, pos - frac_start);
	}
	if (result.integer_digits.empty() && result.fraction_digits.empty())
		return false;
	if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
		pos++;
		bool exponent_negative = false;
		if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
			exponent_negative = text[pos] == '-';
			pos++;
		}
		if (pos == text.size())
			return false;
		std::int64_t exponent = 0;
		for (; pos < text.size() && IsDigit(text[pos]); pos++) {
			// Saturate: anything this large is rejected later as out of range.
			if (exponent < 1000000000)
				exponent = exponent * 10 + (text[pos] - '0');
		}
		result.exponent = exponent_negative ? -exponent : exponent;
	}
	if (pos != text.size())
		return false;
	*out = result;
	return true;
}

std::size_t CanonicalDecimalLength(const DecimalLayout &layout) noexcept {
	if (layout.count == 0)
		return 1;
	const std::int64_t count = static_cast<std::int64_t>(layout.count);
	std::size_t length = layout.negative ? 1 : 0;
	if (layout.point <= 0)
		length += 2 + static_cast<std::size_t>(-layout.point) + layout.count;
	else if (layout.point >= count)
		length += static_cast<std::size_t>(layout.point);
	else
		length += layout.count + 1;
	return length;
}

DecimalLayout LayoutOfBase10000(bool negative, int weight, const std::int16_t *digits, int ndigits) noexcept {
	const std::size_t size = ndigits > 0 ? static_cast<std::size_t>(ndigits) * 4 : 0;
	return NormalizeDigits(negative, size, (static_cast<std::int64_t>(weight) + 1) * 4,
	                       Base10000Digits{digits});
}

std::size_t FormatDecimalBase10000(bool negative, int weight, const std::int16_t *digits, int ndigits,
                                   char *out, std::size_t capacity) noexcept {
	// The fast writer may overwrite up to 3 bytes past the text, so it writes into room of
	// its own and the text is copied out.
	const Base10000Span span = SpanOfBase10000(negative, weight, digits, ndigits);
	char scratch[512];
	if (Base10000TextBound(span) <= sizeof scratch) {
		const std::size_t length = WriteBase10000Text(span, scratch);
		if (length != 0) {
			if (length <= capacity)
				std::memcpy(out, scratch, length);
			return length;
		}
	}
	const DecimalLayout layout = LayoutOfBase10000(negative, weight, digits, ndigits);
	const std::size_t length = CanonicalDecimalLength(layout);
	if (length <= capacity) {
		std::size_t written = 0;
		WriteCanonicalDecimal(layout, Base10000Digits{digits}, [&](const char *data, std::size_t n) {
			std::memcpy(out + written, data, n);
			written += n;
		});
	}
	return length;
}

Status LayoutOfDecimalText(const DecimalText &text, std::int64_t max_zeros, DecimalLayout *out) noexcept {
	const std::size_t size = text.integer_digits.size() + text.fraction_digits.size();
	const std::int64_t point = static_cast<std::int64_t>(text.integer_digits.size()) + text.exponent;
	DecimalLayout layout = NormalizeDigits(text.negative, size, point, TextDigits{&text});
	if (layout.count != 0) {
		const std::int64_t count = static_cast<std::int64_t>(layout.count);
		if (layout.point < -max_zeros || layout.point - count > max_zeros)
			return Status::number_out_of_range;
	}
	*out = layout;
	return Status::ok;
}

} // namespace fingerprint
