// fingerprint copy's command line.
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

TEST(CopyOptions, Defaults) {
	const Command command = Parse({"copy", kPg, kMy});
	ASSERT_EQ(command.kind, Command::Kind::copy);
	EXPECT_EQ(command.copy.jobs, 1u);
	EXPECT_FALSE(command.copy.create_tables || command.copy.truncate || command.copy.dry_run ||
	             command.copy.lock_for_snapshot || command.copy.json);
	EXPECT_TRUE(command.copy.progress);
	EXPECT_EQ(command.copy.chunk_rows, 1000000u);
	EXPECT_TRUE(command.copy.tables.empty());
}

TEST(CopyOptions, EveryOptionAnywhere) {
	const Command command =
	    Parse({"copy", "--jobs", "4", kMy, "--create-tables", kPg, "t1", "--truncate", "t2", "--dry-run",
	           "--lock-for-snapshot", "--chunk-rows=500", "--timeout", "60", "--json", "--no-progress"});
	const CopyCommand &copy = command.copy;
	EXPECT_EQ(copy.source.engine, Engine::mysql);
	EXPECT_EQ(copy.target.engine, Engine::postgresql);
	EXPECT_EQ(copy.tables, (std::vector<std::string>{"t1", "t2"}));
	EXPECT_EQ(copy.jobs, 4u);
	EXPECT_TRUE(copy.create_tables && copy.truncate && copy.dry_run && copy.lock_for_snapshot && copy.json);
	EXPECT_FALSE(copy.progress);
	EXPECT_EQ(copy.chunk_rows, 500u);
	EXPECT_EQ(copy.source.statement_timeout, 60u);
	EXPECT_EQ(copy.target.statement_timeout, 60u);
}

TEST(CopyOptions, Refusals) {
	EXPECT_THROW(Parse({"copy", kPg}), UsageError);
	EXPECT_THROW(Parse({"copy", kPg, kMy, "--jobs", "0"}), UsageError);
	EXPECT_THROW(Parse({"copy", kPg, kMy, "--chunk-rows", "-1"}), UsageError);
	EXPECT_THROW(Parse({"copy", kPg, kMy, "--bogus"}), UsageError);
	// PostgreSQL workers share an exported snapshot: the lock is for MySQL sources.
	EXPECT_THROW(Parse({"copy", kPg, kMy, "--lock-for-snapshot"}), UsageError);
}

TEST(CopyOptions, HelpAnywhere) {
	EXPECT_EQ(Parse({"copy", kPg, "--help"}).kind, Command::Kind::help);
}

} // namespace
} // namespace fingerprint::cli
