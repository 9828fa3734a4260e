// The report of `fingerprint copy` on standard output: a table of the copied tables
// (rows, bytes, seconds, rate, proof) or, with --json, one JSON object for scripts;
// --dry-run prints the plan and the DDL instead.
#pragma once

#include "copy_table.hpp"

#include <memory>
#include <string>
#include <vector>

namespace fingerprint::cli::copy {

struct CopyReport {
	std::string source; // the URL as shown, and its schema or database
	std::string target;
	std::string snapshot; // how the workers' snapshots relate
	unsigned jobs = 1;
	double seconds = 0;
	bool dry_run = false;
	const std::vector<std::unique_ptr<TableCopy>> *tables = nullptr;
};

void PrintCopyText(const CopyReport &report);
void PrintCopyJson(const CopyReport &report);
void PrintCopyPlan(const CopyReport &report);

// 2 when a table failed, else 1 when one differs, else 0.
int CopyExitStatus(const std::vector<std::unique_ptr<TableCopy>> &tables);

} // namespace fingerprint::cli::copy
