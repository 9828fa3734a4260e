// fingerprint_capture_row(spec, v1, v2, ...) RETURNS STRING (binary): what a capture
// trigger logs for one row, from one call: the row fingerprint, the row image (the
// canonical bytes that hash to it, docs/FORMAT.md) and the key image.
//
//   spec    "[algorithm:]classes[/k1,k2,...[!|+old]]": the class letters of
//           row_fingerprint, then optionally the 1-based positions of the key columns
//           among the values, in key order, and '!' for a key-only result (no row image:
//           what a DELETE logs without old images) or "+old" for an update: the values
//           are then NEW's columns followed by OLD's, two per class letter. capture_ddl
//           writes it; docs/capture.md.
//   result  a capture row (fingerprint/capture_row.hpp: the row fingerprint, =
//           row_fingerprint(spec, v...), the key image's length, the row image, empty
//           with '!', and the key image) or an "error: column ..." string (the same one
//           row_fingerprint gives), which the trigger turns into SIGNAL SQLSTATE '22023'.
//           With "+old": an update row (both capture rows and the changed columns' names,
//           each argument's name being its column's: `NEW.c AS c`), "error: the new row:
//           column ..." or "error: the old row: column ...", or NULL when no value
//           differs from its old one (compared as the server hands them over: strings
//           byte for byte, numbers by value; what the 1.3 trigger compared in SQL).
//           fingerprint_capture_part (capture_part.cpp) reads the parts back.
//
// The image is written straight into the result buffer by the hasher's sink while it is
// hashed: one copy of the row per call. Catch-all handlers: see row_fingerprint.cpp.
#include "call_state.hpp"
#include "classed_values.hpp"
#include "spec.hpp"

#include "fingerprint/capture_row.hpp"
#include "fingerprint/row_image.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
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

// MariaDB calls init (and deinit) for every row a trigger logs, not once per statement,
// so what init builds is built again for each captured row (bench/RESULTS.md, "MariaDB
// capture in 1.6"): the state is one allocation for a table of up to kInlineValues columns
// (class letters, key positions and value extents live in it), and the result's buffer is
// reserved once at the size of a usual row instead of growing in steps while it is written.
constexpr unsigned kInlineValues = 32;
constexpr std::size_t kReservedResult = 512;

// An array of count Ts (Allocate): inline up to kInlineValues of them, else on the heap.
template <typename T> class SmallArray {
  public:
	void Allocate(std::size_t count) {
		if (count > kInlineValues) {
			heap_.reset(new T[count]);
			data_ = heap_.get();
		}
	}
	T &operator[](std::size_t index) { return data_[index]; }
	const T &operator[](std::size_t index) const { return data_[index]; }
	T *data() { return data_; }

  private:
	T inline_[kInlineValues];
	std::unique_ptr<T[]> heap_;
	T *data_ = inline_;
};

// Where a value's encoded bytes are in the result (no initializer: an array of them is
// made for every row and filled before it is read).
struct Extent {
	std::size_t offset;
	std::size_t length;
};

struct CaptureState {
	explicit CaptureState(fingerprint::Algorithm algorithm) : call(algorithm) {}
	CallState call;           // value_count: the values of one row (call.classes unused)
	SmallArray<char> classes; // value_count class letters
	SmallArray<unsigned> key; // key_count 0-based value positions, key order
	unsigned key_count = 0;
	unsigned key_reach = 0;     // 1 + the last key position: the values whose extents are read
	SmallArray<Extent> extents; // per value up to key_reach
	std::string out;
	bool sink_failed = false;
	bool key_only = false;
	// "+old": NEW's values then OLD's; per column, its kind and its JSON-quoted name.
	bool update = false;
	std::vector<fingerprint::udf::ArgKind> kinds;
	std::vector<std::string> quoted_names;
	std::vector<bool> number_text; // a numeric class given text (ReadNumberText)
	bool any_number_text = false;
	std::string error; // an update's refusal, naming the side
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

// Parses "k1,k2,..." (1-based positions among value_count values) into state->key
// (room for value_count positions: each at most once).
bool ParseKey(std::string_view text, unsigned value_count, CaptureState *state) {
	state->key.Allocate(value_count);
	unsigned count = 0;
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
		for (unsigned seen = 0; seen < count; ++seen)
			if (state->key[seen] == position - 1)
				return false;
		state->key[count++] = static_cast<unsigned>(position - 1);
		state->key_reach = std::max(state->key_reach, static_cast<unsigned>(position));
		if (i < text.size()) {
			if (text[i] != ',' || i + 1 == text.size())
				return false;
			++i;
		}
	}
	state->key_count = count;
	return count > 0;
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

// name as MariaDB's JSON_QUOTE writes it (what the 1.3 trigger put into changed_columns):
// '"' and '\\' escaped, control characters as \b \f \n \r \t or \u00XX, the rest as is.
std::string JsonQuoted(std::string_view name) {
	static const char kHexDigits[] = "0123456789ABCDEF";
	std::string quoted = "\"";
	for (const char c : name) {
		const auto byte = static_cast<unsigned char>(c);
		switch (c) {
		case '"':
			quoted += "\\\"";
			break;
		case '\\':
			quoted += "\\\\";
			break;
		case '\b':
			quoted += "\\b";
			break;
		case '\f':
			quoted += "\\f";
			break;
		case '\n':
			quoted += "\\n";
			break;
		case '\r':
			quoted += "\\r";
			break;
		case '\t':
			quoted += "\\t";
			break;
		default:
			if (byte < 0x20) {
				quoted += "\\u00";
				quoted += kHexDigits[byte >> 4];
				quoted += kHexDigits[byte & 0xf];
			} else {
				quoted += c;
			}
		}
	}
	quoted += '"';
	return quoted;
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
	std::string_view whole(view.values[0], view.lengths[0]);
	constexpr std::string_view kUpdateSuffix = "+old";
	const bool update = whole.size() >= kUpdateSuffix.size() &&
	                    whole.substr(whole.size() - kUpdateSuffix.size()) == kUpdateSuffix;
	if (update)
		whole.remove_suffix(kUpdateSuffix.size());
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
	const unsigned arguments = view.count - 1;
	const unsigned values = update ? arguments / 2 : arguments;
	if (spec.classes.size() != values || (update && arguments % 2 != 0)) {
		if (update)
			std::snprintf(message, kInitMessageSize,
			              "fingerprint_capture_row: +old spec has %zu classes for %u values",
			              spec.classes.size(), arguments);
		else
			std::snprintf(message, kInitMessageSize,
			              "fingerprint_capture_row: spec has %zu classes for %u values", spec.classes.size(),
			              arguments);
		return nullptr;
	}
	auto state = std::make_unique<CaptureState>(spec.algorithm);
	state->update = update;
	std::string_view key_text =
	    slash == std::string_view::npos ? std::string_view() : whole.substr(slash + 1);
	if (!key_text.empty() && key_text.back() == '!' && !update) {
		state->key_only = true;
		key_text.remove_suffix(1);
	}
	if (slash != std::string_view::npos && !ParseKey(key_text, values, state.get())) {
		Refuse(message, "bad key positions after '/' in spec");
		return nullptr;
	}
	state->call.value_count = values;
	state->classes.Allocate(values);
	std::memcpy(state->classes.data(), spec.classes.data(), values);
	if (state->key_count > 0)
		state->extents.Allocate(state->key_reach);
	state->out.reserve(kReservedResult);
	for (unsigned i = 0; i < arguments; ++i) {
		if (!ArgFitsClass(args, i + 1, spec.classes[i % values], message))
			return nullptr;
	}
	if (update) {
		state->kinds.reserve(values);
		state->quoted_names.reserve(values);
		state->number_text.assign(values, false);
		for (unsigned i = 0; i < values; ++i) {
			const ArgKind kind = ClassArgKind(spec.classes[i]);
			const bool text =
			    kind != ArgKind::string && (ArgResultOf(args, i + 1) == ArgResult::string ||
			                                ArgResultOf(args, values + i + 1) == ArgResult::string);
			state->number_text[i] = text;
			state->any_number_text = state->any_number_text || text;
			state->kinds.push_back(text ? ArgKind::string : kind);
			state->quoted_names.push_back(JsonQuoted(ArgName(args, i + 1)));
		}
		for (unsigned i = 0; i < arguments; ++i)
			CoerceArg(args, i + 1, state->kinds[i % values]);
	} else {
		for (unsigned i = 0; i < arguments; ++i)
			CoerceArg(args, i + 1, ClassArgKind(spec.classes[i]));
	}
	state->call.hasher.SetSink(AppendToResult, state.get());
	return state.release();
}

// Text given to a numeric class ('i', 'u', 'f': a captured column whose type was changed
// to a string type under the triggers) read as the number, the whole text or nothing,
// into slot (the server's long long / double). The server's own conversion would do, but
// the update trigger calls the UDF in an IF, where strict mode does not apply: 'x' would
// pass as 0 with a warning, where the 1.3 trigger (the call inside its INSERT) failed.
bool ReadNumberText(char letter, std::string_view text, char *slot) {
	while (!text.empty() && text.front() == ' ')
		text.remove_prefix(1);
	while (!text.empty() && text.back() == ' ')
		text.remove_suffix(1);
	if (text.empty())
		return false;
	const std::string copy(text);
	char *end = nullptr;
	errno = 0;
	if (letter == 'f') {
		const double number = std::strtod(copy.c_str(), &end);
		if (!std::isfinite(number))
			return false;
		std::memcpy(slot, &number, sizeof number);
	} else if (letter == 'u') {
		if (copy.front() == '-')
			return false;
		const unsigned long long number = std::strtoull(copy.c_str(), &end, 10);
		std::memcpy(slot, &number, sizeof number);
	} else {
		const long long number = std::strtoll(copy.c_str(), &end, 10);
		std::memcpy(slot, &number, sizeof number);
	}
	return errno == 0 && end == copy.c_str() + copy.size();
}

// Hashes arguments first .. first + value_count - 1 into state->call.hasher (Reset
// first); false leaves the error text in state->call.result.
bool HashValues(CaptureState *state, const UDF_ARGS *args, unsigned first) {
	using namespace fingerprint::udf;
	CallState &call = state->call;
	call.hasher.Reset();
	const std::string_view classes(state->classes.data(), call.value_count);
	if (!state->any_number_text)
		return HashClassedArgs(&call.hasher, args, first, classes, call.result, kResultSize,
		                       &call.result_length);
	const ArgsView view = ViewArgs(args);
	for (unsigned i = 0; i < call.value_count; ++i) {
		const unsigned arg = first + i;
		const char *value = view.values[arg];
		unsigned long length = view.lengths[arg];
		char slot[8];
		if (value != nullptr && state->number_text[i]) {
			if (!ReadNumberText(classes[i], std::string_view(value, length), slot)) {
				const std::string_view name = Shortened(ArgName(args, arg), 192);
				const int n =
				    std::snprintf(call.result, kResultSize,
				                  "error: column %.*s (argument %u, class '%c'): text that is not a number"
				                  " (did the column's type change?)",
				                  static_cast<int>(name.size()), name.data(), arg + 1, classes[i]);
				call.result_length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), kResultSize - 1);
				call.hasher.Reset();
				return false;
			}
			value = slot;
			length = sizeof slot;
		}
		if (value == nullptr) {
			call.hasher.AddNull();
			continue;
		}
		const fingerprint::Status status = AddClassedValue(&call.hasher, classes[i], value, length);
		if (status != fingerprint::Status::ok) {
			call.result_length = FormatColumnError(call.result, kResultSize, args, arg, classes[i], status);
			call.hasher.Reset();
			return false;
		}
	}
	return true;
}

// Appends to state->out the capture row of the row whose values are arguments first ..
// first + value_count - 1; false leaves the error text in state->call.result.
bool AppendCaptureRow(CaptureState *state, const UDF_ARGS *args, unsigned first) {
	using namespace fingerprint::udf;
	CallState &call = state->call;
	const std::size_t start = state->out.size();
	const std::size_t header = fingerprint::CaptureHeaderLength(call.algorithm);
	state->out.append(header, '0');
	state->sink_failed = false;
	if (!HashValues(state, args, first))
		return false;
	const fingerprint::Digest128 digest = call.hasher.Finish();
	if (state->sink_failed) {
		SetErrorResult(&call, "error: out of memory while capturing a row image");
		return false;
	}
	// Where each value's bytes are, to copy the key columns' ones.
	std::size_t key_length = 0;
	if (state->key_count > 0) {
		// The image was written just now by our own hasher: only the values up to the
		// last key column are walked (walking every value took 9 % of the instructions of
		// a captured row of the benchmark table).
		const std::size_t image = start + header;
		fingerprint::ImageReader reader(state->out.data() + image, state->out.size() - image);
		fingerprint::ImageValue value;
		unsigned count = 0;
		while (count < state->key_reach && reader.Next(&value))
			state->extents[count++] = {static_cast<std::size_t>(value.encoded.data() - state->out.data()),
			                           value.encoded.size()};
		if (reader.status() != fingerprint::Status::ok || count != state->key_reach) {
			SetErrorResult(&call, "error: internal error: the captured row image is malformed");
			return false;
		}
		for (unsigned k = 0; k < state->key_count; ++k)
			key_length += state->extents[state->key[k]].length;
		state->out.reserve(state->out.size() + key_length);
		for (unsigned k = 0; k < state->key_count; ++k)
			state->out.append(state->out.data() + state->extents[state->key[k]].offset,
			                  state->extents[state->key[k]].length);
		if (state->key_only)
			state->out.erase(image, state->out.size() - image - key_length);
	}
	if (key_length > fingerprint::kMaxCaptureKeyLength) {
		SetErrorResult(&call, "error: the key of the captured row is too long");
		return false;
	}
	fingerprint::WriteCaptureHeader(call.algorithm, digest, key_length, &state->out[start]);
	return true;
}

// Whether argument a differs from argument b (of the view the caller took once per row), both of kind: NULL
// from a value, strings byte for byte, numbers by value.
bool Differs(const fingerprint::udf::ArgsView &view, unsigned a, unsigned b, fingerprint::udf::ArgKind kind) {
	using fingerprint::udf::ArgKind;
	const char *x = view.values[a];
	const char *y = view.values[b];
	if (x == nullptr || y == nullptr)
		return (x == nullptr) != (y == nullptr);
	switch (kind) {
	case ArgKind::integer: {
		long long i, j;
		std::memcpy(&i, x, sizeof i);
		std::memcpy(&j, y, sizeof j);
		return i != j;
	}
	case ArgKind::real: {
		double f, g;
		std::memcpy(&f, x, sizeof f);
		std::memcpy(&g, y, sizeof g);
		return !(f == g);
	}
	case ArgKind::string:
		break;
	}
	return view.lengths[a] != view.lengths[b] || std::memcmp(x, y, view.lengths[a]) != 0;
}

// One side of an update row: its length, then its capture row. False leaves the error,
// naming the side, in state->error.
bool AppendUpdateSide(CaptureState *state, const UDF_ARGS *args, unsigned first, const char *side) {
	const std::size_t length_at = state->out.size();
	state->out.append(fingerprint::kCaptureKeyLengthDigits, '0');
	if (!AppendCaptureRow(state, args, first)) {
		const std::string_view text(state->call.result, state->call.result_length);
		const std::string_view prefix = "error: ";
		state->error = "error: the ";
		state->error += side;
		state->error += " row: ";
		state->error += text.substr(0, prefix.size()) == prefix ? text.substr(prefix.size()) : text;
		return false;
	}
	const std::size_t length = state->out.size() - length_at - fingerprint::kCaptureKeyLengthDigits;
	if (length > fingerprint::kMaxCaptureKeyLength) {
		state->error = "error: the ";
		state->error += side;
		state->error += " row is too long to capture";
		return false;
	}
	fingerprint::WriteCaptureLength(length, &state->out[length_at]);
	return true;
}

// Fills state->out with the update row of NEW's and OLD's values, or sets *unchanged when
// no value differs; false leaves the error text in state->error.
bool CaptureUpdate(CaptureState *state, const UDF_ARGS *args, bool *unchanged) {
	const unsigned values = state->call.value_count;
	const fingerprint::udf::ArgsView view = fingerprint::udf::ViewArgs(args);
	if (view.count != 2 * values + 1) {
		state->error = "error: argument count changed after init";
		return false;
	}
	std::string changed = "[";
	for (unsigned i = 0; i < values; ++i) {
		if (!Differs(view, i + 1, values + i + 1, state->kinds[i]))
			continue;
		if (changed.size() > 1)
			changed += ',';
		changed += state->quoted_names[i];
	}
	*unchanged = changed.size() == 1;
	if (*unchanged)
		return true;
	changed += ']';
	state->out.assign(fingerprint::kCaptureUpdateTag.data(), fingerprint::kCaptureUpdateTag.size());
	if (!AppendUpdateSide(state, args, 1, "new") || !AppendUpdateSide(state, args, values + 1, "old"))
		return false;
	state->out += changed;
	return true;
}

} // namespace

FP_EXPORT fp_init_result fingerprint_capture_row_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		CaptureState *state = Init(args, message);
		if (state == nullptr)
			return 1;
		fingerprint::udf::SetStatePointer(initid, state);
		// An update's result is NULL when nothing changed: the server must be told, or it
		// takes "IS NULL" of the call for constant FALSE.
		fingerprint::udf::SetResultShape(initid, kMaxCaptureLength, state->update);
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
                                        unsigned long *length, fp_flag *is_null, fp_flag * /*error*/) {
	try {
		auto *state = static_cast<CaptureState *>(fingerprint::udf::StatePointer(initid));
		*is_null = 0;
		if (state->update) {
			bool unchanged = false;
			if (!CaptureUpdate(state, args, &unchanged)) {
				*length = state->error.size();
				return &state->error[0];
			}
			if (unchanged) {
				*is_null = 1;
				return nullptr;
			}
			*length = state->out.size();
			return state->out.data();
		}
		state->out.clear();
		if (AppendCaptureRow(state, args, 1)) {
			*length = state->out.size();
			return state->out.data();
		}
		*length = state->call.result_length;
		return state->call.result;
	} catch (...) {
		// Not *error = 1: that makes the result NULL, which for "+old" means "nothing
		// changed" (the trigger would log nothing and the UPDATE commit uncaptured), and
		// which the log's CHECK lets through for an insert or a delete. An "error: " text
		// is refused by that CHECK like every other refusal, so the statement fails. A
		// literal, since nothing can be allocated here (the server copies the result).
		static char out_of_memory[] =
		    "error: out of memory while capturing the row (try the statement again)";
		*is_null = 0;
		*length = sizeof out_of_memory - 1;
		return out_of_memory;
	}
}
