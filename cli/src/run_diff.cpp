#include "run_diff.hpp"

#include "both.hpp"
#include "cli_error.hpp"
#include "column_check.hpp"
#include "progress.hpp"
#include "report.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace fingerprint::cli {

namespace {

using Clock = std::chrono::steady_clock;

// One connection to each side, used by one worker thread.
struct ConnectionPair {
	std::unique_ptr<Connection> source;
	std::unique_ptr<Connection> target;
};

std::string Message(const std::exception_ptr &error) {
	try {
		std::rethrow_exception(error);
	} catch (const std::exception &e) {
		return e.what();
	} catch (...) {
		return "unknown error";
	}
}

double Since(Clock::time_point start) {
	return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs one step of a table's comparison and returns its seconds; an exception marks the
// table as failed, its message after error_prefix.
template <typename Step> double TimeTableStep(TableResult *table, const char *error_prefix, Step &&step) {
	const Clock::time_point started = Clock::now();
	try {
		step();
	} catch (const std::exception &error) {
		table->status = TableStatus::error;
		table->error = std::string(error_prefix) + error.what();
	}
	return Since(started);
}

// The table of that name in tables: the same spelling, else the only one equal but for
// letter case (MySQL on Windows or with lower_case_table_names folds names).
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

// A "db.table" argument names a table of the URL's namespace only; strip a matching prefix.
std::string Unqualify(const std::string &name, const Connection &source) {
	const std::string prefix = source.Namespace() + ".";
	if (name.compare(0, prefix.size(), prefix) == 0)
		return name.substr(prefix.size());
	return name;
}

// Pairs the tables to compare. With names: those tables; without: every source table,
// then the target's tables the source lacks.
std::vector<TableResult> PairTables(const std::vector<std::string> &names, Connection &source,
                                    Connection &target) {
	std::vector<std::string> source_tables;
	std::vector<std::string> target_tables;
	RunBoth([&] { source_tables = source.ListTables(); }, [&] { target_tables = target.ListTables(); });
	std::vector<TableResult> pairs;
	const auto add = [&](const std::string &name) {
		TableResult pair;
		const std::string *on_source = Match(source_tables, name);
		const std::string *on_target = Match(target_tables, name);
		pair.source_table = on_source ? *on_source : std::string();
		pair.target_table = on_target ? *on_target : std::string();
		if (on_source && on_target) {
			pair.status = TableStatus::pending;
		} else if (on_source) {
			pair.status = TableStatus::missing_on_target;
		} else if (on_target) {
			pair.status = TableStatus::missing_on_source;
		} else {
			pair.source_table = name;
			pair.status = TableStatus::error;
			pair.error = "no table " + name + " in " + source.Namespace() + " on the source nor in " +
			             target.Namespace() + " on the target";
		}
		pairs.push_back(std::move(pair));
	};
	if (!names.empty()) {
		for (const std::string &name : names)
			add(Unqualify(name, source));
		return pairs;
	}
	for (const std::string &table : source_tables)
		add(table);
	for (const std::string &table : target_tables)
		if (Match(source_tables, table) == nullptr)
			add(table);
	return pairs;
}

// Runs work(index, source, target) for every index in todo, on `workers.size()` threads.
template <typename Work>
void RunJobs(std::vector<ConnectionPair> &workers, const std::vector<std::size_t> &todo, Work work) {
	std::atomic<std::size_t> next{0};
	const auto loop = [&](ConnectionPair &pair) {
		for (std::size_t i = next++; i < todo.size(); i = next++)
			work(todo[i], *pair.source, *pair.target);
	};
	std::vector<std::thread> threads;
	for (std::size_t w = 1; w < workers.size(); ++w)
		threads.push_back(StartClientThread([&, w] { loop(workers[w]); }));
	loop(workers[0]);
	for (std::thread &thread : threads)
		thread.join();
}

// The --exclude-columns names that named no column in any table whose columns were
// checked: a typo that would otherwise compare a column the user meant to leave out.
// A name present in only some tables is fine (one list serves a whole schema).
std::vector<std::string> ExcludesOfNoTable(const std::vector<std::string> &exclude,
                                           const std::vector<TableResult> &tables) {
	std::vector<const TableResult *> checked;
	for (const TableResult &table : tables)
		if (table.names_resolved)
			checked.push_back(&table);
	std::vector<std::string> errors;
	if (checked.empty())
		return errors;
	for (const std::string &name : exclude) {
		const bool nowhere = std::all_of(checked.begin(), checked.end(), [&](const TableResult *table) {
			const auto &unmatched = table->unmatched_excludes;
			return std::find(unmatched.begin(), unmatched.end(), name) != unmatched.end();
		});
		if (nowhere)
			errors.push_back("--exclude-columns names no column of any compared table: \"" + name + "\"");
	}
	return errors;
}

// Connects, compares and prints the report; throws Error when it cannot even start.
int RunReport(const DiffCommand &command) {
	const Clock::time_point started = Clock::now();
	auto source_bytes = std::make_shared<std::atomic<std::uint64_t>>(0);
	auto target_bytes = std::make_shared<std::atomic<std::uint64_t>>(0);
	// Both sides connect at once; when both fail, both reasons are given.
	const auto connect = [&] {
		ConnectionPair pair;
		std::exception_ptr source_error;
		std::exception_ptr target_error;
		RunBoth(
		    [&] {
			    try {
				    pair.source = Connect(Side::source, command.source, source_bytes);
			    } catch (...) {
				    source_error = std::current_exception();
			    }
		    },
		    [&] {
			    try {
				    pair.target = Connect(Side::target, command.target, target_bytes);
			    } catch (...) {
				    target_error = std::current_exception();
			    }
		    });
		if (source_error && target_error)
			throw Error(Message(source_error) + "\nfingerprint: " + Message(target_error));
		if (source_error)
			std::rethrow_exception(source_error);
		if (target_error)
			std::rethrow_exception(target_error);
		return pair;
	};

	std::vector<ConnectionPair> workers;
	workers.push_back(connect());
	DiffReport report;
	report.source_url = command.source.display;
	report.target_url = command.target.display;
	report.source_namespace = workers[0].source->Namespace();
	report.target_namespace = workers[0].target->Namespace();
	report.recheck_seconds = command.recheck_seconds;
	report.tables = PairTables(command.tables, *workers[0].source, *workers[0].target);

	std::vector<std::size_t> todo;
	for (std::size_t i = 0; i < report.tables.size(); ++i)
		if (report.tables[i].status == TableStatus::pending)
			todo.push_back(i);
	// Extra workers, each with its own pair of connections, opened in parallel.
	const std::size_t jobs = std::max<std::size_t>(1, std::min<std::size_t>(command.jobs, todo.size()));
	if (jobs > 1) {
		std::vector<ConnectionPair> extra(jobs - 1);
		std::vector<std::exception_ptr> errors(jobs - 1);
		std::vector<std::thread> threads;
		for (std::size_t w = 0; w < extra.size(); ++w)
			threads.push_back(StartClientThread([&, w] {
				try {
					extra[w] = connect();
				} catch (...) {
					errors[w] = std::current_exception();
				}
			}));
		for (std::thread &thread : threads)
			thread.join();
		for (const std::exception_ptr &error : errors)
			if (error)
				std::rethrow_exception(error);
		for (ConnectionPair &pair : extra)
			workers.push_back(std::move(pair));
	}

	Progress progress(command.progress && isatty(STDERR_FILENO), todo.size());
	const ProgressFn on_phase = [&](const std::string &table, const std::string &phase) {
		progress.Phase(table, phase);
	};
	RunJobs(workers, todo, [&](std::size_t index, Connection &source, Connection &target) {
		TableResult &table = report.tables[index];
		table.seconds = TimeTableStep(
		    &table, "", [&] { CompareTable(source, target, command.settings, on_phase, &table); });
		progress.TableDone();
	});

	if (command.recheck_seconds >= 0) {
		std::vector<std::size_t> recheck;
		for (const std::size_t index : todo)
			if (report.tables[index].status == TableStatus::different)
				recheck.push_back(index);
		if (!recheck.empty()) {
			char message[64];
			std::snprintf(message, sizeof message, "waiting %g s before the recheck",
			              command.recheck_seconds);
			progress.Message(message);
			std::this_thread::sleep_for(std::chrono::duration<double>(command.recheck_seconds));
			RunJobs(workers, recheck, [&](std::size_t index, Connection &source, Connection &target) {
				TableResult &table = report.tables[index];
				table.seconds += TimeTableStep(&table, "recheck: ", [&] {
					RecheckTable(source, target, command.settings, on_phase, &table);
				});
			});
		}
	}
	progress.Clear();
	report.errors = ExcludesOfNoTable(command.settings.exclude_columns, report.tables);

	report.source_bytes = workers[0].source->BytesRead();
	report.target_bytes = workers[0].target->BytesRead();
	report.seconds = Since(started);
	if (command.json)
		PrintJson(report, stdout);
	else
		PrintText(report, stdout);
	std::fflush(stdout);
	return ExitStatus(report);
}

} // namespace

int RunDiff(const DiffCommand &command) {
	try {
		return RunReport(command);
	} catch (const std::exception &error) {
		// A script reading --json gets a document even when no table could be compared.
		if (command.json)
			PrintJsonError(error.what(), stdout);
		throw;
	}
}

} // namespace fingerprint::cli
