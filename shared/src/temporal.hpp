// Parsing of the temporal texts MySQL/MariaDB hand to a UDF, into the integer forms the
// canonical encoding uses (PostgreSQL's own: days and microseconds since 2000-01-01).
// Calendar arithmetic is proleptic Gregorian, as in both engines.
#pragma once

#include <cstdint>
#include <string_view>

namespace fingerprint {

enum class TemporalParse { ok, zero_date, invalid };

// Days since 2000-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t DaysSince2000(std::int64_t year, unsigned month, unsigned day) noexcept;

// "YYYY-MM-DD": zero_date when the month or the day is 0 (MySQL's zero dates).
TemporalParse ParseDateText(std::string_view text, std::int32_t *days_since_2000) noexcept;

// "YYYY-MM-DD HH:MM:SS[.ffffff]" or with 'T'; zero_date as above.
TemporalParse ParseTimestampText(std::string_view text, std::int64_t *micros_since_2000) noexcept;

// "[-]H...:MM:SS[.ffffff]", hours unbounded up to 6 digits.
TemporalParse ParseTimeText(std::string_view text, std::int64_t *micros) noexcept;

} // namespace fingerprint
