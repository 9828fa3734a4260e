#include "copy_report.hpp"

#include "copy_progress.hpp"
#include "shown_text.hpp"

#include <fingerprint/utf8.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace fingerprint::cli::copy {

namespace {

std::string Fixed(double value, int decimals) {
	char text[64];
	std::snprintf(text, sizeof text, "%.*f", decimals, value);
	return text;
}

// A statement of several lines, every line after the first indented like the first.
std::string Indented(const std::string &text) {
	std::string out;
	for (const char c : text)
		out += c == '\n' ? std::string("\n  ") : std::string(1, c);
	return out;
}

std::string ChunkSummary(const TableCopy &table) {
	std::string text = std::to_string(table.chunks.size());
	if (table.chunks_reused > 0)
		text += " (" + std::to_string(table.chunks_reused.load()) + " kept)";
	return text;
}

class Json {
  public:
	Json() : writer_(buffer_) { writer_.SetMaxDecimalPlaces(3); }
	void Key(std::string_view name) {
		writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
	}
	void String(std::string_view name, std::string_view text) {
		Key(name);
		const std::string valid = ToValidUtf8(text);
		writer_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
	}
	void Integer(std::string_view name, std::uint64_t value) {
		Key(name);
		writer_.Uint64(value);
	}
	void Number(std::string_view name, double value) {
		Key(name);
		writer_.Double(value);
	}
	void Bool(std::string_view name, bool value) {
		Key(name);
		writer_.Bool(value);
	}
	rapidjson::Writer<rapidjson::StringBuffer> &writer() { return writer_; }
	const char *text() const { return buffer_.GetString(); }

  private:
	rapidjson::StringBuffer buffer_;
	rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

} // namespace

int CopyExitStatus(const std::vector<std::unique_ptr<TableCopy>> &tables) {
	int status = 0;
	for (const auto &table : tables) {
		if (table->outcome == TableOutcome::error || table->outcome == TableOutcome::pending)
			return 2;
		if (table->outcome == TableOutcome::different)
			status = 1;
	}
	return status;
}

void PrintCopyText(const CopyReport &report) {
	std::printf("source    %s\ntarget    %s\nsnapshot  %s\n\n", Shown(report.source).c_str(),
	            Shown(report.target).c_str(), report.snapshot.c_str());
	std::size_t name_width = 5;
	for (const auto &table : *report.tables)
		name_width = std::max(name_width, DisplayWidth(Shown(table->source_table)));
	std::printf("%s  %12s  %10s  %8s  %10s  %-10s  %s\n", Padded("table", name_width, false).c_str(), "rows",
	            "bytes", "seconds", "rows/s", "chunks", "proof");
	std::size_t identical = 0, different = 0, failed = 0;
	for (const auto &table : *report.tables) {
		const double rate = table->seconds > 0 ? static_cast<double>(table->rows) / table->seconds : 0;
		std::printf("%s  %12llu  %10s  %8s  %10s  %-10s  %s\n",
		            Padded(Shown(table->source_table), name_width, false).c_str(),
		            static_cast<unsigned long long>(table->rows.load()),
		            HumanBytes(static_cast<double>(table->bytes)).c_str(), Fixed(table->seconds, 2).c_str(),
		            Fixed(rate, 0).c_str(), ChunkSummary(*table).c_str(), OutcomeName(table->outcome));
		identical += table->outcome == TableOutcome::identical;
		different += table->outcome == TableOutcome::different;
		failed += table->outcome == TableOutcome::error;
	}
	std::printf("\n");
	for (const auto &table : *report.tables) {
		for (const std::string &note : table->notes)
			std::printf("%s: note: %s\n", Shown(table->TargetName()).c_str(), ShownLines(note).c_str());
		if (table->outcome == TableOutcome::different)
			std::printf("%s: DIFFERENT after the copy: source %s, target %s; see which rows with\n"
			            "  fingerprint diff SOURCE TARGET %s\n",
			            Shown(table->TargetName()).c_str(), table->source_fingerprint.c_str(),
			            table->target_fingerprint.c_str(), Shown(table->source_table).c_str());
		if (table->outcome == TableOutcome::error)
			std::printf("%s: not copied: %s\n", Shown(table->SourceName()).c_str(),
			            ShownLines(table->error).c_str());
	}
	std::printf("%zu of %zu tables copied and proven identical", identical, report.tables->size());
	if (different > 0)
		std::printf(", %zu DIFFERENT", different);
	if (failed > 0)
		std::printf(", %zu failed", failed);
	std::printf(" in %s s\n", Fixed(report.seconds, 2).c_str());
	std::fflush(stdout);
}

void PrintCopyJson(const CopyReport &report) {
	Json json;
	auto &writer = json.writer();
	writer.StartObject();
	json.String("source", report.source);
	json.String("target", report.target);
	json.String("snapshot", report.snapshot);
	json.Integer("jobs", report.jobs);
	json.Key("tables");
	writer.StartArray();
	std::size_t identical = 0;
	for (const auto &table : *report.tables) {
		writer.StartObject();
		json.String("table", table->SourceName());
		json.String("target_table", table->TargetName());
		json.String("result",
		            table->outcome == TableOutcome::different ? "different" : OutcomeName(table->outcome));
		json.Integer("rows", table->rows);
		json.Integer("bytes", table->bytes);
		json.Number("seconds", table->seconds);
		json.Number("rows_per_second",
		            table->seconds > 0 ? static_cast<double>(table->rows) / table->seconds : 0);
		json.Integer("chunks", table->chunks.size());
		json.Integer("chunks_kept", table->chunks_reused);
		json.Bool("created", table->created_table);
		json.Bool("resumed", table->resumed);
		if (!table->source_fingerprint.empty())
			json.String("source_fingerprint", table->source_fingerprint);
		if (!table->target_fingerprint.empty())
			json.String("target_fingerprint", table->target_fingerprint);
		if (!table->error.empty())
			json.String("error", table->error);
		json.Key("notes");
		writer.StartArray();
		for (const std::string &note : table->notes) {
			const std::string valid = ToValidUtf8(note);
			writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
		}
		writer.EndArray();
		writer.EndObject();
		identical += table->outcome == TableOutcome::identical;
	}
	writer.EndArray();
	json.Integer("identical", identical);
	json.Number("seconds", report.seconds);
	json.Integer("exit_status", static_cast<std::uint64_t>(CopyExitStatus(*report.tables)));
	writer.EndObject();
	std::printf("%s\n", json.text());
	std::fflush(stdout);
}

void PrintCopyPlan(const CopyReport &report) {
	std::printf("source    %s\ntarget    %s\nsnapshot  %s\n\nplan (--dry-run: nothing is written)\n",
	            Shown(report.source).c_str(), Shown(report.target).c_str(), report.snapshot.c_str());
	for (const auto &table : *report.tables) {
		std::printf("\n%s -> %s: ", Shown(table->SourceName()).c_str(), Shown(table->TargetName()).c_str());
		if (table->outcome == TableOutcome::error) {
			std::printf("refused: %s\n", ShownLines(table->error).c_str());
			continue;
		}
		std::string action;
		if (table->resumed) {
			std::size_t done = 0;
			for (const ChunkPlan &chunk : table->chunks)
				done += chunk.progress.fingerprint.has_value();
			action = "resume the interrupted copy (" + std::to_string(done) + " of " +
			         std::to_string(table->chunks.size()) +
			         " chunks loaded; each is kept if the source still has the same rows for it)";
		} else if (table->create) {
			action = "create the table";
		} else if (table->truncate_first) {
			action = "empty the existing table (--truncate), then load it";
		} else {
			action = "load the existing, empty table";
		}
		std::printf("%s; %llu rows, %zu chunk%s%s\n", action.c_str(),
		            static_cast<unsigned long long>(table->source_rows), table->chunks.size(),
		            table->chunks.size() == 1 ? "" : "s",
		            table->source_key.empty() ? "" : (" on key " + Shown(table->source_key)).c_str());
		if (table->chunks.size() > 1)
			for (const ChunkPlan &chunk : table->chunks)
				std::printf("  chunk %d: %s\n", chunk.progress.chunk.number,
				            DescribeChunk(chunk.progress.chunk).c_str());
		for (const std::string &note : table->notes)
			std::printf("  note: %s\n", ShownLines(note).c_str());
		if (table->create) {
			for (const std::string &statement : table->ddl.create)
				std::printf("  %s;\n", Indented(ShownLines(statement)).c_str());
			if (!table->ddl.after_load.empty())
				std::printf("  -- after the load:\n");
			for (const std::string &statement : table->ddl.after_load)
				std::printf("  %s;\n", Indented(ShownLines(statement)).c_str());
		}
	}
	std::fflush(stdout);
}

} // namespace fingerprint::cli::copy
