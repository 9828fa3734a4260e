// The 128-bit row-hash algorithms. XXH3-128 is the default; SHA-256 (truncated to its
// first 128 bits) is the cryptographic option. Both are named in the printable form.
#pragma once

#include <cstdint>
#include <string_view>

namespace fingerprint {

enum class Algorithm : std::uint8_t {
	xxh3 = 1,   // XXH3-128 from libxxhash, seed 0
	sha256 = 2, // first 16 bytes of SHA-256 from OpenSSL
};

constexpr Algorithm kDefaultAlgorithm = Algorithm::xxh3;

// Every algorithm, in the order messages list them ("use xxh3 or sha256").
constexpr Algorithm kAlgorithms[] = {Algorithm::xxh3, Algorithm::sha256};

// Parses "xxh3" or "sha256" (exact, lower case). Returns false for anything else.
bool ParseAlgorithm(std::string_view name, Algorithm *out) noexcept;

// "xxh3" or "sha256".
const char *AlgorithmName(Algorithm algorithm) noexcept;

// A 128-bit digest as a big-endian number: hi holds bytes 0..7, lo bytes 8..15.
struct Digest128 {
	std::uint64_t hi;
	std::uint64_t lo;
};

inline bool operator==(Digest128 a, Digest128 b) {
	return a.hi == b.hi && a.lo == b.lo;
}
inline bool operator!=(Digest128 a, Digest128 b) {
	return !(a == b);
}

} // namespace fingerprint
