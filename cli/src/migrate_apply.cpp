#include "migrate_apply.hpp"

#include "apply_multiset.hpp"
#include "log_seqs.hpp"
#include "migrate_mismatch.hpp"
#include "migrate_renames.hpp"
#include "test_hooks.hpp"

#include "cli_error.hpp"

#include <fingerprint/change.hpp>
#include <fingerprint/printable.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

namespace fingerprint::cli::migrate {

namespace {

using Clock = std::chrono::steady_clock;

// The test seam of tests/migrate (kill scenario): FINGERPRINT_MIGRATE_TEST_CRASH names a
// point of the first batch with changes (mid_apply: rows written, not committed;
// after_commit: committed on the target, not finished on the source) where the process
// kills itself with SIGKILL, as a crash or `kill -9` would. Unset, it does nothing.
void CrashForTestAt(const char *point) {
	const char *wanted = std::getenv("FINGERPRINT_MIGRATE_TEST_CRASH");
	if (wanted != nullptr && std::strcmp(wanted, point) == 0)
		std::raise(SIGKILL);
}

// The test seam of tests/migrate/migrate_test.py (failclosed onto MariaDB), for tests
// only (inert unless both are set): FINGERPRINT_MIGRATE_TEST_WRITTEN_TABLE names a target
// table as the migration names it, FINGERPRINT_MIGRATE_TEST_WRITTEN_SQL a statement run on
// the target right after that table's INSERT ... RETURNING, with {table} standing for its
// name; the rows written are then read back by key instead of taken from the RETURNING,
// as if the target had stored them so. MariaDB's apply lets no trigger change a row it
// stores (migrate_target_hooks.hpp), so this is how a test makes a row read back other
// than the log says, and the proof must name its column and both values.
std::string WrittenSqlForTest(const std::string &table) {
	return SqlForTest("FINGERPRINT_MIGRATE_TEST_WRITTEN_TABLE", "FINGERPRINT_MIGRATE_TEST_WRITTEN_SQL", table,
	                  "{table}", table);
}

double Since(Clock::time_point start) {
	return std::chrono::duration<double>(Clock::now() - start).count();
}

void AddRow(AggregateState &state, const std::string &fingerprint, bool subtract, const std::string &what) {
	Algorithm algorithm;
	Digest128 digest;
	if (ParseRowFingerprint(fingerprint, &algorithm, &digest) != Status::ok || algorithm != kDefaultAlgorithm)
		throw TableStop(what + ": unreadable row fingerprint '" + fingerprint + "'");
	if (subtract)
		AggregateSubtract(&state, digest);
	else
		AggregateAdd(&state, digest);
}

} // namespace

AggregateState ParseTableState(const std::string &text, const std::string &what) {
	AggregateState state;
	if (ParseTableFingerprint(text, &state) != Status::ok)
		throw Error(what + ": unreadable table fingerprint '" + text + "'");
	return state;
}

std::string FormatTableState(const AggregateState &state) {
	char text[kMaxPrintableLength];
	return std::string(text, FormatTableFingerprint(state, text));
}

void Applier::Transaction(const char *statement) {
	target_.Exec(statement, std::string("the apply transaction (") + statement + ")");
}

namespace {

// The stop of a failed write; a unique conflict is named as such.
TableStop WriteFailed(const Error &error, const std::string &where) {
	const std::string text = error.what();
	const bool unique = text.find("Duplicate entry") != std::string::npos ||
	                    text.find("duplicate key value") != std::string::npos;
	return TableStop(where + ": " +
	                 (unique ? "unique conflict on the target (never resolved by overwriting): " : "") +
	                 text);
}

// Inserts the plan's final rows (every touched key's row is gone by then) and returns
// their fingerprints as the target stored them when the INSERT can say (MariaDB's
// RETURNING; empty on PostgreSQL, read back by the caller).
RowsByKey InsertFinalRows(TargetTable &target, const FinalRows &final_rows, const std::string &where) {
	std::vector<std::string_view> images; // views of the batch's changes
	images.reserve(final_rows.rows.size());
	for (const RowState *row : final_rows.rows)
		images.push_back(row->image);
	RowsByKey stored;
	try {
		target.InsertRows(images, &final_rows.keys, &stored);
	} catch (const TableStop &) {
		throw;
	} catch (const Error &error) {
		throw WriteFailed(error, where);
	}
	if (!images.empty())
		CrashForTestAt("mid_apply");
	return stored;
}

// The aggregate of the final rows' fingerprints, each parsed once; false when one is
// unreadable (the rows are then read back, and CheckReadBack names the key).
bool AggregateOf(const std::vector<const RowState *> &rows, AggregateState &state) {
	AggregateInit(&state, kDefaultAlgorithm);
	for (const RowState *row : rows) {
		Algorithm algorithm;
		Digest128 digest;
		if (ParseRowFingerprint(row->fingerprint, &algorithm, &digest) != Status::ok ||
		    algorithm != kDefaultAlgorithm)
			return false;
		AggregateAdd(&state, digest);
	}
	return true;
}

// PostgreSQL's rows written, proven by TargetTable::WrittenAsExpected (the aggregate
// fingerprint its INSERT from the staging table returned, or the rows COPY wrote read back
// by key): a row fingerprint covers every column, the key included, so the rows written
// are the rows the log leads to exactly when their fingerprints are the log's final ones,
// as a multiset (none missing, none twice). Then every touched key holds the log's final
// state, which is what CheckReadBack would find over those rows, and `written` is their
// aggregate. Any difference reads the rows again by key (returned, for CheckReadBack to
// name the key and the column).
std::optional<RowsByKey> ProveWritten(TargetTable &target, const FinalRows &final_rows,
                                      AggregateState &written) {
	if (AggregateOf(final_rows.rows, written) &&
	    target.WrittenAsExpected(final_rows.keys, written, final_rows.rows))
		return std::nullopt;
	return target.ReadRows(final_rows.keys);
}

// The rows written: every touched key holds the log's final state (its row as the
// target stored it, from the INSERT or read back; a deleted key absent); else the first
// differing column and both values are named.
void CheckReadBack(TargetTable &target, const TablePlan &plan, const RowsByKey &after,
                   const std::string &where) {
	// First without a lookup per key of the plan: every key present at the end found in
	// `after` with the log's fingerprint, and `after` no larger than that (it holds rows of
	// keys written or read back, so then no key the batch leaves absent is in it). Only a
	// difference walks the keys in the batch's order, to name the first.
	std::size_t present_rows = 0;
	bool same = true;
	for (const auto &row : plan.last) {
		if (!row.second.present)
			continue;
		++present_rows;
		const auto found = after.find(row.first);
		if (found == after.end() || found->second.fingerprint != row.second.fingerprint) {
			same = false;
			break;
		}
	}
	if (same && present_rows == after.size())
		return;
	for (const std::string &key : plan.keys) {
		const RowState &expected = plan.last.at(key);
		const auto found = after.find(key);
		const bool present = found != after.end();
		if (present == expected.present && (!present || found->second.fingerprint == expected.fingerprint))
			continue;
		const std::string why = !expected.present ? "the row should be gone and is still there"
		                        : !present        ? "the row is missing"
		                                   : target.Explain(key, expected.image) + " (row fingerprint " +
		                                         found->second.fingerprint + ", the log's " +
		                                         expected.fingerprint + ")";
		throw TableStop(where + ", key " + TargetTable::KeyJson(key) +
		                ": the row written differs from the log: " + why);
	}
}

// The target's running fingerprint minus the rows the batch deleted, taken before the plan
// takes those rows over. An unreadable fingerprint is kept in `unreadable` and thrown
// where the fingerprint is advanced (after the plan's checks, which name a conflict first).
AggregateState TargetBefore(const std::string &previous, const TablePlan &plan, const RowsByKey &before,
                            const std::string &where, std::string &unreadable) {
	AggregateState state = ParseTableState(previous, where);
	if (plan.truncate) {
		AggregateInit(&state, kDefaultAlgorithm);
		return state;
	}
	for (const auto &row : before) {
		Algorithm algorithm;
		Digest128 digest;
		if (ParseRowFingerprint(row.second.fingerprint, &algorithm, &digest) != Status::ok ||
		    algorithm != kDefaultAlgorithm) {
			unreadable = row.second.fingerprint;
			break;
		}
		AggregateSubtract(&state, digest);
	}
	return state;
}

// The target's running fingerprint: TargetBefore's, plus the rows the batch wrote (as the
// target holds them: `written`, their aggregate).
std::string AdvanceTarget(AggregateState state, const std::string &previous, const AggregateState &written,
                          const std::string &where) {
	// Merged only into a state of the same algorithm, as adding each row would (the core's
	// merge would adopt `written`'s algorithm into an empty state).
	if (written.rows != 0 &&
	    (state.algorithm != written.algorithm || AggregateMerge(&state, written) != Status::ok))
		throw TableStop(where + ": the target's running fingerprint " + previous +
		                " is not of the algorithm of the rows written");
	return FormatTableState(state);
}

// The aggregate of rows as the target stored them (MariaDB's INSERT ... RETURNING, or
// PostgreSQL's read back).
AggregateState AggregateOfStored(const RowsByKey &after, const std::string &where) {
	AggregateState state;
	AggregateInit(&state, kDefaultAlgorithm);
	for (const auto &row : after)
		AddRow(state, row.second.fingerprint, false, where);
	return state;
}

// The source's running fingerprint, advanced over the log with the core's arithmetic.
std::string AdvanceSource(const std::string &start, const std::vector<const Change *> &changes,
                          const std::string &where) {
	AggregateState state = ParseTableState(start, where);
	for (const Change *c : changes) {
		ChangeOp op;
		if (!ParseChangeOp(std::string_view(&c->op, 1), &op) ||
		    AdvanceAggregate(&state, op, c->old_fingerprint, c->new_fingerprint) != Status::ok)
			throw TableStop(where + ": change seq " + std::to_string(c->seq) +
			                " has an unreadable op or fingerprint");
	}
	return FormatTableState(state);
}

// A table captured with whole-row identity: applied as a multiset (apply_multiset.hpp),
// proven by the counts of the rows it touched and both running fingerprints. Within the
// copy seam its changes cannot be told apart from rows the copy already holds (a
// multiset replay is not idempotent), so such a table stops instead.
void ApplyWholeRowTable(TableRun &run, const std::vector<const Change *> &changes, const std::string &stored,
                        bool seam, const std::string &where, double &proof_seconds) {
	if (seam)
		throw TableStop(where + ": the table has no unique key (whole-row identity) and changed while the"
		                        " copy was taken; the copy seam cannot tell which of those changes the"
		                        " copy already holds (a row is only counted, never identified): copy it"
		                        " again under a new --name while it is not written");
	const MultisetPlan plan = PlanMultiset(changes, where);
	const auto proof_start = Clock::now();
	const std::string target_text = ApplyMultiset(*run.target, plan, run.ledger.target_fingerprint, where);
	const std::string source_text =
	    AdvanceSource(stored.empty() ? run.ledger.source_fingerprint : stored, changes, where);
	proof_seconds += Since(proof_start);
	if (source_text != target_text)
		throw TableStop(where + ": after the batch the target's fingerprint is " + target_text +
		                " but the source's is " + source_text +
		                " (rows of the target table were changed outside this migration)");
	run.ledger.source_fingerprint = source_text;
	run.ledger.target_fingerprint = target_text;
	run.ledger.proof = "equal";
}

} // namespace

void Applier::ApplyTable(TableRun &run, const std::vector<const Change *> &changes, const std::string &stored,
                         std::uint64_t batch, double &proof_seconds) {
	const std::string where = "batch " + std::to_string(batch) + ", table " + run.source.log_name;
	for (const Change *c : changes)
		if (c->schema_version != run.ledger.schema_version)
			throw TableStop(where + ": the source table's columns or key changed (schema version " +
			                std::to_string(c->schema_version) + ", the migration started at version " +
			                std::to_string(run.ledger.schema_version) +
			                "): copy the table again and start a new migration for it");
	TargetTable &target = *run.target;
	// Within an inexact seam (MariaDB, --no-copy or a migration of the 1.3 CLI) changes the
	// copy holds are replayed over it: the proof is pending. An exact seam never replays them.
	const bool seam = !migration_.seam_passed && !migration_.seam_exact;
	if (run.source.whole_row) {
		ApplyWholeRowTable(run, changes, stored, seam, where, proof_seconds);
		return;
	}
	// The proof rides on the writes: the DELETE of every touched key returns what the
	// target held (locked and removed in one statement), and the rows written come back
	// from MariaDB's INSERT ... RETURNING; only PostgreSQL's COPY needs one read by key.
	// proof_seconds counts what is done for the proof alone: that read-back and the checks.
	TablePlan plan = StartPlan(changes);
	RowsByKey before;
	if (plan.truncate)
		target.DeleteAll();
	else
		try {
			before = target.DeleteRows(plan.keys);
		} catch (const TableStop &) {
			throw;
		} catch (const Error &error) {
			throw WriteFailed(error, where);
		}
	auto proof_start = Clock::now();
	std::string unreadable;
	const AggregateState target_before =
	    TargetBefore(run.ledger.target_fingerprint, plan, before, where, unreadable);
	FinishPlan(changes, std::move(before), seam, plan);
	if (!plan.conflict.empty()) {
		// Failure path only: the batch's DELETE is undone so that the target's row can be
		// read again and compared column by column (the caller's rollback to the same
		// savepoint follows).
		Transaction("ROLLBACK TO SAVEPOINT fingerprint_table");
		throw TableStop(where + ", key " + TargetTable::KeyJson(plan.conflict_key) +
		                ": the target row was changed by someone else: " + plan.conflict +
		                ConflictDetail(source_.session(), target, plan));
	}
	proof_seconds += Since(proof_start);
	const FinalRows final_rows = FinalRowsToInsert(plan);
	RowsByKey after = InsertFinalRows(target, final_rows, where);
	if (target.InsertReturnsRows()) {
		const std::string test_sql = WrittenSqlForTest(target.name());
		if (!test_sql.empty()) {
			target_.Exec(test_sql, "running the test statement on " + target.name());
			after = target.ReadRows(final_rows.keys);
		}
	}

	proof_start = Clock::now();
	// PostgreSQL: the rows written are proven as a multiset (ProveWritten), or read back by
	// key. A key the batch leaves absent is not read again: this transaction's DELETE
	// removed whatever was there and said what (a row someone else inserts there later is
	// seen by the next batch touching the key, or by the cutover proof, as one inserted
	// after the commit would be).
	AggregateState written;
	std::optional<RowsByKey> read_back;
	if (!target.InsertReturnsRows())
		read_back = ProveWritten(target, final_rows, written);
	if (target.InsertReturnsRows() || read_back) {
		const RowsByKey &held = read_back ? *read_back : after;
		CheckReadBack(target, plan, held, where);
		written = AggregateOfStored(held, where);
	}
	if (!unreadable.empty())
		throw TableStop(where + ": unreadable row fingerprint '" + unreadable + "'");
	const std::string target_text =
	    AdvanceTarget(target_before, run.ledger.target_fingerprint, written, where);
	const std::string source_text =
	    AdvanceSource(stored.empty() ? run.ledger.source_fingerprint : stored, changes, where);
	proof_seconds += Since(proof_start);
	if (!seam && source_text != target_text)
		throw TableStop(where + ": after the batch the target's fingerprint is " + target_text +
		                " but the source's is " + source_text +
		                " (rows of the target table were changed outside this migration)");
	run.ledger.source_fingerprint = source_text;
	run.ledger.target_fingerprint = target_text;
	run.ledger.proof = seam ? "pending (copy seam)" : "equal";
}

// Past the copy seam (recorded with the next batch): from here a table's proof is strict.
// MariaDB's source fingerprint comes from capture_state; PostgreSQL's starts here from
// the target's, which the seam's batch proved key by key over a copy proven equal to the
// source at its snapshot.
void Applier::PassSeam() {
	if (migration_.seam_passed)
		return;
	migration_.seam_passed = true;
	if (source_.session().engine() == Engine::postgresql)
		for (TableRun &run : runs_) {
			run.ledger.source_fingerprint = run.ledger.target_fingerprint;
			if (run.ledger.proof == "pending (copy seam)")
				run.ledger.proof = "equal";
		}
}

void Applier::SaveState() {
	std::vector<LedgerTable> tables;
	for (const TableRun &run : runs_)
		tables.push_back(run.ledger);
	Transaction(target_.engine() == Engine::postgresql ? "BEGIN" : "START TRANSACTION");
	ledger_.Save(migration_, tables, LedgerBatch{});
	Transaction("COMMIT");
}

BatchStep Applier::Step(std::optional<unsigned> max_changes) {
	BatchStep step;
	const std::optional<std::uint64_t> id = source_.NextBatch(max_changes);
	const bool pg = source_.session().engine() == Engine::postgresql;
	if (!id) {
		if (pg)
			PassSeam(); // nothing committed since the consumer's start: no overlap at all
		return step;
	}
	step.had_batch = true;
	step.batch_id = *id;
	if ((pg && *id <= migration_.last_batch) || (!pg && *id == migration_.last_batch)) {
		// Applied and committed before a crash, not finished: finish only.
		source_.FinishBatch(*id);
		step.resumed = true;
		return step;
	}
	if ((pg && *id != migration_.last_batch + 1) || (!pg && *id < migration_.last_batch))
		throw Error(
		    source_.session().who() + ": the source hands out batch " + std::to_string(*id) +
		    " but the target's ledger is at batch " + std::to_string(migration_.last_batch) +
		    ": the consumer's position was lost or moved (another reader of the same consumer?); stop");
	// MariaDB's log has one consumer at a time: a batch another consumer took since this
	// migration's last one (or its start: the log's latest finished batch then) held
	// changes this migration will never see. Stop before applying or finishing anything.
	if (!pg) {
		const std::string other = source_.OtherConsumersBatch(migration_.last_batch, *id);
		if (!other.empty())
			throw Error(source_.session().who() + ": " + other +
			            " was taken from the change log after batch " +
			            std::to_string(migration_.last_batch) + " of migration '" + migration_.name +
			            "': its changes are lost to this migration (MariaDB's log has one consumer at a"
			            " time); stop the other consumer, then copy the tables again under a new --name");
	}
	const auto start = Clock::now();
	const std::vector<Change> changes = source_.BatchChanges(*id);
	const std::map<std::string, std::string> stored = source_.StoredFingerprints();
	std::map<std::string, std::vector<const Change *>> by_table;
	for (const Change &c : changes)
		by_table[c.table].push_back(&c);
	if (!pg)
		for (const auto &table : by_table) {
			bool covered = false;
			for (const TableRun &run : runs_)
				covered = covered || run.source.log_name == table.first;
			if (!covered)
				throw Error(source_.session().who() + ": batch " + std::to_string(*id) +
				            " holds changes of " + table.first +
				            ", which this migration does not cover; MariaDB's log has one consumer"
				            " and finishing the batch would delete them: disable capture of " +
				            table.first + " and consume its changes elsewhere, or migrate it too");
		}
	// PostgreSQL: a table renamed on the source stops here (migrate_renames.hpp).
	if (pg)
		for (const TableStep &renamed :
		     StopRenamedTables(source_.session(), *id, migration_.name, by_table, runs_))
			step.tables.push_back(renamed);
	// A table that is no longer applying (cut over, differs, cutover failed) has no place
	// for its changes: finishing the batch would throw them away. Nothing is applied and
	// the batch stays on the source. A stopped table's changes are passed over: it
	// already failed, is reported, and must be migrated again.
	for (const TableRun &run : runs_)
		if (by_table.count(run.source.log_name) != 0 && run.ledger.phase != "applying" &&
		    run.ledger.phase != "stopped")
			throw Error(source_.session().who() + ": batch " + std::to_string(*id) + " holds " +
			            std::to_string(by_table.at(run.source.log_name).size()) + " change(s) of " +
			            run.source.log_name + ", whose phase in migration '" + migration_.name + "' is '" +
			            run.ledger.phase +
			            "': the source was written after the cutover; nothing was applied and the batch"
			            " stays on the source (stop the writers and migrate the table again under"
			            " another --name)");
	// MariaDB: a captured table altered since capture was enabled stops here with
	// next_batch's refusal; the others go on. Its changes, logged by triggers that no
	// longer fit it, are never applied, and are consumed with the batch (docs/migrate.md).
	for (TableRun &run : runs_) {
		const auto refused = source_.Refusals().find(run.source.log_name);
		if (refused == source_.Refusals().end() || run.ledger.phase != "applying")
			continue;
		run.ledger.phase = "stopped";
		run.ledger.proof = "failed";
		run.ledger.message =
		    "batch " + std::to_string(*id) + ", table " + run.source.log_name + ": " + refused->second;
		run.ledger.proof_ms = NowMs();
	}
	// A table stopped when this run started: the first batch holding its changes consumes
	// them without applying them; its message names that batch.
	for (TableRun &run : runs_) {
		const auto found = by_table.find(run.source.log_name);
		if (!run.stopped_at_start || found == by_table.end())
			continue;
		run.stopped_at_start = false;
		run.ledger.message = "batch " + std::to_string(*id) + ", table " + run.source.log_name + ": " +
		                     run.ledger.message + "; its " + std::to_string(found->second.size()) +
		                     " change(s) in this batch were consumed without being applied";
		run.ledger.proof_ms = NowMs();
		step.tables.push_back(TableStep{run.source.name, found->second.size(), true});
	}
	LedgerBatch record;
	record.batch_id = *id;
	record.changes = changes.size();
	if (!changes.empty()) {
		record.first_change_ms = static_cast<std::int64_t>(changes.front().captured_at * 1000);
		for (const Change &c : changes)
			record.last_change_ms =
			    std::max(record.last_change_ms, static_cast<std::int64_t>(c.captured_at * 1000));
	}
	// MariaDB's exact seam: the changes a table's copy holds are consumed, not applied.
	// Until the seam is passed, not every change the copy holds has left the log, so the
	// source's fingerprint is the copy's advanced over the changes applied (as on
	// PostgreSQL), not capture_state's.
	const bool exact_seam = migration_.seam_exact && !migration_.seam_passed;
	if (exact_seam)
		for (TableRun &run : runs_) {
			const auto found = by_table.find(run.source.log_name);
			if (found == by_table.end() || run.ledger.phase != "applying" || run.ledger.copy_seqs.empty())
				continue;
			const LogSeqs in_copy =
			    LogSeqs::Parse(run.ledger.copy_seqs, "the ledger's copy seam of " + run.source.log_name);
			std::vector<const Change *> &list = found->second;
			const std::size_t before = list.size();
			list.erase(std::remove_if(list.begin(), list.end(),
			                          [&](const Change *c) { return in_copy.Contains(c->seq); }),
			           list.end());
			step.in_copy += before - list.size();
			if (list.empty())
				by_table.erase(found);
		}
	Transaction(target_.engine() == Engine::postgresql ? "BEGIN" : "START TRANSACTION");
	for (TableRun &run : runs_) {
		const auto found = by_table.find(run.source.log_name);
		if (found == by_table.end() || run.ledger.phase != "applying")
			continue;
		TableStep table{run.source.name, found->second.size(), false};
		const auto stored_fp = stored.find(run.source.log_name);
		Transaction("SAVEPOINT fingerprint_table");
		try {
			ApplyTable(run, found->second,
			           stored_fp == stored.end() || exact_seam ? std::string() : stored_fp->second, *id,
			           step.proof_seconds);
			Transaction("RELEASE SAVEPOINT fingerprint_table");
		} catch (const Error &error) {
			const std::string where = "batch " + std::to_string(*id) + ", table " + run.source.log_name;
			const std::string text = error.what();
			const std::string message =
			    text.compare(0, where.size(), where) == 0 ? text : where + ": " + text;
			// The first error is the one to show: when the target died or was given up, the
			// rollback fails too, and its message ("connection closed") says less.
			try {
				Transaction("ROLLBACK TO SAVEPOINT fingerprint_table");
			} catch (const Error &cleanup) {
				throw Error(message + " (then " + cleanup.what() + ")");
			}
			run.ledger.phase = "stopped";
			run.ledger.proof = "failed";
			run.ledger.message = message;
			table.stopped = true;
		}
		run.ledger.last_batch = *id;
		if (!table.stopped) {
			run.ledger.changes += found->second.size();
			step.changes += found->second.size();
		}
		run.ledger.last_change_ms = static_cast<std::int64_t>(found->second.back()->captured_at * 1000);
		run.ledger.proof_ms = NowMs();
		step.tables.push_back(table);
	}
	migration_.last_batch = *id;
	migration_.batches += 1;
	migration_.changes += step.changes;
	migration_.updated_ms = NowMs();
	step.skipped = changes.size() - step.changes - step.in_copy;
	step.apply_seconds = Since(start);
	record.applied_ms = NowMs();
	record.apply_us = static_cast<std::int64_t>(step.apply_seconds * 1e6);
	record.proof_us = static_cast<std::int64_t>(step.proof_seconds * 1e6);
	std::vector<LedgerTable> tables;
	for (const TableRun &run : runs_)
		tables.push_back(run.ledger);
	ledger_.Save(migration_, tables, record);
	Transaction("COMMIT");
	if (!changes.empty())
		CrashForTestAt("after_commit");
	source_.FinishBatch(*id);
	if (pg || !source_.HoldsChangesUpTo(migration_.seam_seq))
		PassSeam();
	if (record.last_change_ms > 0)
		step.lag_seconds = static_cast<double>(NowMs() - record.last_change_ms) / 1000.0;
	return step;
}

} // namespace fingerprint::cli::migrate
