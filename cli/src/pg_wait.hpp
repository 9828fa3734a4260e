// Every wait on a PostgreSQL server, for diff's, copy's and migrate's sessions alike,
// bounded by --timeout: a server that stopped answering without closing the connection
// (SIGSTOP, a frozen host) would otherwise hang the tool for ever (dead_peer.hpp says why
// keepalives alone do not find it).
//
// Statements are sent with PQsendQuery*, COPY data with PQputCopyData on a non-blocking
// connection, and the tool then polls the socket until the deadline: --timeout plus
// kTimeoutGraceSeconds (the server ends the statement itself at --timeout and says so;
// the grace covers the time it takes to say it). A server silent past the deadline is
// given up: the connection is closed (so no later statement waits on it either) and Error
// names the side, the statement's purpose and "no answer from the server within N s".
// Without --timeout (0) every wait is unbounded, as libpq's blocking calls are.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

namespace fingerprint::cli {

struct PgResultDeleter {
	void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// One connection and the deadline its waits keep. conn is null once closed (after a
// timeout): every later call then throws at once.
struct PgLink {
	PGconn *conn = nullptr;
	unsigned timeout = 0;  // --timeout seconds; 0: wait for ever
	std::string who;       // "source postgresql://..." and the like, for messages
	std::string closed_by; // why Close() was called after a wait, for every later message

	PgLink() = default;
	PgLink(const PgLink &) = delete;
	PgLink &operator=(const PgLink &) = delete;
	~PgLink();
	// Puts the connection in non-blocking mode (COPY data never blocks in libpq).
	void Adopt(PGconn *opened);
	void Close() noexcept;
};

// Sends sql (params as text, SQL NULL for a null pointer; results in result_format, 0 text
// or 1 binary) and collects its results as PQexec would (what an earlier statement left
// unread is collected first): an error wins, else the last result; a COPY result at once.
// Null only when the connection broke (PQerrorMessage says why). Throws Error after
// closing the connection when the deadline passes.
PgResult PgRun(PgLink &link, const std::string &sql, const std::vector<const char *> &params,
               int result_format, const std::string &what);

// The next result of the statement under way (after PQputCopyEnd, or the end of a COPY
// TO STDOUT), or null when there is none left; waits as PgRun does.
PgResult PgNextResult(PgLink &link, const std::string &what);

// COPY TO STDOUT: as PQgetCopyData (a row's length with *buffer set, -1 at the end, -2
// on error), waiting at most the deadline for each row.
int PgGetCopyData(PgLink &link, char **buffer, const std::string &what);

// COPY FROM STDIN: as PQputCopyData / PQputCopyEnd (1 or -1), then waits until libpq has
// handed everything to the kernel, at most the deadline.
int PgPutCopyData(PgLink &link, const char *data, std::size_t size, const std::string &what);
int PgPutCopyEnd(PgLink &link, const char *abandon, const std::string &what);

// Whether a statement succeeded (rows or a command); a null result did not.
bool PgSucceeded(const PGresult *result);

// Why a statement failed, on one line: its result's error, else the connection's (a
// null result: the connection broke).
std::string PgFailure(const PgLink &link, const PGresult *result);

// The Error of a statement on a closed link: "<who>: <what> failed: the connection was
// closed after an earlier statement: no answer from the server within N s ...", so that the
// cause shows even when the first error was caught and dropped on the way.
[[noreturn]] void PgThrowClosed(const PgLink &link, const std::string &what);

} // namespace fingerprint::cli
