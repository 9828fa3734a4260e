// `fingerprint migrate` and `fingerprint status` (docs/migrate.md).
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

// Exit status: 0 caught up (or stopped on a signal) with every table proven, 1 when a
// table stopped, 2 on an error (thrown as Error).
int RunMigrate(const MigrateCommand &command);
// Exit status: 0 every table applying and proven, 1 when a table stopped.
int RunStatus(const StatusCommand &command);

} // namespace fingerprint::cli
