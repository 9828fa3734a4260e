// How `fingerprint migrate` writes logged values on each target engine
// (cli/src/apply_values.hpp): exact literals, or a refusal with a reason.
#include "apply_values.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace fingerprint::cli::migrate {
namespace {

std::string Length(std::size_t n) {
	std::string out(4, '\0');
	for (int i = 3; i >= 0; --i) {
		out[static_cast<std::size_t>(i)] = static_cast<char>(n & 0xff);
		n >>= 8;
	}
	return out;
}

// One encoded value (docs/FORMAT.md) of a length-prefixed class.
std::string Encoded(Tag tag, const std::string &payload) {
	return std::string(1, static_cast<char>(tag)) + Length(payload.size()) + payload;
}
std::string Fixed(Tag tag, std::uint64_t bits, int bytes) {
	std::string out(1, static_cast<char>(tag));
	for (int i = bytes - 1; i >= 0; --i)
		out += static_cast<char>((bits >> (8 * i)) & 0xff);
	return out;
}

ImageValue Decode(const std::string &image) {
	ImageReader reader(image.data(), image.size());
	ImageValue value;
	EXPECT_TRUE(reader.Next(&value));
	return value;
}

std::string Literal(Engine engine, const TargetColumn &column, const std::string &image,
                    bool expect_ok = true) {
	std::string out, reason;
	const bool ok = TargetLiteral(engine, column, Decode(image), out, reason);
	EXPECT_EQ(ok, expect_ok) << reason;
	return ok ? out : reason;
}

TEST(ApplyValues, ExactNumbers) {
	TargetColumn number;
	EXPECT_EQ(Literal(Engine::postgresql, number, Encoded(Tag::exact_number, "-12.5")), "'-12.5'");
	EXPECT_EQ(Literal(Engine::mysql, number, Encoded(Tag::exact_number, "18446744073709551615")),
	          "18446744073709551615");
	TargetColumn boolean;
	boolean.boolean = true;
	EXPECT_EQ(Literal(Engine::postgresql, boolean, Encoded(Tag::exact_number, "1")), "true");
	EXPECT_NE(Literal(Engine::postgresql, boolean, Encoded(Tag::exact_number, "2"), false).find("no boolean"),
	          std::string::npos);
	EXPECT_NE(Literal(Engine::mysql, number, Encoded(Tag::exact_number, "NaN"), false).find("has no MySQL"),
	          std::string::npos);
}

TEST(ApplyValues, Doubles) {
	TargetColumn column;
	std::uint64_t bits;
	const double tenth = 0.1;
	std::memcpy(&bits, &tenth, 8);
	EXPECT_EQ(Literal(Engine::postgresql, column, Fixed(Tag::approx_number, bits, 8)), "'0.1'");
	EXPECT_EQ(Literal(Engine::mysql, column, Fixed(Tag::approx_number, bits, 8)), "0.1e0");
	EXPECT_EQ(Literal(Engine::postgresql, column, Fixed(Tag::approx_number, 0x7ff8000000000000ULL, 8)),
	          "'NaN'");
	Literal(Engine::mysql, column, Fixed(Tag::approx_number, 0x7ff8000000000000ULL, 8), false);
}

TEST(ApplyValues, StringsAndBytes) {
	TargetColumn text, bytes;
	bytes.binary = true;
	EXPECT_EQ(Literal(Engine::postgresql, text, Encoded(Tag::string, "it's \\")), "'it''s \\'");
	EXPECT_EQ(Literal(Engine::postgresql, bytes, Encoded(Tag::string, std::string("\0\xff", 2))),
	          "'\\x00ff'");
	EXPECT_EQ(Literal(Engine::mysql, text, Encoded(Tag::string, "é")), "_utf8mb4 X'c3a9'");
	EXPECT_EQ(Literal(Engine::mysql, bytes, Encoded(Tag::string, "")), "X''");
	EXPECT_NE(
	    Literal(Engine::postgresql, text, Encoded(Tag::string, std::string("a\0b", 3)), false).find("NUL"),
	    std::string::npos);
}

TEST(ApplyValues, Temporals) {
	TargetColumn column, instant;
	instant.time_zone = true;
	// 2000-01-02, and 2000-01-01 00:00:01.5 UTC.
	EXPECT_EQ(Literal(Engine::mysql, column, Fixed(Tag::date, 1, 4)), "'2000-01-02'");
	EXPECT_EQ(Literal(Engine::postgresql, instant, Fixed(Tag::timestamp, 1500000, 8)),
	          "'2000-01-01 00:00:01.500000+00'");
	EXPECT_EQ(Literal(Engine::postgresql, column, Fixed(Tag::timestamp, 1500000, 8)),
	          "'2000-01-01 00:00:01.500000'");
	EXPECT_EQ(Literal(Engine::mysql, column, Encoded(Tag::invalid_temporal, "0000-00-00")),
	          "_utf8mb4 X'303030302d30302d3030'");
	EXPECT_NE(Literal(Engine::postgresql, column, Encoded(Tag::invalid_temporal, "0000-00-00"), false)
	              .find("no PostgreSQL"),
	          std::string::npos);
}

TEST(ApplyValues, MySqlTimesPostgreSqlCannotHoldAreRefused) {
	TargetColumn time;
	time.type = "time without time zone";
	const std::uint64_t second = 1000000;
	EXPECT_EQ(Literal(Engine::postgresql, time, Fixed(Tag::time, 12 * 3600 * second, 8)), "'12:00:00'");
	EXPECT_EQ(Literal(Engine::postgresql, time, Fixed(Tag::time, 24 * 3600 * second, 8)), "'24:00:00'");
	for (const std::uint64_t bits : {(24 * 3600 + 1) * second, 3020399 * second, ~second + 1}) {
		const std::string reason = Literal(Engine::postgresql, time, Fixed(Tag::time, bits, 8), false);
		EXPECT_NE(reason.find("outside PostgreSQL time without time zone"), std::string::npos) << reason;
	}
	EXPECT_NE(
	    Literal(Engine::postgresql, time, Fixed(Tag::time, 3020399 * second, 8), false).find("838:59:59"),
	    std::string::npos);
}

TEST(ApplyValues, NullIsNull) {
	TargetColumn column;
	EXPECT_EQ(Literal(Engine::postgresql, column, std::string(1, '\0')), "NULL");
	EXPECT_EQ(Literal(Engine::mysql, column, std::string(1, '\0')), "NULL");
}

} // namespace
} // namespace fingerprint::cli::migrate
