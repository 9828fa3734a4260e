#include "call_state.hpp"

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

// Column names are at most 64 characters; an argument without an alias is named by its
// expression text, which can be long. Keep error strings well inside SIGNAL's 512.
constexpr std::size_t kMaxNameBytes = 192;

// Cuts text to at most limit bytes without splitting a UTF-8 sequence.
std::string_view ClampUtf8(std::string_view text, std::size_t limit) {
	if (text.size() <= limit)
		return text;
	std::size_t end = limit;
	while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
		--end;
	return text.substr(0, end);
}

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

template <typename T> T ReadNumber(const char *value) {
	T number;
	std::memcpy(&number, value, sizeof number); // the server's long long / double slot
	return number;
}

// Feeds one non-NULL value to the hasher as its class says.
Status AddValue(RowHasher &hasher, char letter, const char *value, unsigned long length) {
	const std::string_view text(value, length);
	switch (letter) {
	case 'i':
		hasher.AddInt64(ReadNumber<std::int64_t>(value));
		return Status::ok;
	case 'u':
		// BIGINT UNSIGNED arrives as a signed long long: its 64-bit pattern is the value.
		hasher.AddUint64(ReadNumber<std::uint64_t>(value));
		return Status::ok;
	case 'd':
		return hasher.AddDecimalText(text);
	case 'f':
		hasher.AddDouble(ReadNumber<double>(value));
		return Status::ok;
	case 's':
		return hasher.AddText(value, length, true);
	case 'c':
		return hasher.AddPaddedText(value, length, true);
	case 'b':
		return hasher.AddBytes(value, length);
	case 'D':
		return hasher.AddDateText(text);
	case 'T':
		return hasher.AddTimestampText(text);
	case 't':
		return hasher.AddTimeText(text);
	case 'j':
		return hasher.AddJsonText(text);
	case 'U':
		return hasher.AddUuidText(text);
	default:
		return Status::invalid_decimal; // unreachable: init accepted only known letters
	}
}

void SetColumnError(CallState *state, const UDF_ARGS *args, unsigned arg, char letter, Status status) {
	const std::string_view full_name = ArgName(args, arg);
	const std::string_view name = ClampUtf8(full_name, kMaxNameBytes);
	const char *ellipsis = name.size() < full_name.size() ? "..." : "";
	int n;
	if (name.empty())
		n = std::snprintf(state->result, kResultSize, "error: argument %u (class '%c'): %s", arg + 1, letter,
		                  StatusMessage(status));
	else
		n = std::snprintf(state->result, kResultSize, "error: column %.*s%s (argument %u, class '%c'): %s",
		                  static_cast<int>(name.size()), name.data(), ellipsis, arg + 1, letter,
		                  StatusMessage(status));
	state->result_length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), kResultSize - 1);
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
	for (unsigned i = 0; i < state->value_count; ++i)
		CoerceArg(args, i + 1, ClassArgKind(classes[i]));
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
	for (unsigned i = 0; i < state->value_count; ++i) {
		const unsigned arg = i + 1;
		const char *value = view.values[arg];
		if (value == nullptr) { // SQL NULL; '' is a non-null pointer of length 0
			hasher.AddNull();
			continue;
		}
		const Status status = AddValue(hasher, state->classes[i], value, view.lengths[arg]);
		if (status != Status::ok) {
			SetColumnError(state, args, arg, state->classes[i], status);
			return false;
		}
	}
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
