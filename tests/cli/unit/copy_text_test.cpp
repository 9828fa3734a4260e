// The bulk-load text formats of fingerprint copy: COPY TO STDOUT lines split and
// un-escaped, values escaped for COPY FROM STDIN and LOAD DATA, NULL apart from ''.
#include "copy_text.hpp"

#include "cli_error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fingerprint::cli::copy {
namespace {

struct Split {
	std::vector<std::string> fields;
	std::vector<bool> nulls;
};

// Splits a copy of `line` in place, as the PostgreSQL reader does libpq's buffer.
Split Parse(std::string_view line) {
	std::string buffer(line);
	std::vector<std::string_view> fields;
	Split split;
	SplitCopyTextLineInPlace(buffer.data(), buffer.size(), fields, split.nulls);
	split.fields.assign(fields.begin(), fields.end());
	return split;
}

TEST(CopyText, SplitsFieldsAndNulls) {
	const Split split = Parse("1\t\\N\t\tx\n");
	EXPECT_EQ(split.fields, (std::vector<std::string>{"1", "", "", "x"}));
	EXPECT_EQ(split.nulls, (std::vector<bool>{false, true, false, false}));
}

TEST(CopyText, UnescapesEveryEscapeCopyWrites) {
	const Split split = Parse("a\\tb\\nc\\\\d\\re\\bf\\fg\\vh\t\\x41\\101\\N2");
	ASSERT_EQ(split.fields.size(), 2u);
	EXPECT_EQ(split.fields[0], "a\tb\nc\\d\re\bf\fg\vh");
	EXPECT_EQ(split.fields[1], "AAN2"); // \N inside a value is just N
	EXPECT_FALSE(split.nulls[1]);
}

TEST(CopyText, ReusesItsVectorsAcrossLinesOfOtherWidths) {
	std::string wide = "1\t2\t3", narrow = "\\N";
	std::vector<std::string_view> fields;
	std::vector<bool> nulls;
	SplitCopyTextLineInPlace(wide.data(), wide.size(), fields, nulls);
	SplitCopyTextLineInPlace(narrow.data(), narrow.size(), fields, nulls);
	EXPECT_EQ(fields.size(), 1u);
	EXPECT_TRUE(nulls[0]);
}

TEST(CopyText, UnescapesInPlaceFieldAfterField) {
	// Each field shrinks by its escapes; the next one starts where its bytes end.
	const Split split = Parse("\\\\x41\\101\t\\N\tb\\\\\\tc\t\\x4\t\\x\n");
	EXPECT_EQ(split.fields, (std::vector<std::string>{"\\x41A", "", "b\\\tc", "\x04", "x"}));
	EXPECT_EQ(split.nulls, (std::vector<bool>{false, true, false, false, false}));
}

TEST(CopyText, RefusesALoneBackslash) {
	EXPECT_THROW(Parse("abc\\"), Error);
}

TEST(CopyText, CopyEscapingRoundTrips) {
	const std::string value =
	    std::string("tab\there\nnew\\slash\rret \xF0\x9F\x98\x80 ") + std::string(1, '\0');
	std::string line;
	AppendCopyText(value, line);
	EXPECT_EQ(line.find('\t'), std::string::npos);
	EXPECT_EQ(line.find('\n'), std::string::npos);
	const Split split = Parse(line);
	EXPECT_EQ(split.fields[0], value);
}

TEST(CopyText, LoadDataEscaping) {
	std::string line;
	AppendLoadDataText(std::string("a\tb\nc\\d\re") + std::string(1, '\0'), line);
	EXPECT_EQ(line, "a\\tb\\nc\\\\d\\re\\0");
	line.clear();
	AppendLoadDataText("\\N", line); // a value spelled like NULL stays a value
	EXPECT_EQ(line, "\\\\N");
}

} // namespace
} // namespace fingerprint::cli::copy
