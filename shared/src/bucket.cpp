#include "fingerprint/bucket.hpp"

// xxhash is compiled into the core (see shared/CMakeLists.txt).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

static_assert(BucketOfKeyDigest(Digest128{kMaxBucketCount + 5, 0}, kMaxBucketCount) == 5,
              "buckets come from the high 64 bits");

Digest128 KeyImageDigest(const void *key_image, std::size_t length) noexcept {
	const XXH128_hash_t hash = XXH3_128bits(key_image, length);
	return Digest128{hash.high64, hash.low64};
}

std::uint32_t BucketOfKeyImage(const void *key_image, std::size_t length,
                               std::uint32_t bucket_count) noexcept {
	return BucketOfKeyDigest(KeyImageDigest(key_image, length), bucket_count);
}

} // namespace fingerprint
