// The command line: what each option sets, and the clear refusals.
#include "cli_error.hpp"
#include "options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fingerprint::cli {
namespace {

Command Parse(std::vector<std::string> words) {
	words.insert(words.begin(), "fingerprint");
	std::vector<char *> argv;
	for (std::string &word : words)
		argv.push_back(word.data());
	return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

const char kPg[] = "postgresql://u@h/db";
const char kMy[] = "mysql://u@h/shop";

TEST(Options, DiffWithOptionsAnywhere) {
	const Command command = Parse({"diff",   "--jobs=3",  kPg,    "--exclude-columns",
	                               "a, b",   kMy,         "t1",   "--exclude-columns",
	                               "c",      "--key",     "id,k", "t2",
	                               "--json", "--timeout", "30",   "--buckets",
	                               "1024",   "--recheck", "2.5",  "--no-progress"});
	ASSERT_EQ(command.kind, Command::Kind::diff);
	const DiffCommand &diff = command.diff;
	EXPECT_EQ(diff.source.engine, Engine::postgresql);
	EXPECT_EQ(diff.target.engine, Engine::mysql);
	EXPECT_EQ(diff.tables, (std::vector<std::string>{"t1", "t2"}));
	EXPECT_EQ(diff.settings.exclude_columns, (std::vector<std::string>{"a", "b", "c"}));
	EXPECT_EQ(diff.settings.key_columns, (std::vector<std::string>{"id", "k"}));
	EXPECT_EQ(diff.jobs, 3u);
	EXPECT_EQ(diff.settings.buckets, 1024u);
	EXPECT_DOUBLE_EQ(diff.recheck_seconds, 2.5);
	EXPECT_TRUE(diff.json);
	EXPECT_FALSE(diff.progress);
	EXPECT_EQ(diff.source.statement_timeout, 30u);
	EXPECT_EQ(diff.target.statement_timeout, 30u);
}

TEST(Options, DoubleDashEndsOptions) {
	const Command command = Parse({"diff", kPg, kMy, "--", "--json"});
	EXPECT_EQ(command.diff.tables, (std::vector<std::string>{"--json"}));
	EXPECT_FALSE(command.diff.json);
}

TEST(Options, Defaults) {
	const DiffCommand diff = Parse({"diff", kPg, kMy}).diff;
	EXPECT_TRUE(diff.tables.empty());
	EXPECT_EQ(diff.jobs, 1u);
	EXPECT_EQ(diff.settings.buckets, 0u);
	EXPECT_LT(diff.recheck_seconds, 0);
	EXPECT_EQ(diff.source.statement_timeout, 0u); // no limit unless asked
	EXPECT_TRUE(diff.progress);
}

TEST(Options, Refusals) {
	for (const std::vector<std::string> &words : std::vector<std::vector<std::string>>{
	         {},
	         {"frobnicate"},
	         {"diff", kPg},
	         {"diff", kPg, kMy, "--jobs", "0"},
	         {"diff", kPg, kMy, "--jobs", "65"},
	         {"diff", kPg, kMy, "--buckets", "16777217"},
	         {"diff", kPg, kMy, "--recheck", "nan"},
	         {"diff", kPg, kMy, "--recheck", "-1"},
	         {"diff", kPg, kMy, "--timeout", "0"},
	         {"diff", kPg, kMy, "--timeout", ""},
	         {"diff", kPg, kMy, "--jobs", ""},
	         {"diff", kPg, kMy, "--jobs", "1e1"},
	         {"diff", kPg, kMy, "--buckets", ""},
	         {"diff", kPg, kMy, "--recheck", ""},
	         {"diff", kPg, kMy, "--recheck", "1e3"},
	         {"diff", kPg, kMy, "--image-rows", ""},
	         {"diff", kPg, kMy, "--batch-rows", "10x"},
	         {"diff", kPg, kMy, "--where-source", ""},
	         {"diff", kPg, kMy, "--where-target", ""},
	         {"copy", kPg, kMy, "--jobs", ""},
	         {"copy", kPg, kMy, "--chunk-rows", ""},
	         {"copy", kPg, kMy, "--timeout", "-5"},
	         {"capture", "enable", kMy, "t", "--timeout", ""},
	         {"diff", kPg, kMy, "--key", " , "},
	         {"diff", kPg, kMy, "--bogus"},
	         {"diff", kPg, kMy, "--jobs"},
	         {"capture", "enable", kPg, "t"},
	         {"capture", "drop", kMy, "t"},
	         {"capture", "enable", kMy},
	     })
		EXPECT_THROW(Parse(words), UsageError) << (words.empty() ? "(nothing)" : words.back());
}

TEST(Options, HelpAndVersion) {
	EXPECT_EQ(Parse({"--help"}).kind, Command::Kind::help);
	EXPECT_EQ(Parse({"diff", "--bogus", "-h"}).kind, Command::Kind::help);
	EXPECT_EQ(Parse({"--version"}).kind, Command::Kind::version);
}

TEST(Options, Capture) {
	const Command command = Parse({"capture", "disable", kMy, "t", "db.u", "--timeout", "9"});
	ASSERT_EQ(command.kind, Command::Kind::capture);
	EXPECT_EQ(command.capture.action, "disable");
	EXPECT_EQ(command.capture.tables, (std::vector<std::string>{"t", "db.u"}));
	EXPECT_EQ(command.capture.url.statement_timeout, 9u);
}

} // namespace
} // namespace fingerprint::cli
