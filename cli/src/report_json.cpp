// `fingerprint diff --json`: the report as one JSON object, written with RapidJSON's
// Writer. Tables and their differences each start a line of their own, so that the
// output stays readable and greppable; every string is valid UTF-8 (bytes that are not,
// say in a server's message, become U+FFFD).
#include "report.hpp"

#include <fingerprint/utf8.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace fingerprint::cli {

namespace {

// A Writer over a string, with the project's conventions for strings and numbers.
class Json {
  public:
	Json() : writer_(buffer_) { writer_.SetMaxDecimalPlaces(3); }

	void Key(std::string_view name) {
		writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
	}
	void String(std::string_view text) {
		if (IsValidUtf8(text)) {
			writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
		} else {
			const std::string valid = ToValidUtf8(text);
			writer_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
		}
	}
	void String(std::string_view name, std::string_view text) {
		Key(name);
		String(text);
	}
	void Integer(std::string_view name, std::int64_t value) {
		Key(name);
		writer_.Int64(value);
	}
	void Number(std::string_view name, double value) {
		Key(name);
		writer_.Double(value);
	}
	void Bool(std::string_view name, bool value) {
		Key(name);
		writer_.Bool(value);
	}
	void Strings(std::string_view name, const std::vector<std::string> &items) {
		Key(name);
		writer_.StartArray();
		for (const std::string &item : items)
			String(item);
		writer_.EndArray();
	}
	// A value that is JSON already (a key or value rendering from the servers),
	// after optional white space that starts its line.
	void Raw(std::string_view json, rapidjson::Type type) {
		writer_.RawValue(json.data(), json.size(), type);
	}
	void StartObject() { writer_.StartObject(); }
	void EndObject() { writer_.EndObject(); }
	void StartArray() { writer_.StartArray(); }
	void EndArray() { writer_.EndArray(); }

	std::string Take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

  private:
	rapidjson::StringBuffer buffer_;
	rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

std::string DifferenceJson(const KeyDifference &difference) {
	Json json;
	json.StartObject();
	json.String("class", DiffClassName(difference.kind));
	// key_json is the server's JSON array of the key values (RenderImageJson).
	json.Key("key");
	json.Raw(difference.key_json.empty() ? "null" : difference.key_json, rapidjson::kArrayType);
	json.Integer("bucket", difference.bucket);
	json.Integer("source_rows", difference.source_rows);
	json.Integer("target_rows", difference.target_rows);
	if (difference.kind == DiffClass::changed && difference.images_compared) {
		std::vector<std::string> columns;
		for (const ColumnChange &change : difference.changes)
			columns.push_back(change.column);
		json.Strings("columns", columns);
		json.Key("values");
		json.StartObject();
		for (const ColumnChange &change : difference.changes) {
			json.Key(change.column);
			json.StartObject();
			json.Key("source");
			json.Raw(change.source_value, rapidjson::kObjectType);
			json.Key("target");
			json.Raw(change.target_value, rapidjson::kObjectType);
			json.EndObject();
		}
		json.EndObject();
	}
	json.EndObject();
	return json.Take();
}

void CompareFields(const TableResult &table, Json *json) {
	json->Strings("key", table.key);
	json->Integer("source_rows", table.source_rows);
	json->Integer("target_rows", table.target_rows);
	json->String("source_fingerprint", table.source_fingerprint);
	json->String("target_fingerprint", table.target_fingerprint);
	json->Integer("buckets", table.buckets);
	json->Integer("differing_buckets", static_cast<std::int64_t>(table.differing_buckets));
	json->Key("counts");
	json->StartObject();
	for (const DiffClass kind :
	     {DiffClass::missing_on_target, DiffClass::extra_on_target, DiffClass::changed, DiffClass::duplicate})
		json->Integer(DiffClassName(kind), static_cast<std::int64_t>(CountKind(table, kind)));
	json->EndObject();
	json->Bool("rechecked", table.rechecked);
	json->Integer("resolved_by_recheck", static_cast<std::int64_t>(table.resolved_by_recheck));
	json->Key("differences");
	json->StartArray();
	for (const KeyDifference &difference : table.differences)
		json->Raw("\n   " + DifferenceJson(difference), rapidjson::kObjectType);
	json->EndArray();
}

std::string TableJson(const TableResult &table) {
	Json json;
	json.StartObject();
	json.String("table", table.name());
	json.String("source_table", table.source_table);
	json.String("target_table", table.target_table);
	json.String("status", TableStatusName(table.status));
	if (table.status == TableStatus::error)
		json.String("error", table.error);
	if (!table.column_problems.empty())
		json.Strings("column_problems", table.column_problems);
	const bool compared = table.status == TableStatus::equal || table.status == TableStatus::different;
	if (compared)
		CompareFields(table, &json);
	json.Number("seconds", table.seconds);
	if (compared) {
		const TableResult::Phases &p = table.phase_seconds;
		json.Key("phase_seconds");
		json.StartObject();
		json.Number("columns", p.columns);
		json.Number("bucket_fingerprints", p.bucket_fingerprints);
		json.Number("bucket_rows", p.bucket_rows);
		json.Number("row_images", p.row_images);
		json.Number("recheck", p.recheck);
		json.EndObject();
	}
	json.EndObject();
	return json.Take();
}

} // namespace

void PrintJson(const DiffReport &report, std::FILE *out) {
	Json json;
	json.StartObject();
	json.String("source", report.source_url);
	json.String("target", report.target_url);
	json.String("source_namespace", report.source_namespace);
	json.String("target_namespace", report.target_namespace);
	const int status = ExitStatus(report);
	json.String("result", status == 0 ? "equal" : status == 1 ? "different" : "error");
	json.Integer("exit_status", status);
	json.Key("bytes_read");
	json.StartObject();
	json.Integer("source", static_cast<std::int64_t>(report.source_bytes));
	json.Integer("target", static_cast<std::int64_t>(report.target_bytes));
	json.EndObject();
	json.Number("seconds", report.seconds);
	if (report.recheck_seconds >= 0)
		json.Number("recheck_seconds", report.recheck_seconds);
	if (!report.errors.empty())
		json.Strings("errors", report.errors);
	json.Key("tables");
	json.StartArray();
	for (const TableResult &table : report.tables)
		json.Raw("\n  " + TableJson(table), rapidjson::kObjectType);
	json.EndArray();
	json.EndObject();
	const std::string text = json.Take() + "\n";
	std::fputs(text.c_str(), out);
}

void PrintJsonError(const std::string &message, std::FILE *out) {
	Json json;
	json.StartObject();
	json.String("result", "error");
	json.Integer("exit_status", 2);
	json.String("error", message);
	json.EndObject();
	const std::string text = json.Take() + "\n";
	std::fputs(text.c_str(), out);
}

} // namespace fingerprint::cli
