// The heap-scan loop (heap_scan.hpp).
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "access/relscan.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include "heap_scan.hpp"
#include "row_cache.hpp"

namespace fingerprint_pg {

void ScanHeap(Relation relation, TableScanDesc scan, const RowCache *cache, RowVisitor visit, void *context) {
	TupleTableSlot *slot = table_slot_create(relation, nullptr);
	// Detoasted values are freed row by row.
	MemoryContext row_context =
	    AllocSetContextCreate(CurrentMemoryContext, "fingerprint row", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old_context = MemoryContextSwitchTo(row_context);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot)) {
		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, cache->last_column);
		visit(context, slot->tts_values, slot->tts_isnull);
		MemoryContextReset(row_context);
	}
	MemoryContextSwitchTo(old_context);
	MemoryContextDelete(row_context);
	ExecDropSingleTupleTableSlot(slot);
}

} // namespace fingerprint_pg
