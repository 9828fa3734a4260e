#include "installed_version.hpp"

#include "cli_error.hpp"
#include "my_client.hpp"

#include <fingerprint/version.hpp>

namespace fingerprint::cli {

void CheckInstalledRelease(const std::string &installed, Engine engine, const std::string &who) {
	if (installed == kRelease)
		return;
	const std::string how = engine == Engine::postgresql
	                            ? "run ALTER EXTENSION fingerprint UPDATE in that database"
	                            : "load the sql/mysql/install.sql of fingerprint " + std::string(kRelease) +
	                                  " as an administrator (it upgrades in place and keeps the change log)";
	throw Error(who + ": fingerprint " + installed + " is installed there, but this tool is fingerprint " +
	            kRelease + ": " + how + ", or use the tool of release " + installed +
	            " (docs/upgrading.md)");
}

std::string MysqlInstalledRelease(MYSQL *mysql, const std::string &who) {
	bool has_function = false;
	MysqlRun(mysql,
	         "SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint'"
	         " AND ROUTINE_TYPE = 'FUNCTION' AND ROUTINE_NAME = 'version'",
	         who, "looking up fingerprint.version()",
	         [&](MYSQL_ROW, const unsigned long *, unsigned) { has_function = true; });
	if (!has_function)
		return "1.0";
	std::string release;
	MysqlRun(mysql, "SELECT fingerprint.version()", who, "asking fingerprint.version()",
	         [&](MYSQL_ROW row, const unsigned long *lengths, unsigned) {
		         if (row[0] != nullptr)
			         release.assign(row[0], lengths[0]);
	         });
	return release;
}

} // namespace fingerprint::cli
