// The output of `fingerprint diff`: a readable report (default) or JSON (--json), both on
// standard output, and the exit status: 0 all equal, 1 differences, 2 errors.
#pragma once

#include "table_diff.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace fingerprint::cli {

struct DiffReport {
	std::string source_url; // passwords hidden
	std::string target_url;
	std::string source_namespace;
	std::string target_namespace;
	std::vector<TableResult> tables;
	std::uint64_t source_bytes = 0;
	std::uint64_t target_bytes = 0;
	double seconds = 0;
	double recheck_seconds = -1; // < 0: no recheck
	// Errors of the whole run rather than of one table (a --exclude-columns name that
	// is no column of any compared table): exit status 2.
	std::vector<std::string> errors;
};

int ExitStatus(const DiffReport &report);
// How many of the table's differing keys are of this class.
std::size_t CountKind(const TableResult &table, DiffClass kind);
void PrintText(const DiffReport &report, std::FILE *out);
void PrintJson(const DiffReport &report, std::FILE *out);
// The --json document of a run that stopped before any report: {"result": "error",
// "exit_status": 2, "error": message}.
void PrintJsonError(const std::string &message, std::FILE *out);

} // namespace fingerprint::cli
