#include "fingerprint/aggregate.hpp"

#include "big_endian.hpp"

#include <cstring>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

void AggregateInit(AggregateState *state, Algorithm algorithm) noexcept {
	std::memset(state, 0, sizeof *state);
	state->algorithm = static_cast<std::uint8_t>(algorithm);
}

// 128-bit addition and subtraction in two 64-bit lanes; unsigned overflow wraps, which
// is exactly arithmetic modulo 2^128.
void AggregateAdd(AggregateState *state, Digest128 row) noexcept {
	const std::uint64_t lo = state->sum_lo + row.lo;
	state->sum_hi += row.hi + (lo < row.lo ? 1 : 0);
	state->sum_lo = lo;
	state->rows++;
}

void AggregateSubtract(AggregateState *state, Digest128 row) noexcept {
	const std::uint64_t borrow = state->sum_lo < row.lo ? 1 : 0;
	state->sum_lo -= row.lo;
	state->sum_hi -= row.hi + borrow;
	state->rows--;
}

Status AggregateMerge(AggregateState *into, const AggregateState &from) noexcept {
	if (from.rows == 0 && from.sum_hi == 0 && from.sum_lo == 0)
		return Status::ok; // an empty partial state merges with anything
	if (into->rows == 0 && into->sum_hi == 0 && into->sum_lo == 0) {
		*into = from;
		return Status::ok;
	}
	if (into->algorithm != from.algorithm)
		return Status::algorithm_mismatch;
	const std::uint64_t lo = into->sum_lo + from.sum_lo;
	into->sum_hi += from.sum_hi + (lo < from.sum_lo ? 1 : 0);
	into->sum_lo = lo;
	into->rows += from.rows;
	return Status::ok;
}

void AggregateSerialize(const AggregateState &state, unsigned char out[kSerializedStateSize]) noexcept {
	std::memset(out, 0, kSerializedStateSize);
	out[0] = state.algorithm;
	StoreBigEndian64(state.rows, out + 1);
	StoreBigEndian64(state.sum_hi, out + 9);
	StoreBigEndian64(state.sum_lo, out + 17);
}

Status AggregateDeserialize(const unsigned char *data, std::size_t length, AggregateState *out) noexcept {
	Algorithm algorithm;
	if (length != kSerializedStateSize)
		return Status::invalid_fingerprint;
	algorithm = static_cast<Algorithm>(data[0]);
	if (algorithm != Algorithm::xxh3 && algorithm != Algorithm::sha256)
		return Status::invalid_fingerprint;
	AggregateInit(out, algorithm);
	out->rows = LoadBigEndian64(data + 1);
	out->sum_hi = LoadBigEndian64(data + 9);
	out->sum_lo = LoadBigEndian64(data + 17);
	return Status::ok;
}

} // namespace fingerprint
