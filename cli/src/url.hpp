// Connection URLs of the command line.
//
//   postgresql://user@host:port/db?schema=s&host=/socket/dir&...   (also postgres://)
//       libpq's own URL syntax; everything but our `schema` parameter (default public)
//       goes to libpq untouched.
//   mysql://user@host:port/db?socket=/path/to/mysqld.sock          (also mariadb://)
//
// Passwords are never needed in a URL: libpq reads PGPASSWORD and ~/.pgpass itself, and
// the MySQL side reads MYSQL_PWD and the [client] group of the option files. A password
// that is given anyway is used, hidden whenever a URL is printed, and overwritten in the
// process's arguments as soon as they are parsed (ScrubPasswordsInPlace), so that it does
// not stay readable in ps or /proc/PID/cmdline for the whole run.
#pragma once

#include <string>

namespace fingerprint::cli {

enum class Engine { postgresql, mysql };

struct ConnectionUrl {
	Engine engine = Engine::postgresql;
	std::string display; // the URL as given, password replaced by ***

	// PostgreSQL: the URL for libpq (without `schema`) and the schema to compare.
	std::string libpq_url;
	std::string schema = "public";

	// MySQL/MariaDB: each part percent-decoded; empty = not given.
	std::string user;
	std::string password;
	bool has_password = false;
	std::string host;
	unsigned port = 0;
	std::string database;
	std::string socket;

	// Not part of the URL: --timeout, the longest one statement may take in seconds
	// (0: no limit, the default, so that a long fingerprint of a big table is never cut).
	unsigned statement_timeout = 0;
};

// Throws UsageError naming the problem.
ConnectionUrl ParseConnectionUrl(const std::string &url);

// Overwrites, in place, every password of an argument (user:PASSWORD@ after "//", and
// password=PASSWORD) with 'x'; arguments without one are left alone. For argv after
// parsing.
void ScrubPasswordsInPlace(char *argument);

// "%41" -> "A", "+" kept; throws UsageError on a malformed escape.
std::string PercentDecode(const std::string &text);

} // namespace fingerprint::cli
