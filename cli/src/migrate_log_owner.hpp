// MariaDB's change log has one consumer, which deletes what it consumes. A second
// migration of a table another migration already consumes used to start (capture, copy)
// and the first then stopped for good at its next batch ("its changes are lost to this
// migration"). The log keeps its latest batch with its consumer's name
// (fingerprint.capture_batches: finish_batch removes the older ones), so a new migration
// can tell, before it enables or copies anything, that another consumer reads the log
// since capture of its tables was turned on: it is refused, naming that consumer.
#pragma once

#include "migrate_source.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli::migrate {

// MariaDB source, a new migration's first run: throws Error naming the other migration
// when the log's latest batch was taken by another migration's consumer (`migrate:NAME`)
// since capture of one of `tables` was enabled. Another kind of reader of the log is left
// to the first batch's check (Applier::Step), which stops the migration. When
// capture of a table is on but no batch names a consumer (one that started without taking
// a batch yet cannot be seen), says on standard error that a migration already consuming
// the log would be stopped by this one. PostgreSQL: nothing (a consumer per migration).
void RefuseOtherLogConsumer(Source &source, const std::vector<std::string> &tables,
                            const std::string &consumer, bool no_copy);

} // namespace fingerprint::cli::migrate
