// Before any fingerprint is compared, the two tables' columns must line up: the same
// count, the same names in the same order, the same value class (exact, approx, string,
// date, timestamp, time, json, as each adapter classifies its own types through
// table_columns). A mismatch is reported by column name instead of as a meaningless
// fingerprint difference. The check also picks the key and each side's spelling of the
// excluded and key columns (MySQL names are case-insensitive, PostgreSQL's are not).
#pragma once

#include "connection.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli {

struct ColumnCheck {
	// Mismatches, each a sentence naming the column: the tables differ.
	std::vector<std::string> problems;
	// Errors that stop this table (a type fingerprint cannot read, no usable key).
	std::vector<std::string> errors;
	// The compared columns in order (the source's names): the values of a row image.
	std::vector<std::string> names;
	// The key columns (the source's names), and each side's options.
	std::vector<std::string> key;
	ScanOptions source_options;
	ScanOptions target_options;
};

// exclude: column names to leave out (those a side lacks are ignored on that side);
// key: the --key columns, or empty for the source's (else the target's) primary key.
ColumnCheck CheckColumns(const std::vector<ColumnInfo> &source, const std::vector<ColumnInfo> &target,
                         const std::vector<std::string> &exclude, const std::vector<std::string> &key);

// ASCII case-insensitive equality of identifiers.
bool SameName(const std::string &a, const std::string &b);

} // namespace fingerprint::cli
