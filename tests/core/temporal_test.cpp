// Temporal texts from MySQL/MariaDB become the same integers PostgreSQL stores.
#include "temporal.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace fingerprint::testing {
namespace {

TEST(Temporal, DaysSince2000) {
	EXPECT_EQ(DaysSince2000(2000, 1, 1), 0);
	EXPECT_EQ(DaysSince2000(1970, 1, 1), -10957);
	EXPECT_EQ(DaysSince2000(2000, 3, 1), 60);                             // 2000 is a leap year
	EXPECT_EQ(DaysSince2000(1900, 3, 1) - DaysSince2000(1900, 2, 28), 1); // 1900 is not
	EXPECT_EQ(DaysSince2000(0, 1, 1), -730485);
}

TEST(Temporal, DateText) {
	std::int32_t days;
	EXPECT_EQ(ParseDateText("2024-02-29", &days), TemporalParse::ok);
	EXPECT_EQ(ParseDateText("2023-02-29", &days), TemporalParse::not_a_real_day); // ALLOW_INVALID_DATES
	EXPECT_EQ(ParseDateText("2023-02-32", &days), TemporalParse::invalid);
	EXPECT_EQ(ParseDateText("2024-13-01", &days), TemporalParse::invalid);
	EXPECT_EQ(ParseDateText("0000-00-00", &days), TemporalParse::not_a_real_day);
	EXPECT_EQ(ParseDateText("2024-01-00", &days), TemporalParse::not_a_real_day);
	EXPECT_EQ(ParseDateText("2024-1-01", &days), TemporalParse::invalid);
	EXPECT_EQ(ParseDateText("2024-01-01 ", &days), TemporalParse::invalid);
}

// The fast path for MariaDB's own shape gives the general parser's answer on every text:
// random timestamps with every field in and out of range, fractions of 0..7 digits, and
// a byte here and there replaced by a separator, a letter or a non-ASCII byte.
TEST(Temporal, TimestampFastPathAgreesWithGeneralParser) {
	std::mt19937 random(2026);
	const auto two = [&](unsigned limit) {
		const unsigned v = random() % limit;
		return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
	};
	const char noise[] = {' ', '-', ':', '.', 'T', 'a', '/', '\x80', '\xff', '0', '9'};
	for (int round = 0; round < 200000; ++round) {
		std::string text = std::to_string(1000 + random() % 9000) + "-" + two(14) + "-" + two(33) + " " +
		                   two(26) + ":" + two(62) + ":" + two(62);
		if (random() % 4 == 0)
			text[0] = '0';
		const unsigned digits = random() % 8;
		if (digits > 0 || random() % 8 == 0)
			text += '.';
		for (unsigned i = 0; i < digits; ++i)
			text += static_cast<char>('0' + random() % 10);
		if (random() % 3 == 0)
			text[random() % text.size()] = noise[random() % sizeof noise];
		if (random() % 20 == 0)
			text.pop_back();
		std::int64_t fast = -1, general = -1;
		const TemporalParse a = ParseTimestampText(text, &fast);
		const TemporalParse b = ParseTimestampTextGeneral(text, &general);
		ASSERT_EQ(a, b) << text;
		if (a == TemporalParse::ok) {
			ASSERT_EQ(fast, general) << text;
		}
	}
}

// DATETIME(6) texts read as two vectors (temporal.cpp, ParseDatetime6): every byte of a
// few texts (a real instant, a leap second, a zero date, the last instant MariaDB holds)
// replaced by every byte value gives the general parser's answer.
TEST(Temporal, Datetime6EveryByteReplacedAgreesWithGeneralParser) {
	for (const std::string base : {"2026-12-05 20:08:13.123456", "2024-02-29 23:59:60.000000",
	                               "0000-00-00 00:00:00.000000", "9999-12-31 23:59:59.999999"}) {
		for (std::size_t pos = 0; pos < base.size(); ++pos) {
			for (int byte = 0; byte < 256; ++byte) {
				std::string text = base;
				text[pos] = static_cast<char>(byte);
				std::int64_t fast = -1, general = -1;
				const TemporalParse a = ParseTimestampText(text, &fast);
				const TemporalParse b = ParseTimestampTextGeneral(text, &general);
				ASSERT_EQ(a, b) << text;
				if (a == TemporalParse::ok) {
					ASSERT_EQ(fast, general) << text;
				}
			}
		}
	}
}

// Every text of MariaDB's own shape takes the fast path (digits anywhere in 0..9).
TEST(Temporal, TimestampFastPathTakesEveryMariaDbText) {
	std::mt19937 random(3);
	for (int round = 0; round < 100000; ++round) {
		std::string text = "0000-00-00 00:00:00";
		for (const std::size_t pos : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
			text[pos] = static_cast<char>('0' + random() % 10);
		const unsigned digits = random() % 7;
		if (digits > 0)
			text += '.';
		for (unsigned i = 0; i < digits; ++i)
			text += static_cast<char>('0' + random() % 10);
		TemporalParse result;
		std::int64_t micros;
		ASSERT_TRUE(ParseUdfTimestampText(text, &result, &micros)) << text;
	}
}

TEST(Temporal, TimestampFractionalPrecisionDoesNotMatter) {
	std::int64_t a, b, c;
	ASSERT_EQ(ParseTimestampText("2024-01-02 03:04:05", &a), TemporalParse::ok);
	ASSERT_EQ(ParseTimestampText("2024-01-02 03:04:05.000", &b), TemporalParse::ok);
	ASSERT_EQ(ParseTimestampText("2024-01-02 03:04:05.000000", &c), TemporalParse::ok);
	EXPECT_EQ(a, b);
	EXPECT_EQ(b, c);
	ASSERT_EQ(ParseTimestampText("2024-01-02 03:04:05.000001", &c), TemporalParse::ok);
	EXPECT_EQ(c - a, 1);
	EXPECT_EQ(ParseTimestampText("2024-01-02 03:04:05.", &a), TemporalParse::invalid);
	EXPECT_EQ(ParseTimestampText("2024-01-02 03:04:05.1234567", &a), TemporalParse::invalid);
	EXPECT_EQ(ParseTimestampText("2024-01-02 24:00:00", &a), TemporalParse::invalid);
}

TEST(Temporal, TimeText) {
	std::int64_t micros;
	ASSERT_EQ(ParseTimeText("-00:00:00.5", &micros), TemporalParse::ok);
	EXPECT_EQ(micros, -500000);
	ASSERT_EQ(ParseTimeText("838:59:59", &micros), TemporalParse::ok);
	EXPECT_EQ(micros, (838LL * 3600 + 59 * 60 + 59) * 1000000);
	EXPECT_EQ(ParseTimeText("12:60:00", &micros), TemporalParse::invalid);
	EXPECT_EQ(ParseTimeText(":00:00", &micros), TemporalParse::invalid);
}

TEST(Temporal, ZeroDatesAreNotNullNorARealDate) {
	RowHasher zero, null, real;
	ASSERT_EQ(zero.AddDateText("0000-00-00"), Status::ok);
	null.AddNull();
	ASSERT_EQ(real.AddDateText("0000-01-01"), Status::ok);
	const std::string z = RowHex(zero);
	EXPECT_NE(z, RowHex(null));
	EXPECT_NE(z, RowHex(real));
	EXPECT_EQ(zero.AddDateText("2024-02-30"), Status::ok); // stored under ALLOW_INVALID_DATES
	EXPECT_EQ(zero.AddDateText("2024-02-3x"), Status::invalid_date);
	EXPECT_EQ(zero.AddTimestampText("garbage"), Status::invalid_timestamp);
	EXPECT_EQ(zero.AddTimeText("garbage"), Status::invalid_time);
}

} // namespace
} // namespace fingerprint::testing
