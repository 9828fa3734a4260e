// Reading a heap tuple's columns straight from its stored bytes, for table_fingerprint's
// direct scan (table_scan.cpp). Include after the PostgreSQL headers and row_cache.hpp.
//
// Why: the usual way, slot_getsomeattrs, first copies every column up to the last one
// read into the slot's Datum and isnull arrays, and AddRow then reads them back. Here
// one pass walks the tuple and hands each value to its column's encoder as it meets it,
// with the offsets of the leading fixed-width columns computed once per scan (as
// PostgreSQL's attcacheoff) and the encoder of each column chosen once, in the reader.
// The values reach the same encoders, so the bytes hashed are exactly those of AddRow;
// for integers, booleans, dates, timestamps, inline numerics and (in a UTF-8 database)
// inline text the walk does in line what the encoder would do, calling the hasher (or,
// for a numeric, the function behind EncodeNumeric) itself.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before stored_row.hpp"
#endif

extern "C" {
#include "access/htup_details.h"
}

#include "column_kind.hpp"

#include "fingerprint/row_hasher.hpp"

namespace fingerprint_pg {

struct RowCache;

// The encoders the walk inlines (stored_row.cpp): their value is read and handed to the
// hasher in the walk itself, without the call through the encoder and the hasher call
// behind it. Decided once per column, in the reader; `call` means through `encode`.
enum class InlineEncoder : uint8 { call, int2, int4, int8, boolean, date, timestamp, utf8_text, numeric };

// One attribute of the stored tuple, as the walk needs it.
struct StoredColumn {
	ValueEncoder encode; // nullptr: not read (dropped or not selected), only stepped over
	InlineEncoder inline_encoder;
	int16 length;       // attlen: > 0 fixed, -1 varlena, -2 C string
	char align;         // attalign
	bool by_value;      // attbyval
	int32 fixed_offset; // its offset when no earlier column is NULL; -1 after a variable-width one
};

struct StoredRowReader {
	const RowCache *cache;
	int count; // attributes walked: the cache's last_column
	StoredColumn *columns;
};

// The reader of the cache's columns, allocated in CurrentMemoryContext.
StoredRowReader *MakeStoredRowReader(const RowCache *cache);

// Feeds the columns the reader reads from a heap tuple to the hasher, in attnum order,
// exactly as AddRow would from the deformed values. Returns false, having fed nothing,
// when the tuple stores fewer attributes than the reader walks (a column added since the
// row was written, whose value lives in the catalog): the caller deforms that row the
// usual way. C-style: an encoder may raise an ERROR.
bool AddStoredRow(const StoredRowReader *reader, HeapTupleHeader tuple, fingerprint::RowHasher *hasher);

} // namespace fingerprint_pg
