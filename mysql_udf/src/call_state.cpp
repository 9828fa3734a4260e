#include "call_state.hpp"

#include "classed_values.hpp"
#include "spec.hpp"

#include "fingerprint/printable.hpp"
#include "fingerprint/status.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>

namespace fingerprint::udf {

namespace {

void Refuse(char *message, const char *function, const char *reason) {
	std::snprintf(message, kInitMessageSize, "%s: %s", function, reason);
}

// Reads the arguments' spec; false (with message) if init must refuse.
bool CheckSpec(const char *function, const UDF_ARGS *args, Spec *spec, char *message) {
	const ArgsView view = ViewArgs(args);
	if (view.count < 2) {
		Refuse(message, function, "expects a spec and at least one value");
		return false;
	}
	if (!IsConstantString(args, 0)) {
		Refuse(message, function, "the spec (argument 1) must be a constant string");
		return false;
	}
	char bad_letter = '?';
	switch (ParseSpec(std::string_view(view.values[0], view.lengths[0]), spec, &bad_letter)) {
	case SpecError::none:
		break;
	case SpecError::bad_algorithm:
		Refuse(message, function, "unknown algorithm in spec (use xxh3 or sha256)");
		return false;
	case SpecError::no_classes:
		Refuse(message, function, "spec has no class letters");
		return false;
	case SpecError::bad_class:
		std::snprintf(message, kInitMessageSize, "%s: unknown class letter '%c' in spec", function,
		              bad_letter);
		return false;
	}
	const unsigned values = view.count - 1;
	if (spec->classes.size() != values) {
		std::snprintf(message, kInitMessageSize, "%s: spec has %zu classes for %u values", function,
		              spec->classes.size(), values);
		return false;
	}
	return true;
}

} // namespace

CallState *InitCall(const char *function, UDF_ARGS *args, char *message) noexcept {
	Spec spec{};
	if (!CheckSpec(function, args, &spec, message))
		return nullptr;
	CallState *state = new (std::nothrow) CallState(spec.algorithm);
	char *classes = new (std::nothrow) char[spec.classes.size()];
	ValueAdder *adders = new (std::nothrow) ValueAdder[spec.classes.size()];
	if (state == nullptr || classes == nullptr || adders == nullptr) {
		delete state;
		delete[] classes;
		delete[] adders;
		Refuse(message, function, "out of memory");
		return nullptr;
	}
	std::memcpy(classes, spec.classes.data(), spec.classes.size());
	state->value_count = static_cast<unsigned>(spec.classes.size());
	state->classes.reset(classes);
	for (std::size_t i = 0; i < spec.classes.size(); ++i)
		adders[i] = AdderOf(classes[i]);
	state->adders.reset(adders);
	AggregateInit(&state->aggregate, spec.algorithm);
	CoerceClassedArgs(args, 1, std::string_view(classes, state->value_count));
	return state;
}

bool HashRow(CallState *state, const UDF_ARGS *args, Digest128 *digest) noexcept {
	const ArgsView view = ViewArgs(args);
	if (view.count != state->value_count + 1) {
		SetErrorResult(state, "error: argument count changed after init");
		return false;
	}
	RowHasher &hasher = state->hasher;
	hasher.Reset();
	const std::string_view classes(state->classes.get(), state->value_count);
	// A state that fingerprint_capture_row filled in itself has letters but no adders.
	const bool hashed =
	    state->adders != nullptr
	        ? HashPlannedArgs(&hasher, args, 1, state->adders.get(), classes, state->result, kResultSize,
	                          &state->result_length)
	        : HashClassedArgs(&hasher, args, 1, classes, state->result, kResultSize, &state->result_length);
	if (!hashed)
		return false;
	*digest = hasher.Finish();
	return true;
}

namespace {

constexpr std::uint32_t kNullLength = 0xFFFFFFFF; // a batched value's length for SQL NULL

// Hashes one batched row starting at *cursor and moves *cursor past it.
bool HashBatchedRow(CallState *state, const UDF_ARGS *args, const unsigned char **cursor) noexcept {
	RowHasher &hasher = state->hasher;
	hasher.Reset();
	const unsigned char *p = *cursor;
	for (unsigned i = 0; i < state->value_count; ++i) {
		std::uint32_t length;
		std::memcpy(&length, p, sizeof length);
		p += sizeof length;
		if (length == kNullLength) {
			hasher.AddNull();
			continue;
		}
		const Status status = state->adders[i](&hasher, reinterpret_cast<const char *>(p), length);
		p += length;
		if (status != Status::ok) {
			state->result_length =
			    FormatColumnError(state->result, kResultSize, args, i + 1, state->classes[i], status);
			hasher.Reset();
			return false;
		}
	}
	*cursor = p;
	AggregateAdd(&state->aggregate, hasher.Finish());
	return true;
}

} // namespace

bool StartBatching(CallState *state) noexcept {
	state->batch_used = 0;
	if (state->adders == nullptr)
		return false;
	state->batch_widths.reset(new (std::nothrow) std::uint32_t[state->value_count]);
	if (state->batch_widths == nullptr)
		return false;
	for (unsigned i = 0; i < state->value_count; ++i)
		state->batch_widths[i] = ClassArgKind(state->classes[i]) == ArgKind::string ? 0 : 8;
	state->batch.reset(new (std::nothrow) unsigned char[kBatchSize]);
	return state->batch != nullptr;
}

bool FlushBatch(CallState *state, const UDF_ARGS *args) noexcept {
	const unsigned char *cursor = state->batch.get();
	const unsigned char *const end = cursor + state->batch_used;
	state->batch_used = 0;
	while (cursor != end)
		if (!HashBatchedRow(state, args, &cursor))
			return false;
	return true;
}

bool BatchRow(CallState *state, const UDF_ARGS *args) noexcept {
	const ArgsView view = ViewArgs(args);
	const char *const *values = view.values + 1;
	const std::uint32_t *widths = state->batch_widths.get();
	// A value's bytes: an integer's or a double's slot is 8 bytes (there the server's
	// lengths hold the display width), any other value is lengths[i] bytes.
	const auto length_of = [&](unsigned i) -> unsigned long {
		return widths[i] != 0 ? widths[i] : view.lengths[1 + i];
	};
	std::size_t size = 0;
	if (view.count == state->value_count + 1 && state->batch != nullptr)
		for (unsigned i = 0; i < state->value_count; ++i)
			size += sizeof(std::uint32_t) + (values[i] == nullptr ? 0 : length_of(i));
	if (size == 0 || size > kBatchSize) {
		// No batch, or a row larger than one (or a changed argument count, which HashRow
		// reports): hashed at once, after the rows before it.
		Digest128 digest{};
		if (!FlushBatch(state, args) || !HashRow(state, args, &digest))
			return false;
		AggregateAdd(&state->aggregate, digest);
		return true;
	}
	if (size > kBatchSize - state->batch_used && !FlushBatch(state, args))
		return false;
	unsigned char *out = state->batch.get() + state->batch_used;
	for (unsigned i = 0; i < state->value_count; ++i) {
		if (values[i] == nullptr) {
			std::memcpy(out, &kNullLength, sizeof kNullLength);
			out += sizeof kNullLength;
			continue;
		}
		if (widths[i] == 8) { // a number: a copy of known size, no call
			std::memcpy(out, &widths[i], sizeof widths[i]);
			std::memcpy(out + sizeof widths[i], values[i], 8);
			out += sizeof widths[i] + 8;
			continue;
		}
		const std::uint32_t length = static_cast<std::uint32_t>(view.lengths[1 + i]);
		std::memcpy(out, &length, sizeof length);
		std::memcpy(out + sizeof length, values[i], length);
		out += sizeof length + length;
	}
	state->batch_used += size;
	return true;
}

void FreeCall(UDF_INIT *initid) noexcept {
	delete StateOf(initid);
	SetStatePointer(initid, nullptr);
}

void SetErrorResult(CallState *state, const char *text) noexcept {
	const int n = std::snprintf(state->result, kResultSize, "%s", text);
	state->result_length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), kResultSize - 1);
}

unsigned long RowFingerprintLength(Algorithm algorithm) noexcept {
	char text[kMaxPrintableLength];
	return FormatRowFingerprint(algorithm, Digest128{0, 0}, text);
}

unsigned long MaxTableFingerprintLength(Algorithm algorithm) noexcept {
	AggregateState widest{};
	AggregateInit(&widest, algorithm);
	widest.rows = std::numeric_limits<std::uint64_t>::max();
	char text[kMaxPrintableLength];
	return FormatTableFingerprint(widest, text);
}

} // namespace fingerprint::udf
