// How `fingerprint migrate` writes logged values on each target engine
// (cli/src/apply_values.hpp): exact literals, or a refusal with a reason, by copy's
// converters. The SameAsCopy tests take one value both ways: as a source's text through
// `fingerprint copy`'s converter, and as a logged image through migrate's; both must give
// the same literal (or the same refusal).
#include "apply_values.hpp"

#include "cli_error.hpp"
#include "copy_text.hpp"
#include "copy_test_columns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>

namespace fingerprint::cli::migrate {
namespace {

using copy::ColumnDefinition;
using copy::testing::My;
using copy::testing::MyLabels;
using copy::testing::Pg;
using copy::testing::PgEnum;

constexpr Engine kPg = Engine::postgresql;
constexpr Engine kMy = Engine::mysql;

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
std::string Double(double value) {
	std::uint64_t bits;
	std::memcpy(&bits, &value, 8);
	return Fixed(Tag::approx_number, bits, 8);
}
constexpr std::uint64_t kSecond = 1000000;

ImageValue Decode(const std::string &image) {
	ImageReader reader(image.data(), image.size());
	ImageValue value;
	EXPECT_TRUE(reader.Next(&value));
	return value;
}

copy::Engine CopyEngine(Engine engine) {
	return engine == kPg ? copy::Engine::postgresql : copy::Engine::mysql;
}

TargetColumn Prepared(Engine engine, const ColumnDefinition &definition) {
	TargetColumn column;
	column.name = definition.name;
	column.type = definition.type;
	column.value_class = copy::ClassOf(copy::DescribeType(CopyEngine(engine), definition).kind);
	PrepareConverter(engine, definition, column);
	return column;
}

// The literal, or "REFUSED: <reason>".
std::string Apply(Engine engine, const ColumnDefinition &target, const std::string &image) {
	std::string out, reason;
	if (!TargetLiteral(engine, Prepared(engine, target), Decode(image), out, reason))
		return "REFUSED: " + reason;
	return out;
}

// The same value as `fingerprint copy` writes it from a source's text, as a literal.
std::string Copy(Engine source_engine, const ColumnDefinition &source, const std::string &text,
                 Engine target_engine, const ColumnDefinition &target) {
	const auto converter =
	    copy::MakeConverter(CopyEngine(source_engine), source, CopyEngine(target_engine), target);
	std::string converted, reason;
	if (!converter->Convert(text, converted, reason))
		return "REFUSED: " + reason;
	std::string out;
	AppendTargetLiteral(target_engine, copy::DescribeType(CopyEngine(target_engine), target).kind, converted,
	                    out);
	return out;
}

bool Refused(const std::string &result, const std::string &words) {
	return result.rfind("REFUSED: ", 0) == 0 && result.find(words) != std::string::npos;
}

TEST(ApplyValues, ExactNumbers) {
	EXPECT_EQ(Apply(kPg, Pg("numeric", "numeric"), Encoded(Tag::exact_number, "-12.5")), "'-12.5'");
	EXPECT_EQ(
	    Apply(kMy, My("bigint", "bigint(20) unsigned"), Encoded(Tag::exact_number, "18446744073709551615")),
	    "18446744073709551615");
	EXPECT_EQ(Apply(kPg, Pg("bool", "boolean"), Encoded(Tag::exact_number, "1")), "'t'");
	EXPECT_TRUE(
	    Refused(Apply(kPg, Pg("bool", "boolean"), Encoded(Tag::exact_number, "2")), "is neither 0 nor 1"));
	EXPECT_TRUE(Refused(Apply(kMy, My("decimal", "decimal(10,2)", 10, 2), Encoded(Tag::exact_number, "NaN")),
	                    "value NaN has no counterpart in MySQL decimal(10,2)"));
	EXPECT_TRUE(Refused(Apply(kMy, My("int", "int(11)"), Encoded(Tag::exact_number, "2147483648")),
	                    "out of the range of MySQL int(11)"));
	EXPECT_EQ(Apply(kMy, My("year", "year(4)"), Encoded(Tag::exact_number, "0")), "0000");
}

TEST(ApplyValues, BitStringsAreWrittenOnBothEngines) {
	EXPECT_EQ(Apply(kPg, Pg("bit", "bit(5)", 5), Encoded(Tag::exact_number, "5")), "'00101'");
	EXPECT_EQ(Apply(kPg, Pg("varbit", "bit varying(8)", 8), Encoded(Tag::exact_number, "3")), "'00000011'");
	EXPECT_EQ(Apply(kMy, My("bit", "bit(10)", 10), Encoded(Tag::exact_number, "513")), "513");
	EXPECT_TRUE(
	    Refused(Apply(kPg, Pg("bit", "bit(4)", 4), Encoded(Tag::exact_number, "16")), "needs more bits"));
}

TEST(ApplyValues, Doubles) {
	EXPECT_EQ(Apply(kPg, Pg("float8", "double precision"), Double(0.1)), "'0.1'");
	EXPECT_EQ(Apply(kMy, My("double", "double"), Double(0.1)), "0.1e0");
	EXPECT_EQ(Apply(kMy, My("double", "double"), Double(1e300)), "1e+300");
	EXPECT_EQ(
	    Apply(kPg, Pg("float8", "double precision"), Fixed(Tag::approx_number, 0x7ff8000000000000ULL, 8)),
	    "'NaN'");
	EXPECT_TRUE(
	    Refused(Apply(kMy, My("double", "double"), Fixed(Tag::approx_number, 0x7ff8000000000000ULL, 8)),
	            "has no counterpart in MySQL double"));
	EXPECT_TRUE(Refused(Apply(kMy, My("float", "float"), Double(0.1)), "is no 4-byte float"));
}

TEST(ApplyValues, StringsAndBytes) {
	EXPECT_EQ(Apply(kPg, Pg("text", "text"), Encoded(Tag::string, "it's \\")), "'it''s \\'");
	EXPECT_EQ(Apply(kPg, Pg("bytea", "bytea"), Encoded(Tag::string, std::string("\0\xff", 2))), "'\\x00ff'");
	EXPECT_EQ(Apply(kMy, My("varchar", "varchar(10)", 10), Encoded(Tag::string, "é")), "_utf8mb4 X'c3a9'");
	EXPECT_EQ(Apply(kMy, My("varbinary", "varbinary(10)", 10), Encoded(Tag::string, "")), "X''");
	EXPECT_TRUE(Refused(Apply(kPg, Pg("text", "text"), Encoded(Tag::string, std::string("a\0b", 3))), "NUL"));
	EXPECT_TRUE(Refused(Apply(kPg, Pg("text", "text"), Encoded(Tag::string, "\xff")), "not valid UTF-8"));
	EXPECT_TRUE(Refused(Apply(kMy, My("varchar", "varchar(2)", 2), Encoded(Tag::string, "ééé")),
	                    "has 3 characters, more than MySQL varchar(2) holds"));
}

TEST(ApplyValues, PostgresArrayElementsReadAsTheLiteral) {
	// migrate's key lookup on PostgreSQL: key = ANY('{...}'), one element per literal.
	auto element = [](const std::string &literal) {
		std::string out;
		AppendPgArrayElement(literal, out);
		return out;
	};
	EXPECT_EQ(element("NULL"), "NULL");
	EXPECT_EQ(element("'42'"), "\"42\"");
	EXPECT_EQ(element("'it''s'"), "\"it's\"");
	EXPECT_EQ(element("''''''"), "\"''\""); // a literal of two quotes
	EXPECT_EQ(element("'a \"b\" {c,d}'"), "\"a \\\"b\\\" {c,d}\"");
	EXPECT_EQ(element("'\\x00ff'"), "\"\\\\x00ff\""); // bytea's \x text, backslash doubled
	EXPECT_EQ(element("'NULL'"), "\"NULL\"");         // the text NULL stays a string
	EXPECT_EQ(element("''"), "\"\"");
}

// The bytes migrate sent before AppendCopyValue and the TargetColumn AppendPgArrayElement:
// the PostgreSQL literal, then unquoted for COPY's text format (its old AppendCopyField).
std::string CopyFieldOfLiteral(const std::string &literal) {
	if (literal == "NULL")
		return "\\N";
	std::string out;
	const std::string_view body = std::string_view(literal).substr(1, literal.size() - 2);
	std::size_t start = 0;
	for (;;) {
		const std::size_t quote = body.find("''", start);
		copy::AppendCopyText(body.substr(start, quote == std::string_view::npos ? quote : quote + 1 - start),
		                     out);
		if (quote == std::string_view::npos)
			break;
		start = quote + 2;
	}
	return out;
}

TEST(ApplyValues, CopyFieldsAndArrayElementsAreTheLiteralsUnquoted) {
	const TargetColumn text = Prepared(kPg, Pg("text", "text"));
	const TargetColumn bytea = Prepared(kPg, Pg("bytea", "bytea"));
	const std::string null_image(1, '\0');
	const std::pair<const TargetColumn *, std::string> cases[] = {
	    {&text, Encoded(Tag::string, "")},
	    {&text, Encoded(Tag::string, "'")},
	    {&text, Encoded(Tag::string, "''x'''")},
	    {&text, Encoded(Tag::string, "a\\b\\\\c\\")},
	    {&text, Encoded(Tag::string, "tab\there\nnew\rline\\N")},
	    {&text, Encoded(Tag::string, "\"quoted\" {a,b} NULL")},
	    {&text, Encoded(Tag::string, "NULL")},
	    {&text, Encoded(Tag::string, "\\N")},
	    {&text, null_image},
	    {&bytea, Encoded(Tag::string, std::string("\0'\\\t\n\xff", 6))},
	    {&bytea, Encoded(Tag::string, "")},
	};
	for (const auto &c : cases) {
		const ImageValue value = Decode(c.second);
		std::string literal, reason;
		ASSERT_TRUE(TargetLiteral(kPg, *c.first, value, literal, reason)) << reason;
		LiteralBuffers buffers;
		std::string field = "x", element = "y";
		ASSERT_TRUE(AppendCopyValue(*c.first, value, buffers, field, reason)) << reason;
		ASSERT_TRUE(AppendPgArrayElement(*c.first, value, buffers, element, reason)) << reason;
		EXPECT_EQ(field, "x" + CopyFieldOfLiteral(literal)) << literal;
		std::string old_element = "y";
		AppendPgArrayElement(literal, old_element);
		EXPECT_EQ(element, old_element) << literal;
	}
	// A refusal is the literal's refusal, with its reason.
	const ImageValue nul = Decode(Encoded(Tag::string, std::string("a\0b", 3)));
	LiteralBuffers buffers;
	std::string out, reason;
	EXPECT_FALSE(AppendCopyValue(text, nul, buffers, out, reason));
	EXPECT_NE(reason.find("NUL"), std::string::npos);
	reason.clear();
	EXPECT_FALSE(AppendPgArrayElement(text, nul, buffers, out, reason));
	EXPECT_NE(reason.find("NUL"), std::string::npos);
}

TEST(ApplyValues, Temporals) {
	// 2000-01-02, and 2000-01-01 00:00:01.5 UTC.
	EXPECT_EQ(Apply(kMy, My("date", "date"), Fixed(Tag::date, 1, 4)), "'2000-01-02'");
	EXPECT_EQ(Apply(kPg, Pg("timestamptz", "timestamp with time zone"), Fixed(Tag::timestamp, 1500000, 8)),
	          "'2000-01-01 00:00:01.5+00'");
	EXPECT_EQ(Apply(kPg, Pg("timestamp", "timestamp without time zone"), Fixed(Tag::timestamp, 1500000, 8)),
	          "'2000-01-01 00:00:01.5'");
	EXPECT_EQ(Apply(kMy, My("date", "date"), Encoded(Tag::invalid_temporal, "0000-00-00")), "'0000-00-00'");
	EXPECT_TRUE(Refused(Apply(kPg, Pg("date", "date"), Encoded(Tag::invalid_temporal, "0000-00-00")),
	                    "no day of the calendar (a MySQL zero or invalid date), so PostgreSQL date"));
	// Years before 1 and after 9999 as PostgreSQL writes them: 1 BC is the core's year 0.
	EXPECT_EQ(Apply(kPg, Pg("date", "date"), Fixed(Tag::date, static_cast<std::uint32_t>(-730485), 4)),
	          "'0001-01-01 BC'");
	EXPECT_EQ(Apply(kPg, Pg("date", "date"), Fixed(Tag::date, 2921940, 4)), "'10000-01-01'");
	EXPECT_TRUE(Refused(Apply(kMy, My("datetime", "datetime", 0), Fixed(Tag::timestamp, 1500000, 8)),
	                    "more fractional digits than MySQL datetime"));
}

TEST(ApplyValues, MySqlTimesPostgreSqlCannotHoldAreRefused) {
	const ColumnDefinition time = Pg("time", "time without time zone");
	EXPECT_EQ(Apply(kPg, time, Fixed(Tag::time, 12 * 3600 * kSecond, 8)), "'12:00:00'");
	EXPECT_EQ(Apply(kPg, time, Fixed(Tag::time, 24 * 3600 * kSecond, 8)), "'24:00:00'");
	EXPECT_TRUE(Refused(Apply(kPg, time, Fixed(Tag::time, (24 * 3600 + 1) * kSecond, 8)), "beyond 24:00:00"));
	EXPECT_TRUE(Refused(Apply(kPg, time, Fixed(Tag::time, 3020399 * kSecond, 8)), "838:59:59"));
	EXPECT_TRUE(Refused(Apply(kPg, time, Fixed(Tag::time, ~kSecond + 1, 8)), "below zero"));
}

TEST(ApplyValues, NullIsNull) {
	EXPECT_EQ(Apply(kPg, Pg("text", "text"), std::string(1, '\0')), "NULL");
	EXPECT_EQ(Apply(kMy, My("int", "int(11)"), std::string(1, '\0')), "NULL");
}

TEST(ApplyValues, ATargetColumnOfAnotherClassIsRefusedByName) {
	TargetColumn column;
	column.value_class = ValueClass::string;
	EXPECT_THROW(PrepareConverter(kPg, Pg("int4", "integer"), column), Error);
}

// ---- one value, two paths: copy from the source's text, migrate from the image ----

TEST(ApplyValuesSameAsCopy, TimestampsWithTimeZones) {
	const ColumnDefinition tstz = Pg("timestamptz", "timestamp with time zone");
	const ColumnDefinition my_ts = My("timestamp", "timestamp(6)", 6);
	// 2024-06-01 12:00:00.25 UTC: 770,558,400.25 s after 2000-01-01.
	const std::string image = Fixed(Tag::timestamp, 770558400 * kSecond + 250000, 8);
	EXPECT_EQ(Apply(kMy, my_ts, image), "'2024-06-01 12:00:00.25'");
	EXPECT_EQ(Apply(kMy, my_ts, image), Copy(kPg, tstz, "2024-06-01 12:00:00.25+00", kMy, my_ts));
	EXPECT_EQ(Apply(kPg, tstz, image), Copy(kMy, my_ts, "2024-06-01 12:00:00.250000", kPg, tstz));
	EXPECT_EQ(Apply(kPg, tstz, image), Copy(kPg, tstz, "2024-06-01 12:00:00.25+00", kPg, tstz));
	// Outside MySQL TIMESTAMP's range: the same refusal (the value shown as a MySQL source
	// writes it; a PostgreSQL source's text adds +00).
	const std::string late = Fixed(Tag::timestamp, 1200873600 * kSecond, 8);
	EXPECT_TRUE(Refused(Apply(kMy, my_ts, late), "outside the range of MySQL timestamp(6)"));
	EXPECT_EQ(Apply(kMy, my_ts, late),
	          Copy(kMy, My("datetime", "datetime(6)", 6), "2038-01-20 00:00:00", kMy, my_ts));
}

TEST(ApplyValuesSameAsCopy, NumericsAndDoublesWithExponents) {
	const ColumnDefinition numeric = Pg("numeric", "numeric");
	const ColumnDefinition decimal = My("decimal", "decimal(30,10)", 30, 10);
	EXPECT_EQ(Apply(kMy, decimal, Encoded(Tag::exact_number, "12345678901234567890.0000001")),
	          Copy(kPg, numeric, "12345678901234567890.0000001", kMy, decimal));
	EXPECT_EQ(Apply(kPg, numeric, Encoded(Tag::exact_number, "0.00001")),
	          Copy(kMy, decimal, "0.0000100000", kPg, numeric));
	const ColumnDefinition float8 = Pg("float8", "double precision");
	const ColumnDefinition dbl = My("double", "double");
	EXPECT_EQ(Apply(kMy, dbl, Double(1.5e-300)), Copy(kPg, float8, "1.5e-300", kMy, dbl));
	EXPECT_EQ(Apply(kPg, float8, Double(1e300)), Copy(kMy, dbl, "1e300", kPg, float8));
	EXPECT_EQ(Apply(kMy, dbl, Double(1e21)), "1e+21");
}

TEST(ApplyValuesSameAsCopy, NaNAndInfinityAreRefusedAlike) {
	const ColumnDefinition decimal = My("decimal", "decimal(10,2)", 10, 2);
	for (const char *special : {"NaN", "Infinity", "-Infinity"}) {
		const std::string apply = Apply(kMy, decimal, Encoded(Tag::exact_number, special));
		EXPECT_TRUE(Refused(apply, "has no counterpart")) << apply;
		EXPECT_EQ(apply, Copy(kPg, Pg("numeric", "numeric"), special, kMy, decimal));
	}
	const ColumnDefinition float8 = Pg("float8", "double precision");
	const std::string infinity = Apply(kMy, My("double", "double"), Double(HUGE_VAL));
	EXPECT_TRUE(Refused(infinity, "value Infinity has no counterpart in MySQL double")) << infinity;
	EXPECT_EQ(infinity, Copy(kPg, float8, "Infinity", kMy, My("double", "double")));
	EXPECT_EQ(Apply(kPg, Pg("numeric", "numeric(10,2)", 10, 2), Encoded(Tag::exact_number, "Infinity")),
	          Copy(kPg, Pg("numeric", "numeric"), "Infinity", kPg, Pg("numeric", "numeric(10,2)", 10, 2)));
}

TEST(ApplyValuesSameAsCopy, ByteaAndBinary) {
	const std::string bytes("\0\xff'", 3);
	const ColumnDefinition bytea = Pg("bytea", "bytea");
	const ColumnDefinition blob = My("blob", "blob");
	EXPECT_EQ(Apply(kMy, blob, Encoded(Tag::string, bytes)), "X'00ff27'");
	EXPECT_EQ(Apply(kMy, blob, Encoded(Tag::string, bytes)), Copy(kPg, bytea, "\\x00ff27", kMy, blob));
	EXPECT_EQ(Apply(kPg, bytea, Encoded(Tag::string, bytes)), Copy(kMy, blob, bytes, kPg, bytea));
	const ColumnDefinition fixed = My("binary", "binary(4)", 4);
	EXPECT_EQ(Apply(kMy, fixed, Encoded(Tag::string, bytes)), Copy(kPg, bytea, "\\x00ff27", kMy, fixed));
	EXPECT_TRUE(Refused(Apply(kMy, fixed, Encoded(Tag::string, bytes)), "pad it with zero bytes"));
}

TEST(ApplyValuesSameAsCopy, Bits) {
	const ColumnDefinition pg_bit = Pg("bit", "bit(10)", 10);
	const ColumnDefinition my_bit = My("bit", "bit(10)", 10);
	EXPECT_EQ(Apply(kMy, my_bit, Encoded(Tag::exact_number, "513")),
	          Copy(kPg, pg_bit, "1000000001", kMy, my_bit));
	EXPECT_EQ(Apply(kPg, pg_bit, Encoded(Tag::exact_number, "513")), Copy(kMy, my_bit, "513", kPg, pg_bit));
	EXPECT_EQ(Apply(kPg, pg_bit, Encoded(Tag::exact_number, "513")), "'1000000001'");
}

TEST(ApplyValuesSameAsCopy, EnumsAndSets) {
	const ColumnDefinition my_enum = MyLabels("enum", {"sad", "ok", "happy"});
	const ColumnDefinition pg_enum = PgEnum({"sad", "ok", "happy"});
	EXPECT_EQ(Apply(kMy, my_enum, Encoded(Tag::string, "ok")), Copy(kPg, pg_enum, "ok", kMy, my_enum));
	EXPECT_EQ(Apply(kPg, pg_enum, Encoded(Tag::string, "happy")), Copy(kMy, my_enum, "happy", kPg, pg_enum));
	EXPECT_EQ(Apply(kPg, pg_enum, Encoded(Tag::string, "angry")), Copy(kMy, my_enum, "angry", kPg, pg_enum));
	EXPECT_TRUE(Refused(Apply(kPg, pg_enum, Encoded(Tag::string, "angry")), "is not a label"));
	const ColumnDefinition set = MyLabels("set", {"a", "b", "c"});
	const ColumnDefinition text = Pg("text", "text");
	EXPECT_EQ(Apply(kMy, set, Encoded(Tag::string, "a,c")), Copy(kPg, text, "a,c", kMy, set));
	EXPECT_EQ(Apply(kMy, set, Encoded(Tag::string, "c,a")), Copy(kPg, text, "c,a", kMy, set));
	EXPECT_TRUE(Refused(Apply(kMy, set, Encoded(Tag::string, "c,a")), "in their order"));
}

TEST(ApplyValuesSameAsCopy, Json) {
	const ColumnDefinition jsonb = Pg("jsonb", "jsonb");
	ColumnDefinition my_json = My("longtext", "longtext");
	my_json.is_json = true;
	const std::string document = "{\"a\":[1,2.5,\"x\"]}";
	EXPECT_EQ(Apply(kMy, my_json, Encoded(Tag::json, document)), Copy(kPg, jsonb, document, kMy, my_json));
	EXPECT_EQ(Apply(kPg, jsonb, Encoded(Tag::json, document)), Copy(kMy, my_json, document, kPg, jsonb));
	const std::string nul = "{\"a\":\"\\u0000\"}";
	EXPECT_TRUE(Refused(Apply(kPg, jsonb, Encoded(Tag::json, nul)), "\\u0000"));
	EXPECT_EQ(Apply(kPg, jsonb, Encoded(Tag::json, nul)), Copy(kMy, my_json, nul, kPg, jsonb));
}

} // namespace
} // namespace fingerprint::cli::migrate
