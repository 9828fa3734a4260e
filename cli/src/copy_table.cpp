#include "copy_table.hpp"

#include "cli_error.hpp"
#include "client_threads.hpp"
#include "column_check.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <thread>
#include <utility>

namespace fingerprint::cli::copy {

namespace {

// Attempts of one chunk before a deadlock or lock wait timeout fails the table.
constexpr int kChunkAttempts = 5;

// A key that can be cut into ranges: one integer column whose values fit an int64.
bool IsRangeKey(Engine engine, const ColumnDefinition &column) {
	const std::string &type = column.base_type;
	if (engine == Engine::postgresql)
		return type == "int2" || type == "int4" || type == "int8" || type == "smallint" ||
		       type == "integer" || type == "bigint";
	if (type == "bigint")
		return !column.is_unsigned;
	return type == "tinyint" || type == "smallint" || type == "mediumint" || type == "int";
}

std::string Where(const std::string &filter) {
	return filter.empty() ? std::string() : " WHERE " + filter;
}

// The value converters, column by column: the target's columns must have the source's
// names (ignoring ASCII case, as diff pairs them) in the same order.
void BuildConverters(TableCopy &table, Engine source_engine, Session &target,
                     const TableDefinition &defined) {
	const std::size_t count = table.source.columns.size();
	// A resumed copy cannot be made to fit a source whose columns changed: say how to
	// abandon it (--truncate does not apply to a resumed copy).
	const std::string way_out =
	    table.resumed ? "; to abandon the interrupted copy, run DELETE FROM fingerprint.copy_progress WHERE"
	                    " target_table = '" +
	                        table.TargetName() + "' on the target, then empty or drop " + table.TargetName() +
	                        " and copy again"
	                  : "";
	if (defined.columns.size() != count)
		throw Error("target table " + table.TargetName() + " has " + std::to_string(defined.columns.size()) +
		            " columns, the source's " + table.SourceName() + " has " + std::to_string(count) +
		            ": the target's columns must be the source's, in the same order" + way_out);
	table.converters.clear();
	table.target_columns.clear();
	table.target_serials.clear();
	for (std::size_t i = 0; i < count; ++i) {
		const ColumnDefinition &from = table.source.columns[i];
		const ColumnDefinition &to = defined.columns[i];
		if (!SameName(from.name, to.name))
			throw Error("column " + std::to_string(i + 1) + " of target table " + table.TargetName() +
			            " is " + to.name + ", the source's is " + from.name +
			            ": the target's columns must be the source's, in the same order" + way_out);
		table.converters.push_back(MakeConverter(source_engine, from, target.engine(), to));
		table.target_columns.push_back(target.QuoteName(to.name));
		if (from.name == table.source_key)
			table.target_key = to.name;
		if (target.engine() == Engine::postgresql && to.auto_increment)
			table.target_serials.push_back(to.name);
	}
	table.stream.converters.clear();
	for (const auto &converter : table.converters)
		table.stream.converters.push_back(converter.get());
}

// How long the target's TRUNCATE and DROP wait for a lock (a session reading the table,
// perhaps this copy's own source on another spelling of the same server) before failing
// instead of hanging.
constexpr int kDdlLockWaitSeconds = 30;

// Runs a TRUNCATE or DROP on the target with a bounded lock wait.
void ExecuteBounded(Session &target, const std::string &sql, const std::string &what) {
	const bool pg = target.engine() == Engine::postgresql;
	target.Execute(pg ? "SET lock_timeout = '" + std::to_string(kDdlLockWaitSeconds) + "s'"
	                  : "SET SESSION lock_wait_timeout = " + std::to_string(kDdlLockWaitSeconds),
	               "bounding the lock wait of " + what);
	const std::string restore = pg ? "SET lock_timeout = DEFAULT" : "SET SESSION lock_wait_timeout = DEFAULT";
	try {
		target.Execute(sql, what);
	} catch (...) {
		try { // fails in an aborted PostgreSQL transaction, whose rollback restores it
			target.Execute(restore, "restoring the lock wait after " + what);
		} catch (...) {
		}
		throw;
	}
	target.Execute(restore, "restoring the lock wait after " + what);
}

// Undoes what this copy did to a failed table: drops the table it created, else empties
// it (it was empty when the copy began; DELETE when a foreign key forbids TRUNCATE), and
// forgets its progress.
void RemovePartialLoad(TableCopy &table, Session &target) {
	try {
		if (table.created_table) {
			ExecuteBounded(target, "DROP TABLE " + target.Quoted(table.target_table),
			               "dropping " + table.TargetName() + ", created by this copy");
			table.error += " (" + table.TargetName() + ", created by this copy, was dropped)";
		} else {
			try {
				ExecuteBounded(target, "TRUNCATE TABLE " + target.Quoted(table.target_table),
				               "emptying " + table.TargetName() + " again");
			} catch (const Error &) {
				// A table referenced by a foreign key cannot be truncated, but its rows, all
				// loaded by this copy, can be deleted.
				target.Rollback();
				target.Execute("DELETE FROM " + target.Quoted(table.target_table),
				               "emptying " + table.TargetName() + " again (DELETE)");
			}
			table.error += " (the rows this copy loaded into " + table.TargetName() + " were removed)";
		}
		DeleteProgress(target, table.TargetName());
	} catch (const std::exception &error) {
		table.error += "; removing the partial load failed too: " + std::string(error.what());
	}
}

// The index a MySQL after-load statement creates ("CREATE [UNIQUE] INDEX `name` ON ..."),
// or "" for another statement.
std::string CreatedIndex(const std::string &statement) {
	const std::size_t open = statement.find("INDEX `");
	if (statement.rfind("CREATE ", 0) != 0 || open == std::string::npos)
		return "";
	std::string name;
	for (std::size_t i = open + 7; i < statement.size(); ++i) {
		if (statement[i] == '`') {
			if (i + 1 < statement.size() && statement[i + 1] == '`') {
				name += '`';
				++i;
				continue;
			}
			return name;
		}
		name += statement[i];
	}
	return "";
}

// The after-load statements (indexes, sequences) and their record, so that a copy killed
// between them is resumed: on PostgreSQL in one transaction with the record; on MySQL,
// whose DDL commits at once, an index that exists already (made by the killed run) is
// not created again.
void RunAfterLoad(TableCopy &table, Session &target) {
	const std::string what = "running the after-load statements of " + table.TargetName();
	if (target.engine() == Engine::postgresql) {
		target.Begin();
		try {
			for (const std::string &statement : table.ddl.after_load)
				target.Execute(statement, what);
			SaveAfterLoadDone(target, table.TargetName());
			target.Commit();
		} catch (...) {
			target.Rollback();
			throw;
		}
		return;
	}
	for (const std::string &statement : table.ddl.after_load) {
		const std::string index = CreatedIndex(statement);
		if (!index.empty() &&
		    !target
		         .Query(
		             "SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
		             " AND INDEX_NAME = ? LIMIT 1",
		             {target.Namespace(), table.target_table, index}, what)
		         .empty())
			continue;
		target.Execute(statement, what);
	}
	SaveAfterLoadDone(target, table.TargetName());
}

// A table of at least this many rows, copied as one chunk, has its source fingerprint
// taken by a second session while its rows stream, when the source can share its
// snapshot: below it, opening the session costs more than the overlap saves.
constexpr std::uint64_t kOverlapRows = 50000;

// The source's fingerprint of a whole table, taken on another session in the same
// snapshot on a thread of its own while the caller streams the rows.
class BackgroundFingerprint {
  public:
	BackgroundFingerprint(std::unique_ptr<Session> session, const std::string &table)
	    : session_(std::move(session)) {
		thread_ = StartClientThread([this, table] {
			try {
				fingerprint_ = session_->Fingerprint(table, "", "");
			} catch (...) {
				error_ = std::current_exception();
			}
		});
	}
	~BackgroundFingerprint() {
		if (thread_.joinable())
			thread_.join();
	}
	BackgroundFingerprint(const BackgroundFingerprint &) = delete;
	BackgroundFingerprint &operator=(const BackgroundFingerprint &) = delete;
	// Waits for it; rethrows its error.
	std::string Get() {
		thread_.join();
		if (error_)
			std::rethrow_exception(error_);
		return fingerprint_;
	}

  private:
	std::unique_ptr<Session> session_;
	std::string fingerprint_;
	std::exception_ptr error_;
	std::thread thread_;
};

// Starts the source's fingerprint of a table of one chunk beside its load, or returns
// nullptr (then it is taken before the load, on the worker's own session).
std::unique_ptr<BackgroundFingerprint> OverlappedFingerprint(const TableCopy &table, Session &source) {
	if (table.source_rows < kOverlapRows)
		return nullptr;
	std::unique_ptr<Session> twin;
	try {
		twin = source.OpenInSnapshot(table.source_table);
	} catch (const Error &) { // no connection to spare (max_connections): no overlap
		return nullptr;
	}
	if (!twin)
		return nullptr;
	return std::make_unique<BackgroundFingerprint>(std::move(twin), table.source_table);
}

// One attempt at a chunk: kept when an earlier run loaded it and the source's rows of
// its range are still what the target holds, else loaded, fingerprinted on the target
// and recorded in one target transaction.
void CopyChunkOnce(TableCopy &table, ChunkPlan &chunk, Session &source, Session &target,
                   const std::string &source_filter, const std::string &target_filter) {
	const Chunk &range = chunk.progress.chunk;
	// The source's fingerprint of the range is needed to keep a chunk loaded earlier,
	// and for a table of one chunk, where it is table_fingerprint itself in the snapshot
	// the proof is taken in (the same worker finishes the table): the proof reuses it.
	// A chunk loaded for the first time needs none: the table's proof covers it.
	const bool whole_table = source_filter.empty() && table.chunks.size() == 1;
	std::unique_ptr<BackgroundFingerprint> background;
	if (whole_table && !chunk.progress.fingerprint)
		background = OverlappedFingerprint(table, source);
	std::string source_fingerprint;
	if (chunk.progress.fingerprint || (whole_table && !background))
		source_fingerprint = source.Fingerprint(table.source_table, table.source_key, source_filter);
	if (whole_table && !background)
		table.source_fingerprint = source_fingerprint;
	if (chunk.progress.fingerprint && *chunk.progress.fingerprint == source_fingerprint) {
		++table.chunks_reused;
		table.rows += chunk.progress.rows;
		return;
	}
	target.Begin();
	try {
		if (chunk.MayHoldRows())
			target.Execute("DELETE FROM " + target.Quoted(table.target_table) + Where(target_filter),
			               "removing the rows an earlier run loaded into " + table.TargetName());
		std::uint64_t loaded = 0, sent = 0;
		{
			const std::unique_ptr<RowReader> reader =
			    source.Read(table.select_list, table.source_table, source_filter);
			RowStream stream(*reader, target, table.stream, table.rows, table.bytes);
			try {
				loaded = target.Load(table.target_table, table.target_columns, stream);
			} catch (...) {
				table.rows -= stream.Rows();   // counted again by the next attempt
				table.bytes -= stream.Bytes(); // what it counted: not a refused row's
				throw;
			}
			sent = stream.Rows();
		}
		if (loaded != sent)
			throw Error(target.Who() + ": loading " + table.TargetName() + " (" + DescribeChunk(range) +
			            ") stored " + std::to_string(loaded) + " of the " + std::to_string(sent) +
			            " rows sent");
		// What the target holds for the range now, recorded with the rows.
		const std::string target_fingerprint =
		    target.Fingerprint(table.target_table, table.target_key, target_filter);
		SaveChunk(target, table.TargetName(), range, target_fingerprint, sent);
		target.Commit();
		chunk.progress.rows = sent;
		chunk.progress.fingerprint = target_fingerprint;
		chunk.earlier_run = true; // its rows are there now
		// The chunk is the whole table: what the target holds as loaded is this, taken in
		// the transaction that loaded it. The proof reuses it rather than read the table a
		// second time (the after-load statements create indexes: they change no value).
		if (whole_table)
			table.target_fingerprint = target_fingerprint;
		if (background)
			table.source_fingerprint = background->Get();
	} catch (...) {
		target.Rollback();
		throw;
	}
}

// A PostgreSQL target table that existed before the copy: the sequence of each identity
// or serial column is moved past the largest value copied into it, as pg_dump's restore
// and pgloader leave them, so that the next INSERT without that column does not collide
// with a copied row. Only ever forward: a sequence already past it (values handed out
// before the table was emptied) keeps its place. A table this copy created had this done
// by its after-load statements. MySQL/MariaDB targets need nothing: InnoDB moves a
// table's AUTO_INCREMENT past every value LOAD DATA stores.
void MoveSequences(TableCopy &table, Session &target) {
	for (const std::string &column : table.target_serials) {
		const std::string quoted = target.QuoteName(column);
		target.Query(
		    "SELECT pg_catalog.setval(q.seq, q.v) FROM (SELECT pg_catalog.pg_get_serial_sequence($1, $2)"
		    "::regclass AS seq, (SELECT max(" +
		        quoted + ") FROM " + target.Quoted(table.target_table) +
		        ")::bigint AS v) q"
		        " JOIN pg_catalog.pg_sequences ps ON pg_catalog.format('%I.%I', ps.schemaname,"
		        " ps.sequencename)::regclass = q.seq"
		        " WHERE q.v IS NOT NULL AND ps.increment_by > 0"
		        " AND q.v > COALESCE(ps.last_value, ps.start_value - 1)",
		    {target.Quoted(table.target_table), column},
		    "moving the sequence of " + table.TargetName() + "." + column +
		        " past the copied values (setval needs UPDATE on the sequence)");
	}
}

} // namespace

const char *OutcomeName(TableOutcome outcome) {
	switch (outcome) {
	case TableOutcome::identical:
		return "identical";
	case TableOutcome::different:
		return "DIFFERENT";
	case TableOutcome::error:
		return "error";
	case TableOutcome::pending:
		break;
	}
	return "pending";
}

void TableCopy::Fail(const std::string &message) {
	std::lock_guard<std::mutex> lock(mutex);
	if (error.empty())
		error = message;
	failed = true;
}

std::string TableCopy::SourceName() const {
	return source_namespace + "." + source_table;
}
std::string TableCopy::TargetName() const {
	return target_namespace + "." + target_table;
}

namespace {

// PostgreSQL inheritance children of a plain table, or "" (partitions are not children
// here: a partitioned table's rows are its partitions').
std::string InheritanceChildren(Session &session, const std::string &table) {
	const std::vector<Row> rows = session.Query(
	    "SELECT pg_catalog.string_agg(child.relname, ', ' ORDER BY child.relname)"
	    " FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class parent ON parent.oid = i.inhparent"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = parent.relnamespace"
	    " JOIN pg_catalog.pg_class child ON child.oid = i.inhrelid"
	    " WHERE n.nspname = $1 AND parent.relname = $2 AND parent.relkind = 'r'",
	    {session.Namespace(), table}, "looking for inheritance children of " + session.Qualified(table));
	return rows.empty() || !rows[0][0] ? std::string() : *rows[0][0];
}

// table_fingerprint (and any SELECT) includes a PostgreSQL inheritance parent's children's
// rows, while the children are tables of their own, copied on their own: a copy of the
// parent would hold their rows twice, or prove less than it claims. Refused on either side.
void RefuseInheritanceParent(Session &session, const std::string &table, const char *side) {
	if (session.engine() != Engine::postgresql || table.empty())
		return;
	const std::string children = InheritanceChildren(session, table);
	if (!children.empty())
		throw Error(std::string(side) + " table " + session.Qualified(table) +
		            " is an inheritance parent (children: " + children +
		            "): its rows and fingerprint include its children's, so fingerprint copy does not copy"
		            " it; copy the children, and the parent's own rows with SELECT ... FROM ONLY");
}

} // namespace

void PlanTable(TableCopy &table, Session &source, Session &target, const CopySettings &settings) {
	table.source_namespace = source.Namespace();
	table.target_namespace = target.Namespace();
	RefuseInheritanceParent(source, table.source_table, "source");
	RefuseInheritanceParent(target, table.target_table, "target");
	// Every column readable, before the catalog is read: a MySQL/MariaDB catalog shows a
	// user only the columns they may read, so the table would be planned without the
	// others; SELECT * names the first column denied.
	source.Query("SELECT * FROM " + source.Quoted(table.source_table) + " LIMIT 0", {},
	             "checking that every column of " + table.SourceName() + " can be read");
	table.source =
	    ReadTableDefinition(source.engine(), source.Catalog(), source.Namespace(), table.source_table);
	table.stream.table = table.SourceName();
	std::vector<std::pair<int, std::size_t>> keys;
	for (std::size_t i = 0; i < table.source.columns.size(); ++i) {
		const ColumnDefinition &column = table.source.columns[i];
		table.select_list += (i > 0 ? ", " : "") + SourceExpression(source.engine(), column);
		table.stream.names.push_back(column.name);
		if (column.key_position > 0)
			keys.emplace_back(column.key_position, i);
	}
	std::sort(keys.begin(), keys.end());
	for (const auto &key : keys)
		table.stream.key.push_back(key.second);
	if (keys.size() == 1 && IsRangeKey(source.engine(), table.source.columns[keys[0].second]))
		table.source_key = table.source.columns[keys[0].second].name;

	// Every column readable (privileges, row-level security) before --truncate empties the
	// target or anything is created.
	source.Query("SELECT " + table.select_list + " FROM " + source.Quoted(table.source_table) + " LIMIT 0",
	             {}, "checking that the rows of " + table.SourceName() + " can be read");

	// Counted in the snapshot: the chunks' sizes and the progress display's total.
	std::int64_t min = 0, max = -1;
	if (table.source_key.empty()) {
		table.source_rows =
		    std::strtoull(source
		                      .Query("SELECT count(*) FROM " + source.Quoted(table.source_table), {},
		                             "counting the rows of " + table.SourceName())[0][0]
		                      ->c_str(),
		                  nullptr, 10);
	} else {
		const std::string key = source.QuoteName(table.source_key);
		const Row row = source.Query("SELECT count(*), min(" + key + "), max(" + key + ") FROM " +
		                                 source.Quoted(table.source_table),
		                             {}, "counting the rows of " + table.SourceName())[0];
		table.source_rows = std::strtoull(row[0]->c_str(), nullptr, 10);
		if (row[1] && row[2]) {
			min = std::strtoll(row[1]->c_str(), nullptr, 10);
			max = std::strtoll(row[2]->c_str(), nullptr, 10);
		}
	}

	table.target_exists = !table.target_table.empty();
	if (!table.target_exists) {
		if (!settings.create_tables)
			throw Error("there is no table " + target.Qualified(table.source_table) +
			            " on the target: create it, or pass --create-tables");
		table.target_table = table.source_table;
		table.create = true;
	}
	const TableProgress progress = ReadProgress(target, table.TargetName());
	if (progress.exists && table.target_exists && !progress.chunks.empty()) {
		table.resumed = true;
		table.created_table = progress.created_table;
		table.after_load_done = progress.after_load_done;
		for (const ChunkProgress &chunk : progress.chunks)
			table.chunks.push_back(ChunkPlan{chunk, true});
		// The stored ranges were cut on the key as it was then.
		if (table.chunks.size() > 1 || table.chunks[0].progress.chunk.lo ||
		    table.chunks[0].progress.chunk.hi) {
			if (table.source_key.empty())
				throw Error("the interrupted copy of " + table.TargetName() +
				            " was cut into key ranges, but the source table " + table.SourceName() +
				            " no longer has a one-column integer primary key: empty the target table and"
				            " DELETE its rows from fingerprint.copy_progress to start again");
		}
	} else {
		for (const Chunk &chunk :
		     PlanChunks(min, max, table.source_rows, table.source_key.empty() ? 0 : settings.chunk_rows))
			table.chunks.push_back(ChunkPlan{ChunkProgress{chunk, std::nullopt, 0}, false});
		if (table.target_exists) {
			table.target_has_rows =
			    !target
			         .Query("SELECT 1 FROM " + target.Quoted(table.target_table) + " LIMIT 1", {},
			                "looking for rows in " + table.TargetName())
			         .empty();
			if (table.target_has_rows && !settings.truncate)
				throw Error("target table " + table.TargetName() +
				            " already holds rows: pass --truncate to empty it first");
			table.truncate_first = table.target_has_rows;
		}
	}
	table.notes = table.source.notes;
	if (table.create || table.created_table) {
		table.ddl = CreateTableDdl(table.source, source.engine(), target.engine(), target.Namespace());
		// The DDL repeats some of the source's notes (a generated column's): each is shown once.
		for (const std::string &note : table.ddl.notes)
			if (std::find(table.notes.begin(), table.notes.end(), note) == table.notes.end())
				table.notes.push_back(note);
	}
}

void PrepareTarget(TableCopy &table, Session &source, Session &target) {
	if (table.resumed) {
		BuildConverters(
		    table, source.engine(), target,
		    ReadTableDefinition(target.engine(), target.Catalog(), target.Namespace(), table.target_table));
		return;
	}
	// PostgreSQL creates the table and records the plan in one transaction; MySQL commits
	// DDL at once, so there a table created before a failure is dropped again.
	const bool transactional_ddl = target.engine() == Engine::postgresql;
	bool in_transaction = false;
	try {
		if (transactional_ddl) {
			target.Begin();
			in_transaction = true;
		}
		DeleteProgress(target, table.TargetName()); // left by a copy whose table is gone
		if (table.create) {
			for (const std::string &statement : table.ddl.create)
				target.Execute(statement, "creating " + table.TargetName());
			table.created_table = true;
		} else if (table.truncate_first) {
			ExecuteBounded(target, "TRUNCATE TABLE " + target.Quoted(table.target_table),
			               "emptying " + table.TargetName());
		}
		BuildConverters(
		    table, source.engine(), target,
		    ReadTableDefinition(target.engine(), target.Catalog(), target.Namespace(), table.target_table));
		if (!in_transaction) {
			target.Begin();
			in_transaction = true;
		}
		std::vector<Chunk> chunks;
		for (const ChunkPlan &chunk : table.chunks)
			chunks.push_back(chunk.progress.chunk);
		SavePlan(target, table.TargetName(), table.created_table, chunks);
		target.Commit();
	} catch (...) {
		if (in_transaction)
			target.Rollback();
		if (table.created_table && !transactional_ddl) {
			try {
				target.Execute("DROP TABLE IF EXISTS " + target.Quoted(table.target_table),
				               "dropping " + table.TargetName() + " again");
			} catch (...) { // the first error is the one to report
			}
		}
		table.created_table = false;
		throw;
	}
}

void CheckTarget(TableCopy &table, Session &source, Session &target) {
	if (table.target_exists)
		BuildConverters(
		    table, source.engine(), target,
		    ReadTableDefinition(target.engine(), target.Catalog(), target.Namespace(), table.target_table));
}

void CopyChunk(TableCopy &table, std::size_t index, Session &source, Session &target) {
	if (table.failed)
		return;
	{
		std::lock_guard<std::mutex> lock(table.mutex);
		if (!table.has_started) {
			table.started = std::chrono::steady_clock::now();
			table.has_started = true;
		}
	}
	table.running = true;
	ChunkPlan &chunk = table.chunks[index];
	const Chunk &range = chunk.progress.chunk;
	// Filters are built from the key's name on each side (the same column, which may
	// be spelled differently).
	const std::string source_filter =
	    table.source_key.empty() ? std::string() : ChunkFilter(range, source.QuoteName(table.source_key));
	const std::string target_filter =
	    table.source_key.empty() ? std::string() : ChunkFilter(range, target.QuoteName(table.target_key));
	// A deadlock or lock wait timeout on the target rolled the chunk back: try again,
	// a few times, after a pause that grows.
	for (int attempt = 1;; ++attempt) {
		try {
			CopyChunkOnce(table, chunk, source, target, source_filter, target_filter);
			return;
		} catch (const TransientError &error) {
			if (attempt == kChunkAttempts) {
				table.Fail(std::string(error.what()) + " (" + std::to_string(attempt) + " attempts)");
				return;
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
		} catch (const std::exception &error) {
			table.Fail(error.what());
			return;
		}
	}
}

void FinishTable(TableCopy &table, Session &source, Session &target) {
	if (table.failed) {
		table.outcome = TableOutcome::error;
		RemovePartialLoad(table, target);
	} else {
		try {
			if (table.created_table && !table.after_load_done && !table.ddl.after_load.empty()) {
				RunAfterLoad(table, target);
				table.after_load_done = true;
			}
			if (!table.created_table)
				MoveSequences(table, target);
			// The source's in the snapshot its rows were read in; the target's as loaded
			// (taken with the load of a table of one chunk).
			if (table.source_fingerprint.empty())
				table.source_fingerprint = source.Fingerprint(table.source_table, "", "");
			if (table.target_fingerprint.empty())
				table.target_fingerprint = target.Fingerprint(table.target_table, "", "");
			table.outcome = table.source_fingerprint == table.target_fingerprint ? TableOutcome::identical
			                                                                     : TableOutcome::different;
		} catch (const std::exception &error) {
			table.error = error.what();
			table.outcome = TableOutcome::error;
		}
	}
	if (table.has_started)
		table.seconds =
		    std::chrono::duration<double>(std::chrono::steady_clock::now() - table.started).count();
	table.running = false;
	table.ended = true;
}

} // namespace fingerprint::cli::copy
