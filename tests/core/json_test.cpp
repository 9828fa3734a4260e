// JSON values are equal when they mean the same: key order, whitespace and number
// spelling do not matter; array order, values and types do.
#include "json.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace fingerprint::testing {
namespace {

std::string Canonical(const std::string &text) {
	std::string out;
	EXPECT_EQ(CanonicalizeJson(text, &out), Status::ok) << text;
	return out;
}

TEST(Json, CanonicalForm) {
	EXPECT_EQ(Canonical(" { \"b\" : 1 ,\n\"a\":[ 1.0 , 1e2 ] } "), "{\"a\":[1,100],\"b\":1}");
	EXPECT_EQ(Canonical("{\"a\":{\"d\":null,\"c\":false}}"), "{\"a\":{\"c\":false,\"d\":null}}");
	EXPECT_EQ(Canonical("123456789012345678901234567890"), "123456789012345678901234567890");
	EXPECT_EQ(Canonical("-0.0"), "0");
	EXPECT_EQ(Canonical("\"\\u0041\\u00e9\\ud83d\\ude00\""), "\"A\xc3\xa9\xf0\x9f\x98\x80\"");
	EXPECT_EQ(Canonical("\"tab\\there\""), "\"tab\\u0009here\"");
	EXPECT_EQ(Canonical("{\"k\":1,\"k\":[2]}"), "{\"k\":[2]}");
	EXPECT_EQ(Canonical("[]"), "[]");
	EXPECT_EQ(Canonical("{}"), "{}");
}

TEST(Json, DifferencesRemain) {
	EXPECT_NE(Canonical("[1,2]"), Canonical("[2,1]"));
	EXPECT_NE(Canonical("\"1\""), Canonical("1"));
	EXPECT_NE(Canonical("{\"a\":1}"), Canonical("{\"A\":1}"));
	EXPECT_NE(Canonical("1.01"), Canonical("1.1"));
	EXPECT_NE(Canonical("null"), Canonical("\"null\""));
}

TEST(Json, Errors) {
	std::string out;
	EXPECT_EQ(CanonicalizeJson("{", &out), Status::invalid_json);
	EXPECT_EQ(CanonicalizeJson("[1,]", &out), Status::invalid_json);
	EXPECT_EQ(CanonicalizeJson("NaN", &out), Status::invalid_json);
	EXPECT_EQ(CanonicalizeJson("1 2", &out), Status::invalid_json);
	EXPECT_EQ(CanonicalizeJson("\"\xc3\x28\"", &out), Status::invalid_utf8);
	EXPECT_EQ(CanonicalizeJson("1e9999999", &out), Status::number_out_of_range);
	EXPECT_EQ(CanonicalizeJson("1e309", &out), Status::number_out_of_range);
	EXPECT_EQ(CanonicalizeJson("1e-400", &out), Status::ok);
	EXPECT_EQ(CanonicalizeJson(std::string(300, '[') + std::string(300, ']'), &out), Status::json_too_deep);
	EXPECT_EQ(CanonicalizeJson(std::string(200, '[') + std::string(200, ']'), &out), Status::ok);
	EXPECT_EQ(CanonicalizeJson(std::string(100000, '['), &out), Status::json_too_deep); // no stack overflow
}

TEST(Json, HasherTagsJsonApartFromStrings) {
	RowHasher json, text;
	ASSERT_EQ(json.AddJsonText("\"a\""), Status::ok);
	ASSERT_EQ(text.AddText("\"a\"", 3, true), Status::ok);
	EXPECT_NE(RowHex(json), RowHex(text));
}

} // namespace
} // namespace fingerprint::testing
