// The value converters of `fingerprint copy`: what each source text becomes on the
// target, and every class of value that must be refused instead of changed.
#include "cli_error.hpp"
#include "copy_test_columns.hpp"
#include "copy_types.hpp"

#include <gtest/gtest.h>

namespace fingerprint::cli::copy {
namespace {

using testing::My;
using testing::MyLabels;
using testing::MyText;
using testing::Pg;
using testing::PgEnum;

constexpr Engine kPg = Engine::postgresql;
constexpr Engine kMy = Engine::mysql;

// The converted text, or "REFUSED: <reason>".
std::string Convert(Engine source_engine, const ColumnDefinition &source, Engine target_engine,
                    const ColumnDefinition &target, std::string_view value) {
	const std::unique_ptr<ValueConverter> converter =
	    MakeConverter(source_engine, source, target_engine, target);
	std::string out = "stale";
	std::string reason;
	if (!converter->Convert(value, out, reason))
		return "REFUSED: " + reason;
	return out;
}

bool Refused(const std::string &result, const std::string &words) {
	return result.rfind("REFUSED: ", 0) == 0 && result.find(words) != std::string::npos;
}

// ---- exact numbers ----

TEST(CopyConvertExact, BooleansBecomeOneAndZeroAndBack) {
	EXPECT_EQ(Convert(kPg, Pg("bool", "boolean"), kMy, My("tinyint", "tinyint(1)"), "t"), "1");
	EXPECT_EQ(Convert(kPg, Pg("bool", "boolean"), kMy, My("tinyint", "tinyint(1)"), "f"), "0");
	EXPECT_EQ(Convert(kMy, My("tinyint", "tinyint(1)"), kPg, Pg("bool", "boolean"), "1"), "t");
	EXPECT_EQ(Convert(kMy, My("tinyint", "tinyint(1)"), kPg, Pg("int2", "smallint"), "2"), "2");
}

TEST(CopyConvertExact, TinyintOtherThanZeroOrOneIntoBooleanIsRefused) {
	EXPECT_TRUE(Refused(Convert(kMy, My("tinyint", "tinyint(1)"), kPg, Pg("bool", "boolean"), "2"),
	                    "value 2 is neither 0 nor 1"));
	EXPECT_TRUE(
	    Refused(Convert(kMy, My("tinyint", "tinyint(1)"), kPg, Pg("bool", "boolean"), "-1"), "neither"));
}

TEST(CopyConvertExact, IntegersOutOfTheTargetRangeAreRefused) {
	const ColumnDefinition unsigned_big = My("bigint", "bigint(20) unsigned");
	EXPECT_EQ(Convert(kMy, unsigned_big, kPg, Pg("numeric", "numeric(20,0)", 20, 0), "18446744073709551615"),
	          "18446744073709551615");
	EXPECT_TRUE(Refused(Convert(kMy, unsigned_big, kPg, Pg("int8", "bigint"), "9223372036854775808"),
	                    "value 9223372036854775808 is out of the range of PostgreSQL bigint"));
	EXPECT_EQ(Convert(kPg, Pg("int8", "bigint"), kMy, My("bigint", "bigint(20)"), "-9223372036854775808"),
	          "-9223372036854775808");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("int4", "integer"), kMy, My("tinyint", "tinyint(4)"), "128"),
	                    "out of the range"));
	EXPECT_EQ(Convert(kPg, Pg("int4", "integer"), kMy, My("tinyint", "tinyint(4)"), "-128"), "-128");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("int4", "integer"), kMy, My("int", "int(10) unsigned"), "-1"),
	                    "out of the range"));
	EXPECT_EQ(Convert(kPg, Pg("int4", "integer"), kMy, My("int", "int(10) unsigned"), "-0"), "0");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, My("int", "int(11)"), "1.5"),
	                    "out of the range"));
	EXPECT_EQ(Convert(kPg, Pg("numeric", "numeric"), kMy, My("int", "int(11)"), "007.000"), "7");
}

TEST(CopyConvertExact, DecimalsKeepTheirValueAndRefuseMoreDigits) {
	const ColumnDefinition decimal = My("decimal", "decimal(5,2)", 5, 2);
	EXPECT_EQ(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "123.40"), "123.4");
	EXPECT_EQ(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "-0.00"), "0");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "1234"),
	                    "value 1234 has more integer digits than MySQL decimal(5,2)"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "1.005"),
	                    "has more fractional digits than"));
	EXPECT_TRUE(Refused(Convert(kMy, My("decimal", "decimal(10,4)", 10, 4), kPg,
	                            Pg("numeric", "numeric(4,2)", 4, 2), "0.0001"),
	                    "more fractional digits than PostgreSQL numeric(4,2)"));
	EXPECT_TRUE(Refused(
	    Convert(kPg, Pg("numeric", "numeric"), kMy, My("decimal", "decimal(5,2) unsigned", 5, 2), "-1"),
	    "negative"));
	// numeric(5,-2) rounds to hundreds: 150 would become 200.
	const ColumnDefinition hundreds = Pg("numeric", "numeric(5,-2)", 5, -2);
	EXPECT_EQ(Convert(kMy, My("int", "int(11)"), kPg, hundreds, "1234500"), "1234500");
	EXPECT_TRUE(Refused(Convert(kMy, My("int", "int(11)"), kPg, hundreds, "150"), "rounded"));
}

TEST(CopyConvertExact, NanAndInfinityIntoDecimalAreRefused) {
	const ColumnDefinition decimal = My("decimal", "decimal(65,30)", 65, 30);
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "NaN"), "value NaN has no counterpart"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "Infinity"), "Infinity has no"));
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, decimal, "-Infinity"), "-Infinity has no"));
	EXPECT_EQ(Convert(kPg, Pg("numeric", "numeric"), kPg, Pg("numeric", "numeric"), "NaN"), "NaN");
	EXPECT_EQ(Convert(kPg, Pg("numeric", "numeric"), kPg, Pg("numeric", "numeric"), "-Infinity"),
	          "-Infinity");
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("numeric", "numeric"), kMy, My("bigint", "bigint(20)"), "NaN"), "NaN"));
}

TEST(CopyConvertExact, BitsTravelAsTheirNumber) {
	// PostgreSQL bit strings into MySQL BIT: LOAD DATA reads a BIT as its big-endian bytes.
	EXPECT_EQ(Convert(kPg, Pg("bit", "bit(10)", 10), kMy, My("bit", "bit(10)", 10), "1000000001"),
	          std::string("\x02\x01", 2));
	EXPECT_EQ(
	    Convert(kPg, Pg("varbit", "bit varying(64)", 64), kMy, My("bigint", "bigint(20) unsigned"), "101"),
	    "5");
	// MySQL BIT is read as BIT + 0, a number.
	EXPECT_EQ(Convert(kMy, My("bit", "bit(64)", 64), kPg, Pg("numeric", "numeric(20,0)", 20, 0),
	                  "18446744073709551615"),
	          "18446744073709551615");
	EXPECT_EQ(Convert(kMy, My("bit", "bit(5)", 5), kPg, Pg("bit", "bit(5)", 5), "5"), "00101");
	EXPECT_TRUE(
	    Refused(Convert(kMy, My("int", "int(11)"), kMy, My("bit", "bit(4)", 4), "16"), "needs more bits"));
	EXPECT_TRUE(
	    Refused(Convert(kMy, My("int", "int(11)"), kPg, Pg("bit", "bit(4)", 4), "-1"), "has no bits"));
}

TEST(CopyConvertExact, YearsAreWrittenWithFourDigits) {
	EXPECT_EQ(Convert(kMy, My("year", "year(4)"), kPg, Pg("int2", "smallint"), "0000"), "0");
	EXPECT_EQ(Convert(kMy, My("year", "year(4)"), kPg, Pg("int2", "smallint"), "2024"), "2024");
	// Two digits would be read as 2000 + n.
	EXPECT_EQ(Convert(kPg, Pg("int2", "smallint"), kMy, My("year", "year(4)"), "0"), "0000");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("int2", "smallint"), kMy, My("year", "year(4)"), "1900"), "no year"));
}

// ---- approximate numbers ----

TEST(CopyConvertApprox, FloatsTravelAsTheirShortestExactText) {
	EXPECT_EQ(Convert(kPg, Pg("float4", "real"), kMy, My("float", "float"), "0.1"), "0.10000000149011612");
	EXPECT_EQ(Convert(kMy, My("float", "float"), kPg, Pg("float4", "real"), "0.10000000149011612"), "0.1");
	EXPECT_EQ(
	    Convert(kPg, Pg("float8", "double precision"), kMy, My("double", "double"), "0.30000000000000004"),
	    "0.30000000000000004");
	EXPECT_EQ(Convert(kPg, Pg("float8", "double precision"), kMy, My("double", "double"), "1e+308"),
	          "1e+308");
	EXPECT_EQ(Convert(kMy, My("double", "double"), kPg, Pg("float8", "double precision"), "-0"), "-0");
	EXPECT_EQ(
	    Convert(kPg, Pg("float8", "double precision"), kPg, Pg("float8", "double precision"), "-Infinity"),
	    "-Infinity");
}

TEST(CopyConvertApprox, NanInfinityIntoMysqlAndDoublesIntoFloatAreRefused) {
	EXPECT_TRUE(Refused(Convert(kPg, Pg("float8", "double precision"), kMy, My("double", "double"), "NaN"),
	                    "value NaN has no counterpart in MySQL double"));
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("float4", "real"), kMy, My("float", "float"), "Infinity"), "no counterpart"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("float8", "double precision"), kMy, My("float", "float"), "0.1"),
	                    "is no 4-byte float"));
	EXPECT_EQ(Convert(kPg, Pg("float8", "double precision"), kMy, My("float", "float"), "0.5"), "0.5");
}

// ---- strings and bytes ----

TEST(CopyConvertStrings, ByteaTravelsAsRawBytesToMysqlAndAsHexToPostgres) {
	EXPECT_EQ(Convert(kPg, Pg("bytea", "bytea"), kMy, My("longblob", "longblob"), "\\x00ff41"),
	          std::string("\x00\xff"
	                      "A",
	                      3));
	EXPECT_EQ(Convert(kMy, My("blob", "blob"), kPg, Pg("bytea", "bytea"),
	                  std::string("\x00\xff"
	                              "A",
	                              3)),
	          "\\x00ff41");
	EXPECT_EQ(Convert(kPg, Pg("bytea", "bytea"), kPg, Pg("bytea", "bytea"), "\\x00"), "\\x00");
	EXPECT_EQ(Convert(kPg, Pg("bytea", "bytea"), kMy, My("longblob", "longblob"), "\\x"), "");
}

TEST(CopyConvertStrings, BinaryPaddingAndLengthAreChecked) {
	EXPECT_EQ(Convert(kPg, Pg("bytea", "bytea"), kMy, My("binary", "binary(2)", 2), "\\x0102"), "\x01\x02");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("bytea", "bytea"), kMy, My("binary", "binary(2)", 2), "\\x01"),
	                    "would pad it with zero bytes"));
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("bytea", "bytea"), kMy, My("varbinary", "varbinary(1)", 1), "\\x0102"),
	            "has 2 bytes, more than MySQL varbinary(1) holds"));
}

TEST(CopyConvertStrings, TextTooLongForVarcharIsCountedInCharacters) {
	const ColumnDefinition three = MyText("varchar", "varchar(3)", 3, "utf8mb4");
	EXPECT_EQ(Convert(kPg, Pg("text", "text"), kMy, three, "ééé"), "ééé");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, three, "éééé"),
	                    "has 4 characters, more than MySQL varchar(3) holds"));
	EXPECT_TRUE(
	    Refused(Convert(kMy, My("text", "text"), kPg, Pg("varchar", "character varying(2)", 2), "abc"),
	            "has 3 characters"));
	// A source that cannot be longer is not counted: the result is the same.
	EXPECT_EQ(Convert(kPg, Pg("varchar", "character varying(3)", 3), kMy, three, "abc"), "abc");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, MyText("tinytext", "tinytext", 255, "utf8mb4"),
	                            std::string(200, 'x') + std::string(60, 'y') + "é"),
	                    "bytes, more than MySQL tinytext holds"));
}

TEST(CopyConvertStrings, CharacterSetsOfTheTargetAreChecked) {
	const ColumnDefinition mb3 = MyText("varchar", "varchar(10)", 10, "utf8mb3");
	EXPECT_EQ(Convert(kPg, Pg("text", "text"), kMy, mb3, "café"), "café");
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("text", "text"), kMy, mb3, "a😀"), "holds U+1F600, which MySQL varchar(10)"));
	const ColumnDefinition latin1 = MyText("varchar", "varchar(10)", 10, "latin1");
	EXPECT_EQ(Convert(kPg, Pg("text", "text"), kMy, latin1, "€uro ÿ"), "€uro ÿ");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, latin1, "Ω"), "holds U+03A9"));
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("text", "text"), kMy, MyText("varchar", "varchar(10)", 10, "ascii"), "é"),
	            "holds U+00E9"));
}

TEST(CopyConvertStrings, WhatPostgresTextCannotHoldIsRefused) {
	EXPECT_EQ(Convert(kMy, My("text", "text"), kPg, Pg("text", "text"), std::string("a\0b", 3)),
	          "REFUSED: value X'610062' holds a NUL byte, which PostgreSQL text cannot store");
	EXPECT_TRUE(Refused(Convert(kMy, My("blob", "blob"), kPg, Pg("text", "text"), "\xff"),
	                    "value X'ff' is not valid UTF-8"));
	EXPECT_EQ(Convert(kMy, My("blob", "blob"), kPg, Pg("text", "text"), "ok"), "ok");
}

TEST(CopyConvertStrings, CharPadsAreDroppedAndTrailingSpacesIntoCharRefused) {
	EXPECT_EQ(Convert(kPg, Pg("bpchar", "character(5)", 5), kMy,
	                  MyText("varchar", "varchar(300)", 300, "utf8mb4"), "ab   "),
	          "ab");
	EXPECT_EQ(
	    Convert(kPg, Pg("bpchar", "character(5)", 5), kMy, MyText("char", "char(5)", 5, "utf8mb4"), "ab   "),
	    "ab");
	EXPECT_TRUE(
	    Refused(Convert(kMy, My("varchar", "varchar(5)", 5), kPg, Pg("bpchar", "character(5)", 5), "ab "),
	            "ends in spaces that PostgreSQL character(5) would drop"));
	// VARCHAR keeps trailing spaces, so they travel.
	EXPECT_EQ(Convert(kMy, My("varchar", "varchar(5)", 5), kPg, Pg("text", "text"), "ab "), "ab ");
}

TEST(CopyConvertStrings, UuidsMustBeInTheirStoredForm) {
	EXPECT_EQ(
	    Convert(kPg, Pg("uuid", "uuid"), kMy, My("uuid", "uuid"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
	    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
	EXPECT_TRUE(Refused(Convert(kMy, My("char", "char(36)", 36), kPg, Pg("uuid", "uuid"),
	                            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
	                    "lower-case"));
	EXPECT_EQ(Convert(kPg, Pg("uuid", "uuid"), kMy, MyText("char", "char(36)", 36, "ascii"),
	                  "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
	          "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST(CopyConvertStrings, EnumLabelsMustExistOnTheTarget) {
	const ColumnDefinition target = MyLabels("enum", {"sad", "ok", "happy"});
	EXPECT_EQ(Convert(kPg, PgEnum({"sad", "ok", "happy"}), kMy, target, "ok"), "ok");
	EXPECT_TRUE(Refused(Convert(kPg, PgEnum({"sad", "ok", "happy", "new"}), kMy, target, "new"),
	                    "value 'new' is not a label of MySQL"));
	EXPECT_TRUE(Refused(Convert(kPg, PgEnum({"OK"}), kMy, target, "OK"), "not a label"));
	EXPECT_TRUE(Refused(Convert(kMy, MyLabels("enum", {"a", "b"}), kPg, PgEnum({"a"}), ""), "not a label"));
	EXPECT_EQ(Convert(kMy, MyLabels("enum", {"a", "b"}), kPg, Pg("text", "text"), "b"), "b");
}

TEST(CopyConvertStrings, SetValuesMustBeLabelsInTheirOrder) {
	const ColumnDefinition set = MyLabels("set", {"a", "b", "c"});
	EXPECT_EQ(Convert(kPg, Pg("text", "text"), kMy, set, "a,c"), "a,c");
	EXPECT_EQ(Convert(kPg, Pg("text", "text"), kMy, set, ""), "");
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, set, "c,a"), "in their order"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, set, "a,a"), "in their order"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("text", "text"), kMy, set, "d"), "in their order"));
	EXPECT_EQ(Convert(kMy, set, kPg, Pg("text", "text"), "a,b"), "a,b");
}

// ---- dates, timestamps, times ----

TEST(CopyConvertTemporal, ZeroAndInvalidMysqlDatesIntoPostgresAreRefused) {
	EXPECT_TRUE(Refused(Convert(kMy, My("date", "date"), kPg, Pg("date", "date"), "0000-00-00"),
	                    "is no day of the calendar (a MySQL zero or invalid date), so PostgreSQL date"));
	EXPECT_TRUE(Refused(Convert(kMy, My("date", "date"), kPg, Pg("date", "date"), "2024-00-10"), "no day"));
	EXPECT_TRUE(Refused(Convert(kMy, My("datetime", "datetime", 0), kPg,
	                            Pg("timestamp", "timestamp(0) without time zone", 0), "2023-02-29 00:00:00"),
	                    "no day"));
	EXPECT_EQ(Convert(kMy, My("date", "date"), kPg, Pg("date", "date"), "2024-02-29"), "2024-02-29");
	// Between MySQL servers they are the data they are.
	EXPECT_EQ(Convert(kMy, My("date", "date"), kMy, My("date", "date"), "0000-00-00"), "0000-00-00");
}

TEST(CopyConvertTemporal, DatesOutsideTheMysqlRangeAndInfinitiesAreRefused) {
	EXPECT_TRUE(Refused(Convert(kPg, Pg("date", "date"), kMy, My("date", "date"), "0999-12-31"),
	                    "is outside the years 1000-9999 of MySQL date"));
	EXPECT_TRUE(
	    Refused(Convert(kPg, Pg("date", "date"), kMy, My("date", "date"), "2000-01-01 BC"), "outside"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("date", "date"), kMy, My("date", "date"), "infinity"),
	                    "value infinity has no counterpart in MySQL date"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("timestamptz", "timestamp with time zone"), kMy,
	                            My("datetime", "datetime(6)", 6), "-infinity"),
	                    "no counterpart"));
	EXPECT_TRUE(Refused(Convert(kPg, Pg("timestamp", "timestamp without time zone"), kMy,
	                            My("datetime", "datetime(6)", 6), "10000-01-01 00:00:00"),
	                    "outside the years"));
	EXPECT_EQ(Convert(kPg, Pg("date", "date"), kPg, Pg("date", "date"), "0044-03-15 BC"), "0044-03-15 BC");
	EXPECT_EQ(Convert(kPg, Pg("date", "date"), kPg, Pg("date", "date"), "infinity"), "infinity");
}

TEST(CopyConvertTemporal, InstantsTravelInUtc) {
	const ColumnDefinition tstz = Pg("timestamptz", "timestamp with time zone");
	EXPECT_EQ(Convert(kPg, tstz, kMy, My("datetime", "datetime(6)", 6), "2024-02-29 12:34:56.789012+00"),
	          "2024-02-29 12:34:56.789012");
	EXPECT_EQ(Convert(kMy, My("timestamp", "timestamp(6)", 6), kPg, tstz, "2038-01-19 03:14:07.999999"),
	          "2038-01-19 03:14:07.999999+00");
	EXPECT_EQ(Convert(kMy, My("datetime", "datetime", 0), kPg, Pg("timestamp", "timestamp without time zone"),
	                  "1000-01-01 00:00:00"),
	          "1000-01-01 00:00:00");
	EXPECT_TRUE(Refused(Convert(kPg, tstz, kMy, My("timestamp", "timestamp(6)", 6), "2038-01-19 03:14:08+00"),
	                    "outside the range of MySQL timestamp(6)"));
	EXPECT_TRUE(Refused(Convert(kPg, tstz, kMy, My("timestamp", "timestamp(6)", 6), "1970-01-01 00:00:00+00"),
	                    "outside the range"));
}

TEST(CopyConvertTemporal, FractionalDigitsTheTargetWouldRoundAreRefused) {
	EXPECT_TRUE(Refused(Convert(kPg, Pg("timestamp", "timestamp without time zone"), kMy,
	                            My("datetime", "datetime(3)", 3), "2024-01-01 00:00:00.0001"),
	                    "more fractional digits than MySQL datetime(3)"));
	EXPECT_EQ(Convert(kPg, Pg("timestamp", "timestamp without time zone"), kMy,
	                  My("datetime", "datetime(3)", 3), "2024-01-01 00:00:00.120"),
	          "2024-01-01 00:00:00.12");
	EXPECT_TRUE(Refused(Convert(kMy, My("time", "time(6)", 6), kPg,
	                            Pg("time", "time(2) without time zone", 2), "00:00:00.001"),
	                    "more fractional digits"));
}

TEST(CopyConvertTemporal, TimesBeyondADayOrBelowZeroIntoPostgresAreRefused) {
	const ColumnDefinition time = Pg("time", "time without time zone");
	EXPECT_TRUE(Refused(Convert(kMy, My("time", "time", 0), kPg, time, "24:00:01"),
	                    "is beyond 24:00:00: PostgreSQL time without time zone is a time of day"));
	EXPECT_TRUE(Refused(Convert(kMy, My("time", "time", 0), kPg, time, "838:59:59"), "beyond 24:00:00"));
	EXPECT_TRUE(Refused(Convert(kMy, My("time", "time", 0), kPg, time, "-00:00:01"), "below zero"));
	EXPECT_EQ(Convert(kMy, My("time", "time", 0), kPg, time, "24:00:00"), "24:00:00");
	EXPECT_EQ(Convert(kMy, My("time", "time(6)", 6), kPg, time, "-00:00:00.000000"), "00:00:00");
	EXPECT_EQ(Convert(kPg, time, kMy, My("time", "time(6)", 6), "23:59:59.999999"), "23:59:59.999999");
	EXPECT_EQ(Convert(kMy, My("time", "time", 0), kMy, My("time", "time", 0), "-838:59:59"), "-838:59:59");
}

// ---- JSON and the pairing itself ----

TEST(CopyConvertJson, JsonTravelsAsTextAndJsonbRefusesNul) {
	const ColumnDefinition json = My("longtext", "longtext");
	ColumnDefinition my_json = json;
	my_json.is_json = true;
	EXPECT_EQ(Convert(kPg, Pg("jsonb", "jsonb"), kMy, my_json, "{\"a\": 1}"), "{\"a\": 1}");
	EXPECT_TRUE(Refused(Convert(kMy, my_json, kPg, Pg("jsonb", "jsonb"), "[\"\\u0000\"]"), "holds \\u0000"));
	EXPECT_EQ(Convert(kMy, my_json, kPg, Pg("json", "json"), "[\"\\u0000\"]"), "[\"\\u0000\"]");
}

TEST(CopyConvert, ColumnsOfDifferentValueClassesAreNotPaired) {
	ColumnDefinition my_int = My("int", "int(11)");
	my_int.name = "n";
	ColumnDefinition doc = Pg("jsonb", "jsonb");
	doc.name = "doc";
	try {
		MakeConverter(kPg, doc, kMy, my_int);
		FAIL() << "jsonb into INT was paired";
	} catch (const Error &error) {
		EXPECT_STREQ(error.what(), "PostgreSQL column `doc` (jsonb) holds json values, but MySQL column `n` "
		                           "(int(11)) holds exact values: not the same value class");
	}
	EXPECT_THROW(
	    MakeConverter(kPg, Pg("float8", "double precision"), kMy, My("decimal", "decimal(5,2)", 5, 2)),
	    Error);
	EXPECT_THROW(MakeConverter(kMy, My("date", "date"), kPg, Pg("timestamp", "timestamp")), Error);
	EXPECT_THROW(MakeConverter(kPg, Pg("interval", "interval"), kPg, Pg("interval", "interval")), Error);
}

TEST(CopyConvert, OutputIsClearedAndReasonsShortenLongValues) {
	const std::unique_ptr<ValueConverter> converter =
	    MakeConverter(kMy, My("text", "text"), kPg, Pg("varchar", "character varying(2)", 2));
	std::string out = "previous";
	std::string reason;
	EXPECT_FALSE(converter->Convert(std::string(1000, 'x'), out, reason));
	EXPECT_TRUE(out.empty());
	EXPECT_NE(reason.find("...' (1000 bytes) has 1000 characters"), std::string::npos) << reason;
	EXPECT_FALSE(converter->Convert(std::string(59, 'x') + "é", out, reason));
	EXPECT_NE(reason.find("value '" + std::string(59, 'x') + "...' (61 bytes)"), std::string::npos) << reason;
	EXPECT_TRUE(converter->Convert("ab", out, reason));
	EXPECT_EQ(out, "ab");
}

} // namespace
} // namespace fingerprint::cli::copy
