#include "capture.hpp"

#include "cli_error.hpp"
#include "installed_version.hpp"
#include "my_client.hpp"

#include <cstdio>

namespace fingerprint::cli {

namespace {

std::vector<std::string> CaptureStatements(MYSQL *mysql, const std::string &who, const std::string &table,
                                           const std::string &action) {
	std::vector<std::string> statements;
	MysqlRun(mysql, "CALL fingerprint.capture_ddl(" + MysqlQuote(mysql, table) + ", '" + action + "')", who,
	         "fingerprint.capture_ddl of " + table,
	         [&](MYSQL_ROW row, const unsigned long *lengths, unsigned) {
		         if (row[0] != nullptr)
			         statements.emplace_back(row[0], lengths[0]);
	         });
	return statements;
}

} // namespace

int RunCapture(const CaptureCommand &command) {
	const std::string who = command.url.display;
	MysqlHandle mysql = OpenMysql(command.url, who);
	bool found = false;
	MysqlRun(mysql.get(),
	         "SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'fingerprint'"
	         " AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME = 'capture_ddl'",
	         who, "looking up fingerprint.capture_ddl",
	         [&](MYSQL_ROW, const unsigned long *, unsigned) { found = true; });
	if (!found)
		throw Error(who +
		            ": there is no procedure fingerprint.capture_ddl (or no EXECUTE privilege on it): load"
		            " the current sql/mysql/install.sql, which has the change-capture procedures");

	CheckInstalledRelease(MysqlInstalledRelease(mysql.get(), who), Engine::mysql, who);

	const std::string action = command.action == "disable" ? "disable" : "enable";
	if (command.action == "ddl")
		std::printf("DELIMITER //\n");
	for (const std::string &name : command.tables) {
		const std::string table =
		    name.find('.') == std::string::npos ? command.url.database + "." + name : name;
		const std::vector<std::string> statements = CaptureStatements(mysql.get(), who, table, action);
		if (statements.empty())
			throw Error(who + ": fingerprint.capture_ddl returned no statements for " + table);
		if (command.action == "ddl") {
			std::printf("-- capture triggers of %s\n", table.c_str());
			for (const std::string &statement : statements)
				std::printf("%s\n//\n", statement.c_str());
			continue;
		}
		for (std::size_t i = 0; i < statements.size(); ++i)
			MysqlRun(mysql.get(), statements[i], who,
			         "statement " + std::to_string(i + 1) + " of " + std::to_string(statements.size()) +
			             " to " + action + " capture on " + table,
			         nullptr);
		std::printf("%s: capture %sd (%zu statements)\n", table.c_str(), action.c_str(), statements.size());
	}
	if (command.action == "ddl")
		std::printf("DELIMITER ;\n");
	std::fflush(stdout);
	return 0;
}

} // namespace fingerprint::cli
