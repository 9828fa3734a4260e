// What every copy session shares, whatever the engine.
#include "copy_session.hpp"

#include "retry_until.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace fingerprint::cli::copy {

std::unique_ptr<Session> OpenPgSession(const ConnectionUrl &url, bool source);
std::unique_ptr<Session> OpenMySession(const ConnectionUrl &url, bool source);

QueryRows Session::Catalog() {
	return [this](const std::string &sql, const std::vector<std::string> &params) {
		return Query(sql, params, "reading the catalog");
	};
}

bool TryLockTable(Session &session, const std::string &table) {
	const std::string name = "fingerprint copy into " + table;
	const std::string what = "locking " + table + " for this copy";
	const std::vector<Row> rows =
	    session.engine() == Engine::postgresql
	        ? session.Query("SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended($1, 0))",
	                        {name}, what)
	        : session.Query("SELECT GET_LOCK(CONCAT('fingerprint copy ', MD5(?)), 0)", {name}, what);
	return !rows.empty() && rows[0][0] && (*rows[0][0] == "t" || *rows[0][0] == "1");
}

bool LockTableWaiting(Session &session, const std::string &table, double seconds) {
	return RetryUntil(
	    seconds, std::chrono::milliseconds(100), [&] { return TryLockTable(session, table); },
	    [&] {
		    if (isatty(STDERR_FILENO) != 0)
			    std::fprintf(stderr,
			                 "waiting up to %.0f s for the copy lock of %s (held by another copy, or by the"
			                 " server session of one killed a moment ago)\n",
			                 seconds, table.c_str());
	    });
}

bool SameDatabase(Session &source, Session &target) {
	if (source.engine() != target.engine())
		return false;
	// A name no other process uses: this process's id and the time.
	const std::string name = "fingerprint copy identity " + std::to_string(getpid()) + " " +
	                         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
	const bool pg = source.engine() == Engine::postgresql;
	const std::string take = pg ? "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended($1, 0))"
	                            : "SELECT GET_LOCK(CONCAT('fingerprint copy ', MD5(?)), 0)";
	const std::string give = pg ? "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended($1, 0))"
	                            : "SELECT RELEASE_LOCK(CONCAT('fingerprint copy ', MD5(?)))";
	const auto taken = [](const std::vector<Row> &rows) {
		return !rows.empty() && rows[0][0] && (*rows[0][0] == "t" || *rows[0][0] == "1");
	};
	if (!taken(source.Query(take, {name}, "comparing the source's server with the target's")))
		return false; // cannot tell: the URL check stands alone
	const bool target_took =
	    taken(target.Query(take, {name}, "comparing the target's server with the source's"));
	if (target_took)
		target.Query(give, {name}, "comparing the target's server with the source's");
	source.Query(give, {name}, "comparing the source's server with the target's");
	// PostgreSQL's advisory locks are per database, MySQL's per server.
	return !target_took && (pg || source.Namespace() == target.Namespace());
}

std::unique_ptr<Session> OpenSession(const ConnectionUrl &url, bool source) {
	if (url.engine == cli::Engine::postgresql)
		return OpenPgSession(url, source);
	return OpenMySession(url, source);
}

} // namespace fingerprint::cli::copy
