// The client libraries' process- and thread-wide state, behind names that do not need
// their headers, so that the engine-neutral code (the diff, the options, the report)
// includes neither <mysql.h> nor <libpq-fe.h>. libpq needs no set-up; the MySQL client
// library needs mysql_library_init before any thread exists, and per-thread state on
// every thread that uses a connection (my_client.cpp implements both).
#pragma once

#include <thread>
#include <utility>

namespace fingerprint::cli {

// Held by main() for the process's life. ok() is false when the library could not start.
class ClientLibraries {
  public:
	ClientLibraries();
	~ClientLibraries();
	ClientLibraries(const ClientLibraries &) = delete;
	ClientLibraries &operator=(const ClientLibraries &) = delete;
	bool ok() const { return ok_; }

  private:
	bool ok_;
};

// Held for the life of every thread other than main's that uses a connection.
class ClientThread {
  public:
	ClientThread();
	~ClientThread();
	ClientThread(const ClientThread &) = delete;
	ClientThread &operator=(const ClientThread &) = delete;
};

// A std::thread whose body runs inside a ClientThread.
template <typename Body> std::thread StartClientThread(Body &&body) {
	return std::thread([body = std::forward<Body>(body)]() mutable {
		ClientThread client;
		body();
	});
}

} // namespace fingerprint::cli
