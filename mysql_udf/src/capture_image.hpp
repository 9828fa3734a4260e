// Helpers shared by the change-capture UDFs (capture_row.cpp, capture_json.cpp): walking a
// row image value by value as byte ranges, and splitting a column-name list.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace fingerprint::udf {

// The byte range [offset, offset + length) of one encoded value (tag included) inside a
// row image (docs/FORMAT.md). Advances *offset past the value; false at the end of the
// image or when the bytes are not a well-formed value (*malformed is then set).
bool NextValueExtent(const unsigned char *data, std::size_t size, std::size_t *offset, std::size_t *length,
                     bool *malformed) noexcept;

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
