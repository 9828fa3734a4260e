// The first step of `fingerprint migrate --cutover`: apply batches until the application's
// writes have stopped (no change for --quiet seconds), for at most --cutover-timeout
// seconds. Before, the wait had no bound: under writes that never stopped it waited for
// ever, and off a terminal it said nothing after its start line. While it waits it says,
// every few seconds, that changes are still arriving and how fast (standard error, or a
// JSON line with --json).
#pragma once

#include "migrate_apply.hpp"
#include "migrate_report.hpp"
#include "options.hpp"

#include <atomic>

namespace fingerprint::cli::migrate {

// The exit status of a cutover that gave up because the writes did not stop.
constexpr int kCutoverWritesGoOn = 4;

// True once no change arrived for --quiet seconds; false when --cutover-timeout passed
// first (having said so on standard error, and in --json as {"result":"writes go on",...}:
// nothing was switched) or a stop was requested.
bool WaitForQuiet(const MigrateCommand &command, Applier &applier, BatchReport &report,
                  std::vector<TableRun> &runs, const std::atomic<bool> &stop_requested);

} // namespace fingerprint::cli::migrate
