#include "migrate_catch_up.hpp"

#include <cstdlib>
#include <utility>

namespace fingerprint::cli::migrate {

CatchUpMark::CatchUpMark(Source &source, std::string consumer)
    : source_(source), consumer_(std::move(consumer)) {
	Session &session = source.session();
	if (session.engine() == Engine::postgresql) {
		const std::vector<Row> rows =
		    session.Query("SELECT pg_catalog.pg_current_snapshot()::text,"
		                  " to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
		                  "reading the source's snapshot where this run catches up to");
		snapshot_ = Text(rows.at(0).at(0));
		time_ = Text(rows.at(0).at(1)) + " UTC";
		return;
	}
	const std::vector<Row> rows =
	    session.Query("SELECT COALESCE(MAX(seq), 0), DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')"
	                  " FROM fingerprint.change_log",
	                  "reading the log's position where this run catches up to");
	seq_ = std::strtoull(Text(rows.at(0).at(0)).c_str(), nullptr, 10);
	time_ = Text(rows.at(0).at(1)) + " UTC";
}

bool CatchUpMark::Reached() {
	Session &session = source_.session();
	if (session.engine() != Engine::postgresql)
		return !source_.HoldsChangesUpTo(seq_);
	// Every transaction the mark saw committed (visible in it) is visible in the last
	// batch's snapshot: that snapshot's xmax is not below the mark's and none of them is
	// still in progress in it. (An xmax compare alone is not enough: a snapshot taken
	// before the mark can have the same xmax and miss a transaction that committed
	// between the two.)
	const std::string mark = session.Literal(snapshot_) + "::pg_snapshot";
	return session
	    .QueryValue("SELECT 1 FROM fingerprint.consumers k WHERE k.consumer = " + session.Literal(consumer_) +
	                    " AND pg_catalog.pg_snapshot_xmax(k.last_snapshot) >= pg_catalog.pg_snapshot_xmax(" +
	                    mark +
	                    ") AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_snapshot_xip(k.last_snapshot) x"
	                    " WHERE pg_catalog.pg_visible_in_snapshot(x, " +
	                    mark + "))",
	                "reading whether the consumer caught up to the run's start")
	    .has_value();
}

} // namespace fingerprint::cli::migrate
