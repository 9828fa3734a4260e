#include "temporal.hpp"

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1000000;
constexpr std::int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// Reads exactly `width` digits at pos.
bool ReadFixed(std::string_view text, std::size_t pos, std::size_t width, std::int64_t *out) {
	if (pos + width > text.size())
		return false;
	std::int64_t value = 0;
	for (std::size_t i = pos; i < pos + width; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		value = value * 10 + (text[i] - '0');
	}
	*out = value;
	return true;
}

bool IsLeapYear(std::int64_t year) {
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned DaysInMonth(std::int64_t year, unsigned month) {
	static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Parses YYYY-MM-DD at the start of text; *consumed = 10 on success.
TemporalParse ParseDatePart(std::string_view text, std::int64_t *days) {
	std::int64_t year, month, day;
	if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !ReadFixed(text, 0, 4, &year) ||
	    !ReadFixed(text, 5, 2, &month) || !ReadFixed(text, 8, 2, &day))
		return TemporalParse::invalid;
	if (month > 12 || day > 31)
		return TemporalParse::invalid;
	if (month == 0 || day == 0 || day > DaysInMonth(year, static_cast<unsigned>(month)))
		return TemporalParse::not_a_real_day;
	*days = DaysSince2000(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
	return TemporalParse::ok;
}

// Parses ".f{1,6}" at pos (if present) into microseconds; the fraction must end the text.
bool ParseFraction(std::string_view text, std::size_t pos, std::int64_t *micros) {
	*micros = 0;
	if (pos == text.size())
		return true;
	if (text[pos] != '.')
		return false;
	pos++;
	const std::size_t digits = text.size() - pos;
	if (digits == 0 || digits > 6)
		return false;
	std::int64_t value;
	if (!ReadFixed(text, pos, digits, &value))
		return false;
	for (std::size_t i = digits; i < 6; i++)
		value *= 10;
	*micros = value;
	return true;
}

// The digit at text[pos] as 0..9, or a value above 9 for any other byte (unsigned wrap).
inline unsigned DigitAt(const char *text, std::size_t pos) {
	return static_cast<unsigned>(static_cast<unsigned char>(text[pos])) - '0';
}

} // namespace

std::int64_t DaysSince2000(std::int64_t year, unsigned month, unsigned day) noexcept {
	// Howard Hinnant's days_from_civil, shifted from 1970-01-01 to 2000-01-01.
	year -= month <= 2;
	const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
	const std::int64_t year_of_era = year - era * 400;
	const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468 - 10957;
}

TemporalParse ParseDateText(std::string_view text, std::int32_t *days_since_2000) noexcept {
	std::int64_t days;
	if (text.size() != 10)
		return TemporalParse::invalid;
	const TemporalParse result = ParseDatePart(text, &days);
	if (result == TemporalParse::ok)
		*days_since_2000 = static_cast<std::int32_t>(days);
	return result;
}

// The shape MariaDB gives a UDF for every DATETIME and TIMESTAMP (my_datetime_to_str):
// "YYYY-MM-DD HH:MM:SS" and, for DATETIME(n), '.' and exactly n digits. Read without a
// loop or a branch per digit: all fourteen digits are checked in one test. Returns false
// (nothing decided) for any other text, which the general parser below then reads, so
// both agree on every input (tests/core/temporal_test.cpp compares them).
bool ParseUdfTimestampText(std::string_view text, TemporalParse *result,
                           std::int64_t *micros_since_2000) noexcept {
	const std::size_t size = text.size();
	if (size != 19 && (size < 21 || size > 26))
		return false;
	const char *s = text.data();
	if (s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
	    (size > 19 && s[19] != '.'))
		return false;
	const unsigned y0 = DigitAt(s, 0), y1 = DigitAt(s, 1), y2 = DigitAt(s, 2), y3 = DigitAt(s, 3);
	const unsigned mo0 = DigitAt(s, 5), mo1 = DigitAt(s, 6), d0 = DigitAt(s, 8), d1 = DigitAt(s, 9);
	const unsigned h0 = DigitAt(s, 11), h1 = DigitAt(s, 12), mi0 = DigitAt(s, 14), mi1 = DigitAt(s, 15);
	const unsigned s0 = DigitAt(s, 17), s1 = DigitAt(s, 18);
	// One test for all fourteen (an OR of the digits themselves would refuse 8 | 3 = 11).
	if ((y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (mo0 > 9) | (mo1 > 9) | (d0 > 9) | (d1 > 9) | (h0 > 9) |
	    (h1 > 9) | (mi0 > 9) | (mi1 > 9) | (s0 > 9) | (s1 > 9))
		return false;
	std::int64_t fraction = 0;
	if (size == 26) { // DATETIME(6), the usual precision: straight-line too
		const unsigned f0 = DigitAt(s, 20), f1 = DigitAt(s, 21), f2 = DigitAt(s, 22), f3 = DigitAt(s, 23),
		               f4 = DigitAt(s, 24), f5 = DigitAt(s, 25);
		if ((f0 > 9) | (f1 > 9) | (f2 > 9) | (f3 > 9) | (f4 > 9) | (f5 > 9))
			return false;
		fraction = ((((f0 * 10 + f1) * 10 + f2) * 10 + f3) * 10 + f4) * 10 + f5;
	} else {
		for (std::size_t i = 20; i < size; i++) {
			const unsigned digit = DigitAt(s, i);
			if (digit > 9)
				return false;
			fraction = fraction * 10 + digit;
		}
		static constexpr std::int64_t kScale[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
		fraction *= kScale[size > 19 ? size - 20 : 0];
	}
	const std::int64_t year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
	const unsigned month = mo0 * 10 + mo1, day = d0 * 10 + d1;
	const std::int64_t hour = h0 * 10 + h1, minute = mi0 * 10 + mi1, second = s0 * 10 + s1;
	// The general parser's checks, in its order.
	if (month > 12 || day > 31) {
		*result = TemporalParse::invalid;
	} else if (month == 0 || day == 0 || day > DaysInMonth(year, month)) {
		*result = TemporalParse::not_a_real_day;
	} else if (hour > 23 || minute > 59 || second > 59) {
		*result = TemporalParse::invalid;
	} else {
		*micros_since_2000 = DaysSince2000(year, month, day) * kMicrosPerDay +
		                     ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
		*result = TemporalParse::ok;
	}
	return true;
}

TemporalParse ParseTimestampText(std::string_view text, std::int64_t *micros_since_2000) noexcept {
	TemporalParse fast;
	if (ParseUdfTimestampText(text, &fast, micros_since_2000))
		return fast;
	return ParseTimestampTextGeneral(text, micros_since_2000);
}

TemporalParse ParseTimestampTextGeneral(std::string_view text, std::int64_t *micros_since_2000) noexcept {
	std::int64_t days = 0, hour, minute, second, fraction;
	const TemporalParse date = ParseDatePart(text, &days);
	if (date == TemporalParse::invalid)
		return date;
	if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':' ||
	    !ReadFixed(text, 11, 2, &hour) || !ReadFixed(text, 14, 2, &minute) ||
	    !ReadFixed(text, 17, 2, &second) || !ParseFraction(text, 19, &fraction))
		return TemporalParse::invalid;
	if (date == TemporalParse::not_a_real_day)
		return date;
	if (hour > 23 || minute > 59 || second > 59)
		return TemporalParse::invalid;
	*micros_since_2000 =
	    days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
	return TemporalParse::ok;
}

TemporalParse ParseTimeText(std::string_view text, std::int64_t *micros) noexcept {
	std::size_t pos = 0;
	const bool negative = !text.empty() && text[0] == '-';
	if (negative)
		pos++;
	std::int64_t hours = 0;
	const std::size_t hour_start = pos;
	while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - hour_start < 6)
		hours = hours * 10 + (text[pos++] - '0');
	std::int64_t minute, second, fraction;
	if (pos == hour_start || pos + 6 > text.size() || text[pos] != ':' || text[pos + 3] != ':' ||
	    !ReadFixed(text, pos + 1, 2, &minute) || !ReadFixed(text, pos + 4, 2, &second) ||
	    !ParseFraction(text, pos + 6, &fraction) || minute > 59 || second > 59)
		return TemporalParse::invalid;
	const std::int64_t magnitude = ((hours * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
	*micros = negative ? -magnitude : magnitude;
	return TemporalParse::ok;
}

} // namespace fingerprint
