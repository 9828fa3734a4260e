// table_fingerprint's direct read of a plain table (table_scan.hpp): one heap scan, or one
// parallel heap scan shared by the leader and its workers.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/heapam.h"
#include "access/parallel.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "executor/tuptable.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "optimizer/paths.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"
#include "storage/shm_toc.h"
#include "utils/acl.h"
#include "utils/memutils.h"
#include "utils/rls.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

#include "row_cache.hpp"
#include "stored_row.hpp"
#include "table_scan.hpp"

#include "fingerprint/row_hasher.hpp"

// The entry point parallel workers run; looked up by name, so it must be exported.
extern "C" PGDLLEXPORT void fingerprint_scan_worker(dsm_segment *segment, shm_toc *toc);

namespace fingerprint_pg {

namespace {

constexpr uint64 kSharedKey = UINT64CONST(0xF1A9E2B7C0000001);

// Shared with the workers: what to scan and one result slot per worker. The selected-
// column flags and the parallel scan descriptor follow the struct in the same chunk.
struct SharedScan {
	Oid relid;
	uint8 algorithm;
	int natts;
	int nworkers;
	Size scan_offset;                       // where the ParallelTableScanDesc starts, from the struct's start
	fingerprint::AggregateState results[1]; // nworkers of them
};

bool *SharedSelected(SharedScan *shared) {
	return reinterpret_cast<bool *>(&shared->results[shared->nworkers]);
}

ParallelTableScanDesc SharedScanDesc(SharedScan *shared) {
	return reinterpret_cast<ParallelTableScanDesc>(reinterpret_cast<char *>(shared) + shared->scan_offset);
}

// How many tuples ahead of the one being read its page's tuples are prefetched. Why: a
// sequential scan's count(*) never touches the tuples of an all-visible page, but
// reading the values does, and the CPU does not guess the next tuple (a page's line
// pointers run forward while its tuples are stored backward, with gaps). The page's
// list of visible tuples says which comes next, so the one kPrefetchDistance ahead is
// fetched into the cache while this one is encoded (bench/RESULTS.md).
constexpr int kPrefetchDistance = 6;

// The prefetch helpers are always inlined into their callers: a function that does nothing
// but prefetch has no effect GCC must keep, so it marks the function const and drops
// every call to it (observed with g++ 12 at -O2 and -O3: not one prefetch was left).
pg_attribute_always_inline void PrefetchLine(const char *address) {
	__builtin_prefetch(address);
}

pg_attribute_always_inline void PrefetchTuple(Page page, OffsetNumber offset) {
	const ItemId item = PageGetItemId(page, offset);
	const char *start = static_cast<const char *>(page) + ItemIdGetOffset(item);
	const char *end = start + ItemIdGetLength(item);
	for (const char *line = start; line < end; line += 64)
		PrefetchLine(line);
	PrefetchLine(end - 1);
}

// Frees what the row allocated (detoasted values), if anything: most rows allocate
// nothing, and the test MemoryContextReset makes first is then made here, without the
// call into the server (a cost per row the profile showed).
pg_attribute_always_inline void ResetRowContext(MemoryContext row_context) {
	if (!row_context->isReset || row_context->firstchild != nullptr)
		MemoryContextReset(row_context);
}

// One row into the aggregate: read from its stored bytes when it holds every column
// the reader walks, otherwise deformed through the slot (storing it there first when
// `tuple` is not the slot's own). Plain C-style frame.
pg_attribute_always_inline void AddTuple(const StoredRowReader *reader, const RowCache *cache,
                                         TupleTableSlot *slot, HeapTuple tuple, Buffer buffer,
                                         fingerprint::RowHasher *hasher, fingerprint::AggregateState *state) {
	if (!AddStoredRow(reader, tuple->t_data, hasher)) {
		if (buffer != InvalidBuffer)
			ExecStoreBufferHeapTuple(tuple, slot, buffer);
		slot_getsomeattrs(slot, cache->last_column);
		AddRow(cache, slot->tts_values, slot->tts_isnull, hasher);
	}
	fingerprint::AggregateAdd(state, hasher->Finish());
}

// The rest of the page the heap scan just entered, read in place: every visible tuple
// from the one the scan returned (rs_cindex) to the page's last (rs_vistuples, filled
// by heapgetpage), and then the scan is told it returned the last one, so its next
// call moves to the next page. Why: going through table_scan_getnextslot for every
// tuple costs four calls (the access method, heapgettup_pagemode, storing the tuple in
// the slot and fetching it back) that do nothing a page's list of tuples does not
// already say; this loop is what heapgettup_pagemode runs for a scan without keys.
// Counted in pg_stat as the scan would count it.
void AddRestOfPage(Relation relation, HeapScanDesc heap_scan, const StoredRowReader *reader,
                   const RowCache *cache, TupleTableSlot *slot, MemoryContext row_context,
                   fingerprint::RowHasher *hasher, fingerprint::AggregateState *state) {
	const Page page = BufferGetPage(heap_scan->rs_cbuf);
	const int count = heap_scan->rs_ntuples;
	const int first = heap_scan->rs_cindex;
	for (int index = first + 1; index < Min(first + kPrefetchDistance, count); index++)
		PrefetchTuple(page, heap_scan->rs_vistuples[index]);
	// The scan's own current tuple, set as heapgettup_pagemode sets it: a tuple stored in
	// the slot (AddTuple's fallback) is then the scan's, as it always is, never a local.
	HeapTuple tuple = &heap_scan->rs_ctup;
	for (int index = first; index < count; index++) {
		CHECK_FOR_INTERRUPTS();
		if (index + kPrefetchDistance < count)
			PrefetchTuple(page, heap_scan->rs_vistuples[index + kPrefetchDistance]);
		const OffsetNumber offset = heap_scan->rs_vistuples[index];
		const ItemId item = PageGetItemId(page, offset);
		tuple->t_data = reinterpret_cast<HeapTupleHeader>(PageGetItem(page, item));
		tuple->t_len = ItemIdGetLength(item);
		ItemPointerSet(&tuple->t_self, heap_scan->rs_cblock, offset);
		AddTuple(reader, cache, slot, tuple, heap_scan->rs_cbuf, hasher, state);
		ResetRowContext(row_context);
		if (index > first)
			pgstat_count_heap_getnext(relation); // the first one was counted by the scan
	}
	heap_scan->rs_cindex = count - 1;
}

// Reads every tuple the scan returns into the aggregate. A heap scan in page-at-a-time
// mode is read a page at a time (AddRestOfPage); a tuple of another table access
// method is taken from the slot. Plain C-style frame: only the trivially destructible
// RowHasher lives here, so any ERROR may longjmp through it (a cancel request included).
void ScanInto(Relation relation, TableScanDesc scan, const RowCache *cache,
              fingerprint::AggregateState *state) {
	fingerprint::RowHasher hasher(static_cast<fingerprint::Algorithm>(state->algorithm));
	TupleTableSlot *slot = table_slot_create(relation, nullptr);
	const bool stored_tuples = slot->tts_ops == &TTSOpsBufferHeapTuple;
	// Only heap scans in page-at-a-time mode list their page's tuples (rs_vistuples).
	HeapScanDesc heap_scan = stored_tuples && relation->rd_tableam == GetHeapamTableAmRoutine() &&
	                                 (scan->rs_flags & SO_ALLOW_PAGEMODE) != 0
	                             ? reinterpret_cast<HeapScanDesc>(scan)
	                             : nullptr;
	const StoredRowReader *reader = MakeStoredRowReader(cache);
	// Detoasted values are freed row by row.
	MemoryContext row_context =
	    AllocSetContextCreate(CurrentMemoryContext, "fingerprint row", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old_context = MemoryContextSwitchTo(row_context);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot)) {
		if (heap_scan != nullptr) {
			AddRestOfPage(relation, heap_scan, reader, cache, slot, row_context, &hasher, state);
			continue;
		}
		CHECK_FOR_INTERRUPTS();
		if (stored_tuples)
			AddTuple(reader, cache, slot, ExecFetchSlotHeapTuple(slot, false, nullptr), InvalidBuffer,
			         &hasher, state);
		else {
			slot_getsomeattrs(slot, cache->last_column);
			AddRow(cache, slot->tts_values, slot->tts_isnull, &hasher);
			fingerprint::AggregateAdd(state, hasher.Finish());
		}
		ResetRowContext(row_context);
	}
	MemoryContextSwitchTo(old_context);
	MemoryContextDelete(row_context);
	ExecDropSingleTupleTableSlot(slot);
}

// As many workers as the planner would give a sequential scan of this size: one, then
// one more each time the table triples past min_parallel_table_scan_size.
int WorkersFor(Relation relation) {
	if (max_parallel_workers_per_gather <= 0 || !IsUnderPostmaster || IsInParallelMode())
		return 0;
	const double pages = RelationGetNumberOfBlocks(relation);
	double threshold = Max(min_parallel_table_scan_size, 1);
	if (pages < threshold)
		return 0;
	int workers = 1;
	while (pages >= threshold * 3 && workers < max_parallel_workers_per_gather) {
		workers++;
		threshold *= 3;
	}
	return Min(workers, max_parallel_workers_per_gather);
}

fingerprint::AggregateState ScanSerially(Relation relation, const RowCache *cache,
                                         fingerprint::Algorithm algorithm) {
	fingerprint::AggregateState state;
	fingerprint::AggregateInit(&state, algorithm);
	TableScanDesc scan = table_beginscan(relation, GetActiveSnapshot(), 0, nullptr);
	ScanInto(relation, scan, cache, &state);
	table_endscan(scan);
	return state;
}

// The leader and its workers share one parallel heap scan, each summing the blocks it
// gets; the sums merge exactly as the aggregate's combine function merges them.
fingerprint::AggregateState ScanInParallel(Relation relation, const RowCache *cache,
                                           fingerprint::Algorithm algorithm, int nworkers) {
	const int natts = RelationGetDescr(relation)->natts;
	Snapshot snapshot = GetActiveSnapshot();
	const Size header =
	    MAXALIGN(add_size(offsetof(SharedScan, results),
	                      add_size(mul_size(sizeof(fingerprint::AggregateState), nworkers), natts)));
	const Size size = add_size(header, table_parallelscan_estimate(relation, snapshot));

	EnterParallelMode();
	ParallelContext *context = CreateParallelContext("fingerprint", "fingerprint_scan_worker", nworkers);
	shm_toc_estimate_chunk(&context->estimator, size);
	shm_toc_estimate_keys(&context->estimator, 1);
	InitializeParallelDSM(context);

	SharedScan *shared = static_cast<SharedScan *>(shm_toc_allocate(context->toc, size));
	shared->relid = RelationGetRelid(relation);
	shared->algorithm = static_cast<uint8>(algorithm);
	shared->natts = natts;
	shared->nworkers = nworkers;
	shared->scan_offset = header;
	for (int i = 0; i < nworkers; i++)
		fingerprint::AggregateInit(&shared->results[i], algorithm);
	// The workers build their own caches from the leader's choice of columns.
	bool *selected = SharedSelected(shared);
	for (int column = 0; column < natts; column++)
		selected[column] = cache->kinds[column] != nullptr;
	table_parallelscan_initialize(relation, SharedScanDesc(shared), snapshot);
	shm_toc_insert(context->toc, kSharedKey, shared);

	LaunchParallelWorkers(context);
	// The leader scans too; if fewer workers started, it simply gets more blocks.
	fingerprint::AggregateState state;
	fingerprint::AggregateInit(&state, algorithm);
	TableScanDesc scan = table_beginscan_parallel(relation, SharedScanDesc(shared));
	ScanInto(relation, scan, cache, &state);
	table_endscan(scan);
	// A worker's ERROR (an unreadable value, a cancel) is raised here, in the leader.
	WaitForParallelWorkersToFinish(context);
	for (int i = 0; i < context->nworkers_launched; i++)
		fingerprint::AggregateMerge(&state, shared->results[i]);
	DestroyParallelContext(context);
	ExitParallelMode();
	return state;
}

} // namespace

bool CanScanDirectly(Relation relation) {
	const char kind = relation->rd_rel->relkind;
	if ((kind != RELKIND_RELATION && kind != RELKIND_MATVIEW) || relation->rd_rel->relhassubclass)
		return false;
	// An unpopulated materialized view has an empty heap; SQL raises the error a SELECT does.
	if (!RelationIsPopulated(relation))
		return false;
	// A heap scan checks no privileges and applies no row-level security policy. So only
	// a user who may SELECT the whole table, with no policy applying to them, gets the
	// direct scan; anyone else goes through SQL, which enforces column privileges and
	// policies (or refuses) exactly as a SELECT would.
	const Oid relid = RelationGetRelid(relation);
	return pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
	       check_enable_rls(relid, InvalidOid, true) != RLS_ENABLED;
}

fingerprint::AggregateState ScanTable(Relation relation, const RowCache *cache,
                                      fingerprint::Algorithm algorithm) {
	const int nworkers = WorkersFor(relation);
	elog(DEBUG1, "table_fingerprint: scanning \"%s\" directly with %d parallel workers planned",
	     RelationGetRelationName(relation), nworkers);
	if (nworkers == 0)
		return ScanSerially(relation, cache, algorithm);
	return ScanInParallel(relation, cache, algorithm, nworkers);
}

} // namespace fingerprint_pg

namespace {

void ScanAsWorker(shm_toc *toc) {
	using namespace fingerprint_pg;
	SharedScan *shared = static_cast<SharedScan *>(shm_toc_lookup(toc, kSharedKey, false));
	Relation relation = table_open(shared->relid, AccessShareLock);
	const RowCache *cache =
	    MakeRowCache(RelationGetDescr(relation), SharedSelected(shared), CurrentMemoryContext, false);
	fingerprint::AggregateState state;
	fingerprint::AggregateInit(&state, static_cast<fingerprint::Algorithm>(shared->algorithm));
	TableScanDesc scan = table_beginscan_parallel(relation, SharedScanDesc(shared));
	ScanInto(relation, scan, cache, &state);
	table_endscan(scan);
	table_close(relation, AccessShareLock);
	shared->results[ParallelWorkerNumber] = state;
}

} // namespace

// A parallel worker: attach to the leader's scan, sum its share into its own slot. The
// catch-all keeps a C++ exception from reaching the worker's C frames (see guard.hpp).
void fingerprint_scan_worker(dsm_segment *, shm_toc *toc) {
	bool failed = false;
	try {
		ScanAsWorker(toc);
	} catch (...) {
		failed = true;
	}
	if (failed)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
		                errmsg("fingerprint_scan_worker: unexpected C++ exception")));
}
