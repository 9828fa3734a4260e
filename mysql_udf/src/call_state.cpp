#include "call_state.hpp"

#include "classed_values.hpp"
#include "spec.hpp"

#include "fingerprint/printable.hpp"
#include "fingerprint/row_image.hpp"
#include "fingerprint/status.hpp"
#include "fingerprint/value_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>
#include <utility>

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
	if (!HashPlannedArgs(&hasher, args, 1, state->adders.get(), classes, state->result, kResultSize,
	                     &state->result_length))
		return false;
	*digest = hasher.Finish();
	return true;
}

namespace {

// Hashes one batched row starting at *cursor and moves *cursor past it.
bool HashBatchedRow(CallState *state, const UDF_ARGS *args, const unsigned char **cursor) noexcept {
	RowHasher &hasher = state->hasher;
	hasher.Reset();
	const unsigned char *p = *cursor;
	for (unsigned i = 0; i < state->value_count; ++i) {
		std::uint32_t length;
		std::memcpy(&length, p, sizeof length);
		p += sizeof length;
		if (length == kPackedNullLength) {
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

// Chooses the batch loop's writer for each value; without one for every class, or
// without memory, the rows take RowHasher's path.
void StartImages(CallState *state) noexcept {
	std::unique_ptr<WriterKind[]> writers(new (std::nothrow) WriterKind[state->value_count]);
	if (writers == nullptr)
		return;
	for (unsigned i = 0; i < state->value_count; ++i)
		if ((writers[i] = ImageWriterOf(state->classes[i])) == WriterKind::none)
			return;
	state->image.reset(new (std::nothrow) unsigned char[kImageSize + kValueWriterSlack]());
	if (state->image != nullptr)
		state->writers = std::move(writers);
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
	// Zeroed, with room past the end: the image writers read whole words (value_writer.hpp).
	state->batch.reset(new (std::nothrow) unsigned char[kBatchSize + kValueWriterSlack]());
	if (state->batch == nullptr)
		return false;
	StartImages(state);
	return true;
}

bool FlushBatch(CallState *state, const UDF_ARGS *args) noexcept {
	const unsigned char *cursor = state->batch.get();
	const unsigned char *const end = cursor + state->batch_used;
	state->batch_used = 0;
	while (cursor != end) {
		if (state->writers != nullptr) {
			const std::size_t length = WritePackedRowImage(state->writers.get(), state->value_count, &cursor,
			                                               state->image.get(), kImageSize);
			if (length != 0) {
				AggregateAdd(&state->aggregate, HashImage(state->algorithm, state->image.get(), length));
				continue;
			}
		}
		if (!HashBatchedRow(state, args, &cursor))
			return false;
	}
	return true;
}

namespace {

// Copies a value into the batch: up to 32 bytes by two fixed-size copies that may
// overlap (no call, and no byte read or written outside the value), longer ones by memcpy.
inline void CopyValue(unsigned char *out, const char *value, std::size_t length) {
	if (length > 32) {
		std::memcpy(out, value, length);
	} else if (length >= 16) {
		std::memcpy(out, value, 16);
		std::memcpy(out + length - 16, value + length - 16, 16);
	} else if (length >= 8) {
		std::memcpy(out, value, 8);
		std::memcpy(out + length - 8, value + length - 8, 8);
	} else if (length >= 4) {
		std::memcpy(out, value, 4);
		std::memcpy(out + length - 4, value + length - 4, 4);
	} else if (length > 0) {
		out[0] = static_cast<unsigned char>(value[0]);
		out[length / 2] = static_cast<unsigned char>(value[length / 2]);
		out[length - 1] = static_cast<unsigned char>(value[length - 1]);
	}
}

// Appends the row's values to the batch (a 4-byte length and the bytes each; an
// integer's or a double's 8-byte slot, where the server's lengths hold the display
// width; kPackedNullLength for NULL); false, with nothing appended, when it does not fit.
bool AppendRow(CallState *state, const ArgsView &view) {
	const char *const *values = view.values + 1;
	const unsigned long *lengths = view.lengths + 1;
	const std::uint32_t *widths = state->batch_widths.get();
	unsigned char *const batch_end = state->batch.get() + kBatchSize;
	unsigned char *out = state->batch.get() + state->batch_used;
	for (unsigned i = 0; i < state->value_count; ++i) {
		const std::size_t room = static_cast<std::size_t>(batch_end - out);
		if (values[i] == nullptr) {
			if (room < sizeof kPackedNullLength)
				return false;
			std::memcpy(out, &kPackedNullLength, sizeof kPackedNullLength);
			out += sizeof kPackedNullLength;
			continue;
		}
		if (widths[i] == 8) { // a number: a copy of known size
			if (room < sizeof widths[i] + 8)
				return false;
			std::memcpy(out, &widths[i], sizeof widths[i]);
			std::memcpy(out + sizeof widths[i], values[i], 8);
			out += sizeof widths[i] + 8;
			continue;
		}
		const unsigned long length = lengths[i];
		if (room < sizeof(std::uint32_t) || length > room - sizeof(std::uint32_t))
			return false;
		const std::uint32_t length32 = static_cast<std::uint32_t>(length);
		std::memcpy(out, &length32, sizeof length32);
		CopyValue(out + sizeof length32, values[i], length);
		out += sizeof length32 + length;
	}
	state->batch_used = static_cast<std::size_t>(out - state->batch.get());
	return true;
}

} // namespace

bool BatchRow(CallState *state, const UDF_ARGS *args) noexcept {
	const ArgsView view = ViewArgs(args);
	if (state->batch != nullptr && view.count == state->value_count + 1) {
		if (AppendRow(state, view))
			return true;
		if (state->batch_used != 0) { // the batch is full: hash it and try again
			if (!FlushBatch(state, args))
				return false;
			if (AppendRow(state, view))
				return true;
		}
	}
	// No batch, a row larger than one (or a changed argument count, which HashRow
	// reports): hashed at once, after the rows before it.
	Digest128 digest{};
	if (!FlushBatch(state, args) || !HashRow(state, args, &digest))
		return false;
	AggregateAdd(&state->aggregate, digest);
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
