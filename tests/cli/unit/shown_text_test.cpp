// What reaches a terminal from names, values and server messages.
#include "shown_text.hpp"

#include <gtest/gtest.h>

namespace fingerprint::cli {
namespace {

TEST(ShownText, ControlCharactersAreEscaped) {
	EXPECT_EQ(Shown("plain caf\xC3\xA9"), "plain caf\xC3\xA9");
	EXPECT_EQ(Shown("esc\x1b[2Jx"), "esc\\x1B[2Jx");
	EXPECT_EQ(Shown("tab\tnl\ndel\x7f"), "tab\\x09nl\\x0Adel\\x7F");
	EXPECT_EQ(Shown("c1 \xC2\x9B"
	                "31m"),
	          "c1 \\x9B31m");                           // U+009B, the 8-bit CSI
	EXPECT_EQ(Shown("nbsp \xC2\xA0"), "nbsp \xC2\xA0"); // U+00A0 is printable
	EXPECT_EQ(Shown("bad \xFF"), "bad \xEF\xBF\xBD");
}

TEST(ShownText, LinesKeepTheirBreaks) {
	EXPECT_EQ(ShownLines("one\x1b\nfingerprint: two"), "one\\x1B\nfingerprint: two");
}

} // namespace
} // namespace fingerprint::cli
