// The one UTF-8 rule of the project (RFC 3629): what is a valid sequence, and how text
// whose encoding nobody checked is made showable.
#include "fingerprint/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using fingerprint::IsValidUtf8;
using fingerprint::ToValidUtf8;
using fingerprint::Utf8SequenceLength;

std::size_t Length(const std::string &bytes) {
	return Utf8SequenceLength(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
}

TEST(Utf8, SequenceLengths) {
	EXPECT_EQ(Length("a"), 1u);
	EXPECT_EQ(Length("\xC3\xA9"), 2u);         // é
	EXPECT_EQ(Length("\xE2\x82\xAC"), 3u);     // €
	EXPECT_EQ(Length("\xF0\x9F\x98\x80"), 4u); // 😀
	EXPECT_EQ(Length("\xC3"), 0u);             // truncated
	EXPECT_EQ(Length("\xC0\xAF"), 0u);         // overlong '/'
	EXPECT_EQ(Length("\xE0\x80\xAF"), 0u);     // overlong
	EXPECT_EQ(Length("\xED\xA0\x80"), 0u);     // surrogate
	EXPECT_EQ(Length("\xF4\x90\x80\x80"), 0u); // above U+10FFFF
	EXPECT_EQ(Length("\xFF"), 0u);
	EXPECT_EQ(Length("\x80"), 0u); // a continuation byte alone
}

TEST(Utf8, ValidationAgreesWithSequenceLengths) {
	EXPECT_TRUE(IsValidUtf8(std::string("plain ascii text, longer than eight bytes")));
	EXPECT_TRUE(IsValidUtf8(std::string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80")));
	EXPECT_FALSE(IsValidUtf8(std::string("12345678\xC3")));
	EXPECT_FALSE(IsValidUtf8(std::string("abc\xED\xA0\x80xyz")));
}

TEST(Utf8, ToValidReplacesEachBadByteAndKeepsTheRest) {
	EXPECT_EQ(ToValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
	EXPECT_EQ(ToValidUtf8("a\xFF"
	                      "b"),
	          "a\xEF\xBF\xBD"
	          "b");
	EXPECT_EQ(ToValidUtf8("\xC3"), "\xEF\xBF\xBD");
	EXPECT_EQ(ToValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xF4\x90\x80\x80\xC0\xAF\xED\xA0\x80")));
}

} // namespace
