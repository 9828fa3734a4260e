// The statement seams of tests/migrate, inert unless a test sets both variables.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

namespace fingerprint::cli::migrate {

// When the environment variable `table_variable` names `table` and `sql_variable` is set:
// its statement, with each `placeholder` ("{table}", "{stage}") replaced by `name`. Else
// "" (the seam does nothing).
inline std::string SqlForTest(const char *table_variable, const char *sql_variable, const std::string &table,
                              std::string_view placeholder, const std::string &name) {
	const char *const for_table = std::getenv(table_variable);
	const char *const sql = std::getenv(sql_variable);
	if (for_table == nullptr || sql == nullptr || table != for_table)
		return {};
	std::string statement = sql;
	for (std::size_t at = statement.find(placeholder); at != std::string::npos;
	     at = statement.find(placeholder, at + name.size()))
		statement.replace(at, placeholder.size(), name);
	return statement;
}

} // namespace fingerprint::cli::migrate
