// `fingerprint migrate` and `fingerprint status` (docs/migrate.md).
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

// A first run stopped by SIGINT/SIGTERM before its migration started (during the copy):
// nothing applied, what it turned on at the source undone; the same command starts again.
constexpr int kMigrateStoppedBeforeStart = 3;

// Exit status: 0 caught up (or stopped on a signal at a batch boundary) with every table
// proven, 1 when a table stopped, 2 on an error (thrown as Error),
// kMigrateStoppedBeforeStart (3) when stopped by a signal before the migration started.
int RunMigrate(const MigrateCommand &command);
// Exit status: 0 every table applying and proven, 1 when a table stopped.
int RunStatus(const StatusCommand &command);

} // namespace fingerprint::cli
