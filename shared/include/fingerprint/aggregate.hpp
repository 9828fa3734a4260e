// The table fingerprint: the row count and the sum modulo 2^128 of the row hashes.
// A sum is order-independent, counts duplicates, merges across chunks, partitions and
// parallel workers, and can be updated by subtracting an old row's hash (the change-log
// issue relies on that). The state is a flat, trivially copyable struct so that engines
// can keep it in their own memory (aggregate context, initid->ptr) and serialize it.
#pragma once

#include "fingerprint/algorithm.hpp"
#include "fingerprint/status.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fingerprint {

struct AggregateState {
	std::uint64_t rows;
	std::uint64_t sum_hi;   // bytes 0..7 of the 128-bit sum, big-endian
	std::uint64_t sum_lo;   // bytes 8..15
	std::uint8_t algorithm; // an Algorithm value
	std::uint8_t padding[7];
};

void AggregateInit(AggregateState *state, Algorithm algorithm) noexcept;
void AggregateAdd(AggregateState *state, Digest128 row) noexcept;
void AggregateSubtract(AggregateState *state, Digest128 row) noexcept;
// algorithm_mismatch if the two states used different algorithms (into is unchanged).
Status AggregateMerge(AggregateState *into, const AggregateState &from) noexcept;

// Fixed 33-byte wire form for PostgreSQL's serialize/deserialize functions:
// algorithm (1), rows (8), sum_hi (8), sum_lo (8), all big-endian, then 8 zero bytes.
constexpr std::size_t kSerializedStateSize = 33;
void AggregateSerialize(const AggregateState &state, unsigned char out[kSerializedStateSize]) noexcept;
Status AggregateDeserialize(const unsigned char *data, std::size_t length, AggregateState *out) noexcept;

} // namespace fingerprint
