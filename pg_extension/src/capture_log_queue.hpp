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
// seq is given when rows are written, not when the trigger fires (1.4): every queued row
// not yet numbered gets its seq, in the order the trigger fired, from one nextval per
// block of the sequence's INCREMENT values (1000 from 1.4 on; 1, i.e. one nextval per
// row, under 1.3's SQL). A row is numbered after its change was made and before its
// transaction commits, so a later change of the same row by another transaction, which
// waits for that commit, gets a larger seq (docs/capture.md, "Sequence").
//
// C-style code (guard.hpp): nothing here owns memory through a C++ destructor.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before capture_log_queue.hpp"
#endif

namespace fingerprint_pg {

// Queues one row of the change log `log` (open, RowExclusiveLock), formed from values and
// nulls (copied). Its first column, seq (bigint NOT NULL), is set to 0 in values/nulls and
// numbered from the sequence `seq_relid` just before the row is written. May write queued
// rows (ERROR on a failed write, as an insert would).
void QueueLogRow(Relation log, Oid seq_relid, Datum *values, bool *nulls);

// Installs the executor, utility and transaction hooks the queue needs (_PG_init).
void InstallCaptureLogQueue();

} // namespace fingerprint_pg
