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
	if (state == nullptr || classes == nullptr) {
		delete state;
		delete[] classes;
		Refuse(message, function, "out of memory");
		return nullptr;
	}
	std::memcpy(classes, spec.classes.data(), spec.classes.size());
	state->value_count = static_cast<unsigned>(spec.classes.size());
	state->classes.reset(classes);
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
	if (!HashClassedArgs(&hasher, args, 1, std::string_view(state->classes.get(), state->value_count),
	                     state->result, kResultSize, &state->result_length))
		return false;
	*digest = hasher.Finish();
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
