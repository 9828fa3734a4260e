// The capture trigger's log-row queue (capture_log_queue.hpp): rows are formed when the
// trigger fires, numbered (seq) in firing order just before they are written, and written
// in batches with heap_multi_insert, which fills a page per WAL record instead of logging
// each row, and opens the log's indexes once per batch instead of once per row.
//
// Why the flush points are safe: PostgreSQL fires a statement's AFTER ROW triggers from
// AfterTriggerEndQuery, inside ExecutorFinish (or inside COPY's / TRUNCATE's utility
// call), so when the enclosing call returns, every row the statement captured is queued.
// A subtransaction opened meanwhile (a PL/pgSQL EXCEPTION block in another trigger, a
// savepoint of a procedure) has ended by then, its rows moved to the parent or dropped.
//
// C-style code (guard.hpp): nothing here owns memory through a C++ destructor.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "tcop/utility.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

// Called once when the server loads the module (dfmgr.c looks it up by name).
PGDLLEXPORT void _PG_init(void);
}

#include "capture_log_queue.hpp"

namespace fingerprint_pg {

namespace {

// Rows written per heap_multi_insert, and the most a subtransaction queues before it
// writes: a COPY of millions of rows keeps at most this many in memory.
constexpr int kBatchRows = 1000;

struct QueuedRow {
	HeapTuple tuple; // in the queue's memory; its seq is set by NumberQueuedRows
	Oid log_relid;
	Oid seq_relid;           // the sequence its seq comes from
	SubTransactionId subxid; // the subtransaction that queued it (its rows go with it)
};

// The queue of the running transaction. rows are in the order the trigger fired; their
// subxids never decrease along the array (a subtransaction starts after its parent's rows
// were queued, and its own rows are relabelled or dropped when it ends), so the rows of
// the innermost open subtransaction are a suffix: rows[run_start, count).
struct LogQueue {
	MemoryContext memory; // child of TopTransactionContext; nullptr until a row is queued
	QueuedRow *rows;
	int count;
	int capacity;
	int run_start;
	// rows[0, numbered) have their seq. Rows are numbered in queue order and only a suffix
	// is ever removed, so the numbered rows are always a prefix.
	int numbered;
	// Slots for heap_multi_insert, made for the descriptor of slots_relid.
	TupleTableSlot **slots;
	int slot_count;
	Oid slots_relid;
	TupleDesc slots_desc; // a copy, in the queue's memory
};

LogQueue queue = {};

// ExecutorFinish and ProcessUtility calls of this backend running inside our hooks: when
// none is, nothing will write the queue at the end of the statement, so the trigger
// writes its row at once.
int enclosing_statements = 0;

ExecutorFinish_hook_type previous_executor_finish = nullptr;
ProcessUtility_hook_type previous_process_utility = nullptr;

// The queue's memory went with its transaction (memory context callback).
void ForgetQueue(void *) {
	queue = LogQueue{};
}

void EnsureQueueMemory() {
	if (queue.memory != nullptr)
		return;
	MemoryContext memory =
	    AllocSetContextCreate(TopTransactionContext, "fingerprint capture log queue", ALLOCSET_DEFAULT_SIZES);
	MemoryContextCallback *callback =
	    static_cast<MemoryContextCallback *>(MemoryContextAlloc(memory, sizeof(MemoryContextCallback)));
	callback->func = ForgetQueue;
	callback->arg = nullptr;
	MemoryContextRegisterResetCallback(memory, callback);
	queue.capacity = 64;
	queue.rows =
	    static_cast<QueuedRow *>(MemoryContextAlloc(memory, sizeof(QueuedRow) * (size_t)queue.capacity));
	queue.memory = memory;
}

// A block of seq values reserved with one nextval: [next, last].
struct SeqBlock {
	Oid seq_relid;
	int64 next;
	int64 last;
};

// One nextval of the sequence, and the values up to the next one it hands out: with
// INCREMENT n, nextval returning v reserves v .. v + n - 1 for this caller alone (no other
// nextval returns them). Within the sequence's maximum; an increment below 1 reserves v.
SeqBlock ReserveSeqBlock(Oid seq_relid) {
	// nextval without a permission check: writers need no privilege on the log.
	const int64 first = nextval_internal(seq_relid, false);
	int64 increment = 1;
	int64 maximum = PG_INT64_MAX;
	HeapTuple sequence = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq_relid));
	if (HeapTupleIsValid(sequence)) {
		const Form_pg_sequence form = reinterpret_cast<Form_pg_sequence>(GETSTRUCT(sequence));
		increment = form->seqincrement;
		maximum = form->seqmax;
		ReleaseSysCache(sequence);
	}
	int64 last = first;
	if (increment > 1 && first <= maximum)
		last = first + Min(increment - 1, maximum - first);
	return SeqBlock{seq_relid, first, last};
}

// Gives every queued row without a seq its seq, in queue (firing) order. Values left in the
// last block are dropped, never kept for a later call: a row numbered later must get a
// larger seq than any other session's row numbered meanwhile.
void NumberQueuedRows() {
	SeqBlock block = {InvalidOid, 1, 0};
	for (; queue.numbered < queue.count; queue.numbered++) {
		QueuedRow *row = &queue.rows[queue.numbered];
		if (block.seq_relid != row->seq_relid || block.next > block.last)
			block = ReserveSeqBlock(row->seq_relid);
		// seq is the log's first column, a bigint that is never NULL (checked when the row
		// was queued), so it starts the tuple's data.
		HeapTupleHeader header = row->tuple->t_data;
		*reinterpret_cast<int64 *>(reinterpret_cast<char *>(header) + header->t_hoff) = block.next++;
	}
}

// Start of the run of rows at the end of the queue that share the last row's subxid.
int LastRunStart() {
	int start = queue.count;
	while (start > 0 && queue.rows[start - 1].subxid == queue.rows[queue.count - 1].subxid)
		start--;
	return start;
}

// Slots for `count` rows of the log `log`; made once per transaction (and log relation).
TupleTableSlot **SlotsFor(Relation log, int count) {
	if (queue.slots_relid != RelationGetRelid(log)) {
		for (int i = 0; i < queue.slot_count; i++)
			ExecDropSingleTupleTableSlot(queue.slots[i]);
		queue.slot_count = 0;
		queue.slots_relid = RelationGetRelid(log);
		if (queue.slots == nullptr)
			queue.slots = static_cast<TupleTableSlot **>(
			    MemoryContextAlloc(queue.memory, sizeof(TupleTableSlot *) * (size_t)kBatchRows));
	}
	MemoryContext old_context = MemoryContextSwitchTo(queue.memory);
	// The slots outlive the statement, so they get a copy of the descriptor: one of the
	// relcache's would be pinned by the statement's resource owner (a reference leak
	// when the statement ends).
	if (queue.slot_count == 0)
		queue.slots_desc = CreateTupleDescCopy(RelationGetDescr(log));
	while (queue.slot_count < count)
		queue.slots[queue.slot_count++] = MakeSingleTupleTableSlot(queue.slots_desc, &TTSOpsHeapTuple);
	MemoryContextSwitchTo(old_context);
	return queue.slots;
}

// Index entries for rows just inserted. Only plain column indexes are supported (the
// extension creates one, on txid); an index still being built is skipped, as the
// executor does.
void InsertIndexEntries(Relation log, TupleTableSlot **slots, int count) {
	List *indexes = RelationGetIndexList(log);
	ListCell *cell;
	foreach (cell, indexes) {
		Relation index = index_open(lfirst_oid(cell), RowExclusiveLock);
		IndexInfo *info = BuildIndexInfo(index);
		if (info->ii_Expressions != NIL || info->ii_Predicate != NIL || info->ii_ExclusionOps != nullptr)
			ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			                errmsg("index \"%s\" on fingerprint.change_log is not supported",
			                       RelationGetRelationName(index)),
			                errdetail("The capture trigger maintains plain column indexes only.")));
		if (info->ii_ReadyForInserts) {
			const IndexUniqueCheck check = index->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO;
			for (int i = 0; i < count; i++) {
				Datum values[INDEX_MAX_KEYS];
				bool isnull[INDEX_MAX_KEYS];
				FormIndexDatum(info, slots[i], nullptr, values, isnull);
				index_insert(index, values, isnull, &slots[i]->tts_tid, log, check, false, info);
			}
		}
		index_close(index, NoLock);
	}
	list_free(indexes);
}

// Writes rows[begin, end), all of one log relation, at most kBatchRows of them.
void WriteBatch(int begin, int end) {
	Relation log = table_open(queue.rows[begin].log_relid, RowExclusiveLock);
	const int count = end - begin;
	TupleTableSlot **slots = SlotsFor(log, count);
	// The slots own the tuples from here on: clearing a slot frees its tuple.
	for (int i = 0; i < count; i++)
		ExecStoreHeapTuple(queue.rows[begin + i].tuple, slots[i], true);
	heap_multi_insert(log, slots, count, GetCurrentCommandId(true), 0, nullptr);
	InsertIndexEntries(log, slots, count);
	for (int i = 0; i < count; i++)
		ExecClearTuple(slots[i]);
	table_close(log, NoLock);
}

// Writes the rows of the current subtransaction (the rows of an enclosing one wait until
// it is current again).
void WriteCurrentRun() {
	if (queue.count == 0 || !IsTransactionState() || IsInParallelMode())
		return;
	if (queue.rows[queue.count - 1].subxid != GetCurrentSubTransactionId())
		return;
	// Rows of enclosing subtransactions, queued before this run, are numbered too: seq
	// follows the order the trigger fired in.
	NumberQueuedRows();
	const int start = queue.run_start;
	// An ERROR while writing aborts the current subtransaction, which drops the whole run
	// (the rows already inserted go with it).
	int begin = start;
	while (begin < queue.count) {
		int end = begin + 1;
		while (end < queue.count && end - begin < kBatchRows &&
		       queue.rows[end].log_relid == queue.rows[begin].log_relid)
			end++;
		WriteBatch(begin, end);
		begin = end;
	}
	queue.count = start;
	queue.numbered = Min(queue.numbered, queue.count);
	queue.run_start = LastRunStart();
}

void OnTransactionEvent(XactEvent event, void *) {
	switch (event) {
	case XACT_EVENT_PRE_COMMIT:
	case XACT_EVENT_PRE_PREPARE:
		// Every subtransaction has ended, so every row is the top transaction's.
		WriteCurrentRun();
		if (queue.count != 0)
			ereport(ERROR,
			        (errcode(ERRCODE_INTERNAL_ERROR),
			         errmsg("fingerprint.change_log rows of an ended subtransaction are still queued"),
			         errdetail("The transaction is rolled back rather than losing captured changes.")));
		break;
	case XACT_EVENT_COMMIT:
	case XACT_EVENT_PARALLEL_COMMIT:
	case XACT_EVENT_PREPARE:
	case XACT_EVENT_ABORT:
	case XACT_EVENT_PARALLEL_ABORT:
		// The memory goes with TopTransactionContext (ForgetQueue); nothing queued may be
		// written after this point.
		queue.count = 0;
		queue.run_start = 0;
		queue.numbered = 0;
		break;
	default:
		break;
	}
}

void OnSubtransactionEvent(SubXactEvent event, SubTransactionId subxid, SubTransactionId parent, void *) {
	if (queue.count == 0)
		return;
	if (event == SUBXACT_EVENT_COMMIT_SUB) {
		// Its rows become the parent's, written when the parent's statement ends.
		for (int i = queue.count; i > 0 && queue.rows[i - 1].subxid == subxid; i--)
			queue.rows[i - 1].subxid = parent;
		queue.run_start = LastRunStart();
	} else if (event == SUBXACT_EVENT_ABORT_SUB) {
		// Its rows go with it (their memory is released with the transaction's).
		while (queue.count > 0 && queue.rows[queue.count - 1].subxid >= subxid)
			queue.count--;
		queue.numbered = Min(queue.numbered, queue.count);
		queue.run_start = LastRunStart();
	}
}

void CaptureExecutorFinish(QueryDesc *query) {
	enclosing_statements++;
	PG_TRY();
	{
		if (previous_executor_finish != nullptr)
			previous_executor_finish(query);
		else
			standard_ExecutorFinish(query);
	}
	PG_FINALLY();
	{ enclosing_statements--; }
	PG_END_TRY();
	// The statement's after-trigger queue has run: its log rows are all queued.
	WriteCurrentRun();
}

void CaptureProcessUtility(PlannedStmt *statement, const char *query_string, bool read_only_tree,
                           ProcessUtilityContext context, ParamListInfo params, QueryEnvironment *environment,
                           DestReceiver *dest, QueryCompletion *completion) {
	// Before any utility command (COPY fingerprint.change_log TO, DROP EXTENSION,
	// COMMIT inside a procedure): nothing of this subtransaction stays queued.
	WriteCurrentRun();
	enclosing_statements++;
	PG_TRY();
	{
		if (previous_process_utility != nullptr)
			previous_process_utility(statement, query_string, read_only_tree, context, params, environment,
			                         dest, completion);
		else
			standard_ProcessUtility(statement, query_string, read_only_tree, context, params, environment,
			                        dest, completion);
	}
	PG_FINALLY();
	{ enclosing_statements--; }
	PG_END_TRY();
	// COPY FROM and TRUNCATE fire their triggers inside the utility call.
	WriteCurrentRun();
}

} // namespace

void QueueLogRow(Relation log, Oid seq_relid, Datum *values, bool *nulls) {
	const TupleDesc desc = RelationGetDescr(log);
	if (desc->natts < 1 || TupleDescAttr(desc, 0)->atttypid != INT8OID ||
	    !TupleDescAttr(desc, 0)->attnotnull || TupleDescAttr(desc, 0)->attisdropped)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("the first column of fingerprint.change_log is not seq bigint NOT NULL")));
	EnsureQueueMemory();
	MemoryContext old_context = MemoryContextSwitchTo(queue.memory);
	// seq is formed as 0 (not NULL, so the column has its 8 bytes) and set when numbered.
	values[0] = Int64GetDatum(0);
	nulls[0] = false;
	HeapTuple tuple = heap_form_tuple(desc, values, nulls);
	if (queue.count == queue.capacity) {
		queue.capacity *= 2;
		queue.rows =
		    static_cast<QueuedRow *>(repalloc(queue.rows, sizeof(QueuedRow) * (size_t)queue.capacity));
	}
	MemoryContextSwitchTo(old_context);
	const SubTransactionId subxid = GetCurrentSubTransactionId();
	if (queue.count == 0 || queue.rows[queue.count - 1].subxid != subxid)
		queue.run_start = queue.count;
	queue.rows[queue.count++] = QueuedRow{tuple, RelationGetRelid(log), seq_relid, subxid};
	if (enclosing_statements == 0 || queue.count - queue.run_start >= kBatchRows)
		WriteCurrentRun();
}

void InstallCaptureLogQueue() {
	previous_executor_finish = ExecutorFinish_hook;
	ExecutorFinish_hook = CaptureExecutorFinish;
	previous_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = CaptureProcessUtility;
	RegisterXactCallback(OnTransactionEvent, nullptr);
	RegisterSubXactCallback(OnSubtransactionEvent, nullptr);
}

} // namespace fingerprint_pg

void _PG_init(void) {
	fingerprint_pg::InstallCaptureLogQueue();
}
