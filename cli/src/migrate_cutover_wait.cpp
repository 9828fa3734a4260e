// Waiting for the writes to stop before a cutover (migrate_cutover_wait.hpp).
#include "migrate_cutover_wait.hpp"

#include <chrono>
#include <cstdio>
#include <thread>
#include <unistd.h>

namespace fingerprint::cli::migrate {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration duration) {
	return std::chrono::duration<double>(duration).count();
}

// How often the wait says that changes are still arriving.
constexpr double kProgressEverySeconds = 5.0;

void SayWaiting(const MigrateCommand &command, std::size_t changes, double window, double waited) {
	const double rate = window > 0 ? static_cast<double>(changes) / window : 0;
	if (command.json) {
		std::printf("{\"cutover_waiting\":true,\"changes\":%zu,\"changes_per_second\":%.1f,"
		            "\"waited_seconds\":%.1f,\"timeout_seconds\":%.1f}\n",
		            changes, rate, waited, command.cutover_timeout_seconds);
		std::fflush(stdout);
		return;
	}
	std::fprintf(stderr,
	             "cutover: waiting for the writes to stop: %zu change(s) in the last %.0f s (%.1f/s),"
	             " waited %.0f s of --cutover-timeout %.0f s\n",
	             changes, window, rate, waited, command.cutover_timeout_seconds);
}

void SayGaveUp(const MigrateCommand &command, std::size_t changes, double waited) {
	if (command.json) {
		std::printf("{\"result\":\"writes go on\",\"changes\":%zu,\"waited_seconds\":%.1f}\n", changes,
		            waited);
		std::fflush(stdout);
	}
	std::fprintf(
	    stderr,
	    "fingerprint: the writes have not stopped: changes kept arriving for %.0f s (--cutover-timeout;"
	    " %zu applied meanwhile, no %.1f s without one as --quiet asks); nothing was switched: the"
	    " changes were applied and proven as by any run and the migration goes on. Stop the"
	    " application's writes, then run --cutover again\n",
	    waited, changes, command.quiet_seconds);
}

} // namespace

bool WaitForQuiet(const MigrateCommand &command, Applier &applier, BatchReport &report,
                  std::vector<TableRun> &runs, const std::atomic<bool> &stop_requested) {
	const auto started = Clock::now();
	auto last_change = started, last_said = started;
	std::size_t changes = 0, since_said = 0;
	while (!stop_requested) {
		const auto now = Clock::now();
		if (Seconds(now - started) >= command.cutover_timeout_seconds) {
			SayGaveUp(command, changes, Seconds(now - started));
			return false;
		}
		if (Seconds(now - last_said) >= kProgressEverySeconds) {
			if (since_said > 0)
				SayWaiting(command, since_said, Seconds(now - last_said), Seconds(now - started));
			last_said = now;
			since_said = 0;
		}
		const BatchStep step = applier.Step(command.batch_changes);
		if (step.had_batch) {
			report.Batch(step, runs);
			if (step.changes > 0) {
				last_change = Clock::now();
				changes += step.changes;
				since_said += step.changes;
			}
			continue;
		}
		if (Seconds(Clock::now() - last_change) >= command.quiet_seconds)
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
	return false;
}

} // namespace fingerprint::cli::migrate
