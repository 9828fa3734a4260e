// The --json report is valid JSON whatever the servers said, and carries the run's
// errors and exit status.
#include "report.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <string>

namespace fingerprint::cli {
namespace {

std::string Printed(const DiffReport &report) {
	char *buffer = nullptr;
	std::size_t size = 0;
	std::FILE *out = open_memstream(&buffer, &size);
	PrintJson(report, out);
	std::fclose(out);
	std::string text(buffer, size);
	std::free(buffer);
	return text;
}

TEST(ReportJson, ValidJsonEvenFromInvalidUtf8) {
	DiffReport report;
	report.source_url = "postgresql://u@h/db";
	report.target_url = "mysql://u@h/db";
	TableResult failed;
	failed.source_table = failed.target_table = "t\xFF";
	failed.status = TableStatus::error;
	failed.error = "server said \"\xC3\x28\" \n\t";
	report.tables.push_back(failed);
	TableResult different;
	different.source_table = different.target_table = "u";
	different.status = TableStatus::different;
	KeyDifference changed;
	changed.key_json = "[42]";
	changed.images_compared = true;
	changed.changes.push_back({"v", "\"a\"", "\"b\""});
	different.differences.push_back(changed);
	report.tables.push_back(different);
	report.errors.push_back("--exclude-columns names no column of any compared table: \"x\"");

	const std::string text = Printed(report);
	rapidjson::Document document;
	document.Parse(text.c_str());
	ASSERT_FALSE(document.HasParseError()) << text;
	EXPECT_EQ(std::string(document["result"].GetString()), "error");
	EXPECT_EQ(document["exit_status"].GetInt(), 2);
	EXPECT_EQ(document["errors"].Size(), 1u);
	EXPECT_EQ(std::string(document["tables"][0]["table"].GetString()), "t\xEF\xBF\xBD");
	const auto &difference = document["tables"][1]["differences"][0];
	EXPECT_EQ(difference["key"][0].GetInt(), 42);
	EXPECT_EQ(std::string(difference["values"]["v"]["target"].GetString()), "b");
}

TEST(ReportJson, ExitStatusFollowsTheWorstTable) {
	DiffReport report;
	EXPECT_EQ(ExitStatus(report), 0);
	TableResult equal;
	equal.status = TableStatus::equal;
	report.tables.push_back(equal);
	EXPECT_EQ(ExitStatus(report), 0);
	TableResult missing;
	missing.status = TableStatus::missing_on_target;
	report.tables.push_back(missing);
	EXPECT_EQ(ExitStatus(report), 1);
	report.errors.push_back("x");
	EXPECT_EQ(ExitStatus(report), 2);
}

} // namespace
} // namespace fingerprint::cli

namespace fingerprint::cli {
namespace {

TEST(ReportJson, ErrorDocumentBeforeAnyReport) {
	char *buffer = nullptr;
	std::size_t size = 0;
	std::FILE *out = open_memstream(&buffer, &size);
	PrintJsonError("target mysql://u@h/db: cannot connect \xFF", out);
	std::fclose(out);
	const std::string text(buffer, size);
	std::free(buffer);
	rapidjson::Document document;
	document.Parse(text.c_str());
	ASSERT_FALSE(document.HasParseError()) << text;
	EXPECT_EQ(std::string(document["result"].GetString()), "error");
	EXPECT_EQ(document["exit_status"].GetInt(), 2);
}

} // namespace
} // namespace fingerprint::cli
