// The capture row and the update row: what a MariaDB capture trigger logs for one row
// change, in one value (fingerprint_capture_row writes them; fingerprint.change_log
// stores them in capture_new and capture_old; fingerprint_capture_part and
// fingerprint_image_diff read them back; docs/capture.md). Defined here once, so that the
// writer, the readers and the log's columns agree whatever the algorithm.
//
// A capture row (one side of a change; every log row written before 1.4, and the INSERT
// and DELETE rows since):
//
//   row fingerprint   fp1:<algorithm>:<32 hex digits>, as FormatRowFingerprint writes it
//   key length K      kCaptureKeyLengthDigits lower-case hex digits
//   row image         the canonical bytes that hash to the fingerprint (row_image.hpp);
//                     empty in a key-only row (a DELETE logged without old images)
//   key image         K bytes: the key columns' encoded values, in key order
//
// An update row (what the update trigger logs since 1.4, in capture_new alone: one UDF
// call over NEW's and OLD's columns instead of two, so the trigger prepares half the
// items per row):
//
//   tag               kCaptureUpdateTag ("fpu1:"; a capture row starts with "fp1:")
//   length N          kCaptureKeyLengthDigits lower-case hex digits
//   new row           a capture row of N bytes: the row after the update
//   length M          kCaptureKeyLengthDigits lower-case hex digits
//   old row           a capture row of M bytes: the row before it
//   changed columns   the rest: a JSON array of the changed columns' names, in column
//                     order (["a","b"], what changed_columns holds)
#pragma once

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint {

constexpr std::size_t kCaptureKeyLengthDigits = 8;
// The longest key image the header can state (and the longest side of an update row).
constexpr std::size_t kMaxCaptureKeyLength = 0xFFFFFFFFu;
constexpr std::string_view kCaptureUpdateTag = "fpu1:";

// Bytes before the row image: the row fingerprint and the key length.
std::size_t CaptureHeaderLength(Algorithm algorithm) noexcept;

// Writes the header (CaptureHeaderLength(algorithm) bytes, no NUL) into out. key_length
// must be at most kMaxCaptureKeyLength.
void WriteCaptureHeader(Algorithm algorithm, Digest128 digest, std::size_t key_length, char *out) noexcept;

// Writes length (at most kMaxCaptureKeyLength) as kCaptureKeyLengthDigits hex digits: the
// lengths of an update row's sides.
void WriteCaptureLength(std::size_t length, char *out) noexcept;

// The parts of a capture row, pointing into it.
struct CaptureRowParts {
	std::string_view fingerprint;
	std::string_view image; // empty for a key-only row
	std::string_view key;
};

// False when row is not a capture row (no known fingerprint in front, or lengths that do
// not add up).
bool SplitCaptureRow(std::string_view row, CaptureRowParts *out) noexcept;

// The parts of a logged value, a capture row or an update row. For a capture row, old is
// the row itself (the one side there is) and there is no changed-column list.
struct CaptureValueParts {
	CaptureRowParts now; // the update row's new row, or the capture row
	CaptureRowParts old; // the update row's old row, or the capture row
	std::string_view changed;
	bool is_update = false;
};

// False when value is neither a capture row nor an update row of two capture rows.
bool SplitCaptureValue(std::string_view value, CaptureValueParts *out) noexcept;

// The parts by name, for SQL: "fingerprint", "image", "key" (of the new row of an update
// row), "old_fingerprint", "old_image", "old_key" (of its old row; of a capture row, the
// same as without "old_"), "changed" (an update row's changed columns).
enum class CapturePart { fingerprint, image, key, old_fingerprint, old_image, old_key, changed };
bool ParseCapturePart(std::string_view name, CapturePart *out) noexcept;
// One of the first three parts of a capture row.
std::string_view CaptureRowPart(const CaptureRowParts &parts, CapturePart part) noexcept;
// A part of a logged value; false when it has none ("changed" of a capture row).
bool CaptureValuePart(const CaptureValueParts &parts, CapturePart part, std::string_view *out) noexcept;

} // namespace fingerprint
