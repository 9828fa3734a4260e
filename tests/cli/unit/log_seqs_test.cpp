// The change-log seq sets of MariaDB's exact copy seam (cli/src/log_seqs.hpp): what a
// copy's snapshot saw, kept as text in the migration's ledger and asked per change.
#include "cli_error.hpp"
#include "log_seqs.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace fingerprint::cli {
namespace {

TEST(LogSeqs, ContainsExactlyItsRanges) {
	LogSeqs seqs;
	seqs.Append(3, 5);
	seqs.Append(8, 8);
	seqs.Append(10, 20);
	for (const std::uint64_t seq : std::vector<std::uint64_t>{3, 4, 5, 8, 10, 15, 20})
		EXPECT_TRUE(seqs.Contains(seq)) << seq;
	// Below, between (a transaction open at the snapshot, or rolled back) and above.
	for (const std::uint64_t seq : std::vector<std::uint64_t>{0, 1, 2, 6, 7, 9, 21, 1000})
		EXPECT_FALSE(seqs.Contains(seq)) << seq;
	EXPECT_EQ(seqs.Highest(), 20u);
	EXPECT_EQ(seqs.Text(), "3-5,8,10-20");
}

TEST(LogSeqs, EmptySetHoldsNothing) {
	const LogSeqs seqs = LogSeqs::Parse("", "test");
	EXPECT_TRUE(seqs.empty());
	EXPECT_FALSE(seqs.Contains(1));
	EXPECT_EQ(seqs.Highest(), 0u);
	EXPECT_EQ(seqs.Text(), "");
}

TEST(LogSeqs, TextRoundTrips) {
	for (const char *text : {"1", "1-2", "1-40,43,45-90", "18446744073709551615"})
		EXPECT_EQ(LogSeqs::Parse(text, "test").Text(), text);
}

TEST(LogSeqs, RefusesWhatIsNotItsText) {
	for (const char *text :
	     {"x", "1-", "-3", "1,", ",1", "1 - 2", "5-3", "1-5,4-9", "1-5,6", "3,2", "18446744073709551616"})
		EXPECT_THROW(LogSeqs::Parse(text, "the ledger's copy seam of src.t"), Error) << text;
	try {
		LogSeqs::Parse("1,x", "the ledger's copy seam of src.t");
		FAIL();
	} catch (const Error &error) {
		EXPECT_NE(std::string(error.what()).find("src.t"), std::string::npos) << error.what();
	}
}

TEST(LogSeqs, AppendRefusesOverlapsAndDisorder) {
	LogSeqs seqs;
	seqs.Append(5, 9);
	EXPECT_THROW(seqs.Append(9, 12), Error);
	EXPECT_THROW(seqs.Append(10, 12), Error); // touching: the copy's query joins runs
	EXPECT_THROW(seqs.Append(1, 2), Error);
	EXPECT_NO_THROW(seqs.Append(11, 12));
}

} // namespace
} // namespace fingerprint::cli
