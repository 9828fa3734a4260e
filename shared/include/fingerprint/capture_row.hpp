// The capture row: what a MariaDB capture trigger logs for one row change, in one value
// (fingerprint_capture_row writes it; fingerprint.change_log stores it in capture_new and
// capture_old; fingerprint_capture_part and fingerprint_image_diff read it back;
// docs/capture.md). Defined here once, so that the writer, the readers and the log's
// columns agree whatever the algorithm:
//
//   row fingerprint   fp1:<algorithm>:<32 hex digits>, as FormatRowFingerprint writes it
//   key length K      kCaptureKeyLengthDigits lower-case hex digits
//   row image         the canonical bytes that hash to the fingerprint (row_image.hpp);
//                     empty in a key-only row (a DELETE logged without old images)
//   key image         K bytes: the key columns' encoded values, in key order
#pragma once

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint {

constexpr std::size_t kCaptureKeyLengthDigits = 8;
// The longest key image the header can state.
constexpr std::size_t kMaxCaptureKeyLength = 0xFFFFFFFFu;

// Bytes before the row image: the row fingerprint and the key length.
std::size_t CaptureHeaderLength(Algorithm algorithm) noexcept;

// Writes the header (CaptureHeaderLength(algorithm) bytes, no NUL) into out. key_length
// must be at most kMaxCaptureKeyLength.
void WriteCaptureHeader(Algorithm algorithm, Digest128 digest, std::size_t key_length, char *out) noexcept;

// The parts of a capture row, pointing into it.
struct CaptureRowParts {
	std::string_view fingerprint;
	std::string_view image; // empty for a key-only row
	std::string_view key;
};

// False when row is not a capture row (no known fingerprint in front, or lengths that do
// not add up).
bool SplitCaptureRow(std::string_view row, CaptureRowParts *out) noexcept;

// The parts by name, for SQL: "fingerprint", "image", "key".
enum class CapturePart { fingerprint, image, key };
bool ParseCapturePart(std::string_view name, CapturePart *out) noexcept;
std::string_view CaptureRowPart(const CaptureRowParts &parts, CapturePart part) noexcept;

} // namespace fingerprint
