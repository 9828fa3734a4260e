// fingerprint_capture_row(spec, v1, v2, ...) RETURNS STRING (binary): what a capture
// trigger logs for one row, from one call: the row fingerprint, the row image (the
// canonical bytes that hash to it, docs/FORMAT.md) and the key image.
//
//   spec    "[algorithm:]classes[/k1,k2,...[!]]": the class letters of row_fingerprint,
//           then optionally the 1-based positions of the key columns among the values, in
//           key order, and '!' for a key-only result (no row image: what a DELETE logs
//           without old images). capture_ddl writes it; docs/capture.md.
//   result  a capture row (fingerprint/capture_row.hpp: the row fingerprint, =
//           row_fingerprint(spec, v...), the key image's length, the row image, empty
//           with '!', and the key image) or an "error: column ..." string (the same one
//           row_fingerprint gives), which the trigger turns into SIGNAL SQLSTATE '22023'.
//           fingerprint_capture_part (capture_part.cpp) reads the parts back.
//
// The image is written straight into the result buffer by the hasher's sink while it is
// hashed: one copy of the row per call. Catch-all handlers: see row_fingerprint.cpp.
#include "call_state.hpp"
#include "spec.hpp"

#include "fingerprint/capture_row.hpp"
#include "fingerprint/row_image.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace {

using fingerprint::udf::CallState;

// Large enough that the server types the result as LONGBLOB.
constexpr unsigned long kMaxCaptureLength = 4294967295UL;

struct CaptureState {
	explicit CaptureState(fingerprint::Algorithm algorithm) : call(algorithm) {}
	CallState call;
	std::vector<unsigned> key;                                // 0-based value positions, key order
	std::vector<std::pair<std::size_t, std::size_t>> extents; // per value: offset, length
	std::string out;
	bool sink_failed = false;
	bool key_only = false;
};

void AppendToResult(void *context, const unsigned char *data, std::size_t length) noexcept {
	auto *state = static_cast<CaptureState *>(context);
	try {
		state->out.append(reinterpret_cast<const char *>(data), length);
	} catch (...) {
		state->sink_failed = true;
	}
}

void Refuse(char *message, const char *reason) {
	std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_capture_row: %s", reason);
}

// Parses "k1,k2,..." (1-based positions among value_count values) into key.
bool ParseKey(std::string_view text, unsigned value_count, std::vector<unsigned> *key) {
	std::size_t i = 0;
	while (i < text.size()) {
		unsigned long position = 0;
		std::size_t digits = 0;
		while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 6) {
			position = position * 10 + static_cast<unsigned long>(text[i] - '0');
			++i;
			++digits;
		}
		if (digits == 0 || position == 0 || position > value_count)
			return false;
		for (unsigned seen : *key)
			if (seen == position - 1)
				return false;
		key->push_back(static_cast<unsigned>(position - 1));
		if (i < text.size()) {
			if (text[i] != ',' || i + 1 == text.size())
				return false;
			++i;
		}
	}
	return !key->empty();
}

const char *ResultName(fingerprint::udf::ArgResult result) {
	using fingerprint::udf::ArgResult;
	switch (result) {
	case ArgResult::integer:
		return "an integer";
	case ArgResult::real:
		return "a double";
	case ArgResult::decimal:
		return "a decimal";
	default:
		return "a string";
	}
}

// The first bytes of a name, at most limit, never splitting a UTF-8 sequence.
std::string_view Shortened(std::string_view name, std::size_t limit) {
	if (name.size() <= limit)
		return name;
	std::size_t cut = limit;
	while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
		--cut;
	return name.substr(0, cut);
}

// A capture trigger names NEW.col with the class letter the column had when capture was
// enabled. After ALTER TABLE changed the column's type the server hands over a value of
// another kind, which coercion would silently turn into a wrong one (a DOUBLE 1.5 read as
// the integer 2). Refused here, per statement, where the kind is visible: a numeric class
// given another numeric kind, a string class given a number. A string given to a numeric
// class is let through (a NULL literal is a string; a non-numeric text fails the
// server's own conversion). A trigger's NEW.col counts as a constant for the server (its
// value is filled in before init), so constants are checked too. What stays invisible
// (INT to BIGINT UNSIGNED, DATETIME to TIMESTAMP) is caught by next_batch (docs/capture.md).
bool ArgFitsClass(const UDF_ARGS *args, unsigned index, char letter, char *message) {
	using namespace fingerprint::udf;
	const ArgResult given = ArgResultOf(args, index);
	bool fits = true;
	switch (letter) {
	case 'i':
	case 'u':
		fits = given == ArgResult::integer || given == ArgResult::string;
		break;
	case 'f':
		fits = given == ArgResult::real || given == ArgResult::string;
		break;
	case 'd':
		fits = given == ArgResult::decimal || given == ArgResult::string;
		break;
	default:
		fits = given == ArgResult::string;
		break;
	}
	if (fits)
		return true;
	// The trigger names the spec after the table: "<table>: <column> is a double, not
	// class 'i'" (the server prefixes the function's name), each name cut at a character
	// boundary so that the whole stays within the 80-byte message.
	std::string text(Shortened(ArgName(args, 0), 26));
	if (!text.empty())
		text += ": ";
	const std::string_view name = Shortened(ArgName(args, index), 20);
	if (name.empty())
		text += "argument " + std::to_string(index + 1);
	else
		text += name;
	text += " is ";
	text += ResultName(given);
	text += ", not class '";
	text += letter;
	text += '\'';
	const std::size_t length = std::min(text.size(), kInitMessageSize - 1);
	std::memcpy(message, text.data(), length);
	message[length] = '\0';
	return false;
}

CaptureState *Init(UDF_ARGS *args, char *message) {
	using namespace fingerprint::udf;
	const ArgsView view = ViewArgs(args);
	if (view.count < 2) {
		Refuse(message, "expects a spec and at least one value");
		return nullptr;
	}
	if (!IsConstantString(args, 0)) {
		Refuse(message, "the spec (argument 1) must be a constant string");
		return nullptr;
	}
	const std::string_view whole(view.values[0], view.lengths[0]);
	const std::size_t slash = whole.find('/');
	const std::string_view spec_text = whole.substr(0, slash);
	Spec spec{};
	char bad_letter = '?';
	switch (ParseSpec(spec_text, &spec, &bad_letter)) {
	case SpecError::none:
		break;
	case SpecError::bad_algorithm:
		Refuse(message, "unknown algorithm in spec (use xxh3 or sha256)");
		return nullptr;
	case SpecError::no_classes:
		Refuse(message, "spec has no class letters");
		return nullptr;
	case SpecError::bad_class:
		std::snprintf(message, kInitMessageSize, "fingerprint_capture_row: unknown class letter '%c' in spec",
		              bad_letter);
		return nullptr;
	}
	const unsigned values = view.count - 1;
	if (spec.classes.size() != values) {
		std::snprintf(message, kInitMessageSize,
		              "fingerprint_capture_row: spec has %zu classes for %u values", spec.classes.size(),
		              values);
		return nullptr;
	}
	auto state = std::make_unique<CaptureState>(spec.algorithm);
	std::string_view key_text =
	    slash == std::string_view::npos ? std::string_view() : whole.substr(slash + 1);
	if (!key_text.empty() && key_text.back() == '!') {
		state->key_only = true;
		key_text.remove_suffix(1);
	}
	if (slash != std::string_view::npos && !ParseKey(key_text, values, &state->key)) {
		Refuse(message, "bad key positions after '/' in spec");
		return nullptr;
	}
	state->call.value_count = values;
	state->call.classes.reset(new char[values]);
	std::memcpy(state->call.classes.get(), spec.classes.data(), values);
	state->extents.reserve(values);
	for (unsigned i = 0; i < values; ++i) {
		if (!ArgFitsClass(args, i + 1, spec.classes[i], message))
			return nullptr;
	}
	for (unsigned i = 0; i < values; ++i)
		CoerceArg(args, i + 1, ClassArgKind(spec.classes[i]));
	state->call.hasher.SetSink(AppendToResult, state.get());
	return state.release();
}

// Fills state->out for this row; false leaves the error text in state->call.result.
bool Capture(CaptureState *state, const UDF_ARGS *args) {
	using namespace fingerprint::udf;
	const std::size_t header = fingerprint::CaptureHeaderLength(state->call.algorithm);
	state->out.assign(header, '0');
	state->sink_failed = false;
	fingerprint::Digest128 digest{};
	if (!HashRow(&state->call, args, &digest))
		return false;
	if (state->sink_failed) {
		SetErrorResult(&state->call, "error: out of memory while capturing a row image");
		return false;
	}
	// Where each value's bytes are, to copy the key columns' ones.
	std::size_t key_length = 0;
	if (!state->key.empty()) {
		state->extents.clear();
		fingerprint::ImageReader reader(state->out.data() + header, state->out.size() - header);
		fingerprint::ImageValue value;
		while (reader.Next(&value))
			state->extents.emplace_back(static_cast<std::size_t>(value.encoded.data() - state->out.data()),
			                            value.encoded.size());
		if (reader.status() != fingerprint::Status::ok || state->extents.size() != state->call.value_count) {
			SetErrorResult(&state->call, "error: internal error: the captured row image is malformed");
			return false;
		}
		for (unsigned position : state->key)
			key_length += state->extents[position].second;
		state->out.reserve(state->out.size() + key_length);
		for (unsigned position : state->key)
			state->out.append(state->out.data() + state->extents[position].first,
			                  state->extents[position].second);
		if (state->key_only)
			state->out.erase(header, state->out.size() - header - key_length);
	}
	if (key_length > fingerprint::kMaxCaptureKeyLength) {
		SetErrorResult(&state->call, "error: the key of the captured row is too long");
		return false;
	}
	fingerprint::WriteCaptureHeader(state->call.algorithm, digest, key_length, &state->out[0]);
	return true;
}

} // namespace

FP_EXPORT fp_init_result fingerprint_capture_row_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		CaptureState *state = Init(args, message);
		if (state == nullptr)
			return 1;
		fingerprint::udf::SetStatePointer(initid, state);
		fingerprint::udf::SetResultShape(initid, kMaxCaptureLength, false);
		return 0;
	} catch (...) {
		Refuse(message, "out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_capture_row_deinit(UDF_INIT *initid) {
	delete static_cast<CaptureState *>(fingerprint::udf::StatePointer(initid));
	fingerprint::udf::SetStatePointer(initid, nullptr);
}

FP_EXPORT char *fingerprint_capture_row(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                        unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		auto *state = static_cast<CaptureState *>(fingerprint::udf::StatePointer(initid));
		*is_null = 0;
		if (Capture(state, args)) {
			*length = state->out.size();
			return state->out.data();
		}
		*length = state->call.result_length;
		return state->call.result;
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
