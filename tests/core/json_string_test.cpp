// FormatJsonString (fingerprint/json_string.hpp), the one JSON string escaper: every
// escape class, the length it reports, and a buffer too short for the result.
#include "fingerprint/json_string.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fingerprint {
namespace {

std::string Json(std::string_view text) {
	const std::size_t length = FormatJsonString(text, nullptr, 0);
	std::string out(length, '?');
	EXPECT_EQ(FormatJsonString(text, &out[0], out.size()), length);
	return out;
}

TEST(JsonString, PlainTextIsQuotedVerbatim) {
	EXPECT_EQ(Json(""), "\"\"");
	EXPECT_EQ(Json("abc"), "\"abc\"");
	// Everything from 0x20 up except '"' and '\' stays as it is: '/', DEL, UTF-8 bytes.
	EXPECT_EQ(Json(" /~\x7f"), "\" /~\x7f\"");
	EXPECT_EQ(Json("h\xc3\xa9 \xf0\x9f\x98\x80"), "\"h\xc3\xa9 \xf0\x9f\x98\x80\"");
}

TEST(JsonString, QuoteAndBackslashTakeABackslash) {
	EXPECT_EQ(Json("\""), "\"\\\"\"");
	EXPECT_EQ(Json("\\"), "\"\\\\\"");
	EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(JsonString, ControlCharactersAreLowerCaseUnicodeEscapes) {
	// No short forms (\n, \t): one spelling for each character.
	EXPECT_EQ(Json(std::string_view("\0", 1)), "\"\\u0000\"");
	EXPECT_EQ(Json("\n"), "\"\\u000a\"");
	EXPECT_EQ(Json("\t\r\b\f"), "\"\\u0009\\u000d\\u0008\\u000c\"");
	EXPECT_EQ(Json("\x1f"), "\"\\u001f\"");
	EXPECT_EQ(Json("\x1b[0m"), "\"\\u001b[0m\"");
	EXPECT_EQ(Json("\x20"), "\" \"");
}

TEST(JsonString, EveryByteBelowSpaceIsEscaped) {
	for (int byte = 0; byte < 0x20; ++byte) {
		SCOPED_TRACE(byte);
		const char c = static_cast<char>(byte);
		static constexpr char kHex[] = "0123456789abcdef";
		const std::string expected = std::string("\"\\u00") + kHex[byte >> 4] + kHex[byte & 0xf] + "\"";
		EXPECT_EQ(Json(std::string_view(&c, 1)), expected);
	}
}

TEST(JsonString, LengthIsReportedWithoutABuffer) {
	EXPECT_EQ(FormatJsonString("", nullptr, 0), 2u);
	EXPECT_EQ(FormatJsonString("ab", nullptr, 0), 4u);
	EXPECT_EQ(FormatJsonString("\"", nullptr, 0), 4u);
	EXPECT_EQ(FormatJsonString("\n", nullptr, 0), 8u);
	// nullptr with a capacity still writes nothing.
	EXPECT_EQ(FormatJsonString("ab", nullptr, 100), 4u);
}

TEST(JsonString, TooShortBufferIsLeftUntouched) {
	const std::string_view text = "a\"\n";
	const std::size_t length = FormatJsonString(text, nullptr, 0);
	ASSERT_EQ(length, 2u + 1 + 2 + 6);
	for (std::size_t capacity = 0; capacity < length; ++capacity) {
		SCOPED_TRACE(capacity);
		std::string out(length, '#');
		EXPECT_EQ(FormatJsonString(text, &out[0], capacity), length);
		EXPECT_EQ(out, std::string(length, '#'));
	}
	std::string out(length + 3, '#');
	EXPECT_EQ(FormatJsonString(text, &out[0], out.size()), length);
	EXPECT_EQ(out, "\"a\\\"\\u000a\"###"); // exactly length bytes, no terminator
}

} // namespace
} // namespace fingerprint
