// The last step of the drill-down: the rows of the differing buckets from both sides,
// matched by key image (the canonical bytes of the key, identical on both engines, so
// collations and key types do not matter) and classified:
//   missing_on_target  the key is only on the source
//   extra_on_target    the key is only on the target
//   changed            one row on each side, different row fingerprints; with the row
//                      images, the columns whose values differ are named
//   duplicate          the key appears more than once on a side, and the two sides' rows
//                      for it are not the same multiset
#pragma once

#include "connection.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace fingerprint::cli {

enum class DiffClass { missing_on_target, extra_on_target, changed, duplicate };

const char *DiffClassName(DiffClass value);  // "missing_on_target", for --json
const char *DiffClassLabel(DiffClass value); // "missing on target", for people

struct ColumnChange {
	std::string column;
	std::string source_value; // JSON (AppendValueJson)
	std::string target_value;
};

struct KeyDifference {
	DiffClass kind = DiffClass::changed;
	std::int32_t bucket = 0;
	std::string key_image;
	std::string key_json;
	int source_rows = 0; // rows with this key on each side
	int target_rows = 0;
	// changed: the differing columns; empty until the row images have been compared.
	std::vector<ColumnChange> changes;
	bool images_compared = false;
};

// Appends the differences between the two sides' rows (the rows of the same buckets).
// names: the compared columns, in image order. Throws Error for a malformed image.
void ClassifyRows(const std::vector<BucketRow> &source, const std::vector<BucketRow> &target,
                  const std::vector<std::string> &names, std::vector<KeyDifference> *out);

// The columns whose values differ between two row images of the same key.
std::vector<ColumnChange> CompareImages(const std::string &source_image, const std::string &target_image,
                                        const std::vector<std::string> &names);

// Report order: by class, then by key image (for integers that is numeric order).
void SortDifferences(std::vector<KeyDifference> *differences);

} // namespace fingerprint::cli
