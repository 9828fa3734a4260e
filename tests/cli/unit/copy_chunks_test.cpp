// How fingerprint copy cuts a table into key ranges, writes their filters, and adds
// chunk fingerprints up to the table's.
#include "copy_chunks.hpp"

#include "cli_error.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace fingerprint::cli::copy {
namespace {

// Every key in [min, max] belongs to exactly one chunk, and the ends are open.
void ExpectCover(const std::vector<Chunk> &chunks) {
	ASSERT_FALSE(chunks.empty());
	EXPECT_FALSE(chunks.front().lo);
	EXPECT_FALSE(chunks.back().hi);
	for (std::size_t i = 0; i < chunks.size(); ++i) {
		EXPECT_EQ(chunks[i].number, static_cast<int>(i));
		if (i > 0) {
			ASSERT_TRUE(chunks[i].lo);
			ASSERT_TRUE(chunks[i - 1].hi);
			EXPECT_EQ(*chunks[i].lo, *chunks[i - 1].hi);
			if (chunks[i].hi) {
				EXPECT_LT(*chunks[i].lo, *chunks[i].hi);
			}
		}
	}
}

TEST(CopyChunks, SmallOrEmptyTablesAreOneChunk) {
	EXPECT_EQ(PlanChunks(1, 100, 100, 1000).size(), 1u);
	EXPECT_EQ(PlanChunks(0, -1, 0, 10).size(), 1u);      // empty: no min/max
	EXPECT_EQ(PlanChunks(1, 100, 100000, 0).size(), 1u); // no key to cut on
	ExpectCover(PlanChunks(5, 5, 1, 1));
}

TEST(CopyChunks, CutsByRowsIntoRangesOfEqualWidth) {
	const std::vector<Chunk> chunks = PlanChunks(1, 1000, 1000, 100);
	ASSERT_EQ(chunks.size(), 10u);
	ExpectCover(chunks);
	EXPECT_EQ(*chunks[1].lo, 100);
	EXPECT_EQ(*chunks[9].lo, 900);
}

TEST(CopyChunks, NeverMoreChunksThanKeys) {
	EXPECT_EQ(PlanChunks(1, 3, 1000000, 1).size(), 3u);
	ExpectCover(PlanChunks(1, 3, 1000000, 1));
}

TEST(CopyChunks, TheWholeInt64RangeWithoutOverflow) {
	const std::int64_t min = std::numeric_limits<std::int64_t>::min();
	const std::int64_t max = std::numeric_limits<std::int64_t>::max();
	const std::vector<Chunk> chunks = PlanChunks(min, max, 1000, 100);
	ASSERT_EQ(chunks.size(), 10u);
	ExpectCover(chunks);
	EXPECT_LT(*chunks[1].lo, 0);
	EXPECT_GT(*chunks[9].lo, 0);
	EXPECT_LE(PlanChunks(min, max, UINT64_MAX, 1).size(), kMaxChunks);
}

TEST(CopyChunks, Filters) {
	Chunk chunk;
	EXPECT_EQ(ChunkFilter(chunk, "\"id\""), "");
	chunk.hi = 10;
	EXPECT_EQ(ChunkFilter(chunk, "\"id\""), "\"id\" < 10");
	chunk.lo = -5;
	EXPECT_EQ(ChunkFilter(chunk, "`id`"), "`id` >= -5 AND `id` < 10");
	EXPECT_EQ(DescribeChunk(chunk), "keys -5..9");
	chunk.hi.reset();
	EXPECT_EQ(ChunkFilter(chunk, "k"), "k >= -5");
}

TEST(CopyChunks, FingerprintsAddModulo2To128) {
	EXPECT_EQ(AddFingerprints(kEmptyFingerprint, "fp1:xxh3:2:000000000000000000000000000000ff"),
	          "fp1:xxh3:2:000000000000000000000000000000ff");
	EXPECT_EQ(AddFingerprints("fp1:xxh3:1:0000000000000000ffffffffffffffff",
	                          "fp1:xxh3:3:00000000000000000000000000000001"),
	          "fp1:xxh3:4:00000000000000010000000000000000");
	EXPECT_EQ(AddFingerprints("fp1:xxh3:1:ffffffffffffffffffffffffffffffff",
	                          "fp1:xxh3:1:00000000000000000000000000000002"),
	          "fp1:xxh3:2:00000000000000000000000000000001");
	EXPECT_THROW(AddFingerprints("fp1:xxh3:1:00", kEmptyFingerprint), Error);
	EXPECT_THROW(AddFingerprints("fp1:sha256:1:00000000000000000000000000000000", kEmptyFingerprint), Error);
}

} // namespace
} // namespace fingerprint::cli::copy
