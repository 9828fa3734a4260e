#include "pg_wait.hpp"

#include "cli_error.hpp"
#include "dead_peer.hpp"
#include "pg_one_line.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace fingerprint::cli {

namespace {

using Clock = std::chrono::steady_clock;

Clock::time_point Deadline(const PgLink &link) {
	return Clock::now() + std::chrono::seconds(link.timeout + kTimeoutGraceSeconds);
}

// Closes the connection rather than sending a cancel request: PQcancel itself waits for
// an answer from the postmaster, which may be frozen too. A backend that wakes up finds
// its client gone and rolls its transaction back.
[[noreturn]] void GiveUp(PgLink &link, const std::string &what) {
	link.Close();
	link.closed_by = "no answer from the server within " +
	                 std::to_string(link.timeout + kTimeoutGraceSeconds) + " s (--timeout " +
	                 std::to_string(link.timeout) + ")";
	throw Error(link.who + ": " + what + " failed: " + link.closed_by +
	            ": it is frozen, stopped or cut off; the connection was closed");
}

// Waits until the socket is ready for events; the events that are ready. Gives up at the
// deadline (only with --timeout).
short WaitSocket(PgLink &link, short events, Clock::time_point deadline, const std::string &what) {
	for (;;) {
		const long long left =
		    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
		pollfd socket{PQsocket(link.conn), events, 0};
		const int ready =
		    poll(&socket, 1, link.timeout > 0 ? static_cast<int>(std::max<long long>(left, 0)) : -1);
		if (ready > 0)
			return socket.revents;
		if (ready == 0)
			GiveUp(link, what);
		if (errno != EINTR) {
			link.Close();
			link.closed_by = std::string("waiting for the server failed: ") + std::strerror(errno);
			throw Error(link.who + ": " + what + " failed: " + link.closed_by);
		}
	}
}

// Hands libpq's output buffer to the kernel. A broken connection is left for the next
// read to report.
void Flush(PgLink &link, Clock::time_point deadline, const std::string &what) {
	while (PQflush(link.conn) == 1)
		if ((WaitSocket(link, POLLIN | POLLOUT, deadline, what) & POLLIN) != 0 &&
		    PQconsumeInput(link.conn) == 0)
			return;
}

// Reads until a result is ready or the connection broke (then PQgetResult returns its
// error without waiting: libpq has dropped the socket).
void AwaitInput(PgLink &link, Clock::time_point deadline, const std::string &what) {
	while (PQisBusy(link.conn)) {
		WaitSocket(link, POLLIN, deadline, what);
		if (PQconsumeInput(link.conn) == 0)
			return;
	}
}

bool IsCopy(const PGresult *result) {
	const ExecStatusType status = PQresultStatus(result);
	return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

// Collects what an earlier statement left unread (its last results after an error was
// thrown on the first), as PQexec does before sending: else libpq refuses the next
// statement ("another command is already in progress"). A COPY FROM STDIN still open is
// ended as failed.
void Drain(PgLink &link, Clock::time_point deadline, const std::string &what) {
	for (;;) {
		AwaitInput(link, deadline, what);
		PGresult *left = PQgetResult(link.conn);
		if (left == nullptr)
			return;
		const ExecStatusType status = PQresultStatus(left);
		PQclear(left);
		if (status == PGRES_COPY_IN) {
			if (PQputCopyEnd(link.conn, "ended by the next statement") != 1)
				return;
			Flush(link, deadline, what);
		} else if (status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
			return; // the send reports it
		}
	}
}

} // namespace

PgLink::~PgLink() {
	Close();
}

void PgLink::Adopt(PGconn *opened) {
	Close();
	conn = opened;
	if (conn != nullptr && PQstatus(conn) == CONNECTION_OK)
		PQsetnonblocking(conn, 1);
}

void PgLink::Close() noexcept {
	if (conn != nullptr)
		PQfinish(conn);
	conn = nullptr;
}

bool PgSucceeded(const PGresult *result) {
	const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
	return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
}

std::string PgFailure(const PgLink &link, const PGresult *result) {
	std::string message =
	    PgOneLine(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(link.conn));
	return message.empty() ? PgOneLine(PQerrorMessage(link.conn)) : message;
}

void PgThrowClosed(const PgLink &link, const std::string &what) {
	throw Error(link.who + ": " + what +
	            " failed: the connection was closed after an earlier statement: " + link.closed_by);
}

PgResult PgRun(PgLink &link, const std::string &sql, const std::vector<const char *> &params,
               int result_format, const std::string &what) {
	if (link.conn == nullptr)
		PgThrowClosed(link, what);
	const Clock::time_point deadline = Deadline(link);
	Drain(link, deadline, what);
	// The simple protocol (as PQexec) when it will do: it also takes several statements.
	const int sent = params.empty() && result_format == 0
	                     ? PQsendQuery(link.conn, sql.c_str())
	                     : PQsendQueryParams(link.conn, sql.c_str(), static_cast<int>(params.size()), nullptr,
	                                         params.data(), nullptr, nullptr, result_format);
	if (sent == 0)
		return nullptr;
	Flush(link, deadline, what);
	PgResult kept;
	for (;;) {
		AwaitInput(link, deadline, what);
		PGresult *next = PQgetResult(link.conn);
		if (next == nullptr)
			return kept;
		if (IsCopy(next))
			return PgResult(next);
		if (!kept || !PgSucceeded(next) || PgSucceeded(kept.get()))
			kept.reset(next);
		else
			PQclear(next);
	}
}

PgResult PgNextResult(PgLink &link, const std::string &what) {
	if (link.conn == nullptr)
		PgThrowClosed(link, what);
	AwaitInput(link, Deadline(link), what);
	return PgResult(PQgetResult(link.conn));
}

int PgGetCopyData(PgLink &link, char **buffer, const std::string &what) {
	if (link.conn == nullptr)
		PgThrowClosed(link, what);
	const Clock::time_point deadline = Deadline(link);
	for (;;) {
		const int length = PQgetCopyData(link.conn, buffer, 1);
		if (length != 0)
			return length;
		WaitSocket(link, POLLIN, deadline, what);
		if (PQconsumeInput(link.conn) == 0)
			return -2;
	}
}

int PgPutCopyData(PgLink &link, const char *data, std::size_t size, const std::string &what) {
	if (link.conn == nullptr)
		PgThrowClosed(link, what);
	if (PQputCopyData(link.conn, data, static_cast<int>(size)) != 1)
		return -1;
	Flush(link, Deadline(link), what);
	return 1;
}

int PgPutCopyEnd(PgLink &link, const char *abandon, const std::string &what) {
	if (link.conn == nullptr)
		PgThrowClosed(link, what);
	if (PQputCopyEnd(link.conn, abandon) != 1)
		return -1;
	Flush(link, Deadline(link), what);
	return 1;
}

} // namespace fingerprint::cli
