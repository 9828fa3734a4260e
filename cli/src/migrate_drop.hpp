// `fingerprint migrate SOURCE TARGET --name N --drop [--disable-capture] [--json]`
// (docs/migrate.md "Dropping a migration"): forgets a migration that was abandoned or
// cut over. Refused while it runs (its lock on the target). On the source, its consumer
// is unregistered (PostgreSQL; a consumer left registered holds fingerprint.cleanup back
// for ever) or its open batch finished (MariaDB; an open batch blocks every other
// consumer of the log); with --disable-capture, capture is turned off for its tables that
// no other registered consumer or migration reads. On the target, its ledger rows are
// removed, and the ledger itself when no migration is left in it. A side that cannot be
// reached is named with what it still holds; other migrations are never touched.
#pragma once

#include "options.hpp"

namespace fingerprint::cli {

// Exit status: 0 everything found was dropped; 2 on an error or when a part could not be
// done (each named on standard error, and in --json under "not_done").
int RunMigrateDrop(const MigrateCommand &command);

} // namespace fingerprint::cli
