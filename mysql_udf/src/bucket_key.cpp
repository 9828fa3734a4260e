// The per-row UDFs of the bucket drill-down (docs/diff.md):
//
//   fingerprint_bucket_of(key_spec, k1..kn) RETURNS INTEGER
//       the bucket of the key (key_spec "<bucket count>:<classes>", bucket.hpp), or -1
//       when a key value cannot be encoded (fingerprint_image then says why).
//   fingerprint_image(classes, v1..vn) RETURNS STRING (binary)
//       the canonical image of the values (docs/FORMAT.md): for the key columns, the key
//       image, byte for byte what PostgreSQL's bucket_rows gives; or "error: column ...".
//       An image starts with a class tag (0x00..0x08), never with 'e'.
//   fingerprint_key_json(classes, v1..vn) RETURNS STRING
//       the values as a JSON array (RenderImageJson of their image), or "error: ...".
//
// Catch-all handlers: see row_fingerprint.cpp.
#include "key_spec.hpp"
#include "udf_abi.hpp"

#include "fingerprint/bucket.hpp"
#include "fingerprint/row_image.hpp"
#include "fingerprint/status.hpp"

#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace {

using namespace fingerprint::udf;

constexpr unsigned long kMaxResultLength = 4294967295UL;

// A growing byte buffer the hasher's sink fills; it never throws (the sink is noexcept),
// it records a failed allocation instead.
struct ImageBuffer {
	std::unique_ptr<unsigned char[]> data;
	std::size_t size = 0;
	std::size_t capacity = 0;
	bool failed = false;
};

void AppendToImage(void *context, const unsigned char *bytes, std::size_t length) noexcept {
	ImageBuffer *image = static_cast<ImageBuffer *>(context);
	if (image->failed)
		return;
	if (length > image->capacity - image->size) {
		std::size_t capacity = image->capacity < 256 ? 256 : image->capacity * 2;
		while (capacity - image->size < length)
			capacity *= 2;
		unsigned char *grown = new (std::nothrow) unsigned char[capacity];
		if (grown == nullptr) {
			image->failed = true;
			return;
		}
		if (image->size > 0)
			std::memcpy(grown, image->data.get(), image->size);
		image->data.reset(grown);
		image->capacity = capacity;
	}
	std::memcpy(image->data.get() + image->size, bytes, length);
	image->size += length;
}

struct KeyState {
	std::string classes;
	std::uint32_t bucket_count = 1;
	fingerprint::RowHasher hasher{fingerprint::kKeyAlgorithm};
	ImageBuffer image;
	std::string json;
	char error[kErrorSize] = {};
	std::size_t error_length = 0;
};

KeyState *StateOf(UDF_INIT *initid) {
	return static_cast<KeyState *>(StatePointer(initid));
}

void FreeState(UDF_INIT *initid) {
	delete StateOf(initid);
	SetStatePointer(initid, nullptr);
}

// Checks "(spec, values...)" and allocates the state; nullptr with message on refusal.
// with_count: the spec is a key spec "<bucket count>:<classes>", else plain classes.
KeyState *InitKey(const char *function, UDF_ARGS *args, char *message, bool with_count) {
	const ArgsView view = ViewArgs(args);
	if (view.count < 2 || !IsConstantString(args, 0)) {
		std::snprintf(message, kInitMessageSize, "%s: expects a constant spec and values", function);
		return nullptr;
	}
	const std::string_view spec(view.values[0], view.lengths[0]);
	KeySpec key{1, spec};
	const char *why = "";
	char bad = '?';
	if (with_count ? !ParseKeySpec(spec, &key, &why) : (spec.empty() || !CheckClasses(spec, &bad))) {
		std::snprintf(message, kInitMessageSize, "%s: %s", function,
		              with_count ? why : "bad class letters (argument 1)");
		return nullptr;
	}
	if (view.count != 1 + key.classes.size()) {
		std::snprintf(message, kInitMessageSize, "%s: spec names %zu values, got %u", function,
		              key.classes.size(), view.count - 1);
		return nullptr;
	}
	std::unique_ptr<KeyState> state(new (std::nothrow) KeyState);
	if (state == nullptr) {
		std::snprintf(message, kInitMessageSize, "%s: out of memory", function);
		return nullptr;
	}
	state->classes.assign(key.classes.data(), key.classes.size());
	state->bucket_count = key.bucket_count;
	state->hasher.SetSink(AppendToImage, &state->image);
	CoerceClassedArgs(args, 1, state->classes);
	return state.release();
}

// The body of the three _init functions: the state, the result shape, no exception out.
fp_init_result InitUdf(const char *function, UDF_INIT *initid, UDF_ARGS *args, char *message, bool with_count,
                       unsigned long max_length) noexcept {
	try {
		KeyState *state = InitKey(function, args, message, with_count);
		if (state == nullptr)
			return 1;
		SetStatePointer(initid, state);
		SetResultShape(initid, max_length, false);
		return 0;
	} catch (...) {
		std::snprintf(message, kInitMessageSize, "%s: internal error", function);
		return 1;
	}
}

// Encodes the row's values into state->image; false with state->error set on failure.
bool EncodeImage(KeyState *state, const UDF_ARGS *args) {
	state->image.size = 0;
	state->image.failed = false;
	if (!HashClassedArgs(&state->hasher, args, 1, state->classes, state->error, kErrorSize,
	                     &state->error_length))
		return false;
	state->hasher.Finish();
	if (state->image.failed) {
		state->error_length = static_cast<std::size_t>(
		    std::snprintf(state->error, kErrorSize, "error: %s",
		                  fingerprint::StatusMessage(fingerprint::Status::out_of_memory)));
		return false;
	}
	return true;
}

} // namespace

// Validates the key spec.
FP_EXPORT fp_init_result fingerprint_bucket_of_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	return InitUdf("fingerprint_bucket_of", initid, args, message, true, 9);
}

FP_EXPORT void fingerprint_bucket_of_deinit(UDF_INIT *initid) {
	FreeState(initid);
}

// The key's bucket, -1 for a key value the core refuses.
FP_EXPORT long long fingerprint_bucket_of(UDF_INIT *initid, UDF_ARGS *args, fp_flag *is_null,
                                          fp_flag *error) {
	try {
		KeyState *state = StateOf(initid);
		*is_null = 0;
		// No image is needed here: hash without the sink.
		state->hasher.SetSink(nullptr, nullptr);
		if (!HashClassedArgs(&state->hasher, args, 1, state->classes, state->error, kErrorSize,
		                     &state->error_length))
			return -1;
		return fingerprint::BucketOfKeyDigest(state->hasher.Finish(), state->bucket_count);
	} catch (...) {
		*error = 1;
		return 0;
	}
}

// Validates the class letters.
FP_EXPORT fp_init_result fingerprint_image_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	return InitUdf("fingerprint_image", initid, args, message, false, kMaxResultLength);
}

FP_EXPORT void fingerprint_image_deinit(UDF_INIT *initid) {
	FreeState(initid);
}

// The values' canonical image, or an error string.
FP_EXPORT char *fingerprint_image(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/, unsigned long *length,
                                  fp_flag *is_null, fp_flag *error) {
	try {
		KeyState *state = StateOf(initid);
		*is_null = 0;
		if (!EncodeImage(state, args)) {
			*length = state->error_length;
			return state->error;
		}
		*length = state->image.size;
		// A zero-length result still needs a valid pointer.
		return state->image.size == 0 ? state->error : reinterpret_cast<char *>(state->image.data.get());
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}

// Validates the class letters.
FP_EXPORT fp_init_result fingerprint_key_json_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	return InitUdf("fingerprint_key_json", initid, args, message, false, kMaxResultLength);
}

FP_EXPORT void fingerprint_key_json_deinit(UDF_INIT *initid) {
	FreeState(initid);
}

// The values as a JSON array, or an error string.
FP_EXPORT char *fingerprint_key_json(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                     unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		KeyState *state = StateOf(initid);
		*is_null = 0;
		if (!EncodeImage(state, args)) {
			*length = state->error_length;
			return state->error;
		}
		const fingerprint::Status status = fingerprint::RenderImageJson(
		    state->image.data.get(), state->image.size, nullptr, 0, &state->json);
		if (status != fingerprint::Status::ok) {
			state->error_length = static_cast<std::size_t>(
			    std::snprintf(state->error, kErrorSize, "error: %s", fingerprint::StatusMessage(status)));
			*length = state->error_length;
			return state->error;
		}
		*length = state->json.size();
		return &state->json[0];
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
