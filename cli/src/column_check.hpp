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

// The user's column lists as one side resolved them (Connection::ResolveColumnNames):
// for each name given, that side's column, or "" where the side has none.
struct ResolvedNames {
	std::vector<std::string> exclude; // one per --exclude-columns name
	std::vector<std::string> key;     // one per --key name; empty: no --key given
};

// Columns named in exclude are left out on the side that has them; key names the
// --key columns, or is empty for the source's (else the target's) primary key.
ColumnCheck CheckColumns(const std::vector<ColumnInfo> &source, const std::vector<ColumnInfo> &target,
                         const ResolvedNames &source_names, const ResolvedNames &target_names);

// The excluded names (as the user gave them) that named no column on either side.
std::vector<std::string> UnmatchedExcludes(const std::vector<std::string> &exclude,
                                           const ResolvedNames &source_names,
                                           const ResolvedNames &target_names);

// ASCII case-insensitive equality of identifiers: how the tables and columns of the two
// sides are paired (PostgreSQL's folded lower case against MySQL's own spelling).
bool SameName(const std::string &a, const std::string &b);

// The column of `columns` named `name` by PostgreSQL's rule for a name typed by a user:
// the exact name, else the one column equal to it ignoring ASCII case; "" for none.
std::string ResolveByName(const std::vector<ColumnInfo> &columns, const std::string &name);

} // namespace fingerprint::cli
