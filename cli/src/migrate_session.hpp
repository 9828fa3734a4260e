// One read-write SQL session of `fingerprint migrate`, on either engine: the source (the
// capture consumer) or the target (the apply transactions and the ledger). Statements
// are plain SQL text, results come back as text (NULL = nullopt), so the engine-neutral
// migration code includes neither <libpq-fe.h> nor <mysql.h>. PostgreSQL sessions run
// with bytea_output = hex and TimeZone UTC; MySQL sessions with time_zone +00:00, utf8mb4
// and a strict sql_mode (a value the target cannot hold is an error, never truncated).
#pragma once

#include "copy_types.hpp"
#include "url.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fingerprint::cli::migrate {

using Value = std::optional<std::string>;

// A column value as text, NULL as "".
inline std::string Text(const Value &value) {
	return value ? *value : std::string();
}
using Row = std::vector<Value>;
// A row as QueryEach hands it out: views into the client library's buffers (NULL =
// nullopt), valid only during the visit.
using RowView = std::vector<std::optional<std::string_view>>;
using RowVisitor = std::function<void(const RowView &row)>;

class Session {
  public:
	virtual ~Session() = default;
	Engine engine() const { return engine_; }
	// "source postgresql://..." / "target mysql://...": the prefix of every error.
	const std::string &who() const { return who_; }
	// The schema (PostgreSQL) or database (MySQL) of the URL.
	const std::string &Namespace() const { return namespace_; }

	// Runs one statement; the rows of its (first) result. Throws Error "<who>: <what>
	// failed: <server message>".
	virtual std::vector<Row> Query(const std::string &sql, const std::string &what) = 0;
	void Exec(const std::string &sql, const std::string &what) { Query(sql, what); }
	// Runs one statement and hands each row of its (first) result to `visit` without
	// copying it into a Row. With `binary_types` (PostgreSQL only: one type OID per
	// column) the result comes in PostgreSQL's binary format (bytea as its bytes, no hex
	// text to decode; integers and timestamps big-endian) and each column's type is
	// checked first, so a changed column type is an error naming the column, never
	// misread. Otherwise text, as Query. Throws Error like Query.
	virtual void QueryEach(const std::string &sql, const std::string &what, const RowVisitor &visit,
	                       const std::vector<unsigned> &binary_types = {});
	// During QueryEach's visits: the rows of the result visited, when the engine knows
	// them before the first visit (PostgreSQL), so a visitor can reserve; else 0.
	std::size_t RowsVisited() const { return rows_visited_; }
	// PostgreSQL only: one `COPY ... FROM STDIN` whose data is sent piece by piece as the
	// caller makes it (CopyStart, CopyData..., CopyEnd), so that the server parses one
	// piece while the next is built. CopyEnd with `abandon` (a reason) ends a COPY the
	// caller gives up on (its rows are discarded; the transaction is then aborted, to be
	// rolled back by the caller) and never throws. Throws Error like Query.
	virtual void CopyStart(const std::string &copy_sql, const std::string &what);
	virtual void CopyData(const std::string &data, const std::string &what);
	virtual void CopyEnd(const std::string &what, const char *abandon = nullptr);
	// The first column of the first row; nullopt when there is no row or it is NULL.
	Value QueryValue(const std::string &sql, const std::string &what);

	// 'text' as a string literal of this engine.
	virtual std::string Literal(const std::string &text) const = 0;
	// An identifier, quoted ("x" / `x`).
	std::string Name(const std::string &name) const;
	// schema.table, both quoted.
	std::string Qualified(const std::string &table) const { return Name(namespace_) + "." + Name(table); }

  protected:
	Session(Engine engine, std::string who, std::string name_space)
	    : engine_(engine), who_(std::move(who)), namespace_(std::move(name_space)) {}

  protected:
	std::size_t rows_visited_ = 0;

  private:
	Engine engine_;
	std::string who_;
	std::string namespace_;
};

// The session as copy's catalog readers query it (copy_types.hpp QueryRows), so that a
// table is described by the same code in copy and migrate. Parameters ($1 / ?) are sent
// as literals of the session's engine.
copy::QueryRows CatalogQueries(Session &session);

// side: "source" or "target".
std::unique_ptr<Session> OpenSession(const ConnectionUrl &url, const std::string &side);
std::unique_ptr<Session> OpenPostgresSession(const ConnectionUrl &url, const std::string &who);
std::unique_ptr<Session> OpenMysqlSession(const ConnectionUrl &url, const std::string &who);

// "\x00ff" (PostgreSQL's hex bytea text) or plain hex -> bytes. Throws Error on bad hex.
std::string DecodeHex(const std::string &text);
std::string EncodeHex(const std::string &bytes);

} // namespace fingerprint::cli::migrate
