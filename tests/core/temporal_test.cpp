// Temporal texts from MySQL/MariaDB become the same integers PostgreSQL stores.
#include "temporal.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

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
