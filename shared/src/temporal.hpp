// Parsing of the temporal texts MySQL/MariaDB hand to a UDF, into the integer forms the
// canonical encoding uses (PostgreSQL's own: days and microseconds since 2000-01-01).
// Calendar arithmetic is proleptic Gregorian, as in both engines.
#pragma once

#include <cstdint>
#include <string_view>

namespace fingerprint {

// not_a_real_day: well-formed text that MySQL stores but that names no day of the
// calendar: zero dates ("0000-00-00", month or day 0) and, under ALLOW_INVALID_DATES,
// days past the end of their month ("2020-02-30").
enum class TemporalParse { ok, not_a_real_day, invalid };

// Days since 2000-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t DaysSince2000(std::int64_t year, unsigned month, unsigned day) noexcept;

// "YYYY-MM-DD".
TemporalParse ParseDateText(std::string_view text, std::int32_t *days_since_2000) noexcept;

// "YYYY-MM-DD HH:MM:SS[.ffffff]" or with 'T'. MariaDB's own shape (space, 0 or 1..6
// fraction digits) takes a fast path; anything else ParseTimestampTextGeneral, which
// alone gives the same answers (kept apart so that tests can compare the two).
TemporalParse ParseTimestampText(std::string_view text, std::int64_t *micros_since_2000) noexcept;
TemporalParse ParseTimestampTextGeneral(std::string_view text, std::int64_t *micros_since_2000) noexcept;
// The fast path alone: false (nothing decided) for text not of MariaDB's own shape.
bool ParseUdfTimestampText(std::string_view text, TemporalParse *result,
                           std::int64_t *micros_since_2000) noexcept;

// "[-]H...:MM:SS[.ffffff]", hours unbounded up to 6 digits.
TemporalParse ParseTimeText(std::string_view text, std::int64_t *micros) noexcept;

} // namespace fingerprint
