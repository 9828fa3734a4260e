#include "options.hpp"

#include "cli_error.hpp"
#include "shown_text.hpp"

#include "fingerprint/bucket.hpp"
#include "fingerprint/utf8.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace fingerprint::cli {

const char kUsage[] =
    R"(usage: fingerprint diff SOURCE TARGET [TABLE ...] [OPTIONS]
       fingerprint copy SOURCE TARGET [TABLE ...] [OPTIONS]
       fingerprint capture enable|disable|ddl MYSQL_URL TABLE ... [--timeout S]
       fingerprint migrate SOURCE TARGET [TABLE ...] [OPTIONS]
       fingerprint migrate SOURCE TARGET --name N --drop [--disable-capture] [--json]
       fingerprint status SOURCE TARGET [--name N] [--json]
       fingerprint --help | --version

fingerprint diff compares tables of two databases, PostgreSQL or MySQL/MariaDB on
either side, through the fingerprint extension (PostgreSQL) and procedures
(MySQL/MariaDB) installed on both, and lists the keys that are missing on the
target, extra on the target, changed (naming the columns) or duplicated. With no
TABLE, every table of the source schema/database is compared with the table of
the same name on the target, and tables found on one side only are reported.
Only reads: SELECTs and read-only procedure calls in read-only transactions.

Exit status: 0 all equal, 1 differences found, 2 error.

Connection URLs:
  postgresql://USER@HOST:PORT/DB[?schema=SCHEMA&host=/socket/dir&...]
      libpq's URL syntax; schema (default public) names the schema to compare
  mysql://USER@HOST:PORT/DB[?socket=/path/to/mysqld.sock]
Passwords belong outside the command line: PostgreSQL reads PGPASSWORD or
~/.pgpass; MySQL/MariaDB reads MYSQL_PWD or the [client] group of the option
files (~/.my.cnf). A password given in a URL is used, never printed, and
overwritten in the process's arguments as soon as they are read (ps shows
xxx), but it stays in your shell history.

diff options:
  --exclude-columns C1,C2  leave these columns out (on the sides that have them)
  --key C1,C2              match rows by these columns (default: the source's
                           primary key, else the target's); needed for tables
                           without a primary key
  --where-source EXPR      compare only the source rows where the SQL EXPR holds
  --where-target EXPR      the same on the target
  --jobs N                 compare N tables at once (default 1); each job has
                           its own connection to each side
  --buckets N              buckets per table, 1..16777216 (default: the power
                           of two nearest to rows/64)
  --recheck SECONDS        wait, then check the differing keys again and report
                           only those that still differ (for live migrations)
  --image-rows N           fetch row images in the first drill-down pass when
                           the differing buckets hold at most N rows (200000)
  --batch-rows N           rows per bucket_rows call, about (1000000)
  --timeout SECONDS        give up on a statement after this long (default: no
                           limit, so a long fingerprint is never cut short);
                           the server ends it, and the client gives up 5 s
                           later on a server that is frozen or cut off. Dead
                           TCP peers are always detected (keepalive, ~90 s)
  --json                   JSON on standard output instead of the table
  --no-progress            no progress line on standard error (it is only
                           drawn when standard error is a terminal)

fingerprint copy copies tables from SOURCE to TARGET (either engine on either
side) in one consistent snapshot of the source, without blocking its writers,
and proves each table: the source's table fingerprint in that snapshot must
equal the target's after the load. Killed, the same command resumes: a chunk
already loaded is kept when the source still has the same rows for it.
Exit status: 0 all copied and identical, 1 a table differs, 2 error.

copy options:
  --create-tables          create missing target tables (keys, NOT NULL,
                           defaults; secondary indexes after the load)
  --truncate               empty target tables that hold rows first (without
                           it such a table is refused); a table whose copy
                           was interrupted is resumed, not emptied
  --dry-run                print the plan and the DDL; write nothing
  --jobs N                 N workers (default 1), across tables and across
                           key ranges of a large table
  --chunk-rows N           rows per key range (default 1000000); a table with
                           a one-column integer primary key is cut in ranges
  --lock-for-snapshot      MySQL/MariaDB source: FLUSH TABLES WITH READ LOCK
                           for an instant so that every worker reads the same
                           point (needs RELOAD); without it each worker has
                           its own snapshot and copies whole tables
  --timeout SECONDS, --json, --no-progress: as for diff

capture (MySQL/MariaDB, the change-log triggers):
  enable    create the capture triggers of each TABLE (runs the statements of
            CALL fingerprint.capture_ddl('db.table', 'enable'))
  disable   drop them again
  ddl       print the statements of 'enable' without running them
TABLE is a name in the URL's database, or db.table.

migrate (docs/migrate.md): applies the changes captured on the SOURCE to the
TARGET in commit order, each batch exactly once in one target transaction with
the migration's ledger, and proves every batch (the rows it touched read back
with the logged fingerprints; each table's fingerprint kept on both sides). A
table that cannot go on (a value the target cannot hold, a unique conflict, a
target row changed by someone else, a failed proof, a schema change) stops
with a message; the others go on. Exit status 0 caught up and proven, 1 a
table stopped, 2 error, 4 --cutover gave up (the writes did not stop). Running
it again resumes.
  --name NAME              the migration (default migrate); its capture
                           consumer on the source is migrate:NAME
  --no-copy                the TARGET tables hold the copy already: taken with
                           the consumer registered at its snapshot (PostgreSQL)
                           or after capture was enabled (MariaDB). Without it,
                           the first run enables capture of each TABLE, starts
                           the consumer and runs fingerprint copy (--truncate)
  --create-tables          let that copy create the target tables
  --jobs N, --lock-for-snapshot, --chunk-rows N
                           passed to that copy (as for copy); each table's
                           seam is the change-log rows of the snapshot that
                           copied and proved it
  --cutover                once no change arrived for --quiet seconds (the
                           application stopped writing): apply the last batch,
                           prove every table with table_fingerprint on both
                           sides, move sequences/AUTO_INCREMENT on the target
                           past the source's, write a certificate (JSON);
                           exit 1 when a table differs
  --quiet SECONDS          quiet time before the cutover (5)
  --cutover-timeout SECONDS
                           give up when the writes have not stopped by then:
                           nothing switched, exit 4 (300)
  --certificate FILE       write the certificate there (default: stdout)
  --follow                 keep applying; stop cleanly at a batch boundary on
                           SIGINT or SIGTERM
  --batch-changes N        changes per MariaDB batch, at most; may split a
                           source transaction at the cut (default: every
                           committed transaction in one batch, each whole)
  --poll SECONDS           wait between empty batches with --follow (1)
  --json                   one JSON line per batch on standard output
  --timeout SECONDS        as for diff
  --drop                   forget the migration named by --name (needed;
                           refused while it runs): its consumer unregistered
                           on the source (MariaDB: its open batch finished),
                           its ledger rows removed from the target; what a
                           side gone away kept is named
  --disable-capture        with --drop: also turn capture off for its tables
                           that no other consumer or migration reads

status: per table phase, rows, last applied batch, lag, backlog in the
source's log, last proof and its result (--json: one JSON document). Exit
status 0 every table's last proof holds, 1 a table stopped or differs, 2 error.
)";

namespace {

std::vector<std::string> SplitList(const std::string &text, const std::string &option) {
	std::vector<std::string> items;
	std::size_t start = 0;
	while (start <= text.size()) {
		std::size_t end = text.find(',', start);
		if (end == std::string::npos)
			end = text.size();
		std::string item = text.substr(start, end - start);
		const std::size_t first = item.find_first_not_of(" \t");
		const std::size_t last = item.find_last_not_of(" \t");
		item = first == std::string::npos ? std::string() : item.substr(first, last - first + 1);
		if (!item.empty())
			items.push_back(item);
		start = end + 1;
	}
	if (items.empty())
		throw UsageError(option + " needs at least one column name");
	return items;
}

// Option values are read strictly: only what a DBA typed as the number itself. strtoull
// and strtod would also take ' 5', '+5', '1e3', '0x1p3', 'inf', and an option given ''
// fell back to its default without a word (each value was parsed only when not empty).
bool AllDigits(const std::string &text) {
	return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

std::uint64_t ParseCount(const std::string &text, const std::string &option, std::uint64_t min,
                         std::uint64_t max) {
	errno = 0;
	const unsigned long long value = AllDigits(text) ? std::strtoull(text.c_str(), nullptr, 10) : 0;
	if (!AllDigits(text) || errno != 0 || value < min || value > max)
		throw UsageError(option + " must be a whole number from " + std::to_string(min) + " to " +
		                 std::to_string(max) + ", not '" + text + "'");
	return value;
}

// Seconds as digits with an optional decimal fraction ("2", "0.25", ".5"), 0 to 86400.
double ParseSeconds(const std::string &text, const std::string &option) {
	const std::size_t point = text.find('.');
	const std::string whole = text.substr(0, point);
	const std::string fraction = point == std::string::npos ? std::string() : text.substr(point + 1);
	const bool well_formed = (whole.empty() || AllDigits(whole)) &&
	                         (fraction.empty() || AllDigits(fraction)) &&
	                         !(whole.empty() && fraction.empty());
	const double value = well_formed ? std::strtod(text.c_str(), nullptr) : -1;
	if (!well_formed || !std::isfinite(value) || value < 0 || value > 86400)
		throw UsageError(option + " must be a number of seconds from 0 to 86400 (digits, a decimal point" +
		                 " allowed), not '" + text + "'");
	return value;
}

// --timeout: whole seconds, 1 to a week.
unsigned ParseTimeout(const std::string &text, const std::string &option) {
	return static_cast<unsigned>(ParseCount(text, option, 1, 7 * 86400));
}

// CLI11 reads the words of one command (options anywhere, --opt=value or --opt value,
// "--" ends them); values are checked by the functions above, whose messages name the
// option and the bad value. Throws UsageError.
void ParseWords(CLI::App *app, int argc, char **argv) {
	try {
		app->parse(argc, argv);
	} catch (const CLI::ParseError &error) {
		throw UsageError(std::string(error.what()) + " (" + app->get_name() + ")");
	}
}

// Whether the option was on the command line: an option given an empty value ('') is
// checked like any other value (and refused), not taken for its default.
bool Given(const CLI::App &app, const char *option) {
	return app.count(option) > 0;
}

// A text option given with nothing in it (--name '', --certificate ''): refused.
void RefuseEmpty(const CLI::App &app, const char *option, const std::string &value, const std::string &what) {
	if (Given(app, option) && value.empty())
		throw UsageError(std::string(option) + " needs " + what + ", not ''");
}

// --name of migrate and status: the ledger's key on the target and the consumer
// `migrate:NAME` on the source. 1 to 55 characters, so that the consumer fits MariaDB's
// VARCHAR(64) consumer names. Valid UTF-8 without control characters (it is shown in
// every message and certificate), and no leading or trailing space: MariaDB compares
// the ledger's names with PAD SPACE, so 'shop ' would find the ledger row of 'shop'
// while its consumer (compared byte by byte) and its lock were another migration's.
// Quotes, dots, accents and spaces inside are kept as they are (always sent as literals).
void CheckMigrationName(const std::string &name) {
	if (name.empty())
		throw UsageError("--name needs a migration name, not ''");
	// `--name= --drop` (an empty value, then an option): CLI11 took the next word as the
	// name, so a migration named --drop ran instead of a drop.
	if (name.rfind("--", 0) == 0)
		throw UsageError("--name needs a migration name, not the option '" + name +
		                 "' (was --name given an empty value?)");
	if (!IsValidUtf8(name))
		throw UsageError("--name '" + ToValidUtf8(name) + "' is not valid UTF-8");
	for (const unsigned char byte : name)
		if (byte < 0x20 || byte == 0x7f)
			throw UsageError("--name must not hold control characters (a tab, a line break)");
	const std::size_t characters = DisplayWidth(name); // one per character (code point)
	if (characters > 55)
		throw UsageError("--name must be 1 to 55 characters (its consumer migrate:NAME must fit 64), not " +
		                 std::to_string(characters) + " ('" + name + "')");
	if (name.front() == ' ' || name.back() == ' ')
		throw UsageError("--name '" + name +
		                 "' begins or ends with a space: MariaDB would take it for the name without it");
}

// A CLI11 app for one command, with --help handled by ParseCommandLine instead.
std::unique_ptr<CLI::App> CommandApp(const std::string &name) {
	auto app = std::make_unique<CLI::App>(std::string(), name);
	app->set_help_flag();
	return app;
}

DiffCommand ParseDiff(int argc, char **argv) {
	DiffCommand diff;
	std::vector<std::string> positional, exclude;
	std::string key, jobs, buckets, recheck, image_rows, batch_rows, timeout;
	bool json = false, no_progress = false;
	const auto app = CommandApp("fingerprint diff");
	app->add_option("--exclude-columns", exclude)->allow_extra_args(false);
	app->add_option("--key", key);
	app->add_option("--where-source", diff.settings.where_source);
	app->add_option("--where-target", diff.settings.where_target);
	app->add_option("--jobs", jobs);
	app->add_option("--buckets", buckets);
	app->add_option("--recheck", recheck);
	app->add_option("--image-rows", image_rows);
	app->add_option("--batch-rows", batch_rows);
	app->add_option("--timeout", timeout);
	app->add_flag("--json", json);
	app->add_flag("--no-progress", no_progress);
	app->add_option("urls_and_tables", positional);
	ParseWords(app.get(), argc - 1, argv + 1);

	for (const std::string &list : exclude)
		for (std::string &column : SplitList(list, "--exclude-columns"))
			diff.settings.exclude_columns.push_back(std::move(column));
	if (!key.empty() || app->count("--key") > 0)
		diff.settings.key_columns = SplitList(key, "--key");
	RefuseEmpty(*app, "--where-source", diff.settings.where_source, "an SQL condition");
	RefuseEmpty(*app, "--where-target", diff.settings.where_target, "an SQL condition");
	if (Given(*app, "--jobs"))
		diff.jobs = static_cast<unsigned>(ParseCount(jobs, "--jobs", 1, 64));
	if (Given(*app, "--buckets"))
		diff.settings.buckets =
		    static_cast<std::uint32_t>(ParseCount(buckets, "--buckets", kMinBucketCount, kMaxBucketCount));
	if (Given(*app, "--recheck"))
		diff.recheck_seconds = ParseSeconds(recheck, "--recheck");
	if (Given(*app, "--image-rows"))
		diff.settings.image_rows = ParseCount(image_rows, "--image-rows", 0, UINT64_C(1) << 40);
	if (Given(*app, "--batch-rows"))
		diff.settings.batch_rows = ParseCount(batch_rows, "--batch-rows", 1, UINT64_C(1) << 40);
	if (Given(*app, "--timeout"))
		diff.timeout = ParseTimeout(timeout, "--timeout");
	diff.json = json;
	diff.progress = !no_progress;
	if (positional.size() < 2)
		throw UsageError("fingerprint diff needs a SOURCE and a TARGET URL");
	diff.source = ParseConnectionUrl(positional[0]);
	diff.target = ParseConnectionUrl(positional[1]);
	diff.tables.assign(positional.begin() + 2, positional.end());
	diff.source.statement_timeout = diff.target.statement_timeout = diff.timeout;
	return diff;
}

CopyCommand ParseCopy(int argc, char **argv) {
	CopyCommand copy;
	std::vector<std::string> positional;
	std::string jobs, chunk_rows, timeout;
	bool no_progress = false;
	const auto app = CommandApp("fingerprint copy");
	app->add_flag("--create-tables", copy.create_tables);
	app->add_flag("--truncate", copy.truncate);
	app->add_flag("--dry-run", copy.dry_run);
	app->add_flag("--lock-for-snapshot", copy.lock_for_snapshot);
	app->add_option("--jobs", jobs);
	app->add_option("--chunk-rows", chunk_rows);
	app->add_option("--timeout", timeout);
	app->add_flag("--json", copy.json);
	app->add_flag("--no-progress", no_progress);
	app->add_option("urls_and_tables", positional);
	ParseWords(app.get(), argc - 1, argv + 1);
	if (Given(*app, "--jobs"))
		copy.jobs = static_cast<unsigned>(ParseCount(jobs, "--jobs", 1, 64));
	if (Given(*app, "--chunk-rows"))
		copy.chunk_rows = ParseCount(chunk_rows, "--chunk-rows", 1, UINT64_C(1) << 40);
	if (Given(*app, "--timeout"))
		copy.timeout = ParseTimeout(timeout, "--timeout");
	copy.progress = !no_progress;
	if (positional.size() < 2)
		throw UsageError("fingerprint copy needs a SOURCE and a TARGET URL");
	copy.source = ParseConnectionUrl(positional[0]);
	copy.target = ParseConnectionUrl(positional[1]);
	copy.tables.assign(positional.begin() + 2, positional.end());
	copy.source.statement_timeout = copy.target.statement_timeout = copy.timeout;
	if (copy.lock_for_snapshot && copy.source.engine != Engine::mysql)
		throw UsageError("--lock-for-snapshot is for a MySQL/MariaDB source; PostgreSQL workers share one"
		                 " exported snapshot without a lock");
	return copy;
}

CaptureCommand ParseCapture(int argc, char **argv) {
	CaptureCommand capture;
	std::vector<std::string> positional;
	std::string timeout;
	const auto app = CommandApp("fingerprint capture");
	app->add_option("--timeout", timeout);
	app->add_option("action_url_tables", positional);
	ParseWords(app.get(), argc - 1, argv + 1);
	if (positional.empty())
		throw UsageError("fingerprint capture needs an action: enable, disable or ddl");
	if (positional[0] != "enable" && positional[0] != "disable" && positional[0] != "ddl")
		throw UsageError("unknown capture action '" + positional[0] + "': use enable, disable or ddl");
	capture.action = positional[0];
	if (positional.size() < 3)
		throw UsageError("fingerprint capture " + capture.action +
		                 " needs a mysql:// URL and at least one table");
	capture.url = ParseConnectionUrl(positional[1]);
	if (capture.url.engine != Engine::mysql)
		throw UsageError("fingerprint capture works on MySQL/MariaDB (mysql://...); on PostgreSQL use the"
		                 " extension's capture functions (docs/capture.md)");
	capture.tables.assign(positional.begin() + 2, positional.end());
	if (Given(*app, "--timeout"))
		capture.url.statement_timeout = ParseTimeout(timeout, "--timeout");
	return capture;
}

// --drop forgets the whole migration: it takes no tables (they are in its ledger) and
// none of the options of a run. --disable-capture belongs to --drop.
void CheckDrop(const CLI::App &app, const MigrateCommand &migrate) {
	if (!migrate.drop) {
		if (migrate.disable_capture)
			throw UsageError(
			    "--disable-capture goes with --drop (fingerprint migrate SOURCE TARGET --name N --drop"
			    " --disable-capture); to turn capture off by hand: fingerprint capture disable");
		return;
	}
	// Forgetting is not undone: the migration is named, never taken from the default.
	if (!Given(app, "--name"))
		throw UsageError(
		    "--drop needs --name: name the migration to drop (--name migrate for the default one)");
	if (!migrate.tables.empty())
		throw UsageError("--drop drops the whole migration '" + migrate.name +
		                 "' (its tables are in its ledger): name no tables");
	for (const char *option :
	     {"--cutover", "--follow", "--no-copy", "--create-tables", "--jobs", "--lock-for-snapshot",
	      "--chunk-rows", "--quiet", "--cutover-timeout", "--certificate", "--batch-changes", "--poll"})
		if (Given(app, option))
			throw UsageError(std::string(option) + " is an option of a migration's run, not of --drop");
}

// Seconds as given back in a message (`0.5`, `300`).
std::string SecondsText(double seconds) {
	char text[32];
	std::snprintf(text, sizeof text, "%g", seconds);
	return text;
}

MigrateCommand ParseMigrate(int argc, char **argv) {
	// CLI11 reads `--name=` (empty after '=') as `--name` and takes the next word as the
	// value: `--name= --drop` ran a migration named --drop. An empty --name is refused.
	for (int arg = 1; arg < argc; ++arg)
		if (std::string(argv[arg]) == "--name=")
			throw UsageError("--name needs a migration name, not ''");
	MigrateCommand migrate;
	std::vector<std::string> positional;
	std::string batch_changes, poll, timeout, quiet, cutover_timeout, jobs, chunk_rows;
	const auto app = CommandApp("fingerprint migrate");
	app->add_option("--name", migrate.name);
	app->add_flag("--no-copy", migrate.no_copy);
	app->add_flag("--create-tables", migrate.create_tables);
	app->add_option("--jobs", jobs);
	app->add_flag("--lock-for-snapshot", migrate.lock_for_snapshot);
	app->add_option("--chunk-rows", chunk_rows);
	app->add_flag("--cutover", migrate.cutover);
	app->add_option("--quiet", quiet);
	app->add_option("--cutover-timeout", cutover_timeout);
	app->add_option("--certificate", migrate.certificate);
	app->add_flag("--follow", migrate.follow);
	app->add_flag("--drop", migrate.drop);
	app->add_flag("--disable-capture", migrate.disable_capture);
	app->add_flag("--json", migrate.json);
	app->add_option("--batch-changes", batch_changes);
	app->add_option("--poll", poll);
	app->add_option("--timeout", timeout);
	app->add_option("urls_and_tables", positional);
	ParseWords(app.get(), argc - 1, argv + 1);
	if (positional.size() < 2)
		throw UsageError("fingerprint migrate needs a SOURCE and a TARGET URL");
	CheckMigrationName(migrate.name);
	RefuseEmpty(*app, "--certificate", migrate.certificate, "a file name");
	migrate.source = ParseConnectionUrl(positional[0]);
	migrate.target = ParseConnectionUrl(positional[1]);
	migrate.tables.assign(positional.begin() + 2, positional.end());
	for (const std::string &table : migrate.tables)
		if (table.empty())
			throw UsageError("an empty table name: name the tables of the migration");
	if (Given(*app, "--batch-changes"))
		migrate.batch_changes =
		    static_cast<unsigned>(ParseCount(batch_changes, "--batch-changes", 1, 1000000));
	if (Given(*app, "--poll"))
		migrate.poll_seconds = ParseSeconds(poll, "--poll");
	if (Given(*app, "--quiet"))
		migrate.quiet_seconds = ParseSeconds(quiet, "--quiet");
	if (Given(*app, "--cutover-timeout"))
		migrate.cutover_timeout_seconds = ParseSeconds(cutover_timeout, "--cutover-timeout");
	if (migrate.cutover && migrate.follow)
		throw UsageError("--cutover and --follow exclude each other");
	// The wait gives up after --cutover-timeout seconds unless --quiet seconds passed
	// without a change: a timeout shorter than the quiet time always gave up, blaming
	// writes that were not happening.
	if (migrate.cutover && migrate.cutover_timeout_seconds < migrate.quiet_seconds)
		throw UsageError("--cutover-timeout (" + SecondsText(migrate.cutover_timeout_seconds) +
		                 ") must be at least --quiet (" + SecondsText(migrate.quiet_seconds) +
		                 "): the cutover waits --quiet seconds without a change before it switches");
	CheckDrop(*app, migrate);
	// Options that only act with another: given alone they were ignored without a word.
	for (const char *option : {"--quiet", "--cutover-timeout", "--certificate"})
		if (Given(*app, option) && !migrate.cutover && !migrate.drop)
			throw UsageError(std::string(option) + " goes with --cutover");
	if (Given(*app, "--poll") && !migrate.follow && !migrate.drop)
		throw UsageError("--poll goes with --follow (without it a run stops once caught up)");
	if (Given(*app, "--jobs"))
		migrate.copy_jobs = static_cast<unsigned>(ParseCount(jobs, "--jobs", 1, 64));
	if (Given(*app, "--chunk-rows"))
		migrate.chunk_rows = ParseCount(chunk_rows, "--chunk-rows", 1, UINT64_C(1) << 40);
	if (migrate.lock_for_snapshot && migrate.source.engine != Engine::mysql)
		throw UsageError("--lock-for-snapshot is for a MySQL/MariaDB source; PostgreSQL workers share one"
		                 " exported snapshot without a lock");
	if (Given(*app, "--timeout"))
		migrate.source.statement_timeout = migrate.target.statement_timeout =
		    ParseTimeout(timeout, "--timeout");
	return migrate;
}

StatusCommand ParseStatus(int argc, char **argv) {
	StatusCommand status;
	std::vector<std::string> positional;
	const auto app = CommandApp("fingerprint status");
	app->add_option("--name", status.name);
	app->add_flag("--json", status.json);
	app->add_option("urls", positional);
	ParseWords(app.get(), argc - 1, argv + 1);
	CheckMigrationName(status.name);
	if (positional.size() != 2)
		throw UsageError("fingerprint status needs a SOURCE and a TARGET URL");
	status.source = ParseConnectionUrl(positional[0]);
	status.target = ParseConnectionUrl(positional[1]);
	return status;
}

// True when a command's arguments ask for its help (--help or -h anywhere after it).
bool AsksForHelp(int argc, char **argv) {
	for (int i = 2; i < argc; ++i)
		if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h")
			return true;
	return false;
}

} // namespace

Command ParseCommandLine(int argc, char **argv) {
	Command command;
	if (argc < 2)
		throw UsageError("no command given");
	const std::string first = argv[1];
	if (first == "--help" || first == "-h" || first == "help") {
		command.kind = Command::Kind::help;
	} else if (first == "--version") {
		command.kind = Command::Kind::version;
	} else if (first == "diff") {
		if (AsksForHelp(argc, argv))
			return command;
		command.kind = Command::Kind::diff;
		command.diff = ParseDiff(argc, argv);
	} else if (first == "copy") {
		if (AsksForHelp(argc, argv))
			return command;
		command.kind = Command::Kind::copy;
		command.copy = ParseCopy(argc, argv);
	} else if (first == "capture") {
		if (AsksForHelp(argc, argv))
			return command;
		command.kind = Command::Kind::capture;
		command.capture = ParseCapture(argc, argv);
	} else if (first == "migrate" || first == "status") {
		if (AsksForHelp(argc, argv))
			return command;
		if (first == "migrate") {
			command.kind = Command::Kind::migrate;
			command.migrate = ParseMigrate(argc, argv);
		} else {
			command.kind = Command::Kind::status;
			command.status = ParseStatus(argc, argv);
		}
	} else {
		throw UsageError("unknown command '" + first + "'");
	}
	return command;
}

} // namespace fingerprint::cli
