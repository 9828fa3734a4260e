// SIGINT and SIGTERM as a request to stop at the next safe point, for the commands that
// must not be cut in the middle of a step (docs/migrate.md "Stopping a run"): migrate
// stops at a batch boundary, and the copy it runs at a chunk boundary (the chunk in
// flight rolled back). `fingerprint copy` alone keeps the default action: killed, it is
// resumed from its progress table.
#pragma once

#include "cli_error.hpp"

#include <atomic>

namespace fingerprint::cli {

// Installs handlers for SIGINT and SIGTERM that only set the flag below.
void CatchStopSignals();

// Set by SIGINT or SIGTERM once CatchStopSignals ran; never set without it.
std::atomic<bool> &StopFlag();

inline bool StopRequested() {
	return StopFlag().load(std::memory_order_relaxed);
}

// Thrown where a stop request cuts a step short (a copy's chunk, rolled back): what it
// did is undone, nothing half-done is recorded.
class Interrupted : public Error {
  public:
	explicit Interrupted(const std::string &message) : Error(message) {}
};

} // namespace fingerprint::cli
