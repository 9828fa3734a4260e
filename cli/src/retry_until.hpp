// Trying a lock that another session may hold for a moment (a run killed a moment ago
// holds its server-side locks until its server session notices the closed connection).
#pragma once

#include <chrono>
#include <thread>

namespace fingerprint::cli {

// Calls attempt() until it returns true (then true), every `step`, for up to `seconds`
// from now (then false). on_first_wait() runs once, before the first wait.
template <typename Attempt, typename OnFirstWait>
bool RetryUntil(double seconds, std::chrono::milliseconds step, Attempt attempt, OnFirstWait on_first_wait) {
	const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
	for (bool waited = false; !attempt(); waited = true) {
		if (std::chrono::steady_clock::now() >= until)
			return false;
		if (!waited)
			on_first_wait();
		std::this_thread::sleep_for(step);
	}
	return true;
}

template <typename Attempt> bool RetryUntil(double seconds, std::chrono::milliseconds step, Attempt attempt) {
	return RetryUntil(seconds, step, attempt, [] {});
}

} // namespace fingerprint::cli
