// One-shot equals streaming: a row's digest must not depend on how its bytes reach the
// hash (inline buffer, spilled streaming state, a large value passed straight through,
// or byte by byte).
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace fingerprint::testing {
namespace {

std::string RandomBytes(std::mt19937_64 &rng, std::size_t n) {
	std::string s(n, '\0');
	for (auto &c : s)
		c = static_cast<char>(rng());
	return s;
}

TEST(Streaming, WholeValueEqualsByteByByteForEverySize) {
	std::mt19937_64 rng(42);
	for (const std::size_t size : {0u, 1u, 100u, 2000u, 2047u, 2048u, 2049u, 4096u, 70000u, 200000u}) {
		for (const Algorithm algorithm : {Algorithm::xxh3, Algorithm::sha256}) {
			const std::string value = RandomBytes(rng, size);
			RowHasher whole(algorithm);
			ASSERT_EQ(whole.AddBytes(value.data(), value.size()), Status::ok);
			whole.AddInt64(7);
			RowHasher bytewise(algorithm);
			const unsigned char tag = 0x03;
			bytewise.AppendEncoded(&tag, 1);
			const unsigned char length[4] = {
			    static_cast<unsigned char>(size >> 24), static_cast<unsigned char>(size >> 16),
			    static_cast<unsigned char>(size >> 8), static_cast<unsigned char>(size)};
			bytewise.AppendEncoded(length, 4);
			for (const char c : value)
				bytewise.AppendEncoded(&c, 1);
			bytewise.AddInt64(7);
			EXPECT_EQ(RowHex(whole), RowHex(bytewise)) << "size " << size;
		}
	}
}

TEST(Streaming, SpilledDigestEqualsOneShotXxh3) {
	// 5 values of 1000 bytes spill the 2048-byte buffer; the digest must still be
	// XXH3-128 of the concatenated encoding, computed here in one shot.
	std::mt19937_64 rng(7);
	RowHasher hasher;
	std::string encoding;
	for (int i = 0; i < 5; i++) {
		const std::string value = RandomBytes(rng, 1000);
		ASSERT_EQ(hasher.AddBytes(value.data(), value.size()), Status::ok);
		encoding += std::string("\x03\x00\x00\x03\xe8", 5) + value;
	}
	const XXH128_hash_t expected = XXH3_128bits(encoding.data(), encoding.size());
	const Digest128 got = hasher.Finish();
	EXPECT_EQ(got.hi, expected.high64);
	EXPECT_EQ(got.lo, expected.low64);
}

TEST(Streaming, ResetAfterFinishStartsANewRow) {
	RowHasher hasher;
	hasher.AddInt64(1);
	const std::string first = RowHex(hasher);
	std::string big(5000, 'x');
	ASSERT_EQ(hasher.AddText(big.data(), big.size(), true), Status::ok);
	RowHex(hasher); // leaves a spilled state behind, which Finish must reset
	hasher.AddInt64(1);
	EXPECT_EQ(RowHex(hasher), first);
}

} // namespace
} // namespace fingerprint::testing
