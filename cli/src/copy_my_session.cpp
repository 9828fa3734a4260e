// The MySQL/MariaDB side of a copy, through the MySQL client library: a source's rows are
// streamed with mysql_use_result (one row in memory at a time); a target's arrive through
// LOAD DATA LOCAL INFILE whose "file" is read from memory by a local-infile handler, so
// no file is written and a value of any size fits (multi-row INSERTs would be bound by
// max_allowed_packet). LOAD DATA LOCAL turns data errors into warnings (the server cannot
// stop the client's file half-way), so every warning fails the load.
#include "copy_session.hpp"

#include "cli_error.hpp"
#include "copy_chunks.hpp"
#include "copy_text.hpp"
#include "installed_version.hpp"
#include "my_client.hpp"

#include <cstring>
#include <exception>

namespace fingerprint::cli::copy {

namespace {

// SELECT ... through mysql_use_result.
class MyReader final : public RowReader {
  public:
	MyReader(MYSQL *mysql, MYSQL_RES *result, std::string who)
	    : mysql_(mysql), result_(result), who_(std::move(who)), fields_(mysql_num_fields(result)) {}
	~MyReader() override { mysql_free_result(result_); } // reads and drops the rest
	bool Next() override {
		row_ = mysql_fetch_row(result_);
		if (row_ == nullptr) {
			if (mysql_errno(mysql_) != 0)
				throw Error(who_ + ": reading rows failed: " + mysql_error(mysql_) + " (error " +
				            std::to_string(mysql_errno(mysql_)) + ")");
			return false;
		}
		lengths_ = mysql_fetch_lengths(result_);
		for (unsigned i = 0; i < fields_; ++i)
			bytes_ += lengths_[i];
		return true;
	}
	bool IsNull(std::size_t column) const override { return row_[column] == nullptr; }
	std::string_view Value(std::size_t column) const override {
		return row_[column] == nullptr ? std::string_view()
		                               : std::string_view(row_[column], lengths_[column]);
	}
	std::uint64_t Bytes() const override { return bytes_; }

  private:
	MYSQL *mysql_;
	MYSQL_RES *result_;
	std::string who_;
	unsigned fields_;
	MYSQL_ROW row_ = nullptr;
	const unsigned long *lengths_ = nullptr;
	std::uint64_t bytes_ = 0;
};

// The local-infile handler's state: the stream still to send, and what went wrong.
struct InfileFeed {
	LineSource *lines = nullptr;
	std::string line;
	std::size_t offset = 0;
	bool ended = false;
	std::exception_ptr error;
};

int InfileInit(void **state, const char *, void *userdata) {
	*state = userdata;
	return 0;
}

// Copies the next bytes of the stream into buffer. An exception (a value refused) is kept
// for Load to rethrow and ends the file with an error, which the server reports.
int InfileRead(void *state, char *buffer, unsigned int size) {
	auto *feed = static_cast<InfileFeed *>(state);
	try {
		unsigned int written = 0;
		while (written < size) {
			if (feed->offset >= feed->line.size()) {
				feed->offset = 0;
				ReleaseIfHuge(feed->line);
				if (feed->ended || !feed->lines->Next(feed->line)) {
					feed->ended = true;
					feed->line.clear();
					break;
				}
			}
			const std::size_t n = std::min<std::size_t>(size - written, feed->line.size() - feed->offset);
			std::memcpy(buffer + written, feed->line.data() + feed->offset, n);
			feed->offset += n;
			written += static_cast<unsigned int>(n);
		}
		return static_cast<int>(written);
	} catch (...) {
		feed->error = std::current_exception();
		return -1;
	}
}

void InfileEnd(void *) {}

int InfileError(void *, char *message, unsigned int size) {
	std::snprintf(message, size, "fingerprint copy stopped this load");
	return 2000; // CR_UNKNOWN_ERROR
}

class MySession final : public Session {
  public:
	MySession(const ConnectionUrl &url, bool source)
	    : Session(Engine::mysql, std::string(source ? "source " : "target ") + url.display), url_(url),
	      mysql_(OpenMysql(url, Who(), true)) {
		for (const std::string &statement : SessionSettings(Engine::mysql, source))
			Execute(statement, "setting up the session (" + statement + ")");
		// A target's chunk loads into disjoint key ranges take no gap locks against
		// each other under READ COMMITTED (REPEATABLE READ's next-key locks deadlock
		// a range DELETE against a neighbour's load).
		if (!source)
			Execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "setting the isolation level");
		CheckInstallation();
		if (!source)
			CheckLocalInfile();
	}

	const std::string &Namespace() const override { return url_.database; }
	std::string QuoteName(const std::string &name) const override { return cli::QuoteName(name); }

	std::vector<Row> Query(const std::string &sql, const std::vector<std::string> &params,
	                       const std::string &what) override {
		std::vector<Row> rows;
		MysqlRun(mysql_.get(), Bind(sql, params), Who(), what,
		         [&](MYSQL_ROW row, const unsigned long *lengths, unsigned fields) {
			         Row out;
			         for (unsigned i = 0; i < fields; ++i)
				         out.push_back(row[i] == nullptr
				                           ? std::nullopt
				                           : std::optional<std::string>(std::string(row[i], lengths[i])));
			         rows.push_back(std::move(out));
		         });
		return rows;
	}

	std::vector<std::string> ListTables() override {
		std::vector<std::string> tables;
		for (const Row &row :
		     Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
		           " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME",
		           {Namespace()}, "listing the tables of database " + Namespace()))
			tables.push_back(*row[0]);
		return tables;
	}

	std::string BeginSnapshot(const std::string &) override {
		Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
		        "starting the snapshot's transaction");
		return "";
	}
	// A statement's metadata locks last to the transaction's end. Without waiting, the
	// session's lock_wait_timeout is 0 for the reads (each fails at once, error 1205, when
	// its lock is not free: SET SESSION, as MySQL and MariaDB both take it; SET STATEMENT
	// is MariaDB's), then what it was before, on every way out.
	bool HoldTables(const std::vector<std::string> &tables, bool wait) override {
		if (wait) {
			for (const std::string &table : tables)
				HoldTable(table);
			return true;
		}
		const std::string what = "bounding the metadata lock waits of the snapshot's transaction";
		const std::string saved =
		    Query("SELECT @@SESSION.lock_wait_timeout", {}, what).at(0).at(0).value_or("");
		const std::string restore =
		    "SET SESSION lock_wait_timeout = " +
		    (!saved.empty() && saved.find_first_not_of("0123456789") == std::string::npos
		         ? saved
		         : std::string("DEFAULT"));
		Execute("SET SESSION lock_wait_timeout = 0", what);
		bool held = true;
		try {
			for (std::size_t i = 0; held && i < tables.size(); ++i)
				try {
					HoldTable(tables[i]);
				} catch (const Error &) {
					if (mysql_errno(mysql_.get()) != 1205)
						throw;
					held = false;
				}
		} catch (...) {
			try {
				Execute(restore, "restoring lock_wait_timeout");
			} catch (...) {
			}
			throw;
		}
		Execute(restore, "restoring lock_wait_timeout");
		return held;
	}
	void HoldTable(const std::string &table) {
		Execute("SELECT 1 FROM " + Quoted(table) + " LIMIT 0",
		        "taking the metadata lock of " + Qualified(table) + " for the snapshot's transaction");
	}
	void Begin() override { Execute("START TRANSACTION", "starting a transaction"); }
	void Commit() override { Execute("COMMIT", "committing"); }
	void Rollback() noexcept override {
		const char sql[] = "ROLLBACK";
		mysql_real_query(mysql_.get(), sql, sizeof sql - 1);
	}

	std::unique_ptr<RowReader> Read(const std::string &select_list, const std::string &table,
	                                const std::string &filter) override {
		const std::string sql =
		    "SELECT " + select_list + " FROM " + Quoted(table) + (filter.empty() ? "" : " WHERE " + filter);
		const std::string what = "reading the rows of " + Qualified(table);
		if (mysql_real_query(mysql_.get(), sql.data(), sql.size()) != 0)
			Fail(what);
		MYSQL_RES *result = mysql_use_result(mysql_.get());
		if (result == nullptr)
			Fail(what);
		return std::make_unique<MyReader>(mysql_.get(), result, Who());
	}

	std::uint64_t Load(const std::string &table, const std::vector<std::string> &columns,
	                   LineSource &lines) override {
		std::string list;
		for (const std::string &column : columns)
			list += (list.empty() ? "" : ", ") + column;
		const std::string what = "loading rows into " + Qualified(table);
		const std::string sql = "LOAD DATA LOCAL INFILE 'fingerprint-copy' INTO TABLE " + Quoted(table) +
		                        " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
		                        " LINES TERMINATED BY '\\n' (" +
		                        list + ")";
		InfileFeed feed;
		feed.lines = &lines;
		mysql_set_local_infile_handler(mysql_.get(), InfileInit, InfileRead, InfileEnd, InfileError, &feed);
		const int status = mysql_real_query(mysql_.get(), sql.data(), sql.size());
		mysql_set_local_infile_default(mysql_.get());
		if (feed.error)
			std::rethrow_exception(feed.error);
		if (status != 0) {
			// 1148 ER_NOT_ALLOWED_COMMAND, 4166 ER_LOAD_INFILE_CAPABILITY_DISABLED: local_infile
			// was turned off since the session was opened.
			if (mysql_errno(mysql_.get()) == 1148 || mysql_errno(mysql_.get()) == 4166)
				throw Error(Who() + ": " + what + " failed: " + mysql_error(mysql_.get()) + " (error " +
				            std::to_string(mysql_errno(mysql_.get())) + ")" + kLocalInfileOff);
			Fail(what);
		}
		const std::uint64_t loaded = mysql_affected_rows(mysql_.get());
		if (mysql_warning_count(mysql_.get()) > 0) {
			const std::vector<Row> warnings =
			    Query("SHOW WARNINGS LIMIT 1", {}, "reading the load's warnings");
			const std::string text = warnings.empty() || warnings[0].size() < 3 || !warnings[0][2]
			                             ? std::string("(no text)")
			                             : *warnings[0][2];
			throw Error(Who() + ": " + what + " failed: " + text +
			            " (LOAD DATA warning; the load was undone)");
		}
		return loaded;
	}
	void AppendLoadValue(std::string_view value, std::string &line) const override {
		AppendLoadDataText(value, line);
	}

	std::string Fingerprint(const std::string &table, const std::string &key,
	                        const std::string &filter) override {
		const std::string what = "fingerprinting " + Qualified(table);
		const std::string name = MysqlQuote(mysql_.get(), Qualified(table));
		if (filter.empty())
			return *Query("CALL fingerprint.table_fingerprint(" + name + ")", {}, what)[0][0];
		const std::vector<Row> rows = Query("CALL fingerprint.bucket_fingerprints_with(" + name + ", 1, " +
		                                        MysqlQuote(mysql_.get(), key) + ", NULL, NULL, " +
		                                        MysqlQuote(mysql_.get(), filter) + ", NULL)",
		                                    {}, what + " where " + filter);
		return rows.empty() ? kEmptyFingerprint : *rows[0][2];
	}

  private:
	void CheckInstallation() {
		if (Query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'fingerprint'", {},
		          "looking up the fingerprint database")
		        .empty())
			throw Error(Who() + ": the fingerprint procedures are not installed on this server (there is no"
			                    " database `fingerprint`): load sql/mysql/install.sql as an administrator");
		CheckInstalledRelease(MysqlInstalledRelease(mysql_.get(), Who()), cli::Engine::mysql, Who());
	}

	// Rows enter a MySQL/MariaDB target only through LOAD DATA LOCAL INFILE (no fallback to
	// INSERTs: a statement is bound by max_allowed_packet, a LOAD DATA stream is not, and
	// it is the faster), which the server refuses when local_infile is OFF: refused here,
	// before any table is created or emptied. (LOAD DATA LOCAL needs no FILE privilege.)
	void CheckLocalInfile() {
		const std::vector<Row> rows = Query("SELECT @@GLOBAL.local_infile", {}, "reading local_infile");
		if (!rows.empty() && rows[0][0] && (*rows[0][0] == "0" || *rows[0][0] == "OFF"))
			throw Error(Who() + kLocalInfileOff);
	}
	static constexpr const char *kLocalInfileOff =
	    ": the server's local_infile is OFF, and fingerprint copy loads rows with LOAD DATA LOCAL INFILE:"
	    " an administrator can allow it with SET GLOBAL local_infile = ON (and local_infile = 1 in the"
	    " server's configuration to keep it)";

	// Replaces each ? outside quotes by the next parameter as a string literal.
	std::string Bind(const std::string &sql, const std::vector<std::string> &params) {
		if (params.empty())
			return sql;
		std::string out;
		std::size_t next = 0;
		char quote = 0;
		for (std::size_t i = 0; i < sql.size(); ++i) {
			const char c = sql[i];
			if (quote != 0) {
				out += c;
				if (c == '\\' && quote != '`' && i + 1 < sql.size())
					out += sql[++i];
				else if (c == quote)
					quote = 0;
			} else if (c == '\'' || c == '"' || c == '`') {
				quote = c;
				out += c;
			} else if (c == '?') {
				if (next >= params.size())
					throw Error(Who() + ": a statement has more ? than parameters: " + sql);
				out += MysqlQuote(mysql_.get(), params[next++]);
			} else {
				out += c;
			}
		}
		return out;
	}

	// A deadlock or a lock wait timeout: InnoDB rolled the transaction back.
	bool Transient() {
		const unsigned error = mysql_errno(mysql_.get());
		return error == 1213 || error == 1205;
	}

	[[noreturn]] void Fail(const std::string &what) {
		if (Transient())
			throw TransientError(Who() + ": " + what + " failed: " + mysql_error(mysql_.get()) + " (error " +
			                     std::to_string(mysql_errno(mysql_.get())) + ")");
		throw Error(Who() + ": " + what + " failed: " + mysql_error(mysql_.get()) + " (error " +
		            std::to_string(mysql_errno(mysql_.get())) + ")");
	}

	ConnectionUrl url_;
	MysqlHandle mysql_;
};

} // namespace

std::unique_ptr<Session> OpenMySession(const ConnectionUrl &url, bool source) {
	return std::make_unique<MySession>(url, source);
}

} // namespace fingerprint::cli::copy
