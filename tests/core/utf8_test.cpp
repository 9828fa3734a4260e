// The one UTF-8 rule of the project (RFC 3629): what is a valid sequence, and how text
// whose encoding nobody checked is made showable.
#include "fingerprint/utf8.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace {

using fingerprint::HasUtf8Surrogate;
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

bool Surrogate(const std::string &bytes) {
	return HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
}

// code point -> UTF-8 bytes, surrogates included (what MariaDB lets into utf8mb4)
std::string Encode(std::uint32_t c) {
	std::string out;
	if (c < 0x80) {
		out += static_cast<char>(c);
	} else if (c < 0x800) {
		out += static_cast<char>(0xC0 | (c >> 6));
		out += static_cast<char>(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		out += static_cast<char>(0xE0 | (c >> 12));
		out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (c & 0x3F));
	} else {
		out += static_cast<char>(0xF0 | (c >> 18));
		out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
		out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (c & 0x3F));
	}
	return out;
}

TEST(Utf8, SurrogatesFound) {
	EXPECT_FALSE(Surrogate(""));
	EXPECT_FALSE(Surrogate("plain ascii"));
	EXPECT_FALSE(Surrogate("\xED\x9F\xBF")); // U+D7FF, the last code point before them
	EXPECT_TRUE(Surrogate("\xED\xA0\x80"));  // U+D800
	EXPECT_TRUE(Surrogate("ab\xED\x9F\xBF\xED\xBF\xBFz"));
	EXPECT_TRUE(Surrogate("\xED")); // cut short
}

// On text that is well-formed but for surrogates (what a MariaDB utf8mb4 column holds),
// the surrogate search and full validation agree, whatever the mix of code points.
TEST(Utf8, SurrogateSearchIsValidationOnServerCheckedText) {
	std::mt19937 random(12);
	const std::uint32_t ranges[][2] = {
	    {0, 0x7F}, {0x80, 0x7FF}, {0x800, 0xFFFF}, {0xD000, 0xE000}, {0x10000, 0x10FFFF}};
	for (int round = 0; round < 20000; ++round) {
		std::string text;
		const int count = static_cast<int>(random() % 12);
		for (int i = 0; i < count; ++i) {
			const auto &range = ranges[random() % 5];
			text += Encode(range[0] + random() % (range[1] - range[0] + 1));
		}
		ASSERT_EQ(Surrogate(text), !IsValidUtf8(text)) << round;
	}
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
