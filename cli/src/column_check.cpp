#include "column_check.hpp"

#include "fingerprint/value_class.hpp"

#include <algorithm>
#include <cctype>

namespace fingerprint::cli {

namespace {

std::string Quoted(const std::string &name) {
	return "`" + name + "`";
}

bool Excluded(const std::string &name, const std::vector<std::string> &exclude) {
	return std::find(exclude.begin(), exclude.end(), name) != exclude.end();
}

std::vector<const ColumnInfo *> Included(const std::vector<ColumnInfo> &columns,
                                         const std::vector<std::string> &exclude, ScanOptions *options) {
	std::vector<const ColumnInfo *> included;
	for (const ColumnInfo &column : columns) {
		if (Excluded(column.name, exclude))
			options->exclude_columns.push_back(column.name);
		else
			included.push_back(&column);
	}
	return included;
}

// The primary key's column names in key order.
std::vector<std::string> PrimaryKey(const std::vector<ColumnInfo> &columns) {
	std::vector<const ColumnInfo *> key;
	for (const ColumnInfo &column : columns)
		if (column.key_position > 0)
			key.push_back(&column);
	std::sort(key.begin(), key.end(),
	          [](const ColumnInfo *a, const ColumnInfo *b) { return a->key_position < b->key_position; });
	std::vector<std::string> names;
	for (const ColumnInfo *column : key)
		names.push_back(column->name);
	return names;
}

std::string Describe(const ColumnInfo &column) {
	return column.data_type + " (" + column.value_class + ")";
}

void CheckUnsupported(const std::vector<const ColumnInfo *> &included, const char *side, ColumnCheck *check) {
	for (const ColumnInfo *column : included)
		if (ParseValueClass(column->value_class).value_or(ValueClass::unsupported) == ValueClass::unsupported)
			check->errors.push_back(
			    "column " + Quoted(column->name) + " of type " + column->data_type + " on the " + side +
			    " cannot be fingerprinted: leave it out with --exclude-columns " + column->name);
}

void CompareLists(const std::vector<const ColumnInfo *> &source,
                  const std::vector<const ColumnInfo *> &target, ColumnCheck *check) {
	std::vector<std::string> common_source;
	for (const ColumnInfo *column : source) {
		const auto match = std::find_if(target.begin(), target.end(),
		                                [&](const ColumnInfo *t) { return SameName(t->name, column->name); });
		if (match == target.end()) {
			check->problems.push_back("column " + Quoted(column->name) + " (" + column->data_type +
			                          ") is only on the source");
			continue;
		}
		common_source.push_back(column->name);
		if (column->value_class != (*match)->value_class)
			check->problems.push_back("column " + Quoted(column->name) + " is " + Describe(*column) +
			                          " on the source but " + Describe(**match) + " on the target");
	}
	std::vector<std::string> common_target;
	for (const ColumnInfo *column : target) {
		const bool on_source = std::any_of(source.begin(), source.end(), [&](const ColumnInfo *s) {
			return SameName(s->name, column->name);
		});
		if (on_source)
			common_target.push_back(column->name);
		else
			check->problems.push_back("column " + Quoted(column->name) + " (" + column->data_type +
			                          ") is only on the target");
	}
	// Same names, another order: the images would pair the wrong values.
	for (std::size_t i = 0; i < common_source.size() && i < common_target.size(); ++i) {
		if (!SameName(common_source[i], common_target[i])) {
			check->problems.push_back("columns are in another order: " + Quoted(common_source[i]) +
			                          " on the source stands where " + Quoted(common_target[i]) +
			                          " stands on the target");
			break;
		}
	}
}

// The primary key of one side, named on the other side.
std::vector<std::string> PairedKey(const std::vector<std::string> &key,
                                   const std::vector<ColumnInfo> &other) {
	std::vector<std::string> paired;
	for (const std::string &name : key)
		paired.push_back(ResolveByName(other, name));
	return paired;
}

void ChooseKey(const std::vector<ColumnInfo> &source, const std::vector<ColumnInfo> &target,
               const ResolvedNames &source_names, const ResolvedNames &target_names, ColumnCheck *check) {
	std::vector<std::string> on_source = source_names.key;
	std::vector<std::string> on_target = target_names.key;
	if (on_source.empty()) {
		on_source = PrimaryKey(source);
		on_target = PairedKey(on_source, target);
		if (on_source.empty()) {
			on_target = PrimaryKey(target);
			on_source = PairedKey(on_target, source);
		}
		if (on_source.empty()) {
			check->errors.push_back("no primary key on either side: name the key columns with --key");
			return;
		}
	}
	for (std::size_t i = 0; i < on_source.size(); ++i) {
		if (on_source[i].empty() || on_target[i].empty()) {
			const std::string &known = on_source[i].empty() ? on_target[i] : on_source[i];
			check->errors.push_back("key column " +
			                        Quoted(known.empty() ? "#" + std::to_string(i + 1) : known) +
			                        " does not exist on the " + (on_source[i].empty() ? "source" : "target"));
			continue;
		}
		check->key.push_back(on_source[i]);
		check->source_options.key_columns.push_back(on_source[i]);
		check->target_options.key_columns.push_back(on_target[i]);
	}
}

} // namespace

bool SameName(const std::string &a, const std::string &b) {
	return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
		       return std::tolower(static_cast<unsigned char>(x)) ==
		              std::tolower(static_cast<unsigned char>(y));
	       });
}

std::string ResolveByName(const std::vector<ColumnInfo> &columns, const std::string &name) {
	for (const ColumnInfo &column : columns)
		if (column.name == name)
			return column.name;
	std::string found;
	for (const ColumnInfo &column : columns) {
		if (!SameName(column.name, name))
			continue;
		if (!found.empty())
			return std::string(); // "Id" and "ID" both exist: only the exact name chooses
		found = column.name;
	}
	return found;
}

std::vector<std::string> UnmatchedExcludes(const std::vector<std::string> &exclude,
                                           const ResolvedNames &source_names,
                                           const ResolvedNames &target_names) {
	std::vector<std::string> unmatched;
	for (std::size_t i = 0; i < exclude.size(); ++i)
		if (source_names.exclude.at(i).empty() && target_names.exclude.at(i).empty())
			unmatched.push_back(exclude[i]);
	return unmatched;
}

ColumnCheck CheckColumns(const std::vector<ColumnInfo> &source, const std::vector<ColumnInfo> &target,
                         const ResolvedNames &source_names, const ResolvedNames &target_names) {
	ColumnCheck check;
	const std::vector<const ColumnInfo *> source_included =
	    Included(source, source_names.exclude, &check.source_options);
	const std::vector<const ColumnInfo *> target_included =
	    Included(target, target_names.exclude, &check.target_options);
	if (source_included.empty() || target_included.empty())
		check.errors.push_back(std::string("no columns left to compare on the ") +
		                       (source_included.empty() ? "source" : "target") + " after --exclude-columns");
	CheckUnsupported(source_included, "source", &check);
	CheckUnsupported(target_included, "target", &check);
	CompareLists(source_included, target_included, &check);
	ChooseKey(source, target, source_names, target_names, &check);
	for (const ColumnInfo *column : source_included)
		check.names.push_back(column->name);
	return check;
}

} // namespace fingerprint::cli
