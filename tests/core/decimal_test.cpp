// Exact numbers are equal by value, whatever their declared width, scale or spelling.
#include "decimal.hpp"
#include "fingerprint/decimal_text.hpp"
#include "number_format.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace fingerprint::testing {
namespace {

std::string OfDecimal(const std::string &text) {
	RowHasher hasher;
	EXPECT_EQ(hasher.AddDecimalText(text), Status::ok) << text;
	return RowHex(hasher);
}

std::string OfInt(std::int64_t value) {
	RowHasher hasher;
	hasher.AddInt64(value);
	return RowHex(hasher);
}

// MariaDB's DECIMAL shape is read in one pass (ScanPlainDecimal): on every text it
// accepts, the parts are those of ParseDecimalText then TrimPlainDecimal, and every text
// it refuses is one the general parser must read (a sign '+', an exponent, no digits,
// stray bytes), so RowHasher gives the same bytes or the same error either way.
TEST(Decimal, OnePassScanIsParseThenTrim) {
	std::mt19937 random(7);
	const char alphabet[] = {'0', '0', '0', '1', '5', '9', '.', '-', '+', 'e', 'x'};
	for (int round = 0; round < 300000; ++round) {
		std::string text;
		const int length = static_cast<int>(random() % 9);
		for (int i = 0; i < length; ++i)
			text += alphabet[random() % (i == 0 ? sizeof alphabet : sizeof alphabet - 2)];
		PlainDecimal scanned{};
		DecimalText parsed;
		const bool scan = ScanPlainDecimal(text, &scanned);
		const bool parse = ParseDecimalText(text, &parsed);
		if (!scan) {
			ASSERT_TRUE(!parse || text[0] == '+' || parsed.exponent != 0 ||
			            text.find_first_of("eE") != std::string::npos)
			    << text;
			continue;
		}
		ASSERT_TRUE(parse) << text;
		ASSERT_EQ(parsed.exponent, 0) << text;
		const PlainDecimal trimmed =
		    TrimPlainDecimal(parsed.negative, parsed.integer_digits, parsed.fraction_digits);
		ASSERT_EQ(scanned.negative, trimmed.negative) << text;
		ASSERT_EQ(scanned.integer, trimmed.integer) << text;
		ASSERT_EQ(scanned.fraction, trimmed.fraction) << text;
	}
}

TEST(Decimal, EqualByValue) {
	EXPECT_EQ(OfDecimal("1.50"), OfDecimal("1.5"));
	EXPECT_EQ(OfDecimal("1.500"), OfDecimal("1.5"));
	EXPECT_EQ(OfDecimal("2.00"), OfInt(2));
	EXPECT_EQ(OfDecimal("-0.00"), OfInt(0));
	EXPECT_EQ(OfDecimal("007"), OfInt(7));
	EXPECT_EQ(OfDecimal("-12345678901234567.89"), OfDecimal("-1234567890123456789e-2"));
	RowHasher boolean;
	boolean.AddBool(true);
	EXPECT_EQ(RowHex(boolean), OfInt(1));
	RowHasher unsigned_max;
	unsigned_max.AddUint64(18446744073709551615ULL);
	EXPECT_EQ(RowHex(unsigned_max), OfDecimal("18446744073709551615"));
}

TEST(Decimal, DifferentValuesDiffer) {
	EXPECT_NE(OfDecimal("1.49"), OfDecimal("1.5"));
	EXPECT_NE(OfDecimal("1.51"), OfDecimal("1.5"));
	EXPECT_NE(OfDecimal("-1"), OfDecimal("1"));
	EXPECT_NE(OfDecimal("10"), OfDecimal("1"));
	EXPECT_NE(OfDecimal("0.01"), OfDecimal("0.1"));
	EXPECT_NE(OfDecimal("12345678901234567.89"), OfDecimal("12345678901234567.9"));
}

TEST(Decimal, Base10000MatchesText) {
	const std::int16_t digits[] = {12, 3456, 7890};
	RowHasher hasher;
	hasher.AddDecimalBase10000(true, 1, digits, 3); // -123456.789
	EXPECT_EQ(RowHex(hasher), OfDecimal("-123456.7890"));
	const std::int16_t tiny[] = {1};
	hasher.AddDecimalBase10000(false, -3, tiny, 1); // 1e-12
	EXPECT_EQ(RowHex(hasher), OfDecimal("0.000000000001"));
}

TEST(Decimal, FormatBase10000IsTheCanonicalText) {
	const std::int16_t digits[] = {12, 3456, 7800};
	char text[32];
	const std::size_t n = FormatDecimalBase10000(true, 1, digits, 3, text, sizeof text);
	EXPECT_EQ(std::string(text, n), "-123456.78");
	EXPECT_EQ(FormatDecimalBase10000(true, 1, digits, 3, text, 3), n); // too small: length only
	EXPECT_EQ(FormatDecimalBase10000(false, 0, digits, 0, text, sizeof text), 1u);
	EXPECT_EQ(text[0], '0');
}

TEST(Decimal, RejectsNonNumbers) {
	RowHasher hasher;
	for (const char *bad : {"", "-", "abc", "1.2.3", "1e", "1e+", "--1", "1 ", " 1", "0x10", "1,5"})
		EXPECT_EQ(hasher.AddDecimalText(bad), Status::invalid_decimal) << bad;
	EXPECT_EQ(hasher.AddDecimalText("1e999999999"), Status::number_out_of_range);
}

} // namespace
} // namespace fingerprint::testing
