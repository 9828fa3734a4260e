#include "temporal.hpp"

#include <cstring>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

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

// Eight bytes of text as one little-endian word (byte 0 lowest), whatever the host.
inline std::uint64_t LoadLittle64(const char *text) {
	std::uint64_t word;
	std::memcpy(&word, text, sizeof word);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	word = __builtin_bswap64(word);
#endif
	return word;
}

constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ULL;
constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ULL;

// The bytes of word selected by mask (0xFF each) must be ASCII digits: all checked in
// one test (high nibble 3, and still 3 after adding 6, which only '0'..'9' pass); the
// others are ignored. Returns each selected byte's digit value, 0 in the other bytes, and
// sets bits in *not_digits if one is not a digit (one test for all words at the end).
inline std::uint64_t DigitBytes(std::uint64_t word, std::uint64_t mask, std::uint64_t *not_digits) {
	const std::uint64_t filled = (word & mask) | (kAsciiZeros & ~mask);
	*not_digits |= ((filled & kHighNibbles) ^ kAsciiZeros) |
	               (((filled + 0x0606060606060606ULL) & kHighNibbles) ^ kAsciiZeros);
	return filled - kAsciiZeros;
}

// Byte k of the result is 10 * digit k + digit k + 1 (digit bytes from DigitBytes):
// every two-digit field of a word, wherever it starts, read with one multiplication.
inline std::uint64_t DigitPairs(std::uint64_t digits) {
	return digits * 10 + (digits >> 8);
}

inline unsigned ByteAt(std::uint64_t word, unsigned index) {
	return static_cast<unsigned>(word >> (8 * index)) & 0xFF;
}

// The eight digit bytes of a word (byte 0 the most significant digit) as one number.
inline std::uint64_t EightDigits(std::uint64_t digits) {
	const std::uint64_t pairs = DigitPairs(digits) & 0x00FF00FF00FF00FFULL;
	return ((pairs & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	        ((pairs >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
	       32;
}

// DaysSince2000 for a four-digit year (0..9999) and month 1..12: moved on by one 400-year
// cycle (146097 days) so that every step is unsigned. The divisions are written as the
// multiplications they are for these ranges (exact for every shifted year up to 10399 and
// every month term up to 1685), since GCC left real div instructions in this path.
inline std::int64_t DaysSince2000FourDigitYear(unsigned year, unsigned month, unsigned day) {
	const unsigned shifted = year + 400 - (month <= 2 ? 1 : 0);
	const unsigned month_term = 153 * (month > 2 ? month - 3 : month + 9) + 2;
	const unsigned day_of_year = ((month_term * 52429) >> 18) + day - 1; // month_term / 5
	const unsigned centuries = (shifted * 5243) >> 19;                   // shifted / 100
	const unsigned days = shifted * 365 + shifted / 4 - centuries + centuries / 4 + day_of_year;
	return static_cast<std::int64_t>(days) - 146097 - 719468 - 10957;
}

// The fields of a text of MariaDB's shape, all digits already: the general parser's
// checks in its order, and the instant when they pass.
inline TemporalParse CheckedInstant(unsigned year, unsigned month, unsigned day, unsigned hour,
                                    unsigned minute, unsigned second, std::int64_t fraction,
                                    std::int64_t *micros_since_2000) {
	// Computed before the checks, straight-line (used only if they pass): inside the last
	// branch, GCC judged it cold and used three div instructions.
	const std::int64_t micros =
	    DaysSince2000FourDigitYear(year, month, day) * kMicrosPerDay +
	    static_cast<std::int64_t>((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
	if (month > 12 || day > 31)
		return TemporalParse::invalid;
	if (month == 0 || day == 0 || day > DaysInMonth(year, month))
		return TemporalParse::not_a_real_day;
	if (hour > 23 || minute > 59 || second > 59)
		return TemporalParse::invalid;
	*micros_since_2000 = micros;
	return TemporalParse::ok;
}

#if defined(__SSE2__) && defined(__x86_64__)
// DATETIME(6), MariaDB's usual text "YYYY-MM-DD HH:MM:SS.ffffff", as two overlapping
// 16-byte vectors (bytes 0-15 and 10-25): a template subtracted (its separators leave 0,
// its '0's leave each digit's value), then every byte checked against its limit at once
// (9 for a digit, 0 for a separator; a byte below the template wraps above both). The
// fields come from the four halves as DigitPairs words. False: not this shape (the word
// reader below then decides).
bool ParseDatetime6(const char *s, TemporalParse *result, std::int64_t *micros_since_2000) {
	alignas(16) static constexpr char kHead[16] = {'0', '0', '0', '0', '-', '0', '0', '-',
	                                               '0', '0', ' ', '0', '0', ':', '0', '0'};
	alignas(16) static constexpr char kTail[16] = {' ', '0', '0', ':', '0', '0', ':', '0',
	                                               '0', '.', '0', '0', '0', '0', '0', '0'};
	alignas(16) static constexpr char kHeadLimit[16] = {9, 9, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9};
	alignas(16) static constexpr char kTailLimit[16] = {0, 9, 9, 0, 9, 9, 0, 9, 9, 0, 9, 9, 9, 9, 9, 9};
	const auto load = [](const char *p) { return _mm_load_si128(reinterpret_cast<const __m128i *>(p)); };
	const __m128i head = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s)), load(kHead));
	const __m128i tail =
	    _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s + 10)), load(kTail));
	const __m128i in_range = _mm_and_si128(_mm_cmpeq_epi8(_mm_min_epu8(head, load(kHeadLimit)), head),
	                                       _mm_cmpeq_epi8(_mm_min_epu8(tail, load(kTailLimit)), tail));
	if (_mm_movemask_epi8(in_range) != 0xFFFF)
		return false;
	// Digit values by byte: bytes 0-7 "YYYY-MM-", 8-15 "DD HH:MM", 10-17 " HH:MM:S", 18-25 "S.ffffff".
	const std::uint64_t date = static_cast<std::uint64_t>(_mm_cvtsi128_si64(head));
	const std::uint64_t clock = static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(head, head)));
	const std::uint64_t minutes = static_cast<std::uint64_t>(_mm_cvtsi128_si64(tail));
	const std::uint64_t seconds =
	    static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(tail, tail)));
	const std::uint64_t date_pairs = DigitPairs(date), clock_pairs = DigitPairs(clock);
	const unsigned second = ByteAt(minutes, 7) * 10 + ByteAt(seconds, 0);
	const std::int64_t fraction = static_cast<std::int64_t>(EightDigits(seconds & 0xFFFFFFFFFFFF0000ULL));
	*result = CheckedInstant(ByteAt(date_pairs, 0) * 100 + ByteAt(date_pairs, 2), ByteAt(date_pairs, 5),
	                         ByteAt(clock_pairs, 0), ByteAt(clock_pairs, 3), ByteAt(clock_pairs, 6), second,
	                         fraction, micros_since_2000);
	return true;
}
#endif

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
// "YYYY-MM-DD HH:MM:SS" and, for DATETIME(n), '.' and exactly n digits. Read a word at a
// time: the separators compared and the digits checked with a few masks per eight bytes,
// each two-digit field taken from one multiplication (DigitPairs), DATETIME(6)'s
// fraction as one eight-digit word. Returns false (nothing decided) for any other text,
// which the general parser below then reads, so both agree on every input
// (tests/core/temporal_test.cpp compares them).
bool ParseUdfTimestampText(std::string_view text, TemporalParse *result,
                           std::int64_t *micros_since_2000) noexcept {
	const std::size_t size = text.size();
	if (size != 19 && (size < 21 || size > 26))
		return false;
	const char *s = text.data();
#if defined(__SSE2__) && defined(__x86_64__)
	if (size == 26 && ParseDatetime6(s, result, micros_since_2000))
		return true;
#endif
	// Bytes 0-7 "YYYY-MM-", 8-15 "DD HH:MM", 11-18 "HH:MM:SS" (only its ":SS" is new).
	const std::uint64_t date = LoadLittle64(s), clock = LoadLittle64(s + 8), seconds = LoadLittle64(s + 11);
	constexpr std::uint64_t kDateDigits = 0x00FFFF00FFFFFFFFULL, kClockDigits = 0xFFFF00FFFF00FFFFULL,
	                        kSecondDigits = 0xFFFF000000000000ULL;
	constexpr std::uint64_t kDateSeparators = (0x2DULL << 32) | (0x2DULL << 56);  // '-' '-'
	constexpr std::uint64_t kClockSeparators = (0x20ULL << 16) | (0x3AULL << 40); // ' ' ':'
	if ((date & ~kDateDigits) != kDateSeparators || (clock & ~kClockDigits) != kClockSeparators ||
	    (seconds & 0x0000FF0000000000ULL) != (0x3AULL << 40) || (size > 19 && s[19] != '.'))
		return false;
	std::uint64_t not_digits = 0;
	const std::uint64_t date_pairs = DigitPairs(DigitBytes(date, kDateDigits, &not_digits));
	const std::uint64_t clock_pairs = DigitPairs(DigitBytes(clock, kClockDigits, &not_digits));
	const std::uint64_t second_pairs = DigitPairs(DigitBytes(seconds, kSecondDigits, &not_digits));
	std::int64_t fraction = 0;
	if (size == 26) { // DATETIME(6), the usual precision: bytes 18-25 "S.ffffff"
		const std::uint64_t tail = LoadLittle64(s + 18);
		fraction =
		    static_cast<std::int64_t>(EightDigits(DigitBytes(tail, 0xFFFFFFFFFFFF0000ULL, &not_digits)));
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
	if (not_digits != 0)
		return false;
	const unsigned year = ByteAt(date_pairs, 0) * 100 + ByteAt(date_pairs, 2);
	const unsigned month = ByteAt(date_pairs, 5), day = ByteAt(clock_pairs, 0);
	const unsigned hour = ByteAt(clock_pairs, 3), minute = ByteAt(clock_pairs, 6);
	const unsigned second = ByteAt(second_pairs, 6);
	*result = CheckedInstant(year, month, day, hour, minute, second, fraction, micros_since_2000);
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
