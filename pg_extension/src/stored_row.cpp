// The stored-tuple walk (stored_row.hpp). The offset and alignment rules are those of
// PostgreSQL's slot_deform_heap_tuple (src/backend/executor/execTuples.c), which reads
// the same bytes; only what is done with each value differs.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "access/tupmacs.h"
}

#include "row_cache.hpp"
#include "stored_row.hpp"

namespace fingerprint_pg {

StoredRowReader *MakeStoredRowReader(const RowCache *cache) {
	StoredRowReader *reader = static_cast<StoredRowReader *>(palloc(sizeof(StoredRowReader)));
	reader->cache = cache;
	reader->count = cache->last_column;
	reader->columns =
	    static_cast<StoredColumn *>(palloc(sizeof(StoredColumn) * (size_t)Max(reader->count, 1)));
	// Offsets are known up to and including the first variable-width attribute (if it
	// starts where its alignment would put it anyway: a short varlena is not aligned).
	int32 offset = 0;
	bool offsets_known = true;
	for (int column = 0; column < reader->count; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(cache->desc, column);
		StoredColumn &stored = reader->columns[column];
		stored.encode = cache->kinds[column] != nullptr ? cache->kinds[column]->encode : nullptr;
		stored.length = attribute->attlen;
		stored.align = attribute->attalign;
		stored.by_value = attribute->attbyval;
		stored.fixed_offset = -1;
		if (!offsets_known)
			continue;
		if (attribute->attlen > 0) {
			offset = (int32)att_align_nominal(offset, attribute->attalign);
			stored.fixed_offset = offset;
			offset += attribute->attlen;
		} else {
			if (attribute->attlen == -1 && offset == (int32)att_align_nominal(offset, attribute->attalign))
				stored.fixed_offset = offset;
			offsets_known = false;
		}
	}
	return reader;
}

bool AddStoredRow(const StoredRowReader *reader, HeapTupleHeader tuple, fingerprint::RowHasher *hasher) {
	const int count = reader->count;
	if (HeapTupleHeaderGetNatts(tuple) < count)
		return false;
	const bool has_nulls = (tuple->t_infomask & HEAP_HASNULL) != 0;
	const bits8 *null_bits = tuple->t_bits;
	char *data = reinterpret_cast<char *>(tuple) + tuple->t_hoff;
	uint32 offset = 0;
	bool offsets_fixed = true; // no NULL and no variable-width attribute so far
	for (int column = 0; column < count; column++) {
		const StoredColumn &stored = reader->columns[column];
		if (has_nulls && att_isnull(column, null_bits)) {
			if (stored.encode != nullptr)
				hasher->AddNull();
			offsets_fixed = false;
			continue;
		}
		if (offsets_fixed && stored.fixed_offset >= 0)
			offset = (uint32)stored.fixed_offset;
		else if (stored.length == -1)
			offset = (uint32)att_align_pointer(offset, stored.align, -1, data + offset);
		else
			offset = (uint32)att_align_nominal(offset, stored.align);
		char *value = data + offset;
		if (stored.encode != nullptr)
			stored.encode(reader->cache, column, fetch_att(value, stored.by_value, stored.length), hasher);
		offset = (uint32)att_addlength_pointer(offset, stored.length, value);
		if (stored.length <= 0)
			offsets_fixed = false;
	}
	return true;
}

} // namespace fingerprint_pg
