// The stored-tuple walk (stored_row.hpp). The offset and alignment rules are those of
// PostgreSQL's slot_deform_heap_tuple (src/backend/executor/execTuples.c), which reads
// the same bytes; only what is done with each value differs.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "access/tupmacs.h"
#include "mb/pg_wchar.h"
#include "utils/date.h"
#include "utils/timestamp.h"
}

#include "row_cache.hpp"
#include "stored_row.hpp"
#include "value_encoders.hpp"

namespace fingerprint_pg {

namespace {

// The inlined form of a column's encoder, when it has one. Text is inlined only in a
// UTF-8 database, where EncodeText hands the bytes on as they are and unchecked.
InlineEncoder InlineEncoderOf(ValueEncoder encode, const RowCache *cache) {
	if (encode == EncodeInt2)
		return InlineEncoder::int2;
	if (encode == EncodeInt4)
		return InlineEncoder::int4;
	if (encode == EncodeInt8)
		return InlineEncoder::int8;
	if (encode == EncodeBool)
		return InlineEncoder::boolean;
	if (encode == EncodeDate)
		return InlineEncoder::date;
	if (encode == EncodeTimestamp)
		return InlineEncoder::timestamp;
	if (encode == EncodeText && cache->encoding == PG_UTF8)
		return InlineEncoder::utf8_text;
	if (encode == EncodeNumeric)
		return InlineEncoder::numeric;
	return InlineEncoder::call;
}

// What the column's encoder would do with the value stored at `value`, in line; the
// encoder itself for a compressed or out-of-line text and every other type.
pg_attribute_always_inline void EncodeStored(const StoredRowReader *reader, int column,
                                             const StoredColumn &stored, const char *value,
                                             fingerprint::RowHasher *hasher) {
	switch (stored.inline_encoder) {
	case InlineEncoder::int2:
		hasher->AddInt64(*reinterpret_cast<const int16 *>(value));
		return;
	case InlineEncoder::int4:
		hasher->AddInt64(*reinterpret_cast<const int32 *>(value));
		return;
	case InlineEncoder::int8:
		hasher->AddInt64(*reinterpret_cast<const int64 *>(value));
		return;
	case InlineEncoder::boolean:
		hasher->AddBool(*value != 0);
		return;
	case InlineEncoder::date:
		hasher->AddDateDays(*reinterpret_cast<const DateADT *>(value));
		return;
	case InlineEncoder::timestamp:
		hasher->AddTimestampMicros(*reinterpret_cast<const Timestamp *>(value));
		return;
	case InlineEncoder::utf8_text:
		if (likely(!VARATT_IS_COMPRESSED(value) && !VARATT_IS_EXTERNAL(value))) {
			CheckStatus(reader->cache, column,
			            hasher->AddText(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), false));
			return;
		}
		break;
	case InlineEncoder::numeric:
		if (likely(!VARATT_IS_COMPRESSED(value) && !VARATT_IS_EXTERNAL(value))) {
			AddNumericBytes(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), hasher);
			return;
		}
		break;
	case InlineEncoder::call:
		break;
	}
	stored.encode(reader->cache, column, fetch_att(value, stored.by_value, stored.length), hasher);
}

} // namespace

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
		stored.inline_encoder = InlineEncoderOf(stored.encode, cache);
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
			EncodeStored(reader, column, stored, value, hasher);
		offset = (uint32)att_addlength_pointer(offset, stored.length, value);
		if (stored.length <= 0)
			offsets_fixed = false;
	}
	return true;
}

} // namespace fingerprint_pg
