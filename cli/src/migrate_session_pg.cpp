// The PostgreSQL session of `fingerprint migrate` (libpq, text results).
#include "cli_error.hpp"
#include "pg_one_line.hpp"
#include "dead_peer.hpp"
#include "migrate_session.hpp"

#include <libpq-fe.h>

#include <cstdlib>

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
		conn_ = PQconnectdbParams(keywords, values, 1);
		if (conn_ == nullptr)
			throw Error(who + ": cannot connect: out of memory");
		if (PQstatus(conn_) != CONNECTION_OK) {
			std::string message = PgOneLine(PQerrorMessage(conn_));
			if (message.find("password") != std::string::npos)
				message += " (the password comes from PGPASSWORD or ~/.pgpass)";
			throw Error(who + ": cannot connect: " + message);
		}
		// NOTICEs ("schema ... already exists, skipping") are not for the user.
		PQsetNoticeProcessor(
		    conn_, [](void *, const char *) {}, nullptr);
		// Images are read as hex bytea; timestamps are written and read in UTC; string
		// literals are standard (backslashes are ordinary characters).
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
	~PgSession() override { PQfinish(conn_); }

	std::vector<Row> Query(const std::string &sql, const std::string &what) override {
		PGresult *result = PQexec(conn_, sql.c_str());
		const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			std::string message =
			    PgOneLine(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
			if (message.empty())
				message = PgOneLine(PQerrorMessage(conn_));
			PQclear(result);
			throw Error(who() + ": " + what + " failed: " + message);
		}
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
		PQclear(result);
		return rows;
	}

	void CopyIn(const std::string &copy_sql, const std::string &data, const std::string &what) override {
		PGresult *result = PQexec(conn_, copy_sql.c_str());
		const bool started = result != nullptr && PQresultStatus(result) == PGRES_COPY_IN;
		std::string message = started ? std::string() : Failure(result);
		PQclear(result);
		if (!started)
			throw Error(who() + ": " + what + " failed: " + message);
		// A failed send still ends the COPY below, whose result names the server's error.
		if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
		    PQputCopyEnd(conn_, nullptr) != 1)
			message = PgOneLine(PQerrorMessage(conn_));
		while ((result = PQgetResult(conn_)) != nullptr) {
			if (message.empty() && PQresultStatus(result) != PGRES_COMMAND_OK)
				message = Failure(result);
			PQclear(result);
		}
		if (!message.empty())
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
	std::string Failure(const PGresult *result) const {
		std::string message =
		    PgOneLine(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
		return message.empty() ? PgOneLine(PQerrorMessage(conn_)) : message;
	}

	PGconn *conn_ = nullptr;
};

} // namespace

std::unique_ptr<Session> OpenPostgresSession(const ConnectionUrl &url, const std::string &who) {
	return std::make_unique<PgSession>(url, who);
}

} // namespace fingerprint::cli::migrate
