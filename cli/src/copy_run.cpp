// The course of a copy: every worker opens its own source and target session; the
// source sessions enter one snapshot (PostgreSQL: exported by the first and imported by
// the others; MySQL/MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT, at one point
// for all only under --lock-for-snapshot); the tables are planned and their targets
// prepared by the first worker; then every worker takes chunks from one queue. Whoever
// finishes a table's last chunk proves the table, in the snapshot its rows came from.
#include "copy_run.hpp"

#include "cli_error.hpp"
#include "client_threads.hpp"
#include "column_check.hpp"
#include "copy_progress.hpp"
#include "copy_report.hpp"
#include "copy_session.hpp"
#include "copy_table.hpp"
#include "stop_signal.hpp"
#include "text_list.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace fingerprint::cli {

namespace {

using Clock = std::chrono::steady_clock;
using namespace copy;

struct Worker {
	std::unique_ptr<Session> source;
	std::unique_ptr<Session> target;
};

// One unit of work: chunks of one table, copied in order by one worker.
struct Task {
	TableCopy *table = nullptr;
	std::vector<std::size_t> chunks;
};

// The table of that name: the same spelling, else the only one equal but for ASCII case.
const std::string *Match(const std::vector<std::string> &tables, const std::string &name) {
	const std::string *found = nullptr;
	int folded = 0;
	for (const std::string &table : tables) {
		if (table == name)
			return &table;
		if (SameName(table, name)) {
			found = &table;
			++folded;
		}
	}
	return folded == 1 ? found : nullptr;
}

std::string Unqualify(const std::string &name, const Session &source) {
	const std::string prefix = source.Namespace() + ".";
	return name.compare(0, prefix.size(), prefix) == 0 ? name.substr(prefix.size()) : name;
}

// The tables of that name but for ASCII case, when there are several and none is spelled so.
std::vector<std::string> Ambiguous(const std::vector<std::string> &tables, const std::string &name) {
	std::vector<std::string> found;
	for (const std::string &table : tables) {
		if (table == name)
			return {};
		if (SameName(table, name))
			found.push_back(table);
	}
	return found.size() > 1 ? found : std::vector<std::string>();
}

// Why a name matches no source table: it is empty, or another kind of relation (a view),
// or it names another schema, or there is none.
std::string NoSuchTable(const std::string &name, Session &source) {
	const std::vector<Row> kind =
	    source.engine() == copy::Engine::postgresql
	        ? source.Query(
	              "SELECT CASE WHEN c.relispartition THEN 'a partition (its partitioned table is copied"
	              " whole)' WHEN c.relkind IN ('r', 'p') THEN 'a table of an extension (not copied)'"
	              " WHEN c.relkind = 'v' THEN 'a view' WHEN c.relkind = 'm' THEN 'a materialized view'"
	              " WHEN c.relkind = 'f' THEN 'a foreign table' WHEN c.relkind = 'S' THEN 'a sequence'"
	              " ELSE 'not a table' END"
	              " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	              " WHERE n.nspname = $1 AND c.relname = $2",
	              {source.Namespace(), name}, "looking up " + source.Qualified(name))
	        : source.Query(
	              "SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'a view' WHEN 'SEQUENCE' THEN 'a sequence'"
	              " ELSE 'not a table' END FROM information_schema.TABLES"
	              " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
	              {source.Namespace(), name}, "looking up " + source.Qualified(name));
	if (!kind.empty() && kind[0][0])
		return source.Qualified(name) + " is " + *kind[0][0] + ": fingerprint copy copies tables only";
	const std::size_t dot = name.find('.');
	if (dot != std::string::npos && dot > 0)
		return "there is no table " + name + " in " + source.Namespace() +
		       " on the source; a copy reads the " +
		       (source.engine() == copy::Engine::postgresql ? "schema" : "database") +
		       " of the SOURCE URL only: name " + name.substr(0, dot) + " in it to copy from there";
	return "there is no table " + name + " in " + source.Namespace() + " on the source";
}

// Opens the workers' sessions, `count` of each side, one thread per worker.
std::vector<Worker> OpenWorkers(const CopyCommand &command, unsigned count) {
	std::vector<Worker> workers(count);
	std::vector<std::exception_ptr> errors(count);
	std::vector<std::thread> threads;
	for (unsigned i = 0; i < count; ++i)
		threads.push_back(StartClientThread([&, i] {
			try {
				workers[i].source = OpenSession(command.source, true);
				workers[i].target = OpenSession(command.target, false);
			} catch (...) {
				errors[i] = std::current_exception();
			}
		}));
	for (std::thread &thread : threads)
		thread.join();
	for (const std::exception_ptr &error : errors)
		if (error)
			std::rethrow_exception(error);
	return workers;
}

// The fingerprint.change_log seqs the session's open consistent snapshot sees, as runs
// of consecutive seqs (a hole is a transaction open at the snapshot, one rolled back, or
// rows already consumed). Read in the snapshot itself: InnoDB shows a transaction's log
// rows and its table rows together, so these are exactly the logged changes the rows
// read in this snapshot hold.
LogSeqs ReadVisibleSeqs(Session &source) {
	LogSeqs seqs;
	for (const Row &row : source.Query(
	         "SELECT MIN(seq), MAX(seq) FROM (SELECT seq, seq - ROW_NUMBER() OVER (ORDER BY seq) AS run"
	         " FROM fingerprint.change_log) AS visible GROUP BY run ORDER BY 1",
	         {}, "reading which fingerprint.change_log rows the copy's snapshot sees (the copy seam)"))
		seqs.Append(std::strtoull(row.at(0).value_or("0").c_str(), nullptr, 10),
		            std::strtoull(row.at(1).value_or("0").c_str(), nullptr, 10));
	return seqs;
}

// The test seam of tests/migrate/migrate_seam_jobs_test.py: with
// FINGERPRINT_COPY_TEST_SNAPSHOT_GAP_MS=N each MySQL/MariaDB worker after the first starts
// its own snapshot N ms after the one before, so that the test's writers commit between
// them and the tables' copy seams differ.
void WaitBetweenSnapshotsForTest() {
	const char *gap = std::getenv("FINGERPRINT_COPY_TEST_SNAPSHOT_GAP_MS");
	if (gap != nullptr)
		std::this_thread::sleep_for(std::chrono::milliseconds(std::strtoul(gap, nullptr, 10)));
}

// The tables the command names, each once (or, naming none, every source table): the
// name without the source's schema, and the source table it matches (null: none, or an
// empty name).
struct NamedTable {
	std::string name;
	const std::string *on_source;
};
std::vector<NamedTable> NamedTables(const CopyCommand &command, const Session &source,
                                    const std::vector<std::string> &source_tables) {
	std::vector<NamedTable> named;
	std::vector<std::string> seen; // a table named twice is copied once
	const auto add = [&](const std::string &name) {
		const std::string *on_source = name.empty() ? nullptr : Match(source_tables, name);
		const std::string &key = on_source != nullptr ? *on_source : name;
		if (std::find(seen.begin(), seen.end(), key) != seen.end())
			return;
		seen.push_back(key);
		named.push_back({name, on_source});
	};
	for (const std::string &name : command.tables)
		add(Unqualify(name, source));
	if (command.tables.empty())
		for (const std::string &name : source_tables)
			add(name);
	return named;
}

// The source tables the copy will read (those named that exist, else all): each source
// session holds them from its snapshot's start (Session::HoldTables).
std::vector<std::string> TablesToHold(const CopyCommand &command, const Session &source,
                                      const std::vector<std::string> &source_tables) {
	std::vector<std::string> held;
	for (const NamedTable &table : NamedTables(command, source, source_tables))
		if (table.on_source != nullptr)
			held.push_back(*table.on_source);
	return held;
}

// Workers after the first whose source session could not take the tables' locks at once
// (a TRUNCATE or ALTER TABLE queues behind the first's): they are closed, and the copy
// runs with fewer. Waiting would never end: that statement waits for the first worker.
void DropWorkersWithoutLocks(std::vector<Worker> &workers, const std::vector<bool> &held) {
	std::size_t kept = 0;
	for (std::size_t i = 0; i < workers.size(); ++i)
		if (held[i])
			workers[kept++] = std::move(workers[i]);
	if (kept < workers.size() && isatty(STDERR_FILENO) != 0)
		std::fprintf(stderr,
		             "copying with %zu of %zu workers: a lock on the tables was requested (TRUNCATE, ALTER"
		             " TABLE) after the first worker took its locks, so the others could not take theirs\n",
		             kept, workers.size());
	workers.resize(kept);
}

// Puts every worker's source session into its snapshot; returns how they relate, for
// the report. *shared: one snapshot for all (chunks of a table may go to any worker).
// With `seam`: PostgreSQL's pg_current_snapshot(), or (MySQL/MariaDB) in *worker_seqs
// what each worker's snapshot sees of the change log.
// *source_tables: the source's tables as the first worker's snapshot lists them.
std::string EnterSnapshot(const CopyCommand &command, std::vector<Worker> &workers, bool *shared,
                          CopySeam *seam, std::vector<LogSeqs> *worker_seqs,
                          std::vector<std::string> *source_tables) {
	// Listed once, on the first worker's session inside its snapshot, for the locks and
	// for PairTables.
	const auto tables_to_hold = [&] {
		*source_tables = workers[0].source->ListTables();
		return TablesToHold(command, *workers[0].source, *source_tables);
	};
	const auto workers_text = [&workers] {
		return std::to_string(workers.size()) + (workers.size() == 1 ? " worker" : " workers");
	};
	if (workers[0].source->engine() == copy::Engine::postgresql) {
		// Each session locks the tables before it reads any (the first before the others
		// import the snapshot). A TRUNCATE that commits between the export and the first
		// lock leaves the snapshot seeing the table empty, as pg_dump's would.
		const std::string id = workers[0].source->BeginSnapshot("");
		const std::vector<std::string> hold = tables_to_hold();
		std::vector<bool> held(workers.size(), true);
		workers[0].source->HoldTables(hold, true);
		for (std::size_t i = 1; i < workers.size(); ++i) {
			workers[i].source->BeginSnapshot(id);
			held[i] = workers[i].source->HoldTables(hold, false);
		}
		DropWorkersWithoutLocks(workers, held);
		if (seam != nullptr) // REPEATABLE READ: the transaction's own snapshot
			seam->pg_snapshot = workers[0]
			                        .source
			                        ->Query("SELECT pg_catalog.pg_current_snapshot()::text", {},
			                                "reading the snapshot's pg_current_snapshot()")
			                        .at(0)
			                        .at(0)
			                        .value_or("");
		*shared = true;
		return "one PostgreSQL snapshot (" + id + ", REPEATABLE READ, READ ONLY) shared by " + workers_text();
	}
	std::string text;
	if (command.lock_for_snapshot) {
		// Held only while the workers start their transactions: writers wait for that
		// instant (and for any long statement already running when it is asked for).
		const std::unique_ptr<Session> lock = OpenSession(command.source, true);
		lock->Execute("FLUSH TABLES WITH READ LOCK",
		              "taking the read lock for the snapshot (--lock-for-snapshot)");
		// No TRUNCATE or ALTER TABLE runs under the read lock: every worker takes its
		// tables' metadata locks before the lock is released, and may wait for them.
		try {
			std::vector<std::string> hold;
			for (std::size_t i = 0; i < workers.size(); ++i) {
				workers[i].source->BeginSnapshot("");
				if (i == 0)
					hold = tables_to_hold();
				workers[i].source->HoldTables(hold, true);
			}
		} catch (...) {
			lock->Execute("UNLOCK TABLES", "releasing the read lock");
			throw;
		}
		lock->Execute("UNLOCK TABLES", "releasing the read lock");
		*shared = true;
		text = "one MySQL/MariaDB snapshot for " + workers_text() +
		       " (started under FLUSH TABLES WITH READ LOCK, released at once)";
	} else {
		std::vector<std::string> hold;
		std::vector<bool> held(workers.size(), true);
		for (std::size_t i = 0; i < workers.size(); ++i) {
			if (i > 0)
				WaitBetweenSnapshotsForTest();
			workers[i].source->BeginSnapshot("");
			if (i == 0)
				hold = tables_to_hold();
			held[i] = workers[i].source->HoldTables(hold, i == 0);
		}
		DropWorkersWithoutLocks(workers, held);
		*shared = workers.size() == 1;
		text = workers.size() == 1
		           ? "one MySQL/MariaDB snapshot (START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY)"
		           : "one MySQL/MariaDB snapshot per worker (" + workers_text() +
		                 "): each table is copied and proven whole in one worker's snapshot, but tables"
		                 " may come from different points in time (--lock-for-snapshot gives all one"
		                 " point)";
	}
	if (seam != nullptr) {
		for (Worker &worker : workers)
			worker_seqs->push_back(ReadVisibleSeqs(*worker.source));
		// Chunks of one table may come from any worker only when every snapshot is the
		// same point: then each must see the same log rows, or no seam is exact.
		if (*shared)
			for (const LogSeqs &seqs : *worker_seqs)
				if (seqs != worker_seqs->front())
					throw Error(workers[0].source->Who() +
					            ": the copy's snapshots see different rows of fingerprint.change_log (" +
					            worker_seqs->front().Text() + " and " + seqs.Text() +
					            "), so the copy has no single seam in the change log: copy with one job");
	}
	return text;
}

// The tables to copy, paired with the target's: the named ones, else every source table.
std::vector<std::unique_ptr<TableCopy>> PairTables(const CopyCommand &command,
                                                   const std::vector<std::string> &source_tables,
                                                   Session &source, Session &target) {
	const std::vector<std::string> target_tables = target.ListTables();
	for (const std::string &name : command.tables)
		if (name.empty())
			throw UsageError("an empty table name: name the tables to copy, or none to copy every table");
	std::vector<std::unique_ptr<TableCopy>> tables;
	for (const NamedTable &named : NamedTables(command, source, source_tables)) {
		const std::string &name = named.name;
		auto table = std::make_unique<TableCopy>();
		table->source_namespace = source.Namespace();
		table->target_namespace = target.Namespace();
		const std::string *on_source = named.on_source;
		table->source_table = on_source != nullptr ? *on_source : name;
		const std::string *on_target = Match(target_tables, table->source_table);
		table->target_table = on_target != nullptr ? *on_target : std::string();
		const std::vector<std::string> several = Ambiguous(target_tables, table->source_table);
		if (on_source == nullptr) {
			table->outcome = TableOutcome::error;
			table->error = NoSuchTable(name, source);
			table->ended = true;
		} else if (!several.empty()) { // never a third one made beside them
			table->outcome = TableOutcome::error;
			table->error = "the target's " + target.Namespace() + " holds " + Join(several, ", ") +
			               ", which differ from " + table->source_table +
			               " only in case: rename the target's tables so that one matches";
			table->ended = true;
		}
		tables.push_back(std::move(table));
	}
	return tables;
}

// Runs every task on the workers' threads; the worker that ends a table's last task
// finishes the table (proves it in its snapshot) and is recorded in finished_by[task].
// A stop request (stop_signal.hpp) ends every worker at its next chunk: the chunk in
// flight is rolled back (RowStream), its table fails and is finished (its partial load
// removed); tables not begun are left as they were.
void RunTasks(std::vector<Worker> &workers, std::vector<Task> &tasks, CopyProgress &progress,
              std::vector<std::size_t> &finished_by) {
	std::atomic<std::size_t> next{0};
	finished_by.assign(tasks.size(), workers.size());
	const auto loop = [&](std::size_t w) {
		Worker &worker = workers[w];
		for (std::size_t i = next++; i < tasks.size() && !StopRequested(); i = next++) {
			Task &task = tasks[i];
			for (const std::size_t chunk : task.chunks)
				if (!StopRequested() || task.table->failed)
					CopyChunk(*task.table, chunk, *worker.source, *worker.target);
				else
					task.table->Fail("stopped by SIGINT or SIGTERM before this chunk");
			if (--task.table->tasks_left == 0) {
				FinishTable(*task.table, *worker.source, *worker.target);
				finished_by[i] = w;
				progress.TableEnded(*task.table);
			}
		}
	};
	std::vector<std::thread> threads;
	for (std::size_t w = 1; w < workers.size(); ++w)
		threads.push_back(StartClientThread([&, w] { loop(w); }));
	loop(0);
	for (std::thread &thread : threads)
		thread.join();
}

// The same URL and schema on both sides: the copy would read and write (with --truncate:
// empty) the same tables. Checked again once connected (SameDatabase).
bool SameTables(const ConnectionUrl &source, const ConnectionUrl &target) {
	if (source.engine != target.engine)
		return false;
	if (source.engine == cli::Engine::postgresql)
		return source.libpq_url == target.libpq_url && source.schema == target.schema;
	return source.host == target.host && source.port == target.port && source.socket == target.socket &&
	       source.database == target.database;
}

} // namespace

int RunCopy(const CopyCommand &command, CopySeam *seam) {
	if (SameTables(command.source, command.target))
		throw UsageError(
		    "SOURCE and TARGET name the same schema or database: a table cannot be copied onto itself");
	const Clock::time_point started = Clock::now();
	std::vector<Worker> workers = OpenWorkers(command, command.dry_run ? 1 : command.jobs);
	// Other spellings of one server (localhost and 127.0.0.1, a socket and TCP, parameters
	// in another order) are recognized by the server itself.
	if (SameDatabase(*workers[0].source, *workers[0].target) &&
	    workers[0].source->Namespace() == workers[0].target->Namespace())
		throw UsageError("SOURCE and TARGET reach the same schema or database (" +
		                 workers[0].source->Namespace() +
		                 ") of one server: a table cannot be copied onto itself");
	bool shared = false;
	CopyReport report;
	std::vector<LogSeqs> worker_seqs;
	std::vector<std::string> source_tables;
	report.snapshot = EnterSnapshot(command, workers, &shared, seam, &worker_seqs, &source_tables);
	report.jobs = static_cast<unsigned>(workers.size());
	Session &source = *workers[0].source;
	Session &target = *workers[0].target;
	report.source = command.source.display + " (" + source.Namespace() + ")";
	report.target = command.target.display + " (" + target.Namespace() + ")";
	report.dry_run = command.dry_run;

	std::vector<std::unique_ptr<TableCopy>> tables = PairTables(command, source_tables, source, target);
	report.tables = &tables;
	CopySettings settings;
	settings.create_tables = command.create_tables;
	settings.truncate = command.truncate;
	settings.chunk_rows = command.chunk_rows;
	for (auto &table : tables) {
		if (table->outcome == TableOutcome::error)
			continue;
		try {
			// Held by the first worker's target session until the run ends: a second copy
			// into the table would load its rows again, or empty what this one loaded.
			const std::string into =
			    target.Qualified(table->target_table.empty() ? table->source_table : table->target_table);
			if (!command.dry_run && !LockTableWaiting(target, into, command.lock_wait_seconds))
				throw Error(
				    "a copy into " + into +
				    " is already running (another fingerprint copy holds its lock): wait for it to end");
			PlanTable(*table, source, target, settings);
			if (command.dry_run)
				CheckTarget(*table, source, target);
		} catch (const std::exception &error) {
			table->outcome = TableOutcome::error;
			table->error = error.what();
			table->ended = true;
		}
	}
	if (command.dry_run) {
		PrintCopyPlan(report);
		for (const auto &table : tables)
			if (table->outcome == TableOutcome::error)
				return 2;
		return 0;
	}

	EnsureProgressTable(target);
	std::vector<Task> tasks;
	for (auto &table : tables) {
		if (table->outcome == TableOutcome::error)
			continue;
		try {
			PrepareTarget(*table, source, target);
		} catch (const std::exception &error) {
			table->outcome = TableOutcome::error;
			table->error = error.what();
			table->ended = true;
			continue;
		}
		// With one snapshot for all, any worker may copy any chunk; else a table's chunks
		// stay with one worker, whose snapshot its proof is taken in.
		if (shared) {
			for (std::size_t i = 0; i < table->chunks.size(); ++i)
				tasks.push_back(Task{table.get(), {i}});
			table->tasks_left = table->chunks.size();
		} else {
			Task task{table.get(), {}};
			for (std::size_t i = 0; i < table->chunks.size(); ++i)
				task.chunks.push_back(i);
			tasks.push_back(std::move(task));
			table->tasks_left = 1;
		}
	}

	const bool terminal = command.progress && !command.json && isatty(STDERR_FILENO) == 1;
	std::vector<std::size_t> finished_by;
	if (!StopRequested()) {
		CopyProgress progress(tables, terminal && command.progress, command.progress);
		RunTasks(workers, tasks, progress, finished_by);
	}
	// Stopped (migrate's SIGINT/SIGTERM) before every table was proven: no report of a
	// copy cut short, no seam. Chunks committed stay recorded for a resumed copy.
	if (StopRequested())
		for (const auto &table : tables)
			if (table->outcome != TableOutcome::identical)
				throw Interrupted("the copy was stopped by SIGINT or SIGTERM before " + table->SourceName() +
				                  " was copied and proven");
	// Each table's seam: the log rows seen by the snapshot it was proven in.
	if (seam != nullptr && !worker_seqs.empty())
		for (std::size_t i = 0; i < tasks.size(); ++i)
			if (finished_by[i] < worker_seqs.size())
				seam->visible_seqs[tasks[i].table->source_table] = worker_seqs[finished_by[i]];

	// Every table proven: their progress rows are done with.
	if (CopyExitStatus(tables) == 0)
		for (auto &table : tables)
			DeleteProgress(target, table->TargetName());
	report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
	if (command.json)
		PrintCopyJson(report);
	else
		PrintCopyText(report);
	return CopyExitStatus(tables);
}

} // namespace fingerprint::cli
