// One database session of `fingerprint copy`, whatever the engine: catalog queries,
// statements, a source's snapshot, rows streamed out of a source and into a target, and
// the fingerprints of a table or a key range. PostgreSQL: copy_pg_session.cpp (libpq,
// COPY TO STDOUT / COPY FROM STDIN); MySQL/MariaDB: copy_my_session.cpp (mysql_use_result,
// LOAD DATA LOCAL INFILE fed from memory). A session is used by one thread at a time;
// every failure throws Error prefixed with the side and URL.
#pragma once

#include "cli_error.hpp"
#include "copy_types.hpp"
#include "url.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fingerprint::cli::copy {

// A failure another attempt may not meet (MySQL: a deadlock or a lock wait timeout):
// the transaction was rolled back, and the chunk is tried again.
class TransientError : public Error {
  public:
	using Error::Error;
};

// The rows of one SELECT, pulled one at a time. Values stay valid until the next Next().
// Destroying a reader before its end reads and drops the rest, so that the session can
// run its next statement inside the same transaction (and snapshot).
class RowReader {
  public:
	virtual ~RowReader() = default;
	virtual bool Next() = 0;
	virtual bool IsNull(std::size_t column) const = 0;
	virtual std::string_view Value(std::size_t column) const = 0;
	// Bytes of row data received so far.
	virtual std::uint64_t Bytes() const = 0;
};

// The stream a target loads, in its own bulk format (copy_text.hpp): rows ending in '\n',
// handed out in pieces that need not end at a row's end (a huge row comes in several).
class LineSource {
  public:
	virtual ~LineSource() = default;
	// Writes the next piece into `piece` (cleared first); false at the end.
	virtual bool Next(std::string &piece) = 0;
};

class Session {
  public:
	virtual ~Session() = default;
	Session(const Session &) = delete;
	Session &operator=(const Session &) = delete;

	Engine engine() const { return engine_; }
	// "source postgresql://..." : the prefix of every error message.
	const std::string &Who() const { return who_; }
	// The schema (PostgreSQL) or database (MySQL) of the URL.
	virtual const std::string &Namespace() const = 0;
	virtual std::string QuoteName(const std::string &name) const = 0;
	std::string Quoted(const std::string &table) const {
		return QuoteName(Namespace()) + "." + QuoteName(table);
	}
	// "schema.table", as a user writes it.
	std::string Qualified(const std::string &table) const { return Namespace() + "." + table; }

	// Runs one statement; parameters are $1.. (PostgreSQL) or ? (MySQL). Rows as text.
	virtual std::vector<Row> Query(const std::string &sql, const std::vector<std::string> &params,
	                               const std::string &what) = 0;
	void Execute(const std::string &sql, const std::string &what) { Query(sql, {}, what); }
	QueryRows Catalog();

	// The base tables of Namespace(), by name.
	virtual std::vector<std::string> ListTables() = 0;

	// A read-only transaction over one consistent snapshot. PostgreSQL: REPEATABLE READ;
	// with an empty import_id the snapshot is exported and its id returned, else the
	// snapshot of that id is imported. MySQL: START TRANSACTION WITH CONSISTENT SNAPSHOT
	// (import_id must be empty; returns "").
	virtual std::string BeginSnapshot(const std::string &import_id) = 0;
	// Takes, in the snapshot's transaction and before it reads them, the lock a read of
	// each of these tables takes, held to the transaction's end (as pg_dump does): a
	// TRUNCATE, ALTER TABLE or VACUUM FULL issued during the copy then waits for the whole
	// copy. Without it, such a statement queues behind one session of the copy while
	// another session of the copy queues behind it: a wait no server can see as a
	// deadlock (this client joins the two sessions), which lasts forever. With `wait`
	// false, returns false at once when a lock is not free (such a statement already
	// queues for it): the session is then of no use (PostgreSQL: its transaction
	// failed). PostgreSQL: LOCK TABLE ... IN ACCESS SHARE MODE; MySQL/MariaDB: the shared
	// metadata lock a read takes (SELECT of no row).
	virtual bool HoldTables(const std::vector<std::string> &tables, bool wait) = 0;
	// Another session of this source, in this session's snapshot, holding `table`
	// (HoldTables, without waiting), or nullptr when the engine cannot give a new session
	// the same snapshot (MySQL/MariaDB) or the lock is not free. PostgreSQL: imports the
	// snapshot BeginSnapshot exported or imported. Lets a table's fingerprint be taken
	// while this session streams the table's rows.
	virtual std::unique_ptr<Session> OpenInSnapshot(const std::string &table) {
		static_cast<void>(table);
		return nullptr;
	}
	// A read-write transaction (the target's chunk loads).
	virtual void Begin() = 0;
	virtual void Commit() = 0;
	virtual void Rollback() noexcept = 0;

	// Streams SELECT select_list FROM table [WHERE filter].
	virtual std::unique_ptr<RowReader> Read(const std::string &select_list, const std::string &table,
	                                        const std::string &filter) = 0;
	// Loads every line of `lines` into table's columns (quoted names, in the lines'
	// order); returns the rows the server loaded. An exception thrown by `lines` aborts
	// the load and is rethrown; the transaction must then be rolled back.
	virtual std::uint64_t Load(const std::string &table, const std::vector<std::string> &columns,
	                           LineSource &lines) = 0;
	// Appends a value in this engine's bulk-load format (copy_text.hpp).
	virtual void AppendLoadValue(std::string_view value, std::string &line) const = 0;

	// The table's fingerprint (all columns in ordinal order, as table_fingerprint), or
	// that of the rows where filter holds (filter non-empty; key: the table's one integer
	// key column, unquoted). kEmptyFingerprint for no rows.
	virtual std::string Fingerprint(const std::string &table, const std::string &key,
	                                const std::string &filter) = 0;

  protected:
	Session(Engine engine, std::string who) : engine_(engine), who_(std::move(who)) {}

  private:
	Engine engine_;
	std::string who_;
};

// Gives back the memory of a buffer that held a huge row (over 16 MB) once it holds a
// small one, so that one big value does not keep the process big for the rest of the run.
inline void ReleaseIfHuge(std::string &buffer) {
	if (buffer.capacity() > (std::size_t{16} << 20) && buffer.size() < buffer.capacity() / 4)
		buffer.shrink_to_fit();
}

// Takes a lock named after a target table ("schema.table") that this session holds until
// it closes, without waiting: false when another session holds it (another copy into that
// table is running). PostgreSQL: an advisory lock (per database); MySQL/MariaDB: GET_LOCK
// (per server; the name holds the database).
bool TryLockTable(Session &session, const std::string &table);
// TryLockTable, tried again for up to `seconds` (migrate: 10): a run killed a moment ago
// (kill -9) holds its lock until its server session notices the closed connection, which
// a run started at once met (as migrate's own lock, migrate_ledger.cpp). Says so on a terminal
// while it waits. False when the lock was still held after `seconds`.
bool LockTableWaiting(Session &session, const std::string &table, double seconds);
// Whether two sessions reach one database (PostgreSQL) or one server and database
// (MySQL/MariaDB), however their URLs spell it: the source takes a lock of a name only
// this process uses and the target tries to take it too.
bool SameDatabase(Session &source, Session &target);

// Opens a session; source sessions run SessionSettings(engine, true), targets (false).
// A MySQL target session may run LOAD DATA LOCAL INFILE. Checks that the fingerprint
// SQL API of this release is installed.
std::unique_ptr<Session> OpenSession(const ConnectionUrl &url, bool source);

} // namespace fingerprint::cli::copy
