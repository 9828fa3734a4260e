// The readable report of `fingerprint diff` and its exit status (--json: report_json.cpp).
#include "report.hpp"

#include "text_list.hpp"

#include "shown_text.hpp"

#include <algorithm>
#include <cinttypes>
#include <string_view>

namespace fingerprint::cli {

namespace {

// At most limit bytes of text, cut at a UTF-8 boundary, with "..." when cut.
std::string Shorten(const std::string &text, std::size_t limit) {
	if (text.size() <= limit)
		return text;
	std::size_t cut = limit;
	while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
		--cut;
	return text.substr(0, cut) + "...";
}

// "[42]" -> "42", "[1, \"x\"]" -> "1, \"x\"".
std::string KeyText(const std::string &key_json) {
	if (key_json.size() >= 2 && key_json.front() == '[' && key_json.back() == ']')
		return key_json.substr(1, key_json.size() - 2);
	return key_json;
}

std::string Count(std::int64_t rows) {
	return rows < 0 ? std::string("-") : std::to_string(rows);
}

std::string Details(const KeyDifference &difference) {
	switch (difference.kind) {
	case DiffClass::duplicate:
		return std::to_string(difference.source_rows) + " rows on source, " +
		       std::to_string(difference.target_rows) + " on target";
	case DiffClass::changed: {
		if (!difference.images_compared)
			return "(columns not compared)";
		std::vector<std::string> parts;
		for (const ColumnChange &change : difference.changes)
			parts.push_back(change.column + ": " + Shorten(change.source_value, 40) + " -> " +
			                Shorten(change.target_value, 40));
		return parts.empty() ? std::string("(same values, different fingerprints)") : Join(parts, "; ");
	}
	default:
		return "";
	}
}

void PrintTableDetails(const TableResult &table, std::FILE *out) {
	switch (table.status) {
	case TableStatus::error:
		std::fprintf(out, "\n%s: error: %s\n", Shown(table.name()).c_str(), Shown(table.error).c_str());
		return;
	case TableStatus::columns_differ:
		std::fprintf(out, "\n%s: columns differ\n", Shown(table.name()).c_str());
		for (const std::string &problem : table.column_problems)
			std::fprintf(out, "  %s\n", Shown(problem).c_str());
		return;
	case TableStatus::different:
		break;
	default:
		return;
	}
	if (table.rechecked)
		std::fprintf(out, "\n%s: %zu keys still differ after the recheck, %zu agreed again (key: %s)\n",
		             Shown(table.name()).c_str(), table.differences.size(), table.resolved_by_recheck,
		             Shown(Join(table.key, ", ")).c_str());
	else
		std::fprintf(out, "\n%s: %zu differing keys (key: %s)\n", Shown(table.name()).c_str(),
		             table.differences.size(), Shown(Join(table.key, ", ")).c_str());
	std::size_t key_width = 3;
	for (const KeyDifference &difference : table.differences)
		key_width = std::max(key_width, std::min<std::size_t>(KeyText(difference.key_json).size(), 40));
	for (const KeyDifference &difference : table.differences) {
		const std::string key = Shown(Shorten(KeyText(difference.key_json), 40));
		const std::string details = Shown(Details(difference));
		if (details.empty())
			std::fprintf(out, "  %-17s  %s\n", DiffClassLabel(difference.kind), key.c_str());
		else
			std::fprintf(out, "  %-17s  %-*s  %s\n", DiffClassLabel(difference.kind),
			             static_cast<int>(key_width), key.c_str(), details.c_str());
	}
}

} // namespace

std::size_t CountKind(const TableResult &table, DiffClass kind) {
	return static_cast<std::size_t>(std::count_if(table.differences.begin(), table.differences.end(),
	                                              [&](const KeyDifference &d) { return d.kind == kind; }));
}

int ExitStatus(const DiffReport &report) {
	if (!report.errors.empty())
		return 2;
	int status = 0;
	for (const TableResult &table : report.tables) {
		if (table.status == TableStatus::error)
			return 2;
		if (table.status != TableStatus::equal)
			status = 1;
	}
	return status;
}

void PrintText(const DiffReport &report, std::FILE *out) {
	std::fprintf(out, "source  %s (%s)\ntarget  %s (%s)\n\n", Shown(report.source_url).c_str(),
	             Shown(report.source_namespace).c_str(), Shown(report.target_url).c_str(),
	             Shown(report.target_namespace).c_str());
	std::size_t name_width = 5;
	for (const TableResult &table : report.tables)
		name_width = std::max(name_width, Shown(table.name()).size());
	const int width = static_cast<int>(name_width);
	std::fprintf(out, "%-*s  %-17s  %12s  %12s  %14s\n", width, "table", "result", "source rows",
	             "target rows", "differing keys");
	for (const TableResult &table : report.tables) {
		const bool compared = table.status == TableStatus::equal || table.status == TableStatus::different;
		std::fprintf(out, "%-*s  %-17s  %12s  %12s  %14s\n", width, Shown(table.name()).c_str(),
		             TableStatusLabel(table.status), Count(table.source_rows).c_str(),
		             Count(table.target_rows).c_str(),
		             compared ? std::to_string(table.differences.size()).c_str() : "-");
	}
	for (const TableResult &table : report.tables)
		PrintTableDetails(table, out);

	std::size_t differing = 0;
	std::size_t errors = 0;
	for (const TableResult &table : report.tables) {
		errors += table.status == TableStatus::error;
		differing += table.status != TableStatus::equal && table.status != TableStatus::error;
	}
	for (const std::string &error : report.errors)
		std::fprintf(out, "\nerror: %s\n", Shown(error).c_str());
	std::fprintf(out, "\n%zu of %zu tables differ", differing, report.tables.size());
	if (errors > 0)
		std::fprintf(out, ", %zu failed", errors);
	if (report.recheck_seconds >= 0)
		std::fprintf(out, " (differing keys rechecked after %g s)", report.recheck_seconds);
	std::fprintf(out, "; read %" PRIu64 " bytes from source, %" PRIu64 " bytes from target in %.2f s\n",
	             report.source_bytes, report.target_bytes, report.seconds);
}

} // namespace fingerprint::cli
