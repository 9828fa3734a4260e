// Incremental fingerprints: advancing a table fingerprint over changes equals
// fingerprinting the table afterwards.
#include "fingerprint/aggregate.hpp"
#include "fingerprint/change.hpp"
#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace fingerprint {
namespace {

std::string RowFingerprint(std::int64_t key, std::int64_t value, Algorithm algorithm = Algorithm::xxh3) {
	RowHasher hasher(algorithm);
	hasher.AddInt64(key);
	hasher.AddInt64(value);
	char text[kMaxPrintableLength];
	FormatRowFingerprint(algorithm, hasher.Finish(), text);
	return text;
}

std::string TableFingerprint(const std::map<std::int64_t, std::int64_t> &table) {
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	for (const auto &[key, value] : table) {
		Digest128 digest;
		Algorithm algorithm;
		EXPECT_EQ(ParseRowFingerprint(RowFingerprint(key, value), &algorithm, &digest), Status::ok);
		AggregateAdd(&state, digest);
	}
	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	return text;
}

TEST(Change, ParsesOperations) {
	ChangeOp op;
	EXPECT_TRUE(ParseChangeOp("I", &op));
	EXPECT_EQ(op, ChangeOp::insert);
	EXPECT_TRUE(ParseChangeOp("d", &op));
	EXPECT_EQ(op, ChangeOp::remove);
	EXPECT_TRUE(ParseChangeOp("T", &op));
	EXPECT_EQ(op, ChangeOp::truncate);
	EXPECT_FALSE(ParseChangeOp("X", &op));
	EXPECT_FALSE(ParseChangeOp("UU", &op));
	EXPECT_FALSE(ParseChangeOp("", &op));
}

TEST(Change, RowFingerprintRoundTrips) {
	const std::string text = RowFingerprint(1, 2, Algorithm::sha256);
	Algorithm algorithm;
	Digest128 digest;
	ASSERT_EQ(ParseRowFingerprint(text, &algorithm, &digest), Status::ok);
	EXPECT_EQ(algorithm, Algorithm::sha256);
	char again[kMaxPrintableLength];
	FormatRowFingerprint(algorithm, digest, again);
	EXPECT_EQ(text, again);
	for (const char *bad :
	     {"fp1:xxh3:0:00000000000000000000000000000000", "fp1:xxh3:abc",
	      "fp2:xxh3:"
	      "0123",
	      "fp1:md5:00000000000000000000000000000000", "fp1:xxh3:0000000000000000000000000000000G"})
		EXPECT_EQ(ParseRowFingerprint(bad, &algorithm, &digest), Status::invalid_fingerprint) << bad;
}

TEST(Change, RandomWorkloadMatchesRescan) {
	std::mt19937_64 random(20261121);
	std::map<std::int64_t, std::int64_t> table;
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	for (int step = 0; step < 5000; ++step) {
		const std::int64_t key = static_cast<std::int64_t>(random() % 200);
		const std::int64_t value = static_cast<std::int64_t>(random() % 1000);
		const auto found = table.find(key);
		if (step == 2500) {
			ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::truncate, "", ""), Status::ok);
			table.clear();
		} else if (found == table.end()) {
			ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::insert, "", RowFingerprint(key, value)), Status::ok);
			table[key] = value;
		} else if (random() % 2 == 0) {
			ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::update, RowFingerprint(key, found->second),
			                           RowFingerprint(key, value)),
			          Status::ok);
			found->second = value;
		} else {
			ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::remove, RowFingerprint(key, found->second), ""),
			          Status::ok);
			table.erase(found);
		}
	}
	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	EXPECT_EQ(text, TableFingerprint(table));
}

TEST(Change, OrderOfInsertAndDeleteDoesNotMatter) {
	// A delete seen before its insert (possible across batches) still nets out.
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::remove, RowFingerprint(1, 1), ""), Status::ok);
	ASSERT_EQ(AdvanceAggregate(&state, ChangeOp::insert, "", RowFingerprint(1, 1)), Status::ok);
	char text[kMaxPrintableLength];
	FormatTableFingerprint(state, text);
	EXPECT_EQ(std::string(text), "fp1:xxh3:0:00000000000000000000000000000000");
}

TEST(Change, RefusesBadOrForeignFingerprints) {
	AggregateState state;
	AggregateInit(&state, Algorithm::xxh3);
	AggregateAdd(&state, Digest128{1, 2});
	const AggregateState before = state;
	EXPECT_EQ(AdvanceAggregate(&state, ChangeOp::insert, "", "nonsense"), Status::invalid_fingerprint);
	EXPECT_EQ(AdvanceAggregate(&state, ChangeOp::update, RowFingerprint(1, 1),
	                           RowFingerprint(1, 2, Algorithm::sha256)),
	          Status::algorithm_mismatch);
	EXPECT_EQ(state.rows, before.rows);
	EXPECT_EQ(state.sum_hi, before.sum_hi);
	EXPECT_EQ(state.sum_lo, before.sum_lo);
}

} // namespace
} // namespace fingerprint
