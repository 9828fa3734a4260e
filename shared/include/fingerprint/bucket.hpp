// Buckets: rows grouped by a hash of their key, so that two copies of a table can be
// compared bucket by bucket (docs/FORMAT.md, "Buckets"; docs/diff.md).
//
// The key image of a row is the canonical encoding of its key columns in key order,
// exactly the bytes RowHasher writes for those values (row_image.hpp). The bucket is the
// high 64 bits of the XXH3-128 digest of the key image (Digest128::hi) modulo the bucket
// count. It is always XXH3, whatever algorithm the row fingerprints use, so that the
// same key falls into the same bucket on every engine and for every algorithm, and it
// depends on neither collation, key type nor gaps between keys.
#pragma once

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <cstdint>

namespace fingerprint {

// Buckets are numbered 0 .. bucket_count - 1, with 1 <= bucket_count <= 2^24.
constexpr std::int64_t kMinBucketCount = 1;
constexpr std::int64_t kMaxBucketCount = std::int64_t{1} << 24;

// The algorithm of key digests: a RowHasher fed the key values with this algorithm
// returns the digest BucketOfKeyDigest expects.
constexpr Algorithm kKeyAlgorithm = Algorithm::xxh3;

constexpr bool IsValidBucketCount(std::int64_t bucket_count) noexcept {
	return bucket_count >= kMinBucketCount && bucket_count <= kMaxBucketCount;
}

// The bucket of a key whose image has this XXH3-128 digest. bucket_count must be valid.
constexpr std::uint32_t BucketOfKeyDigest(Digest128 key_digest, std::uint32_t bucket_count) noexcept {
	return static_cast<std::uint32_t>(key_digest.hi % bucket_count);
}

// The XXH3-128 digest of a key image (the same as RowHasher(kKeyAlgorithm) gives).
Digest128 KeyImageDigest(const void *key_image, std::size_t length) noexcept;

// The bucket of a key image. bucket_count must be valid.
std::uint32_t BucketOfKeyImage(const void *key_image, std::size_t length,
                               std::uint32_t bucket_count) noexcept;

} // namespace fingerprint
