// The PostgreSQL session of `fingerprint migrate` (libpq, text results).
#include "cli_error.hpp"
#include "pg_one_line.hpp"
#include "dead_peer.hpp"
#include "pg_wait.hpp"
#include "migrate_session.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

namespace fingerprint::cli::migrate {

namespace {

class PgSession final : public Session {
  public:
	PgSession(const ConnectionUrl &url, const std::string &who)
	    : Session(Engine::postgresql, who, url.schema) {
		const std::string idle = std::to_string(kKeepaliveIdleSeconds);
		const std::string interval = std::to_string(kKeepaliveIntervalSeconds);
		const std::string probes = std::to_string(kKeepaliveProbes);
		const char *keywords[] = {"connect_timeout", "fallback_application_name", "keepalives",
		                          "keepalives_idle", "keepalives_interval",       "keepalives_count",
		                          "dbname",          "client_encoding",           nullptr};
		const char *timeout = std::getenv("PGCONNECT_TIMEOUT") != nullptr ? "" : "10";
		const char *values[] = {timeout,        "fingerprint migrate", "1",    idle.c_str(), interval.c_str(),
		                        probes.c_str(), url.libpq_url.c_str(), "UTF8", nullptr};
		link_.who = who;
		link_.timeout = url.statement_timeout;
		link_.Adopt(PQconnectdbParams(keywords, values, 1));
		if (link_.conn == nullptr)
			throw Error(who + ": cannot connect: out of memory");
		if (PQstatus(link_.conn) != CONNECTION_OK) {
			std::string message = PgOneLine(PQerrorMessage(link_.conn));
			if (message.find("password") != std::string::npos)
				message += " (the password comes from PGPASSWORD or ~/.pgpass)";
			throw Error(who + ": cannot connect: " + message);
		}
		// NOTICEs ("schema ... already exists, skipping") are not for the user.
		PQsetNoticeProcessor(
		    link_.conn, [](void *, const char *) {}, nullptr);
		// Images in text results are hex bytea (a batch's changes come in binary format,
		// QueryEach); timestamps are written and read in UTC; string literals are
		// standard (backslashes are ordinary characters).
		Exec("SET bytea_output = 'hex'", "setting bytea_output");
		Exec("SET TimeZone = 'UTC'", "setting the time zone");
		Exec("SET DateStyle = 'ISO, YMD'", "setting DateStyle");
		Exec("SET IntervalStyle = 'postgres'", "setting IntervalStyle");
		Exec("SET extra_float_digits = 3", "setting extra_float_digits");
		Exec("SET standard_conforming_strings = on", "setting standard_conforming_strings");
		if (url.statement_timeout > 0)
			Exec("SET statement_timeout = '" + std::to_string(url.statement_timeout) + "s'",
			     "setting the statement timeout");
	}
	std::vector<Row> Query(const std::string &sql, const std::string &what) override {
		const PgResult owner = Run(sql, what, false);
		const PGresult *result = owner.get();
		std::vector<Row> rows;
		const int count = PQntuples(result), fields = PQnfields(result);
		rows.reserve(static_cast<std::size_t>(count));
		for (int r = 0; r < count; ++r) {
			Row row;
			row.reserve(static_cast<std::size_t>(fields));
			for (int f = 0; f < fields; ++f) {
				if (PQgetisnull(result, r, f))
					row.emplace_back(std::nullopt);
				else
					row.emplace_back(std::string(PQgetvalue(result, r, f),
					                             static_cast<std::size_t>(PQgetlength(result, r, f))));
			}
			rows.push_back(std::move(row));
		}
		return rows;
	}

	void QueryEach(const std::string &sql, const std::string &what, const RowVisitor &visit,
	               const std::vector<unsigned> &binary_types) override {
		const bool binary = !binary_types.empty();
		const PgResult owner = Run(sql, what, binary); // freed however the visit ends
		const PGresult *result = owner.get();
		const int count = PQntuples(result), fields = PQnfields(result);
		if (binary)
			CheckTypes(result, binary_types, what);
		RowView row(static_cast<std::size_t>(fields));
		rows_visited_ = static_cast<std::size_t>(count);
		for (int r = 0; r < count; ++r) {
			for (int f = 0; f < fields; ++f)
				row[static_cast<std::size_t>(f)] =
				    PQgetisnull(result, r, f) ? std::nullopt
				                              : std::optional<std::string_view>(
				                                    std::in_place, PQgetvalue(result, r, f),
				                                    static_cast<std::size_t>(PQgetlength(result, r, f)));
			visit(row);
		}
	}

	void CopyStart(const std::string &copy_sql, const std::string &what) override {
		const PgResult result = PgRun(link_, copy_sql, {}, 0, what);
		const bool started = result && PQresultStatus(result.get()) == PGRES_COPY_IN;
		if (!started)
			throw Error(who() + ": " + what + " failed: " + PgFailure(link_, result.get()));
		copy_failure_.clear();
	}

	// A failed send is kept and named by CopyEnd, after the COPY was ended (whose result
	// names the server's error, when it has one): the connection stays in step. A server
	// that stops reading is given up at the --timeout deadline (Error, connection closed).
	void CopyData(const std::string &data, const std::string &what) override {
		if (copy_failure_.empty() && !data.empty() &&
		    PgPutCopyData(link_, data.data(), data.size(), what) != 1)
			copy_failure_ = PgOneLine(PQerrorMessage(link_.conn));
	}

	// Abandoning never throws (a guard's destructor calls it while an error unwinds): a
	// server that does not answer then is given up silently, and the next statement says
	// the connection was closed.
	void CopyEnd(const std::string &what, const char *abandon) override {
		if (abandon == nullptr)
			EndCopy(what, nullptr);
		else
			try {
				EndCopy(what, abandon);
			} catch (...) {
			}
	}

	void EndCopy(const std::string &what, const char *abandon) {
		if (link_.conn == nullptr) // closed after a timeout, which was reported
			PgThrowClosed(link_, what);
		std::string message = std::move(copy_failure_);
		copy_failure_.clear();
		if (PgPutCopyEnd(link_, abandon, what) != 1 && message.empty())
			message = PgOneLine(PQerrorMessage(link_.conn));
		while (const PgResult result = PgNextResult(link_, what))
			if (message.empty() && PQresultStatus(result.get()) != PGRES_COMMAND_OK)
				message = PgFailure(link_, result.get());
		if (abandon == nullptr && !message.empty())
			throw Error(who() + ": " + what + " failed: " + message);
	}

	std::string Literal(const std::string &text) const override {
		std::string out = "'";
		for (const char c : text) {
			out += c;
			if (c == '\'')
				out += '\'';
		}
		return out + "'";
	}

  private:
	// Runs one statement (binary: results in binary format) under the --timeout deadline
	// (pg_wait.hpp); its result, or Error.
	PgResult Run(const std::string &sql, const std::string &what, bool binary) {
		PgResult result = PgRun(link_, sql, {}, binary ? 1 : 0, what);
		if (!PgSucceeded(result.get()))
			throw Error(who() + ": " + what + " failed: " + PgFailure(link_, result.get()));
		return result;
	}

	// A binary value is read by its type: a column of another type than the caller
	// expects is refused by name.
	void CheckTypes(const PGresult *result, const std::vector<unsigned> &types,
	                const std::string &what) const {
		const int fields = PQnfields(result);
		if (static_cast<std::size_t>(fields) != types.size())
			throw Error(who() + ": " + what + ": the result has " + std::to_string(fields) +
			            " columns, not " + std::to_string(types.size()));
		for (int f = 0; f < fields; ++f)
			if (PQftype(result, f) != types[static_cast<std::size_t>(f)])
				throw Error(who() + ": " + what + ": column " + PQfname(result, f) + " is of type OID " +
				            std::to_string(PQftype(result, f)) + ", expected " +
				            std::to_string(types[static_cast<std::size_t>(f)]));
	}

	PgLink link_;
	std::string copy_failure_; // the first failed CopyData of the open COPY
};

} // namespace

std::unique_ptr<Session> OpenPostgresSession(const ConnectionUrl &url, const std::string &who) {
	return std::make_unique<PgSession>(url, who);
}

} // namespace fingerprint::cli::migrate
