#include "my_client.hpp"

#include "cli_error.hpp"
#include "client_threads.hpp"
#include "dead_peer.hpp"

#include <errmsg.h>
#include <mysqld_error.h>

#include <cstdlib>

namespace fingerprint::cli {

namespace {

[[noreturn]] void Fail(MYSQL *mysql, const std::string &who, const std::string &what) {
	std::string message = who + ": " + what + " failed: " + mysql_error(mysql) + " (error " +
	                      std::to_string(mysql_errno(mysql)) + ")";
	const unsigned error = mysql_errno(mysql);
	if (error == CR_SERVER_LOST || error == CR_SERVER_GONE_ERROR)
		message += " (the server stopped answering: it was stopped, frozen past --timeout, or the network"
		           " to it was cut)";
	throw Error(message);
}

// After a failure part-way through: read and drop whatever results are still pending, so
// that the connection can run the next statement.
void Drain(MYSQL *mysql) noexcept {
	while (mysql_more_results(mysql) && mysql_next_result(mysql) == 0) {
		if (MYSQL_RES *result = mysql_store_result(mysql))
			mysql_free_result(result);
	}
}

} // namespace

ClientLibraries::ClientLibraries() : ok_(mysql_library_init(0, nullptr, nullptr) == 0) {}
ClientLibraries::~ClientLibraries() {
	if (ok_)
		mysql_library_end();
}
ClientThread::ClientThread() {
	mysql_thread_init();
}
ClientThread::~ClientThread() {
	mysql_thread_end();
}

MysqlHandle OpenMysql(const ConnectionUrl &url, const std::string &who, bool bulk) {
	MysqlHandle mysql(mysql_init(nullptr));
	if (!mysql)
		throw Error(who + ": cannot connect: out of memory");
	// The [client] group of the usual option files (~/.my.cnf, /etc/mysql/my.cnf, ...)
	// supplies whatever the URL leaves out, the password included.
	mysql_options(mysql.get(), MYSQL_READ_DEFAULT_GROUP, "client");
	mysql_options(mysql.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
	const unsigned int timeout = 10;
	mysql_options(mysql.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (bulk) {
		const unsigned int local_infile = 1;
		const unsigned long max_packet = 1UL << 30;
		mysql_options(mysql.get(), MYSQL_OPT_LOCAL_INFILE, &local_infile);
		mysql_options(mysql.get(), MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
	}
	// --timeout: the server stops a statement after that long (max_statement_time,
	// below); the client gives up a little later, when the server cannot even say so
	// (frozen, or cut off without the connection being closed).
	const unsigned int read_timeout = url.statement_timeout + kTimeoutGraceSeconds;
	if (url.statement_timeout > 0) {
		mysql_options(mysql.get(), MYSQL_OPT_READ_TIMEOUT, &read_timeout);
		mysql_options(mysql.get(), MYSQL_OPT_WRITE_TIMEOUT, &read_timeout);
	}
	const char *password = url.has_password ? url.password.c_str() : std::getenv("MYSQL_PWD");
	const char *user = url.user.empty() ? nullptr : url.user.c_str();
	const char *host = url.host.empty() ? nullptr : url.host.c_str();
	const char *socket = url.socket.empty() ? nullptr : url.socket.c_str();
	if (mysql_real_connect(mysql.get(), host, user, password, url.database.c_str(), url.port, socket,
	                       CLIENT_MULTI_RESULTS) == nullptr) {
		std::string message = std::string(mysql_error(mysql.get())) + " (error " +
		                      std::to_string(mysql_errno(mysql.get())) + ")";
		const unsigned error = mysql_errno(mysql.get());
		if (error == ER_ACCESS_DENIED_ERROR || error == ER_ACCESS_DENIED_NO_PASSWORD_ERROR)
			message += " (the password comes from MYSQL_PWD or the [client] group of ~/.my.cnf)";
		throw Error(who + ": cannot connect: " + message);
	}
	if (!EnableTcpKeepalive(static_cast<int>(mysql_get_socket(mysql.get()))))
		throw Error(who + ": cannot turn on TCP keepalive for the connection");
	if (url.statement_timeout > 0) {
		const bool mariadb =
		    std::string(mysql_get_server_info(mysql.get())).find("MariaDB") != std::string::npos;
		// MySQL's max_execution_time covers only SELECT: there the client's timeout ends it.
		MysqlRun(mysql.get(),
		         mariadb
		             ? "SET SESSION max_statement_time = " + std::to_string(url.statement_timeout)
		             : "SET SESSION max_execution_time = " + std::to_string(url.statement_timeout * 1000ULL),
		         who, "setting the statement timeout", nullptr);
	}
	// TIMESTAMP values reach the UDFs as text in the session zone; the procedures pin
	// UTC themselves, and this session does the same so that a --where expression on a
	// TIMESTAMP column means the same thing inside and outside them.
	MysqlRun(mysql.get(), "SET SESSION time_zone = '+00:00'", who, "setting the time zone", nullptr);
	return mysql;
}

std::string MysqlQuote(MYSQL *mysql, const std::string &text) {
	std::string out(text.size() * 2 + 1, '\0');
	const unsigned long length = mysql_real_escape_string(mysql, out.data(), text.data(), text.size());
	out.resize(length);
	return "'" + out + "'";
}

std::string MysqlQuoteOrNull(MYSQL *mysql, const std::string &text) {
	return text.empty() ? std::string("NULL") : MysqlQuote(mysql, text);
}

std::string QuoteName(const std::string &name) {
	std::string out = "`";
	for (const char c : name) {
		out += c;
		if (c == '`')
			out += '`';
	}
	return out + "`";
}

namespace {

// The columns that quoted_columns (a select list) denote in quoted_table, by the result's
// metadata; false when one of them is no column (ER_BAD_FIELD_ERROR). Throws on any
// other failure.
bool SelectColumnNames(MYSQL *mysql, const std::string &quoted_table, const std::string &quoted_columns,
                       const std::string &who, std::vector<std::string> *names) {
	const std::string sql = "SELECT " + quoted_columns + " FROM " + quoted_table + " LIMIT 0";
	const std::string what = "resolving column(s) " + quoted_columns + " of " + quoted_table;
	if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
		if (mysql_errno(mysql) == ER_BAD_FIELD_ERROR)
			return false;
		Fail(mysql, who, what);
	}
	MYSQL_RES *result = mysql_store_result(mysql);
	if (result == nullptr)
		Fail(mysql, who, what);
	names->clear();
	while (const MYSQL_FIELD *field = mysql_fetch_field(result))
		names->push_back(field->org_name != nullptr ? std::string(field->org_name, field->org_name_length)
		                                            : std::string());
	mysql_free_result(result);
	Drain(mysql);
	return true;
}

} // namespace

std::vector<std::string> MysqlResolveColumns(MYSQL *mysql, const std::string &quoted_table,
                                             const std::vector<std::string> &names, const std::string &who) {
	std::vector<std::string> resolved;
	if (names.empty())
		return resolved;
	// One statement for the whole list; only when a name is no column, one per name.
	std::string list;
	for (const std::string &name : names)
		list += (list.empty() ? "" : ", ") + QuoteName(name);
	if (SelectColumnNames(mysql, quoted_table, list, who, &resolved) && resolved.size() == names.size())
		return resolved;
	resolved.clear();
	for (const std::string &name : names) {
		std::vector<std::string> one;
		resolved.push_back(SelectColumnNames(mysql, quoted_table, QuoteName(name), who, &one) &&
		                           one.size() == 1
		                       ? one[0]
		                       : std::string());
	}
	return resolved;
}

std::uint64_t MysqlRun(MYSQL *mysql, const std::string &sql, const std::string &who, const std::string &what,
                       const MysqlRowCallback &on_row) {
	if (mysql_real_query(mysql, sql.data(), sql.size()) != 0)
		Fail(mysql, who, what);
	std::uint64_t bytes = 0;
	bool first = true;
	while (true) {
		if (MYSQL_RES *result = mysql_use_result(mysql)) {
			const unsigned fields = mysql_num_fields(result);
			try {
				while (MYSQL_ROW row = mysql_fetch_row(result)) {
					const unsigned long *lengths = mysql_fetch_lengths(result);
					for (unsigned i = 0; i < fields; ++i)
						bytes += lengths[i];
					if (first && on_row)
						on_row(row, lengths, fields);
				}
			} catch (...) {
				mysql_free_result(result); // reads the rest of the rows
				Drain(mysql);
				throw;
			}
			const bool failed = mysql_errno(mysql) != 0;
			mysql_free_result(result);
			if (failed)
				Fail(mysql, who, what);
			first = false;
		} else if (mysql_field_count(mysql) != 0) {
			Fail(mysql, who, what);
		}
		const int status = mysql_next_result(mysql);
		if (status < 0)
			return bytes;
		if (status > 0)
			Fail(mysql, who, what);
	}
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
