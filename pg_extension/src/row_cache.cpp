// Making row caches (row_cache.hpp), and the cache of a record argument's row type.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/typcache.h"
}

#include "row_cache.hpp"

#include <type_traits>

// The hasher lives on the stack of code that can longjmp; that is only sound because
// skipping its destructor skips nothing.
static_assert(std::is_trivially_destructible<fingerprint::RowHasher>::value,
              "RowHasher must be trivially destructible");

namespace fingerprint_pg {

namespace {

template <typename T> T *AllocColumns(int natts) {
	return static_cast<T *>(palloc(sizeof(T) * (size_t)Max(natts, 1)));
}

void FreeRowCache(RowCache *cache) {
	if (cache->enum_labels != nullptr)
		hash_destroy(cache->enum_labels);
	FreeTupleDesc(cache->desc);
	pfree(cache->kinds);
	if (cache->values != nullptr) {
		pfree(cache->values);
		pfree(cache->nulls);
	}
	pfree(cache);
}

} // namespace

RowCache *MakeRowCache(TupleDesc desc, const bool *selected, MemoryContext memory, bool deform_arrays) {
	const int natts = desc->natts;
	MemoryContext old_context = MemoryContextSwitchTo(memory);
	RowCache *cache = static_cast<RowCache *>(palloc0(sizeof(RowCache)));
	cache->desc = desc;
	cache->kinds = AllocColumns<const ColumnKind *>(natts);
	if (deform_arrays) {
		cache->values = AllocColumns<Datum>(natts);
		cache->nulls = AllocColumns<bool>(natts);
	}
	cache->encoding = GetDatabaseEncoding();
	cache->memory = memory;
	MemoryContextSwitchTo(old_context);

	// Type errors come before any value is read, even for columns that are all NULL.
	for (int column = 0; column < natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		const bool read = !attribute->attisdropped && (selected == nullptr || selected[column]);
		cache->kinds[column] = read ? RequireSupportedType(NameStr(attribute->attname), attribute->atttypid,
		                                                   attribute->atttypmod)
		                            : nullptr;
		if (read)
			cache->last_column = column + 1;
	}
	return cache;
}

RowCache *GetRowCache(FmgrInfo *flinfo, HeapTupleHeader record) {
	const Oid type_id = HeapTupleHeaderGetTypeId(record);
	const int32 typmod = HeapTupleHeaderGetTypMod(record);
	RowCache *cache = static_cast<RowCache *>(flinfo->fn_extra);
	if (cache != nullptr && cache->type_id == type_id && cache->typmod == typmod)
		return cache;

	TupleDesc looked_up = lookup_rowtype_tupdesc(type_id, typmod);
	MemoryContext old_context = MemoryContextSwitchTo(flinfo->fn_mcxt);
	TupleDesc desc = CreateTupleDescCopy(looked_up);
	MemoryContextSwitchTo(old_context);
	ReleaseTupleDesc(looked_up);

	RowCache *fresh = MakeRowCache(desc, nullptr, flinfo->fn_mcxt, true);
	fresh->type_id = type_id;
	fresh->typmod = typmod;
	if (cache != nullptr)
		FreeRowCache(cache);
	flinfo->fn_extra = fresh;
	return fresh;
}

fingerprint::Digest128 HashRecord(RowCache *cache, HeapTupleHeader record, fingerprint::RowHasher *hasher) {
	// A plain C-style frame (the hasher up the stack is trivially destructible), so a
	// cancel request may longjmp from here.
	CHECK_FOR_INTERRUPTS();
	HeapTupleData tuple;
	tuple.t_len = HeapTupleHeaderGetDatumLength(record);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = record;
	heap_deform_tuple(&tuple, cache->desc, cache->values, cache->nulls);
	AddRow(cache, cache->values, cache->nulls, hasher);
	return hasher->Finish();
}

} // namespace fingerprint_pg
