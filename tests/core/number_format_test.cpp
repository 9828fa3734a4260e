// The fast exact-number writers (shared/src/number_format.hpp: integers, base-10000
// digits, decimal texts without exponent) against the straightforward definition of the
// canonical text, over many random values, so that a speed change can never change a
// fingerprint. Each value is checked byte for byte through RowHasher's row image, and
// base-10000 digits also through the public FormatDecimalBase10000.
#include "decimal.hpp"
#include "fingerprint/decimal_text.hpp"
#include "number_format.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace fingerprint::testing {
namespace {

void Collect(void *context, const unsigned char *data, std::size_t length) noexcept {
	static_cast<std::string *>(context)->append(reinterpret_cast<const char *>(data), length);
}

// The canonical bytes of one exact number: tag 0x01, big-endian u32 length, the text.
std::string ExactNumberBytes(const std::string &text) {
	std::string bytes(1, '\x01');
	const auto n = static_cast<std::uint32_t>(text.size());
	for (int shift = 24; shift >= 0; shift -= 8)
		bytes.push_back(static_cast<char>((n >> shift) & 0xff));
	return bytes + text;
}

// The row image of whatever `add` feeds a fresh hasher, after `prefix` bytes of filler
// (a string value), so that values can be placed anywhere in the inline buffer.
template <typename Add> std::string ImageOf(std::size_t prefix, Add add) {
	RowHasher hasher;
	std::string image;
	hasher.SetSink(Collect, &image);
	if (prefix != 0) {
		const std::string filler(prefix, 'f');
		EXPECT_EQ(hasher.AddBytes(filler.data(), filler.size()), Status::ok);
	}
	add(hasher);
	hasher.Finish();
	return image.substr(prefix != 0 ? prefix + 5 : 0);
}

// The straightforward canonical text of sign, integer digits and fraction digits: drop
// leading zeros of the integer part and trailing zeros of the fraction; "0" for zero,
// never "-0".
std::string ReferenceCanonical(bool negative, std::string integer, std::string fraction) {
	integer.erase(0, integer.find_first_not_of('0') == std::string::npos ? integer.size()
	                                                                     : integer.find_first_not_of('0'));
	const std::size_t last = fraction.find_last_not_of('0');
	fraction.erase(last == std::string::npos ? 0 : last + 1);
	if (integer.empty() && fraction.empty())
		return "0";
	std::string text = negative ? "-" : "";
	text += integer.empty() ? "0" : integer;
	if (!fraction.empty())
		text += "." + fraction;
	return text;
}

// The straightforward canonical text of a digit string with the decimal point `point`
// digits from its start (before it when negative, past its end when beyond).
std::string ReferencePointed(bool negative, const std::string &all, long point) {
	if (point <= 0)
		return ReferenceCanonical(negative, "", std::string(static_cast<std::size_t>(-point), '0') + all);
	if (point >= static_cast<long>(all.size()))
		return ReferenceCanonical(negative,
		                          all + std::string(static_cast<std::size_t>(point) - all.size(), '0'), "");
	return ReferenceCanonical(negative, all.substr(0, static_cast<std::size_t>(point)),
	                          all.substr(static_cast<std::size_t>(point)));
}

// The straightforward reading of base-10000 digits: each is four decimal digits, and the
// point follows the digit weighted 10000^0.
std::string ReferenceBase10000(bool negative, int weight, const std::vector<std::int16_t> &digits) {
	std::string all;
	for (const std::int16_t d : digits) {
		std::string four = std::to_string(d);
		all += std::string(4 - four.size(), '0') + four;
	}
	return ReferencePointed(negative, all, (static_cast<long>(weight) + 1) * 4);
}

// Integers of every width, their limits, every power of ten and its neighbours, and
// random values of every bit length.
std::vector<std::int64_t> SignedSamples() {
	std::vector<std::int64_t> values = {0,
	                                    1,
	                                    -1,
	                                    std::numeric_limits<std::int8_t>::min(),
	                                    std::numeric_limits<std::int8_t>::max(),
	                                    std::numeric_limits<std::int16_t>::min(),
	                                    std::numeric_limits<std::int16_t>::max(),
	                                    std::numeric_limits<std::int32_t>::min(),
	                                    std::numeric_limits<std::int32_t>::max(),
	                                    std::numeric_limits<std::int64_t>::min(),
	                                    std::numeric_limits<std::int64_t>::min() + 1,
	                                    std::numeric_limits<std::int64_t>::max()};
	for (std::int64_t power = 1;; power *= 10) {
		for (const std::int64_t v : {power - 1, power, power + 1})
			values.insert(values.end(), {v, -v});
		if (power > std::numeric_limits<std::int64_t>::max() / 10)
			break; // 10^18, the last power of ten below INT64_MAX
	}
	std::mt19937_64 rng(12);
	for (int bits = 1; bits <= 63; bits++)
		for (int i = 0; i < 200; i++) {
			const std::int64_t v = static_cast<std::int64_t>(rng() >> (64 - bits));
			values.insert(values.end(), {v, -v});
		}
	return values;
}

TEST(NumberFormat, SignedIntegersAreTheirDecimalText) {
	for (const std::int64_t v : SignedSamples()) {
		const std::string expected = ExactNumberBytes(std::to_string(v));
		ASSERT_EQ(HexOf(ImageOf(0, [&](RowHasher &h) { h.AddInt64(v); })), HexOf(expected)) << v;
	}
}

TEST(NumberFormat, UnsignedIntegersAreTheirDecimalText) {
	std::vector<std::uint64_t> values = {0,
	                                     std::numeric_limits<std::uint8_t>::max(),
	                                     std::numeric_limits<std::uint16_t>::max(),
	                                     std::numeric_limits<std::uint32_t>::max(),
	                                     std::numeric_limits<std::uint64_t>::max(),
	                                     std::numeric_limits<std::uint64_t>::max() - 1,
	                                     10000000000000000000ULL,
	                                     9999999999999999999ULL};
	std::mt19937_64 rng(34);
	for (int bits = 1; bits <= 64; bits++)
		for (int i = 0; i < 200; i++)
			values.push_back(rng() >> (64 - bits));
	for (const std::uint64_t v : values) {
		ASSERT_EQ(DecimalDigitCount(v), std::to_string(v).size()) << v;
		const std::string expected = ExactNumberBytes(std::to_string(v));
		ASSERT_EQ(HexOf(ImageOf(0, [&](RowHasher &h) { h.AddUint64(v); })), HexOf(expected)) << v;
	}
	EXPECT_EQ(ImageOf(0, [](RowHasher &h) { h.AddBool(true); }), ExactNumberBytes("1"));
	EXPECT_EQ(ImageOf(0, [](RowHasher &h) { h.AddBool(false); }), ExactNumberBytes("0"));
}

// The eight-digit writer's lane arithmetic (divisions as multiplications) against
// std::to_string: every value below 10^5 and a stride through the rest below 10^8 (every
// value was checked once by hand; this keeps the test fast).
TEST(NumberFormat, EightDigitsAreTheDecimalDigits) {
	const auto check = [](std::uint32_t value) {
		std::string text = std::to_string(value);
		text = std::string(8 - text.size(), '0') + text;
		const std::uint64_t digits = EightDigits(value);
		for (int k = 0; k < 8; k++)
			ASSERT_EQ(static_cast<char>('0' + ((digits >> (8 * k)) & 0xff)), text[k]) << value;
		char out[8];
		const unsigned count = DecimalDigitCount(value);
		WriteShortDecimalDigits(value, count, out);
		ASSERT_EQ(std::string(out, count), std::to_string(value));
	};
	for (std::uint32_t value = 0; value < 100000; value++)
		check(value);
	for (std::uint32_t value = 100000; value < 100000000; value += 997)
		check(value);
	check(99999999);
}

// A base-10000 digit that is often zero or ends in zeros, the cases the trimming handles.
std::int16_t RandomGroup(std::mt19937_64 &rng) {
	switch (rng() % 6) {
	case 0:
		return 0;
	case 1:
		return static_cast<std::int16_t>((1 + rng() % 9) * 1000); // 1000..9000
	case 2:
		return static_cast<std::int16_t>((1 + rng() % 99) * 100);
	case 3:
		return static_cast<std::int16_t>(1 + rng() % 9); // leading zeros
	default:
		return static_cast<std::int16_t>(rng() % 10000);
	}
}

TEST(NumberFormat, Base10000DigitsAreTheStraightforwardText) {
	std::mt19937_64 rng(56);
	for (int trial = 0; trial < 200000; trial++) {
		const bool negative = rng() % 2 == 0;
		const int weight = static_cast<int>(rng() % 17) - 8; // numerics of every scale
		std::vector<std::int16_t> digits(rng() % 9);
		for (auto &d : digits)
			d = RandomGroup(rng);
		const std::string text = ReferenceBase10000(negative, weight, digits);
		const int ndigits = static_cast<int>(digits.size());
		ASSERT_EQ(
		    HexOf(ImageOf(
		        0, [&](RowHasher &h) { h.AddDecimalBase10000(negative, weight, digits.data(), ndigits); })),
		    HexOf(ExactNumberBytes(text)))
		    << text << " weight " << weight;
		// The public writer: exact capacity, and nothing written past it.
		std::string out(text.size() + 8, '#');
		ASSERT_EQ(FormatDecimalBase10000(negative, weight, digits.data(), ndigits, out.data(), text.size()),
		          text.size());
		ASSERT_EQ(out, text + std::string(8, '#')) << text;
	}
}

// Numerics the short writer takes (integer part below 10^8, at most two fraction
// groups): every single group at every such weight, then random ones of up to four groups,
// each also just outside the short writer's range.
TEST(NumberFormat, ShortNumericsAreTheStraightforwardText) {
	const auto check = [](bool negative, int weight, const std::vector<std::int16_t> &digits) {
		const std::string text = ReferenceBase10000(negative, weight, digits);
		const int ndigits = static_cast<int>(digits.size());
		ASSERT_EQ(
		    HexOf(ImageOf(
		        0, [&](RowHasher &h) { h.AddDecimalBase10000(negative, weight, digits.data(), ndigits); })),
		    HexOf(ExactNumberBytes(text)))
		    << text << " weight " << weight;
	};
	for (int group = 0; group <= 9999; group++)
		for (const bool negative : {false, true})
			for (int weight = -3; weight <= 2; weight++)
				check(negative, weight, {static_cast<std::int16_t>(group)});
	std::mt19937_64 rng(57);
	for (int trial = 0; trial < 100000; trial++) {
		const bool negative = rng() % 2 == 0;
		const int weight = static_cast<int>(rng() % 6) - 3; // -3..2
		std::vector<std::int16_t> digits(rng() % 5);
		for (auto &d : digits)
			d = RandomGroup(rng);
		check(negative, weight, digits);
	}
}

TEST(NumberFormat, Base10000AgreesWithDecimalText) {
	std::mt19937_64 rng(78);
	for (int trial = 0; trial < 20000; trial++) {
		const bool negative = rng() % 2 == 0;
		const int weight = static_cast<int>(rng() % 9) - 4;
		std::vector<std::int16_t> digits(1 + rng() % 5);
		for (auto &d : digits)
			d = RandomGroup(rng);
		RowHasher from_digits, from_text;
		from_digits.AddDecimalBase10000(negative, weight, digits.data(), static_cast<int>(digits.size()));
		ASSERT_EQ(from_text.AddDecimalText(ReferenceBase10000(negative, weight, digits)), Status::ok);
		ASSERT_EQ(RowHex(from_digits), RowHex(from_text));
	}
}

// Random digits, often zeros at either end.
std::string RandomDigits(std::mt19937_64 &rng) {
	std::string digits(rng() % 7, '0');
	for (auto &c : digits)
		c = rng() % 3 == 0 ? '0' : static_cast<char>('0' + rng() % 10);
	return digits;
}

// Decimal texts as MySQL and JSON spell them, with and without exponents, against the
// point moved by hand.
TEST(NumberFormat, DecimalTextIsTheStraightforwardText) {
	std::mt19937_64 rng(112);
	for (int trial = 0; trial < 100000; trial++) {
		const int sign = static_cast<int>(rng() % 3);
		const std::string integer = RandomDigits(rng), fraction = RandomDigits(rng);
		const bool point = !fraction.empty() || rng() % 4 == 0;
		if (integer.empty() && fraction.empty())
			continue;
		const bool with_exponent = rng() % 3 == 0;
		const long exponent = with_exponent ? static_cast<long>(rng() % 17) - 8 : 0;
		std::string text = (sign == 0 ? "" : sign == 1 ? "-" : "+") + integer + (point ? "." : "") + fraction;
		if (with_exponent)
			text += (rng() % 2 ? "e" : "E") + std::to_string(exponent);
		const std::string expected =
		    ReferencePointed(sign == 1, integer + fraction, static_cast<long>(integer.size()) + exponent);
		ASSERT_EQ(ImageOf(0, [&](RowHasher &h) { ASSERT_EQ(h.AddDecimalText(text), Status::ok) << text; }),
		          ExactNumberBytes(expected))
		    << text;
	}
	// Longer than the in-place writer takes: the general path, the same text.
	const std::string long_text = "-000" + std::string(300, '7') + "." + std::string(200, '3') + "000";
	EXPECT_EQ(ImageOf(0, [&](RowHasher &h) { ASSERT_EQ(h.AddDecimalText(long_text), Status::ok); }),
	          ExactNumberBytes("-" + std::string(300, '7') + "." + std::string(200, '3')));
}

TEST(NumberFormat, NegativeZeroAndEmptyDigitsAreZero) {
	const std::string zero = ExactNumberBytes("0");
	const std::int16_t zeros[] = {0, 0, 0};
	for (const bool negative : {false, true})
		for (const int weight : {-3, 0, 2}) {
			EXPECT_EQ(ImageOf(0, [&](RowHasher &h) { h.AddDecimalBase10000(negative, weight, zeros, 3); }),
			          zero);
			EXPECT_EQ(ImageOf(0, [&](RowHasher &h) { h.AddDecimalBase10000(negative, weight, zeros, 0); }),
			          zero);
		}
	EXPECT_EQ(ImageOf(0, [](RowHasher &h) { h.AddInt64(-0); }), zero);
	for (const char *text : {"-0", "-0.000", "-.0", "+0e5", "-00.00e-3"})
		EXPECT_EQ(ImageOf(0, [&](RowHasher &h) { ASSERT_EQ(h.AddDecimalText(text), Status::ok); }), zero)
		    << text;
}

// Numbers too long for the in-place writer stream through the general normalizer.
TEST(NumberFormat, LongNumbersTakeTheGeneralPathToTheSameText) {
	std::mt19937_64 rng(90);
	for (int trial = 0; trial < 300; trial++) {
		const bool negative = rng() % 2 == 0;
		const int weight = static_cast<int>(rng() % 400) - 200;
		std::vector<std::int16_t> digits(rng() % 300);
		for (auto &d : digits)
			d = RandomGroup(rng);
		const std::string text = ReferenceBase10000(negative, weight, digits);
		ASSERT_EQ(ImageOf(0,
		                  [&](RowHasher &h) {
			                  h.AddDecimalBase10000(negative, weight, digits.data(),
			                                        static_cast<int>(digits.size()));
		                  }),
		          ExactNumberBytes(text))
		    << "weight " << weight << " ndigits " << digits.size();
	}
}

// Digits outside 0..9999 never come from PostgreSQL, but a corrupt value must not make
// the fast writer read past its table: such digits keep the general path's bytes.
TEST(NumberFormat, DigitsOutOfRangeTakeTheGeneralPath) {
	const std::vector<std::vector<std::int16_t>> cases = {{12345}, {-5}, {1, 10000, 2}, {32767, -32768}};
	for (const auto &digits : cases) {
		const int ndigits = static_cast<int>(digits.size());
		const DecimalLayout layout = LayoutOfBase10000(false, 0, digits.data(), ndigits);
		std::string general;
		WriteCanonicalDecimal(layout, Base10000Digits{digits.data()},
		                      [&](const char *data, std::size_t n) { general.append(data, n); });
		EXPECT_EQ(ImageOf(0, [&](RowHasher &h) { h.AddDecimalBase10000(false, 0, digits.data(), ndigits); }),
		          ExactNumberBytes(general));
		std::string out(general.size(), '#');
		EXPECT_EQ(FormatDecimalBase10000(false, 0, digits.data(), ndigits, out.data(), out.size()),
		          general.size());
		EXPECT_EQ(out, general);
	}
}

// Values written in place (numbers and the fixed-size classes) must be the same bytes
// wherever they fall in the inline buffer, including where they no longer fit and go
// through the streaming state.
TEST(NumberFormat, SameBytesAtEveryBufferPosition) {
	const std::int16_t price[] = {12, 3456, 7800};
	const std::string price_bytes = ExactNumberBytes("123456.78");
	const std::string min_bytes = ExactNumberBytes("-9223372036854775808");
	const std::string text_bytes = std::string("\x03\x00\x00\x00\x03", 5) + "abc";
	for (std::size_t prefix = 1990; prefix <= 2060; prefix++) {
		ASSERT_EQ(ImageOf(prefix, [&](RowHasher &h) { h.AddDecimalBase10000(false, 1, price, 3); }),
		          price_bytes)
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddInt64(std::numeric_limits<std::int64_t>::min()); }),
		          min_bytes)
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddInt64(-1234567); }), ExactNumberBytes("-1234567"))
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddUint64(99999999); }), ExactNumberBytes("99999999"))
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { ASSERT_EQ(h.AddText("abc", 3, true), Status::ok); }),
		          text_bytes)
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddTimestampMicros(0x0102030405060708); }),
		          std::string("\x05\x01\x02\x03\x04\x05\x06\x07\x08", 9))
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddTimeMicros(-1); }), "\x06" + std::string(8, '\xff'))
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddDateDays(-2); }), "\x04\xff\xff\xff\xfe") << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddDouble(1.0); }),
		          std::string("\x02\x3f\xf0\x00\x00\x00\x00\x00\x00", 9))
		    << prefix;
		ASSERT_EQ(ImageOf(prefix, [](RowHasher &h) { h.AddBool(true); }), ExactNumberBytes("1")) << prefix;
	}
}

} // namespace
} // namespace fingerprint::testing
