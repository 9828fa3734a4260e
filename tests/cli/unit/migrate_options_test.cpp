// The command lines of `fingerprint migrate` and `fingerprint status`: what each option
// sets, and the clear refusals.
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

TEST(MigrateOptions, EveryOption) {
	const Command command =
	    Parse({"migrate", kPg, kMy, "orders", "customers", "--name", "shop", "--follow", "--json",
	           "--batch-changes", "500", "--poll", "0.25", "--create-tables", "--timeout", "60"});
	ASSERT_EQ(command.kind, Command::Kind::migrate);
	const MigrateCommand &migrate = command.migrate;
	EXPECT_EQ(migrate.source.engine, Engine::postgresql);
	EXPECT_EQ(migrate.target.engine, Engine::mysql);
	EXPECT_EQ(migrate.tables, (std::vector<std::string>{"orders", "customers"}));
	EXPECT_EQ(migrate.name, "shop");
	EXPECT_TRUE(migrate.follow);
	EXPECT_TRUE(migrate.json);
	EXPECT_TRUE(migrate.create_tables);
	EXPECT_FALSE(migrate.no_copy);
	EXPECT_EQ(migrate.batch_changes, 500u);
	EXPECT_DOUBLE_EQ(migrate.poll_seconds, 0.25);
	EXPECT_EQ(migrate.source.statement_timeout, 60u);
	EXPECT_EQ(migrate.target.statement_timeout, 60u);
}

TEST(MigrateOptions, Cutover) {
	const Command command =
	    Parse({"migrate", kMy, kPg, "--cutover", "--quiet", "2", "--certificate", "c.json", "--no-copy"});
	EXPECT_TRUE(command.migrate.cutover);
	EXPECT_DOUBLE_EQ(command.migrate.quiet_seconds, 2);
	EXPECT_EQ(command.migrate.certificate, "c.json");
	EXPECT_TRUE(command.migrate.no_copy);
	EXPECT_EQ(command.migrate.name, "migrate");
}

TEST(MigrateOptions, CopyWorkers) {
	const MigrateCommand defaults = Parse({"migrate", kMy, kPg}).migrate;
	EXPECT_EQ(defaults.copy_jobs, 1u);
	EXPECT_FALSE(defaults.lock_for_snapshot);
	EXPECT_EQ(defaults.chunk_rows, 1000000u);
	const MigrateCommand migrate =
	    Parse({"migrate", kMy, kPg, "--jobs", "3", "--lock-for-snapshot", "--chunk-rows", "40"}).migrate;
	EXPECT_EQ(migrate.copy_jobs, 3u);
	EXPECT_TRUE(migrate.lock_for_snapshot);
	EXPECT_EQ(migrate.chunk_rows, 40u);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--jobs", "0"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--chunk-rows", "0"}), UsageError);
	// PostgreSQL workers share one exported snapshot: no lock to take.
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--lock-for-snapshot"}), UsageError);
}

// Absent: snapshot batches (every committed transaction whole, next_batch's NULL); given:
// bounded batches of at most N (1.6's meaning), validated strictly.
TEST(MigrateOptions, BatchChanges) {
	EXPECT_FALSE(Parse({"migrate", kMy, kPg}).migrate.batch_changes.has_value());
	EXPECT_FALSE(Parse({"migrate", kMy, kPg, "--follow"}).migrate.batch_changes.has_value());
	EXPECT_FALSE(Parse({"migrate", kMy, kPg, "--cutover"}).migrate.batch_changes.has_value());
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--batch-changes", "1"}).migrate.batch_changes, 1u);
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--batch-changes", "10000"}).migrate.batch_changes, 10000u);
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--batch-changes=25"}).migrate.batch_changes, 25u);
	for (const char *bad : {"0", "-1", "1000001", "", "ten", "10k", "1.5", "NULL"})
		EXPECT_THROW(Parse({"migrate", kMy, kPg, "--batch-changes", bad}), UsageError) << "'" << bad << "'";
}

TEST(MigrateOptions, Refusals) {
	EXPECT_THROW(Parse({"migrate", kPg}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--cutover", "--follow"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--batch-changes", "0"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--name", ""}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "orders", ""}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--poll", "-1"}), UsageError);
	EXPECT_THROW(Parse({"status", kPg}), UsageError);
	EXPECT_THROW(Parse({"status", kPg, kMy, "extra"}), UsageError);
}

// An option given '' or a malformed value is refused, never taken for its default.
TEST(MigrateOptions, ValuesAreCheckedNotDefaulted) {
	for (const char *option : {"--batch-changes", "--jobs", "--chunk-rows", "--timeout"})
		for (const char *value :
		     {"", "0", "-5", "1e3", "10x", " 5", "+5", "5 ", "0x10", "99999999999999999999999"}) {
			EXPECT_THROW(Parse({"migrate", kMy, kPg, option, value}), UsageError)
			    << option << " '" << value << "'";
			EXPECT_THROW(Parse({"migrate", kMy, kPg, std::string(option) + "=" + value}), UsageError)
			    << option << "='" << value << "'";
		}
	for (const char *option : {"--poll", "--quiet", "--cutover-timeout"})
		for (const char *value :
		     {"", "-5", "1e3", "10x", " 5", "inf", "nan", "0x10", "1.2.3", ".", "86401", "+1"})
			EXPECT_THROW(Parse({"migrate", kMy, kPg, option, value}), UsageError)
			    << option << " '" << value << "'";
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--certificate", ""}), UsageError);
	const MigrateCommand migrate =
	    Parse({"migrate", kMy, kPg, "--follow", "--poll", ".5", "--batch-changes", "1000000"}).migrate;
	EXPECT_DOUBLE_EQ(migrate.poll_seconds, 0.5);
	EXPECT_DOUBLE_EQ(Parse({"migrate", kMy, kPg, "--cutover", "--quiet", "0"}).migrate.quiet_seconds, 0);
	// Options that act only with another are refused alone, not ignored.
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--poll", "2"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--quiet", "2"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--cutover-timeout", "2"}), UsageError);
	EXPECT_DOUBLE_EQ(
	    Parse({"migrate", kMy, kPg, "--cutover", "--cutover-timeout", "60"}).migrate.cutover_timeout_seconds,
	    60);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--certificate", "c.json"}), UsageError);
	// A timeout shorter than the quiet time always gave up: refused (default --quiet 5).
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--cutover", "--cutover-timeout", "2"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--cutover", "--quiet", "1", "--cutover-timeout", "0"}),
	             UsageError);
	EXPECT_DOUBLE_EQ(Parse({"migrate", kMy, kPg, "--cutover", "--quiet", "2", "--cutover-timeout", "2"})
	                     .migrate.cutover_timeout_seconds,
	                 2);
	try {
		Parse({"migrate", kMy, kPg, "--cutover", "--quiet", "3", "--cutover-timeout", "1"});
		ADD_FAILURE() << "--cutover-timeout 1 below --quiet 3 was taken";
	} catch (const UsageError &error) {
		EXPECT_NE(std::string(error.what()).find("--cutover-timeout (1) must be at least --quiet (3)"),
		          std::string::npos)
		    << error.what();
	}
	// `--name=` took the next word as the name: `--name= --drop` ran a migration "--drop".
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name=", "--drop"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name=", "shop"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name", "--drop"}), UsageError);
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--name=shop"}).migrate.name, "shop");
	EXPECT_EQ(migrate.batch_changes, 1000000u);
	try {
		Parse({"migrate", kMy, kPg, "--batch-changes", "1e3"});
		FAIL() << "1e3 taken";
	} catch (const UsageError &error) {
		EXPECT_NE(std::string(error.what()).find("--batch-changes"), std::string::npos) << error.what();
		EXPECT_NE(std::string(error.what()).find("'1e3'"), std::string::npos) << error.what();
	}
}

TEST(MigrateOptions, Names) {
	const std::string odd = "o'brien.café naïve";
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--name", odd}).migrate.name, odd);
	std::string accented;
	for (int i = 0; i < 55; ++i)
		accented += "é"; // 55 characters, 110 bytes
	EXPECT_EQ(Parse({"migrate", kMy, kPg, "--name", accented}).migrate.name, accented);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name", accented + "e"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name", std::string(56, 'n')}), UsageError);
	for (const char *name : {"", "shop ", " shop", "a\tb", "a\nb", "\xff"})
		EXPECT_THROW(Parse({"migrate", kMy, kPg, "--name", name}), UsageError) << name;
	EXPECT_THROW(Parse({"status", kMy, kPg, "--name", "shop "}), UsageError);
}

TEST(MigrateOptions, Drop) {
	const MigrateCommand drop =
	    Parse({"migrate", kPg, kMy, "--name", "shop", "--drop", "--disable-capture"}).migrate;
	EXPECT_TRUE(drop.drop);
	EXPECT_TRUE(drop.disable_capture);
	EXPECT_FALSE(
	    Parse({"migrate", kPg, kMy, "--name", "migrate", "--drop", "--json"}).migrate.disable_capture);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--drop"}), UsageError); // never the default name unsaid
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--disable-capture"}), UsageError);
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "orders", "--drop"}), UsageError);
	for (const char *option : {"--follow", "--cutover", "--no-copy", "--create-tables"})
		EXPECT_THROW(Parse({"migrate", kPg, kMy, "--name", "m", "--drop", option}), UsageError) << option;
	EXPECT_THROW(Parse({"migrate", kPg, kMy, "--name", "m", "--drop", "--jobs", "2"}), UsageError);
}

TEST(MigrateOptions, Status) {
	const Command command = Parse({"status", kPg, kMy, "--name", "shop", "--json"});
	ASSERT_EQ(command.kind, Command::Kind::status);
	EXPECT_EQ(command.status.name, "shop");
	EXPECT_TRUE(command.status.json);
	EXPECT_EQ(Parse({"migrate", kPg, kMy, "--help"}).kind, Command::Kind::help);
}

} // namespace
} // namespace fingerprint::cli
