#include "capture.hpp"

#include "cli_error.hpp"
#include "installed_version.hpp"
#include "my_client.hpp"
#include "shown_text.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

namespace fingerprint::cli {

namespace {

// InnoDB picked a statement of the enable as a deadlock victim (error 1213) or it waited
// too long for a lock (1205): writers on the table while its triggers are made. Enabling
// again is safe (a fresh enable that failed dropped its triggers; one over existing
// capture repairs it), so the table's enable is retried a few times before it fails.
class LockConflict : public Error {
  public:
	using Error::Error;
};
constexpr int kLockConflictAttempts = 5;

bool IsLockConflict(MYSQL *mysql) {
	const unsigned error = mysql_errno(mysql);
	return error == 1213 || error == 1205;
}

std::vector<std::string> CaptureStatements(MYSQL *mysql, const std::string &who, const std::string &table,
                                           const std::string &action) {
	std::vector<std::string> statements;
	try {
		MysqlRun(mysql, "CALL fingerprint.capture_ddl(" + MysqlQuote(mysql, table) + ", '" + action + "')",
		         who, "fingerprint.capture_ddl of " + table,
		         [&](MYSQL_ROW row, const unsigned long *lengths, unsigned) {
			         if (row[0] != nullptr)
				         statements.emplace_back(row[0], lengths[0]);
		         });
	} catch (const Error &error) {
		if (IsLockConflict(mysql))
			throw LockConflict(error.what());
		throw;
	}
	return statements;
}

// db.table -> (db, table), a name without a dot being in the URL's database.
std::pair<std::string, std::string> SplitTable(const std::string &name, const std::string &database) {
	const std::size_t dot = name.find('.');
	if (dot == std::string::npos)
		return {database, name};
	return {name.substr(0, dot), name.substr(dot + 1)};
}

// Whether capture of the table is on already (then a failed enable leaves it as it was).
// An account that may not read fingerprint.capture_state is answered "on": never drop
// triggers that may be in use.
bool CaptureIsOn(MYSQL *mysql, const std::string &who, const std::string &table) {
	bool on = true;
	try {
		MysqlRun(mysql,
		         "SELECT COALESCE((SELECT enabled FROM fingerprint.capture_state WHERE BINARY table_name = "
		         "BINARY " +
		             MysqlQuote(mysql, table) + "), FALSE)",
		         who, "reading the capture state of " + table,
		         [&](MYSQL_ROW row, const unsigned long *, unsigned) {
			         on = row[0] != nullptr && std::string(row[0]) != "0";
		         });
	} catch (const Error &) {
	}
	return on;
}

// Runs the statements that enable or disable capture of one table. An enable of a table
// that was not captured is all or nothing: when a statement fails, the triggers it had
// created are dropped again (fingerprint.capture_drop_triggers), as capture_apply does.
// Returns the `status` the last statement answered (capture_stopped says what disable
// dropped and where it found the triggers), or "".
std::string ApplyStatements(MYSQL *mysql, const std::string &who, const std::string &table,
                            const std::pair<std::string, std::string> &parts, const std::string &action,
                            const std::vector<std::string> &statements) {
	const bool fresh = action == "enable" && !CaptureIsOn(mysql, who, table);
	std::string status;
	for (std::size_t i = 0; i < statements.size(); ++i) {
		try {
			MysqlRun(mysql, statements[i], who,
			         "statement " + std::to_string(i + 1) + " of " + std::to_string(statements.size()) +
			             " to " + action + " capture on " + table,
			         [&](MYSQL_ROW row, const unsigned long *lengths, unsigned fields) {
				         // `status` is the last column (capture_stopped, capture_baseline).
				         if (fields >= 2 && row[fields - 1] != nullptr)
					         status.assign(row[fields - 1], lengths[fields - 1]);
			         });
		} catch (const Error &error) {
			const bool conflict = IsLockConflict(mysql);
			if (!fresh && conflict)
				throw LockConflict(error.what());
			if (!fresh)
				throw;
			MysqlRun(mysql,
			         "CALL fingerprint.capture_drop_triggers(" + MysqlQuote(mysql, parts.first) + ", " +
			             MysqlQuote(mysql, parts.second) + ")",
			         who, "dropping the capture triggers of " + table + " again", nullptr);
			const std::string message =
			    std::string(error.what()) + " (its capture triggers were dropped again: nothing is captured)";
			if (conflict)
				throw LockConflict(message);
			throw Error(message);
		}
	}
	return status;
}

// Whether capture of the table is on and intact: CALL fingerprint.capture_apply(table,
// 'enable') would change nothing (fingerprint.capture_intact decides, by enable's own
// rules, writing nothing). Then capture_ddl is not even asked: CREATE OR REPLACE TRIGGER
// waits for the metadata lock of every transaction open on the table (a run killed
// during its copy left one, or a writer holds one).
bool CaptureIntact(MYSQL *mysql, const std::string &who, const std::string &table) {
	bool intact = false;
	MysqlRun(mysql, "SELECT fingerprint.capture_intact(" + MysqlQuote(mysql, table) + ")", who,
	         "checking the capture of " + table, [&](MYSQL_ROW row, const unsigned long *, unsigned) {
		         intact = row[0] != nullptr && std::string(row[0]) == "1";
	         });
	return intact;
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
		            " the current install.sql (share/fingerprint/mysql/ of fingerprint's install prefix), "
		            "which has the change-capture procedures");

	CheckInstalledRelease(MysqlInstalledRelease(mysql.get(), who), Engine::mysql, who);

	const std::string action = command.action == "disable" ? "disable" : "enable";
	if (command.action == "ddl")
		std::printf("DELIMITER //\n");
	for (const std::string &name : command.tables) {
		const auto parts = SplitTable(name, command.url.database);
		const std::string table = parts.first + "." + parts.second;
		std::vector<std::string> statements;
		std::string status;
		for (int attempt = 1;; ++attempt) {
			try {
				if (action == "enable" && command.action != "ddl" && CaptureIntact(mysql.get(), who, table)) {
					status = "capture already on and intact: nothing changed";
					break;
				}
				statements = CaptureStatements(mysql.get(), who, table, action);
				if (statements.empty())
					throw Error(who + ": fingerprint.capture_ddl returned no statements for " + table);
				if (action == "enable" && command.action != "ddl" && attempt == 1 &&
				    isatty(STDERR_FILENO) != 0)
					std::fprintf(
					    stderr,
					    "enabling capture of %s: its CREATE TRIGGER statements wait for the metadata lock"
					    " of every transaction open on the table%s\n",
					    Shown(table).c_str(), command.url.statement_timeout > 0 ? " (up to --timeout)" : "");
				if (command.action != "ddl")
					status = ApplyStatements(mysql.get(), who, table, parts, action, statements);
				break;
			} catch (const LockConflict &) {
				if (attempt == kLockConflictAttempts)
					throw;
				std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
			}
		}
		if (command.action == "ddl") {
			std::printf("-- capture triggers of %s\n", table.c_str());
			for (const std::string &statement : statements)
				std::printf("%s\n//\n", statement.c_str());
			continue;
		}
		// disable says what it dropped; enable says more than "capture enabled" when it
		// has more to say (whole-row identity, older versions still in the log).
		if (!command.print)
			continue;
		if (!status.empty() && (action == "disable" || status != "capture enabled"))
			std::printf("%s: %s\n", Shown(table).c_str(), Shown(status).c_str());
		else
			std::printf("%s: capture %sd (%zu statements)\n", Shown(table).c_str(), action.c_str(),
			            statements.size());
	}
	if (command.action == "ddl")
		std::printf("DELIMITER ;\n");
	std::fflush(stdout);
	return 0;
}

} // namespace fingerprint::cli
