// Helpers shared by the change-capture UDFs (capture_row.cpp, capture_json.cpp): splitting
// a fingerprint_capture_row result and a column-name list. (Images are walked with the
// core's ImageReader.)
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace fingerprint::udf {

// The parts of a fingerprint_capture_row result (capture_row.cpp): false if text is not
// one (it does not start with "fp1:" or its layout does not add up).
struct CaptureParts {
	std::string_view fingerprint;
	std::string_view image; // empty for a key-only result
	std::string_view key;
};
bool SplitCapture(std::string_view text, CaptureParts *out) noexcept;

// Splits "a,b,c" at commas (names are stored without quoting; capture_ddl refuses column
// names containing a comma). Surrounding spaces are kept: they are part of a name.
// Throws std::bad_alloc only.
std::vector<std::string_view> SplitNames(std::string_view list);

} // namespace fingerprint::udf
