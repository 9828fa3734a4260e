// Row images: the canonical bytes of a row (exactly the bytes RowHasher hashes, see
// docs/FORMAT.md), kept instead of hashed. The change log stores them and the diff tool
// compares them: an image decodes back into typed values, renders as JSON, and hashes to
// the row's fingerprint without any database.
//
// To capture an image while hashing, give RowHasher a ByteSink (row_hasher.hpp).
#pragma once

#include "fingerprint/algorithm.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/status.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fingerprint {

// One decoded value. Which member is meaningful depends on tag:
//   null                                   none
//   exact_number, string, json, invalid_temporal   text (the payload bytes)
//   approx_number                          approx
//   date (days since 2000-01-01), timestamp (µs since 2000 UTC), time (µs)   integer
struct ImageValue {
	Tag tag = Tag::null;
	// The value's whole canonical encoding, tag included: two values are the same exactly
	// when these bytes are (docs/FORMAT.md), and copying them copies the value.
	std::string_view encoded;
	std::string_view text;
	double approx = 0;
	std::int64_t integer = 0;
};

// Walks an image value by value. The image must outlive the reader and the values.
class ImageReader {
  public:
	ImageReader(const void *data, std::size_t length) noexcept;
	// Fills *out and returns true, or returns false at the end of the image or when the
	// bytes are not a well-formed image (then status() is invalid_image).
	bool Next(ImageValue *out) noexcept;
	Status status() const noexcept { return status_; }

  private:
	const unsigned char *data_;
	std::size_t length_;
	std::size_t offset_;
	Status status_;
};

// Number of values in an image; invalid_image if it is malformed.
Status CountImageValues(const void *data, std::size_t length, std::size_t *count) noexcept;

// Every value of an image, in order, into *out (replaced); invalid_image if it is malformed.
// The values point into data.
Status ReadImageValues(const void *data, std::size_t length, std::vector<ImageValue> *out);

// The row fingerprint of an image: equal to the digest RowHasher gave when it wrote it.
Digest128 HashImage(Algorithm algorithm, const void *data, std::size_t length) noexcept;

// Appends the JSON rendering of one value (docs/FORMAT.md, "JSON rendering of images"):
// null; exact numbers as JSON numbers (NaN/Infinity/-Infinity as strings); doubles as the
// shortest round-trip number (non-finite as strings); text as a JSON string when it is
// valid UTF-8, otherwise {"$bytes":"<lower-case hex>"}; dates "YYYY-MM-DD"; timestamps
// "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; times "[-]HH:MM:SS[.ffffff]"; JSON as itself;
// invalid temporal values as their text. Throws std::bad_alloc only.
void AppendValueJson(const ImageValue &value, std::string *out);

// The whole image as a JSON object keyed by names (count must equal the number of
// values, else invalid_image) or, when names is nullptr, as a JSON array.
// Never throws: out_of_memory is returned instead.
Status RenderImageJson(const void *data, std::size_t length, const std::string_view *names,
                       std::size_t name_count, std::string *out) noexcept;

} // namespace fingerprint
