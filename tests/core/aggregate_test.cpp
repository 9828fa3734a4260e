// The table fingerprint: count plus the sum of row hashes modulo 2^128.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace fingerprint::testing {
namespace {

Digest128 RowOf(std::int64_t key, const std::string &text) {
	RowHasher hasher;
	hasher.AddInt64(key);
	EXPECT_EQ(hasher.AddText(text.data(), text.size(), true), Status::ok);
	return hasher.Finish();
}

std::string TableOf(const std::vector<Digest128> &rows, Algorithm algorithm = Algorithm::xxh3) {
	AggregateState state;
	AggregateInit(&state, algorithm);
	for (const Digest128 &row : rows)
		AggregateAdd(&state, row);
	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	return text;
}

TEST(Aggregate, EmptyTable) {
	EXPECT_EQ(TableOf({}), "fp1:xxh3:0:00000000000000000000000000000000");
	EXPECT_EQ(TableOf({}, Algorithm::sha256), "fp1:sha256:0:00000000000000000000000000000000");
}

TEST(Aggregate, CarryCrossesTheLanes) {
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	AggregateAdd(&state, Digest128{0, ~0ULL});
	AggregateAdd(&state, Digest128{0, 1});
	EXPECT_EQ(state.sum_hi, 1u);
	EXPECT_EQ(state.sum_lo, 0u);
	AggregateAdd(&state, Digest128{~0ULL, ~0ULL}); // adding 2^128 - 1 subtracts one
	EXPECT_EQ(state.sum_hi, 0u);
	EXPECT_EQ(state.sum_lo, ~0ULL);
}

TEST(Aggregate, OrderIndependentDuplicateSensitiveMergeable) {
	std::vector<Digest128> rows;
	for (int i = 0; i < 1000; i++)
		rows.push_back(RowOf(i, "row " + std::to_string(i)));
	const std::string base = TableOf(rows);

	std::vector<Digest128> shuffled = rows;
	std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(1));
	EXPECT_EQ(TableOf(shuffled), base);

	std::vector<Digest128> duplicated = rows;
	duplicated.push_back(rows[5]);
	EXPECT_NE(TableOf(duplicated), base);

	// Two values swapped between rows: same multiset of values, different rows.
	std::vector<Digest128> swapped = rows;
	swapped[1] = RowOf(1, "row 2");
	swapped[2] = RowOf(2, "row 1");
	EXPECT_NE(TableOf(swapped), base);

	// Merging chunks (as parallel workers do) gives the whole.
	AggregateState a, b;
	AggregateInit(&a, Algorithm::xxh3);
	AggregateInit(&b, Algorithm::xxh3);
	for (std::size_t i = 0; i < rows.size(); i++)
		AggregateAdd(i % 3 ? &a : &b, rows[i]);
	ASSERT_EQ(AggregateMerge(&a, b), Status::ok);
	char text[kMaxPrintableLength];
	FormatTableFingerprint(a, text);
	EXPECT_EQ(std::string(text), base);
}

TEST(Aggregate, SubtractUndoesAdd) {
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	const Digest128 x = RowOf(1, "x"), y = RowOf(2, "y");
	AggregateAdd(&state, x);
	AggregateAdd(&state, y);
	AggregateSubtract(&state, x);
	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	EXPECT_EQ(std::string(text), TableOf({y}));
}

TEST(Aggregate, SerializeParseAndMismatch) {
	AggregateState state, back;
	AggregateInit(&state, Algorithm::sha256);
	AggregateAdd(&state, Digest128{0x0123456789abcdefULL, 0xfedcba9876543210ULL});
	unsigned char wire[kSerializedStateSize];
	AggregateSerialize(state, wire);
	ASSERT_EQ(AggregateDeserialize(wire, sizeof wire, &back), Status::ok);
	EXPECT_EQ(back.rows, 1u);
	EXPECT_EQ(back.sum_hi, state.sum_hi);
	EXPECT_EQ(AggregateDeserialize(wire, 5, &back), Status::invalid_fingerprint);

	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	EXPECT_EQ(std::string(text), "fp1:sha256:1:0123456789abcdeffedcba9876543210");
	ASSERT_EQ(ParseTableFingerprint(text, &back), Status::ok);
	EXPECT_EQ(back.sum_lo, state.sum_lo);
	EXPECT_EQ(ParseTableFingerprint("fp2:xxh3:1:0123456789abcdeffedcba9876543210", &back),
	          Status::invalid_fingerprint);
	EXPECT_EQ(ParseTableFingerprint("fp1:md5:1:0123456789abcdeffedcba9876543210", &back),
	          Status::invalid_fingerprint);

	AggregateState other;
	AggregateInit(&other, Algorithm::xxh3);
	AggregateAdd(&other, Digest128{1, 1});
	EXPECT_EQ(AggregateMerge(&other, state), Status::algorithm_mismatch);
}

} // namespace
} // namespace fingerprint::testing
