#include "report.hpp"

#include "json_text.hpp"
#include "text_list.hpp"

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

std::size_t CountKind(const TableResult &table, DiffClass kind) {
	return static_cast<std::size_t>(std::count_if(table.differences.begin(), table.differences.end(),
	                                              [&](const KeyDifference &d) { return d.kind == kind; }));
}

void PrintTableDetails(const TableResult &table, std::FILE *out) {
	switch (table.status) {
	case TableStatus::error:
		std::fprintf(out, "\n%s: error: %s\n", table.name().c_str(), table.error.c_str());
		return;
	case TableStatus::columns_differ:
		std::fprintf(out, "\n%s: columns differ\n", table.name().c_str());
		for (const std::string &problem : table.column_problems)
			std::fprintf(out, "  %s\n", problem.c_str());
		return;
	case TableStatus::different:
		break;
	default:
		return;
	}
	if (table.rechecked)
		std::fprintf(out, "\n%s: %zu keys still differ after the recheck, %zu agreed again (key: %s)\n",
		             table.name().c_str(), table.differences.size(), table.resolved_by_recheck,
		             Join(table.key, ", ").c_str());
	else
		std::fprintf(out, "\n%s: %zu differing keys (key: %s)\n", table.name().c_str(),
		             table.differences.size(), Join(table.key, ", ").c_str());
	std::size_t key_width = 3;
	for (const KeyDifference &difference : table.differences)
		key_width = std::max(key_width, std::min<std::size_t>(KeyText(difference.key_json).size(), 40));
	for (const KeyDifference &difference : table.differences) {
		const std::string key = Shorten(KeyText(difference.key_json), 40);
		const std::string details = Details(difference);
		if (details.empty())
			std::fprintf(out, "  %-17s  %s\n", DiffClassLabel(difference.kind), key.c_str());
		else
			std::fprintf(out, "  %-17s  %-*s  %s\n", DiffClassLabel(difference.kind),
			             static_cast<int>(key_width), key.c_str(), details.c_str());
	}
}

// Writes one JSON object member by member, with the commas between the members.
class JsonObject {
  public:
	explicit JsonObject(std::string *out) : out_(out) { out_->push_back('{'); }

	void String(std::string_view name, const std::string &value) { AppendJsonString(Member(name), value); }
	void Integer(std::string_view name, std::int64_t value) { Member(name)->append(std::to_string(value)); }
	void Number(std::string_view name, double value) {
		char text[64];
		std::snprintf(text, sizeof text, "%.3f", value);
		Member(name)->append(text);
	}
	void Strings(std::string_view name, const std::vector<std::string> &items) {
		std::string *out = Member(name);
		out->push_back('[');
		for (std::size_t i = 0; i < items.size(); ++i) {
			if (i > 0)
				out->push_back(',');
			AppendJsonString(out, items[i]);
		}
		out->push_back(']');
	}
	// Starts a member: the caller appends its value (JSON) to the returned string.
	std::string *Member(std::string_view name) {
		if (members_++ > 0)
			out_->push_back(',');
		AppendJsonString(out_, name);
		out_->push_back(':');
		return out_;
	}
	void End() { out_->push_back('}'); }

  private:
	std::string *out_;
	int members_ = 0;
};

// A JSON array with each item on a line of its own, after `indent`; `close` ends it.
template <typename Item, typename AppendItem>
void AppendLines(std::string *out, const std::vector<Item> &items, const char *indent, const char *close,
                 AppendItem append_item) {
	out->push_back('[');
	for (std::size_t i = 0; i < items.size(); ++i) {
		if (i > 0)
			out->push_back(',');
		out->append(indent);
		append_item(out, items[i]);
	}
	out->append(close);
}

void AppendDifference(std::string *out, const KeyDifference &difference) {
	JsonObject object(out);
	object.String("class", DiffClassName(difference.kind));
	// key_json is the server's JSON array of the key values (RenderImageJson).
	object.Member("key")->append(difference.key_json.empty() ? std::string("null") : difference.key_json);
	object.Integer("bucket", difference.bucket);
	object.Integer("source_rows", difference.source_rows);
	object.Integer("target_rows", difference.target_rows);
	if (difference.kind == DiffClass::changed && difference.images_compared) {
		std::vector<std::string> columns;
		for (const ColumnChange &change : difference.changes)
			columns.push_back(change.column);
		object.Strings("columns", columns);
		JsonObject values(object.Member("values"));
		for (const ColumnChange &change : difference.changes) {
			JsonObject value(values.Member(change.column));
			value.Member("source")->append(change.source_value);
			value.Member("target")->append(change.target_value);
			value.End();
		}
		values.End();
	}
	object.End();
}

void AppendTable(std::string *out, const TableResult &table) {
	JsonObject object(out);
	object.String("table", table.name());
	object.String("source_table", table.source_table);
	object.String("target_table", table.target_table);
	object.String("status", TableStatusName(table.status));
	if (table.status == TableStatus::error)
		object.String("error", table.error);
	if (!table.column_problems.empty())
		object.Strings("column_problems", table.column_problems);
	const bool compared = table.status == TableStatus::equal || table.status == TableStatus::different;
	if (compared) {
		object.Strings("key", table.key);
		object.Integer("source_rows", table.source_rows);
		object.Integer("target_rows", table.target_rows);
		object.String("source_fingerprint", table.source_fingerprint);
		object.String("target_fingerprint", table.target_fingerprint);
		object.Integer("buckets", table.buckets);
		object.Integer("differing_buckets", static_cast<std::int64_t>(table.differing_buckets));
		JsonObject counts(object.Member("counts"));
		for (const DiffClass kind : {DiffClass::missing_on_target, DiffClass::extra_on_target,
		                             DiffClass::changed, DiffClass::duplicate})
			counts.Integer(DiffClassName(kind), static_cast<std::int64_t>(CountKind(table, kind)));
		counts.End();
		object.Member("rechecked")->append(table.rechecked ? "true" : "false");
		object.Integer("resolved_by_recheck", static_cast<std::int64_t>(table.resolved_by_recheck));
		AppendLines(object.Member("differences"), table.differences, "\n   ", "]", AppendDifference);
	}
	object.Number("seconds", table.seconds);
	if (compared) {
		const TableResult::Phases &p = table.phase_seconds;
		JsonObject phases(object.Member("phase_seconds"));
		phases.Number("columns", p.columns);
		phases.Number("bucket_fingerprints", p.bucket_fingerprints);
		phases.Number("bucket_rows", p.bucket_rows);
		phases.Number("row_images", p.row_images);
		phases.Number("recheck", p.recheck);
		phases.End();
	}
	object.End();
}

} // namespace

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
	std::fprintf(out, "source  %s (%s)\ntarget  %s (%s)\n\n", report.source_url.c_str(),
	             report.source_namespace.c_str(), report.target_url.c_str(), report.target_namespace.c_str());
	std::size_t name_width = 5;
	for (const TableResult &table : report.tables)
		name_width = std::max(name_width, table.name().size());
	const int width = static_cast<int>(name_width);
	std::fprintf(out, "%-*s  %-17s  %12s  %12s  %14s\n", width, "table", "result", "source rows",
	             "target rows", "differing keys");
	for (const TableResult &table : report.tables) {
		const bool compared = table.status == TableStatus::equal || table.status == TableStatus::different;
		std::fprintf(out, "%-*s  %-17s  %12s  %12s  %14s\n", width, table.name().c_str(),
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
		std::fprintf(out, "\nerror: %s\n", error.c_str());
	std::fprintf(out, "\n%zu of %zu tables differ", differing, report.tables.size());
	if (errors > 0)
		std::fprintf(out, ", %zu failed", errors);
	if (report.recheck_seconds >= 0)
		std::fprintf(out, " (differing keys rechecked after %g s)", report.recheck_seconds);
	std::fprintf(out, "; read %" PRIu64 " bytes from source, %" PRIu64 " bytes from target in %.2f s\n",
	             report.source_bytes, report.target_bytes, report.seconds);
}

void PrintJson(const DiffReport &report, std::FILE *out) {
	std::string json;
	JsonObject object(&json);
	object.String("source", report.source_url);
	object.String("target", report.target_url);
	object.String("source_namespace", report.source_namespace);
	object.String("target_namespace", report.target_namespace);
	const int status = ExitStatus(report);
	object.String("result", status == 0 ? "equal" : status == 1 ? "different" : "error");
	object.Integer("exit_status", status);
	JsonObject bytes_read(object.Member("bytes_read"));
	bytes_read.Integer("source", static_cast<std::int64_t>(report.source_bytes));
	bytes_read.Integer("target", static_cast<std::int64_t>(report.target_bytes));
	bytes_read.End();
	object.Number("seconds", report.seconds);
	if (report.recheck_seconds >= 0)
		object.Number("recheck_seconds", report.recheck_seconds);
	if (!report.errors.empty())
		object.Strings("errors", report.errors);
	AppendLines(object.Member("tables"), report.tables, "\n  ", "\n]", AppendTable);
	object.End();
	json.push_back('\n');
	std::fputs(json.c_str(), out);
}

} // namespace fingerprint::cli
