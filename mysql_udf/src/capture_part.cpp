// fingerprint_capture_part(capture_row, part) RETURNS STRING (binary): one part of what
// fingerprint_capture_row returned (fingerprint/capture_row.hpp), so that SQL never cuts a
// capture row at byte offsets. fingerprint.change_log's virtual columns are made of it
// (docs/capture.md).
//
//   capture_row  a fingerprint_capture_row result (capture_new or capture_old): a capture
//                row, or an update row (both sides and the changed columns)
//   part         'fingerprint' (the row fingerprint), 'image' (the row image; empty for a
//                key-only row) or 'key' (the key image), of an update row's new row;
//                'old_fingerprint', 'old_image', 'old_key': the same of its old row (of a
//                capture row: the same as without 'old_'); 'changed': an update row's
//                changed columns (JSON array). A constant string.
//   result       that part; NULL for a NULL row, one that is neither layout, or
//                'changed' of a capture row
//
// Catch-all handlers: see row_fingerprint.cpp.
#include "udf_abi.hpp"

#include "fingerprint/capture_row.hpp"

#include <cstdio>
#include <string_view>

namespace {

using fingerprint::udf::ArgsView;

constexpr unsigned long kMaxPartLength = 4294967295UL;

struct PartState {
	fingerprint::CapturePart part;
};

void Refuse(char *message, const char *reason) {
	std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_capture_part: %s", reason);
}

} // namespace

FP_EXPORT fp_init_result fingerprint_capture_part_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	using namespace fingerprint::udf;
	try {
		const ArgsView view = ViewArgs(args);
		if (view.count != 2) {
			Refuse(message, "expects a capture row and a part");
			return 1;
		}
		fingerprint::CapturePart part{};
		if (!IsConstantString(args, 1) ||
		    !fingerprint::ParseCapturePart(std::string_view(view.values[1], view.lengths[1]), &part)) {
			Refuse(message, "part must be [old_](fingerprint|image|key) or changed");
			return 1;
		}
		CoerceArg(args, 0, ArgKind::string);
		CoerceArg(args, 1, ArgKind::string);
		SetStatePointer(initid, new PartState{part});
		SetResultShape(initid, kMaxPartLength, true);
		return 0;
	} catch (...) {
		Refuse(message, "out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_capture_part_deinit(UDF_INIT *initid) {
	delete static_cast<PartState *>(fingerprint::udf::StatePointer(initid));
	fingerprint::udf::SetStatePointer(initid, nullptr);
}

FP_EXPORT char *fingerprint_capture_part(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                         unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		const auto *state = static_cast<const PartState *>(fingerprint::udf::StatePointer(initid));
		const ArgsView view = fingerprint::udf::ViewArgs(args);
		fingerprint::CaptureValueParts parts;
		std::string_view part;
		if (view.values[0] == nullptr ||
		    !fingerprint::SplitCaptureValue(std::string_view(view.values[0], view.lengths[0]), &parts) ||
		    !fingerprint::CaptureValuePart(parts, state->part, &part)) {
			*is_null = 1;
			return nullptr;
		}
		*is_null = 0;
		*length = part.size();
		// The server only reads the result; it points into the argument, which outlives
		// this call's use of it.
		return const_cast<char *>(part.data());
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
