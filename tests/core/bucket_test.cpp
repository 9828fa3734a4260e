// Buckets: the high 64 bits of the XXH3-128 digest of the key image, modulo the count.
// The expected numbers come from the xxhsum tool (xxhsum -H2) over the hand-written
// images, not from the core.
#include "test_support.hpp"

#include "fingerprint/bucket.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fingerprint::testing {
namespace {

// Image of the key (42): 01 00000002 "42"; xxhsum -H2: ee2e156c9676f518ee60365fa77be0b0.
const std::string kKey42 = BytesOfHex("01000000023432");
// Image of the key ('abc', 7): 03 00000003 "abc" 01 00000001 "7";
// xxhsum -H2: cb2af9308e679a752a0fa08b11b9a2fa.
const std::string kKeyAbc7 = BytesOfHex("0300000003616263010000000137");

TEST(Bucket, KeyImageDigestIsXxh3OfTheImage) {
	const Digest128 digest = KeyImageDigest(kKey42.data(), kKey42.size());
	EXPECT_EQ(digest.hi, 0xee2e156c9676f518ULL);
	EXPECT_EQ(digest.lo, 0xee60365fa77be0b0ULL);
}

TEST(Bucket, KnownAnswers) {
	EXPECT_EQ(BucketOfKeyImage(kKey42.data(), kKey42.size(), 1000), 600u);
	EXPECT_EQ(BucketOfKeyImage(kKey42.data(), kKey42.size(), 65536), 62744u);
	EXPECT_EQ(BucketOfKeyImage(kKey42.data(), kKey42.size(), 16777216), 7795992u);
	EXPECT_EQ(BucketOfKeyImage(kKey42.data(), kKey42.size(), 7), 6u);
	EXPECT_EQ(BucketOfKeyImage(kKeyAbc7.data(), kKeyAbc7.size(), 1000), 413u);
	EXPECT_EQ(BucketOfKeyImage(kKeyAbc7.data(), kKeyAbc7.size(), 65536), 39541u);
	EXPECT_EQ(BucketOfKeyImage(kKeyAbc7.data(), kKeyAbc7.size(), 16777216), 6789749u);
	EXPECT_EQ(BucketOfKeyImage(kKeyAbc7.data(), kKeyAbc7.size(), 7), 0u);
}

TEST(Bucket, OneBucketHoldsEverything) {
	EXPECT_EQ(BucketOfKeyImage(kKey42.data(), kKey42.size(), 1), 0u);
	EXPECT_EQ(BucketOfKeyImage(kKeyAbc7.data(), kKeyAbc7.size(), 1), 0u);
	EXPECT_EQ(BucketOfKeyImage("", 0, 1), 0u);
}

// What the adapters do: feed the key values to a RowHasher with the key algorithm.
TEST(Bucket, RowHasherDigestOfTheKeyGivesTheSameBucket) {
	RowHasher hasher(kKeyAlgorithm);
	hasher.AddInt64(42);
	EXPECT_EQ(BucketOfKeyDigest(hasher.Finish(), 1000), 600u);
	ASSERT_EQ(hasher.AddText("abc", 3, true), Status::ok);
	ASSERT_EQ(hasher.AddDecimalText("7.000"), Status::ok); // canonical: 7
	EXPECT_EQ(BucketOfKeyDigest(hasher.Finish(), 65536), 39541u);
}

TEST(Bucket, ValidCounts) {
	EXPECT_FALSE(IsValidBucketCount(0));
	EXPECT_FALSE(IsValidBucketCount(-1));
	EXPECT_TRUE(IsValidBucketCount(1));
	EXPECT_TRUE(IsValidBucketCount(16777216));
	EXPECT_FALSE(IsValidBucketCount(16777217));
	EXPECT_FALSE(IsValidBucketCount(std::int64_t{1} << 40));
}

TEST(Bucket, KeysSpreadOverTheBuckets) {
	// 100,000 integer keys into 16 buckets: each bucket gets close to 1/16 of them.
	std::vector<int> counts(16, 0);
	RowHasher hasher(kKeyAlgorithm);
	for (std::int64_t key = 0; key < 100000; ++key) {
		hasher.AddInt64(key);
		counts[BucketOfKeyDigest(hasher.Finish(), 16)]++;
	}
	for (const int count : counts) {
		EXPECT_GT(count, 6250 - 400);
		EXPECT_LT(count, 6250 + 400);
	}
}

} // namespace
} // namespace fingerprint::testing
