#include "classify.hpp"

#include "cli_error.hpp"

#include "fingerprint/row_image.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace fingerprint::cli {

namespace {

struct KeyRows {
	std::vector<const BucketRow *> source;
	std::vector<const BucketRow *> target;
};

std::vector<ImageValue> Decode(const std::string &image, const char *side) {
	std::vector<ImageValue> values;
	const Status status = ReadImageValues(image.data(), image.size(), &values);
	if (status != Status::ok)
		throw Error(std::string("the ") + side + " returned a malformed row image: " + StatusMessage(status));
	return values;
}

// The core defines "the same": equal canonical bytes.
bool SameValue(const ImageValue &a, const ImageValue &b) {
	return a.encoded == b.encoded;
}

std::string ValueJson(const ImageValue &value) {
	std::string out;
	AppendValueJson(value, &out);
	return out;
}

// Do two groups of rows hold the same multiset of row fingerprints?
bool SameRows(const std::vector<const BucketRow *> &a, const std::vector<const BucketRow *> &b) {
	if (a.size() != b.size())
		return false;
	std::vector<std::string_view> x, y;
	for (const BucketRow *row : a)
		x.emplace_back(row->fingerprint);
	for (const BucketRow *row : b)
		y.emplace_back(row->fingerprint);
	std::sort(x.begin(), x.end());
	std::sort(y.begin(), y.end());
	return x == y;
}

// The key as a JSON array, rendered here from its image (the server's key_json is the
// same text by contract; it is the fallback should the image not decode).
std::string KeyJson(const BucketRow &row) {
	std::string json;
	if (RenderImageJson(row.key_image.data(), row.key_image.size(), nullptr, 0, &json) == Status::ok)
		return json;
	return row.key_json;
}

} // namespace

namespace {

// The name (for --json) and the label (for people) of a class.
struct ClassNames {
	const char *name;
	const char *label;
};

ClassNames NamesOf(DiffClass value) {
	switch (value) {
	case DiffClass::missing_on_target:
		return {"missing_on_target", "missing on target"};
	case DiffClass::extra_on_target:
		return {"extra_on_target", "extra on target"};
	case DiffClass::changed:
		return {"changed", "changed"};
	case DiffClass::duplicate:
		return {"duplicate", "duplicate key"};
	}
	return {"?", "?"};
}

} // namespace

const char *DiffClassName(DiffClass value) {
	return NamesOf(value).name;
}

const char *DiffClassLabel(DiffClass value) {
	return NamesOf(value).label;
}

std::vector<ColumnChange> CompareImages(const std::string &source_image, const std::string &target_image,
                                        const std::vector<std::string> &names) {
	const std::vector<ImageValue> source = Decode(source_image, "source");
	const std::vector<ImageValue> target = Decode(target_image, "target");
	if (source.size() != names.size() || target.size() != names.size())
		throw Error("row images hold " + std::to_string(source.size()) + " (source) and " +
		            std::to_string(target.size()) + " (target) values for " + std::to_string(names.size()) +
		            " compared columns");
	std::vector<ColumnChange> changes;
	for (std::size_t i = 0; i < names.size(); ++i)
		if (!SameValue(source[i], target[i]))
			changes.push_back({names[i], ValueJson(source[i]), ValueJson(target[i])});
	return changes;
}

void ClassifyRows(const std::vector<BucketRow> &source, const std::vector<BucketRow> &target,
                  const std::vector<std::string> &names, std::vector<KeyDifference> *out) {
	std::map<std::string_view, KeyRows> keys;
	for (const BucketRow &row : source)
		keys[row.key_image].source.push_back(&row);
	for (const BucketRow &row : target)
		keys[row.key_image].target.push_back(&row);
	for (const auto &[image, rows] : keys) {
		const BucketRow &any = rows.source.empty() ? *rows.target.front() : *rows.source.front();
		KeyDifference difference;
		difference.bucket = any.bucket;
		difference.key_image = any.key_image;
		difference.key_json = KeyJson(any);
		difference.source_rows = static_cast<int>(rows.source.size());
		difference.target_rows = static_cast<int>(rows.target.size());
		if (rows.source.size() > 1 || rows.target.size() > 1) {
			if (SameRows(rows.source, rows.target))
				continue;
			difference.kind = DiffClass::duplicate;
		} else if (rows.target.empty()) {
			difference.kind = DiffClass::missing_on_target;
		} else if (rows.source.empty()) {
			difference.kind = DiffClass::extra_on_target;
		} else {
			const BucketRow &s = *rows.source.front();
			const BucketRow &t = *rows.target.front();
			if (s.fingerprint == t.fingerprint)
				continue;
			difference.kind = DiffClass::changed;
			if (s.has_image && t.has_image) {
				difference.changes = CompareImages(s.row_image, t.row_image, names);
				difference.images_compared = true;
			}
		}
		out->push_back(std::move(difference));
	}
}

void SortDifferences(std::vector<KeyDifference> *differences) {
	std::sort(differences->begin(), differences->end(), [](const KeyDifference &a, const KeyDifference &b) {
		if (a.kind != b.kind)
			return a.kind < b.kind;
		return a.key_image < b.key_image;
	});
}

} // namespace fingerprint::cli
