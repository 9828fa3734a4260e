// The capture trigger's log rows, queued per (sub)transaction and written to
// fingerprint.change_log in batches (heap_multi_insert) instead of one heap and index
// insert per captured row (docs/capture.md, "What the trigger does, and what it costs").
//
// A queued row is written
//   - when the statement that fired the trigger ends: the end of the enclosing
//     ExecutorFinish (every INSERT/UPDATE/DELETE/MERGE, also inside functions) or
//     ProcessUtility (COPY FROM, TRUNCATE) call, which have run its after-trigger queue;
//   - before any utility statement starts, when 1,000 rows of the current subtransaction
//     are queued, and at PRE_COMMIT / PRE_PREPARE (a backstop: nothing should be left);
//   - at once, when no such call encloses the trigger (the library was loaded by this
//     very trigger call, a logical replication apply worker).
// Rows are written under the subtransaction that queued them: a subtransaction's rows
// move to its parent when it commits and are discarded when it aborts, with it. So a
// queued row is written exactly once, or never when its (sub)transaction rolls back.
//
// C-style code (guard.hpp): nothing here owns memory through a C++ destructor.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before capture_log_queue.hpp"
#endif

namespace fingerprint_pg {

// Queues one row of the change log `log` (open, RowExclusiveLock), formed from values and
// nulls (copied). May write queued rows (ERROR on a failed write, as an insert would).
void QueueLogRow(Relation log, const Datum *values, const bool *nulls);

// Installs the executor, utility and transaction hooks the queue needs (_PG_init).
void InstallCaptureLogQueue();

} // namespace fingerprint_pg
