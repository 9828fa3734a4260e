// The PostgreSQL side of a copy, through libpq: rows leave a source through COPY (SELECT
// ...) TO STDOUT and enter a target through COPY ... FROM STDIN, both in text format, one
// row in memory at a time (RowStream streams it out in pieces of about 64 kB).
#include "copy_session.hpp"
#include "pg_one_line.hpp"

#include "cli_error.hpp"
#include "copy_chunks.hpp"
#include "copy_text.hpp"
#include "dead_peer.hpp"
#include "pg_wait.hpp"
#include "installed_version.hpp"

#include <libpq-fe.h>

#include <cstdlib>

namespace fingerprint::cli::copy {

namespace {

using Result = PgResult;

std::string PgQuoteName(const std::string &name) {
	std::string out = "\"";
	for (const char c : name) {
		out += c;
		if (c == '"')
			out += '"';
	}
	return out + "\"";
}

class PgSession;

// COPY (SELECT ...) TO STDOUT, one line at a time, each waited for at most the --timeout
// deadline (pg_wait.hpp).
class PgReader final : public RowReader {
  public:
	PgReader(PgLink &link, std::string what) : link_(link), what_(std::move(what)) {}
	~PgReader() override {
		if (buffer_ != nullptr)
			PQfreemem(buffer_);
		// Read and drop what is left, so that the transaction (and snapshot) stays usable;
		// a server that stops answering meanwhile is given up (the link is then closed).
		try {
			while (!done_) {
				char *buffer = nullptr;
				const int length = PgGetCopyData(link_, &buffer, what_);
				if (buffer != nullptr)
					PQfreemem(buffer);
				if (length < 0)
					done_ = true;
			}
			while (PgNextResult(link_, what_))
				;
		} catch (...) {
		}
	}
	bool Next() override {
		if (done_)
			return false;
		if (buffer_ != nullptr) {
			PQfreemem(buffer_);
			buffer_ = nullptr;
		}
		int length = 0;
		try {
			length = PgGetCopyData(link_, &buffer_, what_);
		} catch (...) {
			done_ = true;
			throw;
		}
		if (length == -1) {
			done_ = true;
			Result result = PgNextResult(link_, what_);
			if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK)
				throw Error(link_.who + ": " + what_ + " failed: " + PgFailure(link_, result.get()));
			while (PgNextResult(link_, what_))
				;
			return false;
		}
		if (length < 0) {
			done_ = true;
			throw Error(link_.who + ": " + what_ + " failed: " + PgOneLine(PQerrorMessage(link_.conn)));
		}
		bytes_ += static_cast<std::uint64_t>(length);
		// The row is un-escaped where libpq put it and kept until the next row: no copy of
		// a huge row beside the one libpq delivers.
		SplitCopyTextLineInPlace(buffer_, static_cast<std::size_t>(length), fields_, nulls_);
		return true;
	}
	bool IsNull(std::size_t column) const override { return nulls_[column]; }
	std::string_view Value(std::size_t column) const override { return fields_[column]; }
	std::uint64_t Bytes() const override { return bytes_; }

  private:
	PgLink &link_; // the session's, which outlives its readers
	std::string what_;
	char *buffer_ = nullptr;
	bool done_ = false;
	std::uint64_t bytes_ = 0;
	std::vector<std::string_view> fields_; // into buffer_
	std::vector<bool> nulls_;
};

class PgSession final : public Session {
  public:
	PgSession(const ConnectionUrl &url, bool source)
	    : Session(Engine::postgresql, std::string(source ? "source " : "target ") + url.display), url_(url) {
		Open();
		for (const std::string &statement : SessionSettings(Engine::postgresql, source))
			Execute(statement, "setting up the session (" + statement + ")");
		if (!source)
			ReplicaRoleIfAllowed();
		CheckInstallation();
	}

	// A target loads a copy of consistent source snapshots: as pg_restore
	// --disable-triggers, its foreign keys are not checked row by row (a child table may
	// load before its parent) and user triggers do not fire, when the role may set
	// session_replication_role (a superuser, or GRANT SET ON PARAMETER); else the load runs
	// as any session's would (docs/copy.md "Targets with foreign keys and triggers").
	void ReplicaRoleIfAllowed() {
		const std::vector<Row> allowed =
		    Query("SELECT pg_catalog.has_parameter_privilege('session_replication_role', 'SET')", {},
		          "checking the privilege to set session_replication_role");
		if (!allowed.empty() && !allowed[0].empty() && allowed[0][0] && *allowed[0][0] == "t")
			Execute("SET session_replication_role = replica", "setting session_replication_role = replica");
	}

	const std::string &Namespace() const override { return url_.schema; }
	std::string QuoteName(const std::string &name) const override { return PgQuoteName(name); }

	std::vector<Row> Query(const std::string &sql, const std::vector<std::string> &params,
	                       const std::string &what) override {
		std::vector<const char *> values;
		for (const std::string &param : params)
			values.push_back(param.c_str());
		const Result result = PgRun(link_, sql, values, 0, what);
		Check(result.get(), what);
		std::vector<Row> rows(static_cast<std::size_t>(PQntuples(result.get())));
		const int fields = PQnfields(result.get());
		for (int row = 0; row < PQntuples(result.get()); ++row)
			for (int field = 0; field < fields; ++field)
				rows[row].push_back(
				    PQgetisnull(result.get(), row, field)
				        ? std::nullopt
				        : std::optional<std::string>(
				              std::string(PQgetvalue(result.get(), row, field),
				                          static_cast<std::size_t>(PQgetlength(result.get(), row, field)))));
		return rows;
	}

	std::vector<std::string> ListTables() override {
		std::vector<std::string> tables;
		for (const Row &row :
		     Query("SELECT c.relname FROM pg_catalog.pg_class c"
		           " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		           " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
		           " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
		           "  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid"
		           "  AND d.deptype = 'e')"
		           " ORDER BY c.relname",
		           {Namespace()}, "listing the tables of schema " + Namespace()))
			tables.push_back(*row[0]);
		return tables;
	}

	std::string BeginSnapshot(const std::string &import_id) override {
		Execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", "starting the snapshot's transaction");
		if (!import_id.empty()) {
			Query("SET TRANSACTION SNAPSHOT " + Literal(import_id), {}, "importing snapshot " + import_id);
			snapshot_ = import_id;
			return import_id;
		}
		snapshot_ = *Query("SELECT pg_catalog.pg_export_snapshot()", {}, "exporting the snapshot")[0][0];
		return snapshot_;
	}
	// pg_dump's way: ACCESS SHARE on every table this session will read, taken right after
	// the snapshot, so that a TRUNCATE queued meanwhile waits for the whole copy instead of
	// wedging itself between two of its sessions: one LOCK TABLE for them all (one round
	// trip per worker, not three per table). LOCK TABLE wants SELECT on the whole table:
	// when it is refused, each table is locked on its own, and a table the role may read
	// only some columns of takes the same lock with a query that reads none of them; a role
	// that may read none is left to the read's own "permission denied", which the report
	// names per table. Each attempt runs in a savepoint, so that a refusal does not end the
	// snapshot's transaction.
	bool HoldTables(const std::vector<std::string> &tables, bool wait) override {
		if (tables.empty())
			return true;
		std::string list;
		for (const std::string &table : tables)
			list += (list.empty() ? "" : ", ") + Quoted(table);
		const std::string what = tables.size() == 1
		                             ? LockWhat(tables[0])
		                             : "taking an ACCESS SHARE lock on " + std::to_string(tables.size()) +
		                                   " tables of " + Namespace() + " for the snapshot's transaction";
		const std::string nowait = wait ? "" : " NOWAIT";
		const LockAttempt all = TryLock("LOCK TABLE " + list + " IN ACCESS SHARE MODE" + nowait, what);
		if (all != LockAttempt::denied)
			return all == LockAttempt::held;
		// Without NOWAIT for a SELECT, a short lock_timeout (the same SQLSTATE) stands in.
		const std::string saved =
		    wait ? "" : *Query("SELECT pg_catalog.current_setting('lock_timeout')", {}, what)[0][0];
		if (!wait)
			Execute("SET LOCAL lock_timeout = '100ms'", what);
		bool held = true;
		for (std::size_t i = 0; held && i < tables.size(); ++i) {
			const std::string table_what = LockWhat(tables[i]);
			LockAttempt attempt =
			    TryLock("LOCK TABLE " + Quoted(tables[i]) + " IN ACCESS SHARE MODE" + nowait, table_what);
			if (attempt == LockAttempt::denied)
				attempt = TryLock("SELECT FROM " + Quoted(tables[i]) + " LIMIT 0", table_what);
			held = attempt != LockAttempt::busy;
		}
		if (!wait)
			Query("SELECT pg_catalog.set_config('lock_timeout', $1, true)", {saved}, what);
		return held;
	}
	std::string LockWhat(const std::string &table) const {
		return "taking an ACCESS SHARE lock on " + Qualified(table) + " for the snapshot's transaction";
	}
	std::unique_ptr<Session> OpenInSnapshot(const std::string &table) override {
		if (snapshot_.empty())
			return nullptr;
		auto twin = std::make_unique<PgSession>(url_, true);
		twin->BeginSnapshot(snapshot_);
		if (!twin->HoldTables({table}, false))
			return nullptr;
		return twin;
	}
	void Begin() override { Execute("BEGIN", "starting a transaction"); }
	void Commit() override { Execute("COMMIT", "committing"); }
	// Under the --timeout deadline too; a failure is left for the next statement to report.
	void Rollback() noexcept override {
		if (link_.conn == nullptr || PQtransactionStatus(link_.conn) == PQTRANS_IDLE)
			return;
		try {
			PgRun(link_, "ROLLBACK", {}, 0, "rolling back");
		} catch (...) {
		}
	}

	enum class LockAttempt { held, busy, denied };
	LockAttempt TryLock(const std::string &sql, const std::string &what) {
		Execute("SAVEPOINT fingerprint_lock", what);
		const Result result = PgRun(link_, sql, {}, 0, what);
		if (PgSucceeded(result.get())) {
			Execute("RELEASE SAVEPOINT fingerprint_lock", what);
			return LockAttempt::held;
		}
		const char *field = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
		const std::string state = field == nullptr ? "" : field;
		if (state == "55P03" || state == "42501") { // lock_not_available, insufficient_privilege
			Execute("ROLLBACK TO SAVEPOINT fingerprint_lock", what);
			Execute("RELEASE SAVEPOINT fingerprint_lock", what);
			return state == "55P03" ? LockAttempt::busy : LockAttempt::denied;
		}
		Check(result.get(), what);
		return LockAttempt::held;
	}

	std::unique_ptr<RowReader> Read(const std::string &select_list, const std::string &table,
	                                const std::string &filter) override {
		const std::string sql = "COPY (SELECT " + select_list + " FROM " + Quoted(table) +
		                        (filter.empty() ? "" : " WHERE " + filter) + ") TO STDOUT";
		const std::string what = "reading the rows of " + Qualified(table);
		const Result result = PgRun(link_, sql, {}, 0, what);
		if (!result || PQresultStatus(result.get()) != PGRES_COPY_OUT)
			Check(result.get(), what);
		return std::make_unique<PgReader>(link_, what);
	}

	std::uint64_t Load(const std::string &table, const std::vector<std::string> &columns,
	                   LineSource &lines) override {
		std::string list;
		for (const std::string &column : columns)
			list += (list.empty() ? "" : ", ") + column;
		const std::string what = "loading rows into " + Qualified(table);
		const std::string sql = "COPY " + Quoted(table) + " (" + list + ") FROM STDIN";
		{
			const Result result = PgRun(link_, sql, {}, 0, what);
			if (!result || PQresultStatus(result.get()) != PGRES_COPY_IN)
				Check(result.get(), what);
		}
		// Each piece (about 64 kB, a huge row in several) goes out as one CopyData message:
		// COPY FROM STDIN takes a stream, a row may span messages.
		std::string piece;
		try {
			while (lines.Next(piece))
				Send(piece, what);
		} catch (...) {
			Abandon(what);
			throw;
		}
		if (PgPutCopyEnd(link_, nullptr, what) != 1)
			throw Error(Who() + ": " + what + " failed: " + PgOneLine(PQerrorMessage(link_.conn)));
		const Result result = PgNextResult(link_, what);
		Check(result.get(), what);
		while (PgNextResult(link_, what))
			;
		return std::strtoull(PQcmdTuples(result.get()), nullptr, 10);
	}
	void AppendLoadValue(std::string_view value, std::string &line) const override {
		AppendCopyText(value, line);
	}

	std::string Fingerprint(const std::string &table, const std::string &key,
	                        const std::string &filter) override {
		const std::string what = "fingerprinting " + Qualified(table);
		if (filter.empty())
			return *Query("SELECT " + extension_schema_ + ".table_fingerprint($1::regclass)", {Quoted(table)},
			              what)[0][0];
		const std::vector<Row> rows =
		    Query("SELECT fingerprint FROM " + extension_schema_ +
		              ".bucket_fingerprints($1::regclass, 1, key_columns => $2::text[], filter => $3)",
		          {Quoted(table), "{" + ArrayItem(key) + "}", filter}, what + " where " + filter);
		return rows.empty() ? kEmptyFingerprint : *rows[0][0];
	}

  private:
	void Open() {
		const std::string idle = std::to_string(kKeepaliveIdleSeconds);
		const std::string interval = std::to_string(kKeepaliveIntervalSeconds);
		const std::string probes = std::to_string(kKeepaliveProbes);
		std::vector<const char *> keywords{"connect_timeout", "fallback_application_name", "keepalives",
		                                   "keepalives_idle", "keepalives_interval",       "keepalives_count",
		                                   "dbname",          "client_encoding",           nullptr};
		const char *timeout = std::getenv("PGCONNECT_TIMEOUT") != nullptr ? "" : "10";
		std::vector<const char *> values{
		    timeout,        "fingerprint copy",     "1",    idle.c_str(), interval.c_str(),
		    probes.c_str(), url_.libpq_url.c_str(), "UTF8", nullptr};
		link_.who = Who();
		link_.timeout = url_.statement_timeout;
		link_.Adopt(PQconnectdbParams(keywords.data(), values.data(), 1));
		if (link_.conn == nullptr)
			throw Error(Who() + ": cannot connect: out of memory");
		if (PQstatus(link_.conn) != CONNECTION_OK) {
			std::string message = PgOneLine(PQerrorMessage(link_.conn));
			if (message.find("password") != std::string::npos)
				message += " (the password comes from PGPASSWORD or ~/.pgpass)";
			throw Error(Who() + ": cannot connect: " + message);
		}
		// NOTICEs (CREATE TABLE IF NOT EXISTS that exists) are not for the user's terminal.
		PQsetNoticeProcessor(
		    link_.conn, [](void *, const char *) {}, nullptr);
		if (url_.statement_timeout > 0)
			Query("SELECT pg_catalog.set_config('statement_timeout', $1, false)",
			      {std::to_string(url_.statement_timeout) + "s"}, "setting the statement timeout");
	}

	void CheckInstallation() {
		const std::string database = PQdb(link_.conn);
		if (Query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {Namespace()},
		          "looking up schema " + Namespace())
		        .empty())
			throw Error(Who() + ": schema \"" + Namespace() + "\" does not exist in database \"" + database +
			            "\" (choose one with ?schema=NAME)");
		const std::vector<Row> rows =
		    Query("SELECT n.nspname, e.extversion FROM pg_catalog.pg_extension e"
		          " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fingerprint'",
		          {}, "looking up the fingerprint extension");
		if (rows.empty())
			throw Error(Who() + ": the fingerprint extension is not installed in database \"" + database +
			            "\": run CREATE EXTENSION fingerprint");
		extension_schema_ = PgQuoteName(*rows[0][0]);
		CheckInstalledRelease(*rows[0][1], cli::Engine::postgresql, Who() + " (database " + database + ")");
	}

	// Waits at most the --timeout deadline for the server to take the piece.
	void Send(const std::string &piece, const std::string &what) {
		if (piece.empty())
			return;
		if (PgPutCopyData(link_, piece.data(), piece.size(), what) != 1)
			throw Error(Who() + ": " + what + " failed: " + PgOneLine(PQerrorMessage(link_.conn)));
	}

	// Ends a COPY FROM STDIN that failed on the client's side; an error here (the
	// connection closed after a timeout) must not hide the one being thrown.
	void Abandon(const std::string &what) noexcept {
		try {
			if (link_.conn != nullptr && PgPutCopyEnd(link_, "fingerprint copy stopped this load", what) == 1)
				while (PgNextResult(link_, what))
					;
		} catch (...) {
		}
	}

	void Check(const PGresult *result, const std::string &what) {
		if (PgSucceeded(result))
			return;
		std::string text = PgFailure(link_, result);
		// row_security = off (SessionSettings): a policy that applies is an error, not fewer rows.
		if (text.find("row-level security") != std::string::npos)
			text += " (fingerprint copy reads every row or none: copy as the table's owner or a role with"
			        " BYPASSRLS)";
		throw Error(Who() + ": " + what + " failed: " + text);
	}

	std::string Literal(const std::string &text) const {
		std::string out = "'";
		for (const char c : text) {
			out += c;
			if (c == '\'')
				out += '\'';
		}
		return out + "'";
	}
	static std::string ArrayItem(const std::string &text) {
		std::string out = "\"";
		for (const char c : text) {
			if (c == '"' || c == '\\')
				out += '\\';
			out += c;
		}
		return out + "\"";
	}

	ConnectionUrl url_;
	PgLink link_;
	std::string extension_schema_; // quoted
	std::string snapshot_;         // the exported snapshot this session is in, or ""
};

} // namespace

std::unique_ptr<Session> OpenPgSession(const ConnectionUrl &url, bool source) {
	return std::make_unique<PgSession>(url, source);
}

} // namespace fingerprint::cli::copy
