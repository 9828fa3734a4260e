#include "fingerprint/change.hpp"

#include "fingerprint/printable.hpp"

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

bool ParseChangeOp(std::string_view text, ChangeOp *out) noexcept {
	if (text.size() != 1)
		return false;
	switch (text[0]) {
	case 'I':
	case 'c':
		*out = ChangeOp::insert;
		return true;
	case 'U':
	case 'u':
		*out = ChangeOp::update;
		return true;
	case 'D':
	case 'd':
		*out = ChangeOp::remove;
		return true;
	case 'T':
	case 't':
		*out = ChangeOp::truncate;
		return true;
	default:
		return false;
	}
}

namespace {

// Parses an optional row fingerprint made with the state's algorithm.
Status ReadRow(std::string_view text, const AggregateState &state, bool *present, Digest128 *digest) {
	*present = !text.empty();
	if (!*present)
		return Status::ok;
	Algorithm algorithm;
	const Status status = ParseRowFingerprint(text, &algorithm, digest);
	if (status != Status::ok)
		return status;
	return static_cast<std::uint8_t>(algorithm) == state.algorithm ? Status::ok : Status::algorithm_mismatch;
}

} // namespace

Status AdvanceAggregate(AggregateState *state, ChangeOp op, std::string_view old_fingerprint,
                        std::string_view new_fingerprint) noexcept {
	if (op == ChangeOp::truncate) {
		AggregateInit(state, static_cast<Algorithm>(state->algorithm));
		return Status::ok;
	}
	bool has_old, has_new;
	Digest128 old_row, new_row;
	Status status = ReadRow(old_fingerprint, *state, &has_old, &old_row);
	if (status == Status::ok)
		status = ReadRow(new_fingerprint, *state, &has_new, &new_row);
	if (status != Status::ok)
		return status;
	// Rows are counted modulo 2^64 like the sum: a batch may delete a row before the state
	// has seen it counted, and the total comes out right once every change is applied.
	if (has_old)
		AggregateSubtract(state, old_row);
	if (has_new)
		AggregateAdd(state, new_row);
	return Status::ok;
}

} // namespace fingerprint
