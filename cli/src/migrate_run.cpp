// `fingerprint migrate`: opens both sides, starts or resumes the migration's ledger,
// then applies batches until caught up to the changes committed when the apply began
// (or, with --follow, until SIGINT/SIGTERM), always stopping at a batch boundary.
#include "migrate_run.hpp"

#include "capture.hpp"
#include "cli_error.hpp"
#include "column_check.hpp"
#include "copy_run.hpp"
#include "migrate_apply.hpp"
#include "migrate_catch_up.hpp"
#include "migrate_cutover.hpp"
#include "migrate_log_owner.hpp"
#include "migrate_preconditions.hpp"
#include "migrate_renames.hpp"
#include "migrate_report.hpp"
#include "migrate_target_hooks.hpp"
#include "shown_text.hpp"
#include "stop_signal.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unistd.h>

namespace fingerprint::cli {

namespace {

using namespace migrate;

// The test seam of tests/migrate (full scenario), as migrate_apply.cpp's:
// FINGERPRINT_MIGRATE_TEST_CRASH=after_start kills a first run with SIGKILL once its
// ledger is started (copy taken, consumer at the copy's snapshot), before any batch.
void CrashAfterStartForTest() {
	const char *wanted = std::getenv("FINGERPRINT_MIGRATE_TEST_CRASH");
	if (wanted != nullptr && std::strcmp(wanted, "after_start") == 0)
		std::raise(SIGKILL);
}

// The test seam of tests/migrate (seam scenarios): FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY
// names a file; once capture is enabled the run creates FILE.waiting and waits (up to
// 60 s) until FILE exists, then takes the copy. The test opens a transaction meanwhile
// that the copy's snapshot then finds open: capture's own enable would wait for it.
void PauseBeforeCopyForTest() {
	const char *file = std::getenv("FINGERPRINT_MIGRATE_TEST_PAUSE_BEFORE_COPY");
	if (file == nullptr)
		return;
	if (std::FILE *waiting = std::fopen((std::string(file) + ".waiting").c_str(), "w"))
		std::fclose(waiting);
	const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
	while (access(file, F_OK) != 0 && std::chrono::steady_clock::now() < until)
		std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// The tables as names in the source URL's schema or database: `db.table` (or
// `schema.table`) of that one, as capture and copy take it, is `table` (a MariaDB table
// whose name holds a dot is named so: `src.a.b`). Else the name stayed qualified, and a
// later run's ledger lookup or the capture registration (`src.src.t`) missed it after
// capture was enabled and the copy taken.
MigrateCommand InSourceNamespace(const MigrateCommand &given, const std::string &space) {
	MigrateCommand command = given;
	const std::string prefix = space + ".";
	for (std::string &table : command.tables)
		if (table.size() > prefix.size() && table.compare(0, prefix.size(), prefix) == 0)
			table.erase(0, prefix.size());
	return command;
}

// Describes a table on both sides; throws Error naming it when they do not fit.
TableRun Describe(Source &source, Session &target, const std::string &ext, const std::string &table) {
	TableRun run;
	run.source = source.Describe(table);
	run.target = std::make_unique<TargetTable>(target, table, ext, run.source.whole_row);
	run.target->CheckMatches(run.source.column_names, run.source.column_classes, run.source.key_columns,
	                         run.source.log_name);
	return run;
}

// MariaDB's log has one consumer, which deletes what it consumes: a migration would take
// away the changes of captured tables it does not cover. Refused, naming them, before
// capture is enabled or anything copied: a refused start changes nothing.
void RefuseOtherCapturedTables(Source &source, const std::vector<std::string> &tables,
                               const std::string &name) {
	if (source.session().engine() == Engine::postgresql)
		return; // one consumer per migration: other tables' changes are left to others
	std::string others;
	for (const std::string &table : source.CapturedTables()) {
		bool covered = false;
		for (const std::string &ours : tables)
			covered = covered || source.session().Namespace() + "." + ours == table;
		if (!covered)
			others += (others.empty() ? "" : ", ") + table;
	}
	if (!others.empty())
		throw Error(source.session().who() + ": capture is also on for " + others + ", which migration '" +
		            name +
		            "' does not cover: MariaDB's change log has one consumer, which would take their changes"
		            " away; add them to the migration or disable their capture first");
}

// What a first run turned on at the source before its ledger was saved: its consumer is
// unregistered when the start fails or is stopped (UndoStart), so that a failed start
// leaves no consumer holding fingerprint.cleanup back. The capture it enabled stays on:
// from the moment it is on, another migration (or any consumer) may rely on it, and
// neither engine can say that none does (MariaDB has no consumer registry; another
// migration's first run may not have registered yet), so turning it off could lose that
// migration's changes without a word.
struct StartedOnSource {
	bool registered_consumer = false;
	std::vector<std::string> enabled_tables; // capture was off before this run, now on
};

bool CaptureIsOn(Source &source, const std::string &table) {
	Session &session = source.session();
	if (session.engine() == Engine::mysql) {
		const std::vector<std::string> captured = source.CapturedTables();
		return std::find(captured.begin(), captured.end(), session.Namespace() + "." + table) !=
		       captured.end();
	}
	return session
	    .QueryValue(
	        "SELECT 1 FROM fingerprint.capture_tables WHERE enabled AND relid = pg_catalog.to_regclass(" +
	            session.Literal(session.Qualified(table)) + ")",
	        "looking up the capture of " + table)
	    .has_value();
}

// Whether PostgreSQL's capture of the table is on and intact: fingerprint_capture_enable
// (table) would change nothing (fingerprint_capture_intact decides, from the catalogs,
// by enable's own rules). Then enable is not run: its SHARE ROW EXCLUSIVE lock would wait
// for every transaction open on the table (a run killed during its copy left one, or a
// writer holds one).
bool PgCaptureIntact(Session &session, const std::string &table) {
	return session.QueryValue("SELECT fingerprint_capture_intact(pg_catalog.to_regclass(" +
	                              session.Literal(session.Qualified(table)) + "))",
	                          "checking the capture of " + table) == Value("t");
}

// Turns capture of the tables on (idempotent on both engines) and, on PostgreSQL,
// registers the consumer at the current snapshot, before the copy is taken: from here
// until the consumer's start moves to the copy's snapshot it holds fingerprint.cleanup
// back, so no change the copy misses can be removed meanwhile. Records in `started`
// what it turned on, as it goes.
void StartCapture(const MigrateCommand &command, Source &source, StartedOnSource &started) {
	Session &session = source.session();
	if (session.engine() == Engine::mysql) {
		std::vector<std::string> off;
		for (const std::string &table : command.tables)
			if (!CaptureIsOn(source, table))
				off.push_back(table);
		CaptureCommand capture;
		capture.action = "enable";
		capture.url = command.source;
		// Qualified, so that a table whose name holds a dot is not read as db.table.
		for (const std::string &table : command.tables)
			capture.tables.push_back(session.Namespace() + "." + table);
		RunCapture(capture);
		started.enabled_tables = off;
		return;
	}
	// Only a capture that is off or not intact is enabled (repaired): that waits for its
	// lock, up to --timeout (else 5 s), and says so on a terminal.
	const unsigned wait = command.source.statement_timeout > 0 ? command.source.statement_timeout : 5;
	session.Exec("SET lock_timeout = '" + std::to_string(wait) + "s'", "setting lock_timeout");
	for (const std::string &table : command.tables) {
		if (PgCaptureIntact(session, table))
			continue; // intact is on: nothing to enable or to record
		const bool was_off = !CaptureIsOn(source, table);
		if (isatty(STDERR_FILENO) != 0)
			std::fprintf(stderr,
			             "%s capture of %s: waiting up to %u s for its SHARE ROW EXCLUSIVE lock (it waits for"
			             " every transaction open on the table)\n",
			             was_off ? "enabling" : "repairing", Shown(session.Qualified(table)).c_str(), wait);
		session.Exec("SELECT fingerprint_capture_enable(" + session.Literal(session.Qualified(table)) +
		                 "::regclass)",
		             "enabling capture of " + table);
		if (was_off)
			started.enabled_tables.push_back(table);
	}
	session.Exec("RESET lock_timeout", "resetting lock_timeout");
	if (!source.ConsumerExists()) {
		source.Register();
		started.registered_consumer = true;
	}
}

// Undoes what StartCapture turned on that nothing else can rely on, after a start that
// failed or was stopped before its ledger was saved (so no batch was taken: the consumer
// has nothing to lose): the consumer it registered. Says on standard error what it undid,
// what it could not, and which capture it enabled stays on (see StartedOnSource).
void UndoStart(const MigrateCommand &command, Source &source, const StartedOnSource &started) {
	Session &session = source.session();
	std::string undone, left;
	if (started.registered_consumer) {
		try {
			source.Unregister();
			undone += "consumer " + Consumer(command.name) + " unregistered";
		} catch (const std::exception &error) {
			left += std::string(error.what()) + "; remove the consumer by hand: SELECT" +
			        " fingerprint.unregister_consumer('" + Consumer(command.name) + "'). ";
		}
	}
	if (!undone.empty())
		std::fprintf(stderr, "migration %s did not start; undone: %s\n", Shown(command.name).c_str(),
		             Shown(undone).c_str());
	if (!left.empty())
		std::fprintf(stderr, "migration %s did not start; not undone: %s\n", Shown(command.name).c_str(),
		             Shown(left).c_str());
	if (!started.enabled_tables.empty()) {
		// `fingerprint capture disable` is MariaDB's; PostgreSQL's is the SQL function.
		const bool pg = session.engine() == Engine::postgresql;
		std::string tables, how = pg ? "" : "fingerprint capture disable " + command.source.display;
		for (const std::string &table : started.enabled_tables) {
			tables += " " + table;
			how += pg ? std::string(how.empty() ? "" : "; ") + "SELECT fingerprint_capture_disable(" +
			                session.Literal(session.Qualified(table)) + "::regclass)"
			          : " " + table;
		}
		std::fprintf(stderr,
		             "migration %s did not start; capture of%s stays on (this run enabled it, and another "
		             "migration may already rely on it): when nothing consumes it, %s\n",
		             Shown(command.name).c_str(), Shown(tables).c_str(), Shown(how).c_str());
	}
}

// `fingerprint copy` of the tables, after capture and the consumer started. Returns
// where the copy stands in the change log (copy_run.hpp): PostgreSQL's snapshot, or per
// table the MariaDB log rows its snapshot saw.
CopySeam RunTheCopy(const MigrateCommand &command) {
	CopyCommand copy;
	copy.source = command.source;
	copy.target = command.target;
	copy.tables = command.tables;
	copy.create_tables = command.create_tables;
	copy.jobs = command.copy_jobs;
	copy.lock_for_snapshot = command.lock_for_snapshot;
	copy.chunk_rows = command.chunk_rows;
	copy.truncate = true;        // a copy interrupted before the migration started is taken again
	copy.lock_wait_seconds = 10; // a run killed during its copy holds the lock a moment
	copy.json = false;
	copy.progress = !command.json;
	CopySeam seam;
	const int status = RunCopy(copy, &seam);
	if (status != 0)
		throw Error("fingerprint copy of the migration's tables did not prove them identical (exit status " +
		            std::to_string(status) + "): nothing was applied; see its report above");
	return seam;
}

// MariaDB: the exact seam. Each table's copy holds exactly the logged changes whose log
// rows the snapshot it was copied in saw (InnoDB shows a transaction's log rows and its
// table rows together); the batches consume those without applying them and apply the
// others, so the proof is strict from the first batch, keyless tables included. The
// seam's seq is the highest of them: once no change up to it is left in the log, the
// source's fingerprint comes from capture_state again.
void StartAtCopySeqs(const CopySeam &seam, LedgerMigration &migration, std::vector<TableRun> &runs) {
	migration.seam_exact = true;
	migration.seam_seq = 0;
	for (TableRun &run : runs) {
		auto found = seam.visible_seqs.find(run.source.name);
		if (found == seam.visible_seqs.end())
			for (auto it = seam.visible_seqs.begin(); it != seam.visible_seqs.end(); ++it)
				if (SameName(it->first, run.source.name))
					found = it;
		if (found == seam.visible_seqs.end())
			throw Error("fingerprint copy did not say which change-log rows its copy of " +
			            run.source.log_name + " holds: no exact copy seam; nothing was applied");
		run.ledger.copy_seqs = found->second.Text();
		migration.seam_seq = std::max(migration.seam_seq, found->second.Highest());
	}
	migration.seam_passed = migration.seam_seq == 0;
}

// PostgreSQL: the exact seam. The consumer, registered before the copy, starts again at
// the copy's snapshot (register_consumer moves a start until the first batch): a
// transaction the copy holds is in no batch, one it misses is in a batch, once. A
// consumer that already took batches (the ledger was lost, or another reader uses the
// name) cannot move: refused, naming it, before anything is applied.
void StartAtCopy(Source &source, const std::string &snapshot, const std::string &name) {
	if (snapshot.empty())
		throw Error(source.session().who() + ": fingerprint copy handed out no snapshot for the consumer " +
		            Consumer(name));
	try {
		source.Register(snapshot);
	} catch (const Error &error) {
		throw Error(std::string(error.what()) + " (the consumer " + Consumer(name) +
		            " must start at the copy's snapshot " + snapshot +
		            "; if it took batches outside this migration, unregister it:"
		            " SELECT fingerprint.unregister_consumer('" +
		            Consumer(name) + "'))");
	}
}

// Copy writes into a target table spelled like the source's but for ASCII case when the
// target has no table of the exact name (copy_run.cpp Match); migrate describes, applies
// to and guards (Ledger::OtherOwner) the exact name. Such a table is refused before
// anything is enabled or copied: else the copy emptied and loaded it (another migration's
// target among them, whose ledger would go on saying "equal") and the run then stopped.
void RefuseCaseVariantTargets(Session &target, const std::vector<std::string> &tables) {
	const bool pg = target.engine() == Engine::postgresql;
	const std::vector<Row> rows = target.Query(
	    pg ? "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid ="
	         " c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = " +
	             target.Literal(target.Namespace())
	       : "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
	             target.Literal(target.Namespace()),
	    "listing the target's tables");
	for (const std::string &table : tables) {
		std::string variants;
		bool exact = false;
		for (const Row &row : rows) {
			const std::string name = Text(row.at(0));
			exact = exact || name == table;
			if (name != table && SameName(name, table))
				variants += (variants.empty() ? "" : ", ") + target.Namespace() + "." + name;
		}
		if (!exact && !variants.empty())
			throw Error(target.who() + ": the target has no table " + target.Namespace() + "." + table +
			            " but " + variants +
			            ", which differs from it only in case: migrate writes to a target table of the"
			            " source table's exact name; rename the target table (or drop it, with"
			            " --create-tables) first. Nothing was enabled or copied");
	}
}

// The first run's work from capture to the ledger's rows, in the ledger's transaction
// (left open: StartLedger commits it). What it turns on at the source is in `started`.
void SaveNewLedger(const MigrateCommand &command, Source &source, Session &target, Ledger &ledger,
                   LedgerMigration &migration, std::vector<TableRun> &runs, StartedOnSource &started) {
	const bool pg = source.session().engine() == Engine::postgresql;
	CopySeam seam;
	if (!command.no_copy) {
		StartCapture(command, source, started);
		PauseBeforeCopyForTest();
		seam = RunTheCopy(command);
		if (pg)
			StartAtCopy(source, seam.pg_snapshot, command.name);
	}
	const std::string ext = ExtensionSchema(target);
	for (const std::string &table : command.tables)
		runs.push_back(Describe(source, target, ext, table));
	if (!source.ConsumerExists())
		throw Error(source.session().who() + ": consumer " + Consumer(command.name) +
		            " is not registered: register it before taking the copy (SELECT"
		            " fingerprint.register_consumer('" +
		            Consumer(command.name) + "', <the copy's snapshot>))");
	migration.name = command.name;
	migration.source = command.source.display;
	migration.consumer = Consumer(command.name);
	// The seam. PostgreSQL: the consumer starts exactly at the copy's snapshot (above, or
	// by the user with --no-copy): strict from the first batch. MariaDB: the copy's log
	// rows per table (exact, strict from the first batch); with --no-copy they are not
	// known, and changes the copy may already hold are those up to the log's last seq now.
	migration.seam_seq = pg ? 0 : source.LastSeq();
	migration.seam_passed = pg || migration.seam_seq == 0;
	if (!pg && !command.no_copy)
		StartAtCopySeqs(seam, migration, runs);
	migration.created_ms = migration.updated_ms = NowMs();
	std::vector<LedgerTable> tables;
	for (TableRun &run : runs) {
		run.ledger.source_table = run.source.name;
		run.ledger.log_name = run.source.log_name;
		run.ledger.target_table = run.target->name();
		run.ledger.schema_version = run.source.schema_version;
		run.ledger.target_fingerprint = run.ledger.source_fingerprint = run.target->TableFingerprint();
		run.ledger.proof = "copy";
		run.ledger.proof_ms = NowMs();
		tables.push_back(run.ledger);
	}
	// Again: the ledger's tables may have been dropped during the copy, by another
	// migration's failed first run or --drop that found them empty (DropNewLedger).
	ledger.Create();
	target.Exec(target.engine() == Engine::postgresql ? "BEGIN" : "START TRANSACTION", "starting the ledger");
	ledger.Save(migration, tables, LedgerBatch{});
}

// The first run. Without --no-copy: capture, consumer, copy. Then both running
// fingerprints start at the target's table_fingerprint (the copy's, proven equal to
// the source's at its snapshot).
void StartLedger(const MigrateCommand &command, Source &source, Session &target, Ledger &ledger,
                 LedgerMigration &migration, std::vector<TableRun> &runs) {
	if (command.tables.empty())
		throw UsageError("name the tables of the new migration '" + command.name + "'");
	CheckStartPreconditions(source.session(), target, command.tables, command.create_tables);
	RefuseOtherCapturedTables(source, command.tables, command.name);
	RefuseCaseVariantTargets(target, command.tables);
	// Foreign keys and triggers of the target tables: refused or switched off for the
	// apply before capture is enabled or anything copied (migrate_target_hooks.hpp).
	PrepareApplySession(target, command.tables);
	// The copy truncates its target tables: never one that another migration applies to
	// or cut over to.
	for (const std::string &table : command.tables) {
		const std::string owner = ledger.OtherOwner(table);
		if (!owner.empty())
			throw Error(target.who() + ": target table " + table + " belongs to " + owner + "; migration '" +
			            command.name +
			            "' would copy over it: choose another target database, or migrate the table"
			            " once its migration stopped");
	}
	// MariaDB: another migration consuming the log is refused here, naming it.
	RefuseOtherLogConsumer(source, command.tables, Consumer(command.name), command.no_copy);
	// MariaDB: batch ids are the log's. The migration's position starts at the log's
	// latest finished batch, so a batch another consumer takes from here on (during the
	// copy too) is seen by the first batch of this migration (Applier::Step).
	migration.last_batch = source.LastFinishedBatch();
	StartedOnSource started;
	try {
		SaveNewLedger(command, source, target, ledger, migration, runs, started);
	} catch (...) {
		UndoStart(command, source, started);
		throw;
	}
	// Not undone from here: once the ledger's transaction is sent to commit, it may have
	// committed, and the migration then needs its consumer and capture.
	target.Exec("COMMIT", "starting the ledger");
}

// A later run: the ledger's tables, described again. A table that no longer fits (its
// source was altered) stops; the others go on.
void ResumeLedger(const MigrateCommand &command, Source &source, Session &target,
                  const std::vector<LedgerTable> &tables, std::vector<TableRun> &runs) {
	for (const std::string &table : command.tables) {
		bool known = false;
		for (const LedgerTable &t : tables)
			known = known || t.source_table == table;
		if (!known)
			throw UsageError("migration '" + command.name + "' has no table " + table +
			                 " (a migration's tables are fixed when it starts: use another --name)");
	}
	const std::string ext = ExtensionSchema(target);
	for (const LedgerTable &t : tables) {
		TableRun run;
		if (t.phase == "applying") {
			try {
				// PostgreSQL: a table renamed since is not looked up by its old name.
				if (source.session().engine() == Engine::postgresql) {
					const std::string renamed =
					    RenamedSinceStart(source.session(), t.log_name, t.schema_version, command.name);
					if (!renamed.empty())
						throw Error(renamed);
				}
				run = Describe(source, target, ext, t.source_table);
			} catch (const Error &error) {
				// The table no longer fits (its source was altered, its target changed):
				// it stops here, recorded with the next ledger write.
				run = TableRun{};
				run.ledger.phase = "stopped";
				run.ledger.message = error.what();
				run.stopped_at_start = true;
			}
		}
		const std::string phase = run.ledger.phase, message = run.ledger.message;
		run.ledger = t;
		if (phase == "stopped") {
			run.ledger.phase = phase;
			run.ledger.proof = "failed";
			run.ledger.message = message;
		}
		run.source.name = t.source_table;
		run.source.log_name = t.log_name;
		runs.push_back(std::move(run));
	}
}

// A first run that failed or was stopped before its ledger row was saved: when this run
// created the ledger (no fingerprint_migrate before it) and it is still empty, it is
// dropped again, so that a start that failed leaves the target as it found it. A resume
// never needs the empty tables: a later first run creates them again. A ledger that
// existed before is shared with other migrations and stays. Never throws: the first
// error is what the user must see.
void DropNewLedger(Session &target, Ledger &ledger, bool ledger_existed, const std::string &name) {
	if (ledger_existed)
		return;
	try {
		try {
			target.Exec("ROLLBACK", "ending the ledger's transaction");
		} catch (const std::exception &) {
		}
		const std::string dropped = ledger.DropWhenEmpty();
		if (!dropped.empty())
			std::fprintf(stderr,
			             "migration %s did not start; undone: the empty ledger this run created on the"
			             " target (%s) dropped\n",
			             Shown(name).c_str(), dropped.c_str());
	} catch (const std::exception &) {
	}
}

bool AnyStopped(const std::vector<TableRun> &runs) {
	for (const TableRun &run : runs)
		if (run.ledger.phase == "stopped")
			return true;
	return false;
}

} // namespace

int RunMigrate(const MigrateCommand &given) {
	CatchStopSignals();
	std::unique_ptr<Session> source_session = OpenSession(given.source, "source");
	const MigrateCommand command = InSourceNamespace(given, source_session->Namespace());
	std::unique_ptr<Session> target_session = OpenSession(command.target, "target");
	Source source(*source_session, Consumer(command.name));
	Ledger ledger(*target_session, command.name);
	ledger.Lock();
	const bool ledger_existed = ledger.Exists();
	ledger.Create();
	LedgerMigration migration;
	std::vector<LedgerTable> tables;
	std::vector<TableRun> runs;
	if (ledger.Load(migration, tables)) {
		RefuseOtherSource(migration, command.source.display);
		std::vector<std::string> targets;
		for (const LedgerTable &t : tables)
			targets.push_back(t.target_table);
		PrepareApplySession(*target_session, targets);
		ResumeLedger(command, source, *target_session, tables, runs);
	} else {
		try {
			StartLedger(command, source, *target_session, ledger, migration, runs);
		} catch (const Interrupted &stop) {
			DropNewLedger(*target_session, ledger, ledger_existed, command.name);
			std::fprintf(stderr,
			             "fingerprint: %s: migration %s was not started and nothing was applied; run the same"
			             " command again to start it (the copy is taken again)\n",
			             Shown(stop.what()).c_str(), Shown(command.name).c_str());
			return kMigrateStoppedBeforeStart;
		} catch (...) {
			DropNewLedger(*target_session, ledger, ledger_existed, command.name);
			throw;
		}
		CrashAfterStartForTest();
	}
	Applier applier(source, *target_session, ledger, migration, runs);
	BatchReport report(command.json, isatty(STDERR_FILENO) != 0);
	report.Start(migration, runs);
	if (command.cutover)
		return Cutover(command, source, *target_session, ledger, migration, runs, applier, report,
		               StopFlag());
	// Without --follow: up to the changes committed now, not a batch comes back empty,
	// which under a steady write load never happened.
	std::unique_ptr<CatchUpMark> mark;
	if (!command.follow)
		mark = std::make_unique<CatchUpMark>(source, Consumer(command.name));
	while (!StopRequested()) {
		const BatchStep step = applier.Step(command.batch_changes);
		if (step.had_batch) {
			report.Batch(step, runs);
			if (mark && mark->Reached())
				break;
			continue;
		}
		if (!command.follow)
			break;
		const auto until =
		    std::chrono::steady_clock::now() + std::chrono::duration<double>(command.poll_seconds);
		while (!StopRequested() && std::chrono::steady_clock::now() < until)
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	applier.SaveState();
	report.End(migration, runs, StopRequested(), mark ? mark->Time() : std::string());
	return AnyStopped(runs) ? 1 : 0;
}

} // namespace fingerprint::cli
