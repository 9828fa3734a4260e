#include "stop_signal.hpp"

#include <csignal>

namespace fingerprint::cli {

namespace {

// A lock-free atomic: the one kind of object a signal handler may write.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is written by a signal handler");

extern "C" void RequestStop(int) {
	stop_requested.store(true, std::memory_order_relaxed);
}

} // namespace

void CatchStopSignals() {
	struct sigaction action {};
	action.sa_handler = RequestStop;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, nullptr);
	sigaction(SIGTERM, &action, nullptr);
}

std::atomic<bool> &StopFlag() {
	return stop_requested;
}

} // namespace fingerprint::cli
