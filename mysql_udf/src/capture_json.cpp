// Renderings of row images for the change log's views (docs/capture.md):
//
//   fingerprint_image_json(image, 'c1,c2,...') RETURNS STRING
//       The image as a JSON object keyed by the column names (RenderImageJson), or as a
//       JSON array when the names are NULL. NULL for a NULL image.
//   fingerprint_image_diff(old_image, new_image, 'c1,c2,...') RETURNS STRING
//       (images, or whole fingerprint_capture_row results: of an update row, the old
//       argument's old side and the new argument's new side)
//       JSON array of the names of the columns whose encoded values differ, bytewise
//       (so 'A' -> 'a' is a change even under a case-insensitive collation, and
//       1.0 -> 1.00 is none: both encode as 1). NULL if either image is NULL.
//       Each name is a JSON string (FormatJsonString). The names the triggers and views
//       pass are MariaDB identifiers, utf8mb3/utf8mb4 and so valid UTF-8; a direct call
//       can pass any bytes, and a name that is not UTF-8 is written {"$bytes":"<hex>"},
//       as fingerprint_image_json writes such text, so the result is always JSON.
//
// A malformed image or a name list of the wrong length gives an "error: ..." string
// (never valid JSON, so a consumer parsing it fails loudly). Catch-all handlers: see
// row_fingerprint.cpp.
#include "name_list.hpp"
#include "udf_abi.hpp"

#include "fingerprint/capture_row.hpp"
#include "fingerprint/json_string.hpp"
#include "fingerprint/row_image.hpp"
#include "fingerprint/status.hpp"
#include "fingerprint/utf8.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

using fingerprint::udf::ArgsView;

// Appends a column name as a JSON string, or as {"$bytes":"<lower-case hex>"} when it is
// not valid UTF-8 (see the header comment). Throws std::bad_alloc only.
void AppendNameJson(std::string_view name, std::string *out) {
	if (!fingerprint::IsValidUtf8(name)) {
		static constexpr char kHex[] = "0123456789abcdef";
		out->append("{\"$bytes\":\"");
		for (const char c : name) {
			out->push_back(kHex[static_cast<unsigned char>(c) >> 4]);
			out->push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
		}
		out->append("\"}");
		return;
	}
	const std::size_t start = out->size();
	const std::size_t length = fingerprint::FormatJsonString(name, nullptr, 0);
	out->resize(start + length);
	fingerprint::FormatJsonString(name, &(*out)[start], length);
}

struct JsonState {
	std::string out;
};

constexpr unsigned long kMaxJsonLength = 4294967295UL;

bool InitStrings(UDF_INIT *initid, UDF_ARGS *args, char *message, const char *function, unsigned count,
                 const char *usage) {
	using namespace fingerprint::udf;
	if (ViewArgs(args).count != count) {
		std::snprintf(message, kInitMessageSize, "%s: expects %s", function, usage);
		return false;
	}
	for (unsigned i = 0; i < count; ++i)
		CoerceArg(args, i, ArgKind::string);
	auto *state = new JsonState;
	SetStatePointer(initid, state);
	SetResultShape(initid, kMaxJsonLength, true);
	return true;
}

void Free(UDF_INIT *initid) {
	delete static_cast<JsonState *>(fingerprint::udf::StatePointer(initid));
	fingerprint::udf::SetStatePointer(initid, nullptr);
}

std::string_view Arg(const ArgsView &view, unsigned i) {
	return std::string_view(view.values[i], view.lengths[i]);
}

void SetError(std::string *out, const char *function, const std::string &what) {
	out->assign("error: ");
	out->append(function);
	out->append(": ");
	out->append(what);
}

} // namespace

FP_EXPORT fp_init_result fingerprint_image_json_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		return InitStrings(initid, args, message, "fingerprint_image_json", 2,
		                   "an image and a column-name list")
		           ? 0
		           : 1;
	} catch (...) {
		std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_image_json: out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_image_json_deinit(UDF_INIT *initid) {
	Free(initid);
}

FP_EXPORT char *fingerprint_image_json(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                       unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		auto *state = static_cast<JsonState *>(fingerprint::udf::StatePointer(initid));
		const ArgsView view = fingerprint::udf::ViewArgs(args);
		if (view.values[0] == nullptr) {
			*is_null = 1;
			return nullptr;
		}
		*is_null = 0;
		const std::string_view image = Arg(view, 0);
		std::vector<std::string_view> names;
		if (view.values[1] != nullptr)
			names = fingerprint::udf::SplitNames(Arg(view, 1));
		state->out.clear();
		const fingerprint::Status status = fingerprint::RenderImageJson(
		    image.data(), image.size(), view.values[1] == nullptr ? nullptr : names.data(), names.size(),
		    &state->out);
		if (status != fingerprint::Status::ok) {
			std::size_t values = 0;
			std::string what = fingerprint::StatusMessage(status);
			if (fingerprint::CountImageValues(image.data(), image.size(), &values) ==
			        fingerprint::Status::ok &&
			    view.values[1] != nullptr && values != names.size())
				what = "the image has " + std::to_string(values) + " values but " +
				       std::to_string(names.size()) + " column names were given";
			SetError(&state->out, "fingerprint_image_json", what);
		}
		*length = state->out.size();
		return state->out.data();
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}

FP_EXPORT fp_init_result fingerprint_image_diff_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		return InitStrings(initid, args, message, "fingerprint_image_diff", 3,
		                   "old image, new image, column names")
		           ? 0
		           : 1;
	} catch (...) {
		std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_image_diff: out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_image_diff_deinit(UDF_INIT *initid) {
	Free(initid);
}

FP_EXPORT char *fingerprint_image_diff(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                       unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		auto *state = static_cast<JsonState *>(fingerprint::udf::StatePointer(initid));
		const ArgsView view = fingerprint::udf::ViewArgs(args);
		if (view.values[0] == nullptr || view.values[1] == nullptr || view.values[2] == nullptr) {
			*is_null = 1;
			return nullptr;
		}
		*is_null = 0;
		std::string_view old_image = Arg(view, 0);
		std::string_view new_image = Arg(view, 1);
		// Whole fingerprint_capture_row results are accepted too (a row image never
		// starts with 'f' or 'u': tags are 0..8): of a capture row its image, of an
		// update row (what an update logs since 1.4) its old side as the old image and
		// its new side as the new one, so that (capture_new, capture_new) diffs an update.
		fingerprint::CaptureValueParts parts;
		if (fingerprint::SplitCaptureValue(old_image, &parts))
			old_image = parts.old.image;
		if (fingerprint::SplitCaptureValue(new_image, &parts))
			new_image = parts.now.image;
		const std::vector<std::string_view> names = fingerprint::udf::SplitNames(Arg(view, 2));
		fingerprint::ImageReader old_reader(old_image.data(), old_image.size());
		fingerprint::ImageReader new_reader(new_image.data(), new_image.size());
		fingerprint::ImageValue old_value, new_value;
		std::size_t index = 0;
		state->out.assign("[");
		while (true) {
			const bool has_old = old_reader.Next(&old_value);
			const bool has_new = new_reader.Next(&new_value);
			if (old_reader.status() != fingerprint::Status::ok ||
			    new_reader.status() != fingerprint::Status::ok) {
				SetError(&state->out, "fingerprint_image_diff", "bytes are not a well-formed row image");
				break;
			}
			if (!has_old && !has_new) {
				if (index != names.size())
					SetError(&state->out, "fingerprint_image_diff",
					         "the images have " + std::to_string(index) + " values but " +
					             std::to_string(names.size()) + " column names were given");
				else
					state->out.push_back(']');
				break;
			}
			if (has_old != has_new || index >= names.size()) {
				SetError(&state->out, "fingerprint_image_diff",
				         "the images do not have the same number of values as the column names");
				break;
			}
			if (old_value.encoded != new_value.encoded) {
				if (state->out.size() > 1)
					state->out.push_back(',');
				AppendNameJson(names[index], &state->out);
			}
			++index;
		}
		*length = state->out.size();
		return state->out.data();
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
