// The few MySQL client library calls the tool needs, wrapped once: connecting (password
// from the URL, MYSQL_PWD or the [client] group of the option files), quoting, and
// running a statement whose result sets (a CALL may return several) are streamed row by
// row. Used by the diff session (my_connection.cpp) and by `fingerprint capture`.
#pragma once

#include "url.hpp"

#include <mysql.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fingerprint::cli {

struct MysqlCloser {
	void operator()(MYSQL *mysql) const { mysql_close(mysql); }
};
using MysqlHandle = std::unique_ptr<MYSQL, MysqlCloser>;

// Connects, sets utf8mb4 and a UTC session time zone; throws Error prefixed with who.
// bulk (fingerprint copy): LOAD DATA LOCAL INFILE allowed, and packets up to 1 GB.
MysqlHandle OpenMysql(const ConnectionUrl &url, const std::string &who, bool bulk = false);

// 'text' as an SQL string literal (quotes included).
std::string MysqlQuote(MYSQL *mysql, const std::string &text);
// "NULL" for an empty string, else MysqlQuote.
std::string MysqlQuoteOrNull(MYSQL *mysql, const std::string &text);

// `name` with backquotes doubled, between backquotes.
std::string QuoteName(const std::string &name);

// For each name, the spelling of the column it denotes in the quoted table, as the server
// resolves it ("" when the table has no such column). Throws Error on any other failure
// (no privilege, no table).
std::vector<std::string> MysqlResolveColumns(MYSQL *mysql, const std::string &quoted_table,
                                             const std::vector<std::string> &names, const std::string &who);

// The release installed in the `fingerprint` database: the answer of
// fingerprint.version(), or "1.0" when there is no such function (1.0 had none).
std::string MysqlInstalledRelease(MYSQL *mysql, const std::string &who);

// Called for every row of the first result set: the values (nullptr for NULL), their
// lengths and the number of fields.
using MysqlRowCallback = std::function<void(MYSQL_ROW row, const unsigned long *lengths, unsigned fields)>;

// Runs sql, streams the first result set's rows to on_row (may be empty), drains every
// other result and returns the bytes of result data received. Throws Error
// "<who>: <what> failed: <server message>".
std::uint64_t MysqlRun(MYSQL *mysql, const std::string &sql, const std::string &who, const std::string &what,
                       const MysqlRowCallback &on_row);

} // namespace fingerprint::cli
