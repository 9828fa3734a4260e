#include "options.hpp"

#include "cli_error.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace fingerprint::cli {

const char kUsage[] =
    R"(usage: fingerprint diff SOURCE TARGET [TABLE ...] [OPTIONS]
       fingerprint capture enable|disable|ddl MYSQL_URL TABLE ... [--timeout S]
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

capture (MySQL/MariaDB, the change-log triggers):
  enable    create the capture triggers of each TABLE (runs the statements of
            CALL fingerprint.capture_ddl('db.table', 'enable'))
  disable   drop them again
  ddl       print the statements of 'enable' without running them
TABLE is a name in the URL's database, or db.table.
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

std::uint64_t ParseCount(const std::string &text, const std::string &option, std::uint64_t min,
                         std::uint64_t max) {
	char *end = nullptr;
	errno = 0;
	const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
	if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || value < min || value > max)
		throw UsageError(option + " must be a whole number from " + std::to_string(min) + " to " +
		                 std::to_string(max) + ", not '" + text + "'");
	return value;
}

double ParseSeconds(const std::string &text, const std::string &option) {
	char *end = nullptr;
	const double value = std::strtod(text.c_str(), &end);
	if (text.empty() || *end != '\0' || !std::isfinite(value) || value < 0 || value > 86400)
		throw UsageError(option + " must be a number of seconds from 0 to 86400, not '" + text + "'");
	return value;
}

// --timeout: whole seconds, 1 to a week.
unsigned ParseTimeout(const std::string &text, const std::string &option) {
	return static_cast<unsigned>(ParseCount(text, option, 1, 7 * 86400));
}

// Splits argv into options (with their values) and positional arguments, GNU style:
// options may come anywhere, --opt=value or --opt value, "--" ends them.
class ArgumentReader {
  public:
	ArgumentReader(int argc, char **argv, int first) {
		for (int i = first; i < argc; ++i)
			args_.emplace_back(argv[i]);
	}
	bool Next(std::string *option, std::string *inline_value, bool *has_inline) {
		while (index_ < args_.size()) {
			const std::string &arg = args_[index_++];
			if (!options_done_ && arg == "--") {
				options_done_ = true;
				continue;
			}
			if (!options_done_ && arg.size() > 1 && arg[0] == '-') {
				const std::size_t equals = arg.find('=');
				*option = arg.substr(0, equals);
				*has_inline = equals != std::string::npos;
				*inline_value = *has_inline ? arg.substr(equals + 1) : std::string();
				return true;
			}
			positional_.push_back(arg);
		}
		return false;
	}
	std::string Value(const std::string &option, const std::string &inline_value, bool has_inline) {
		if (has_inline)
			return inline_value;
		if (index_ >= args_.size())
			throw UsageError(option + " needs a value");
		return args_[index_++];
	}
	const std::vector<std::string> &positional() const { return positional_; }

  private:
	std::vector<std::string> args_;
	std::vector<std::string> positional_;
	std::size_t index_ = 0;
	bool options_done_ = false;
};

DiffCommand ParseDiff(int argc, char **argv) {
	DiffCommand diff;
	ArgumentReader reader(argc, argv, 2);
	std::string option, inline_value;
	bool has_inline = false;
	while (reader.Next(&option, &inline_value, &has_inline)) {
		const auto value = [&] { return reader.Value(option, inline_value, has_inline); };
		if (option == "--exclude-columns") {
			for (std::string &column : SplitList(value(), option))
				diff.settings.exclude_columns.push_back(std::move(column));
		} else if (option == "--key") {
			diff.settings.key_columns = SplitList(value(), option);
		} else if (option == "--where-source") {
			diff.settings.where_source = value();
		} else if (option == "--where-target") {
			diff.settings.where_target = value();
		} else if (option == "--jobs") {
			diff.jobs = static_cast<unsigned>(ParseCount(value(), option, 1, 64));
		} else if (option == "--buckets") {
			diff.settings.buckets = static_cast<std::uint32_t>(ParseCount(value(), option, 1, 16777216));
		} else if (option == "--recheck") {
			diff.recheck_seconds = ParseSeconds(value(), option);
		} else if (option == "--image-rows") {
			diff.settings.image_rows = ParseCount(value(), option, 0, UINT64_C(1) << 40);
		} else if (option == "--batch-rows") {
			diff.settings.batch_rows = ParseCount(value(), option, 1, UINT64_C(1) << 40);
		} else if (option == "--timeout") {
			diff.timeout = ParseTimeout(value(), option);
		} else if (option == "--json" && !has_inline) {
			diff.json = true;
		} else if (option == "--no-progress" && !has_inline) {
			diff.progress = false;
		} else {
			throw UsageError("unknown option " + option + " for fingerprint diff");
		}
	}
	const std::vector<std::string> &positional = reader.positional();
	if (positional.size() < 2)
		throw UsageError("fingerprint diff needs a SOURCE and a TARGET URL");
	diff.source = ParseConnectionUrl(positional[0]);
	diff.target = ParseConnectionUrl(positional[1]);
	diff.tables.assign(positional.begin() + 2, positional.end());
	diff.source.statement_timeout = diff.target.statement_timeout = diff.timeout;
	return diff;
}

CaptureCommand ParseCapture(int argc, char **argv) {
	CaptureCommand capture;
	ArgumentReader reader(argc, argv, 2);
	std::string option, inline_value;
	bool has_inline = false;
	unsigned timeout = 0;
	while (reader.Next(&option, &inline_value, &has_inline)) {
		if (option != "--timeout")
			throw UsageError("unknown option " + option + " for fingerprint capture");
		timeout = ParseTimeout(reader.Value(option, inline_value, has_inline), option);
	}
	const std::vector<std::string> &positional = reader.positional();
	if (positional.empty() ||
	    (positional[0] != "enable" && positional[0] != "disable" && positional[0] != "ddl"))
		throw UsageError("fingerprint capture needs an action: enable, disable or ddl");
	capture.action = positional[0];
	if (positional.size() < 3)
		throw UsageError("fingerprint capture " + capture.action +
		                 " needs a mysql:// URL and at least one table");
	capture.url = ParseConnectionUrl(positional[1]);
	if (capture.url.engine != Engine::mysql)
		throw UsageError("fingerprint capture works on MySQL/MariaDB (mysql://...); on PostgreSQL use the"
		                 " extension's capture functions (docs/capture.md)");
	capture.tables.assign(positional.begin() + 2, positional.end());
	capture.url.statement_timeout = timeout;
	return capture;
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
	} else if (first == "capture") {
		if (AsksForHelp(argc, argv))
			return command;
		command.kind = Command::Kind::capture;
		command.capture = ParseCapture(argc, argv);
	} else {
		throw UsageError("unknown command '" + first + "'");
	}
	return command;
}

} // namespace fingerprint::cli
