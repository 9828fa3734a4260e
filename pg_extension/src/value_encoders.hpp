// The encoders the type table (column_kinds.cpp) points at: each reads one PostgreSQL
// value from its Datum and hands it to the matching RowHasher call. Include after the
// PostgreSQL headers and row_cache.hpp.
//
// No type output function is used: output text depends on settings (DateStyle, TimeZone,
// extra_float_digits, bytea_output), the binary value does not. Every encoder is C-style
// (it may raise an ERROR; see guard.hpp) and has the ValueEncoder signature.
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before value_encoders.hpp"
#endif

#include "column_kind.hpp"

#include "fingerprint/status.hpp"

namespace fingerprint_pg {

// Read straight from the Datum (scalar_values.cpp).
void EncodeInt2(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeInt4(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeInt8(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeOid(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeBool(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeFloat4(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeFloat8(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeUuid(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeDate(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeTimestamp(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeTime(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
// bit and varbit of at most 64 bits, as the unsigned number they spell.
void EncodeBitString(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);

// Strings and bytes (text_values.cpp).
void EncodeText(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodePaddedText(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeName(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeChar(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeCString(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeBytes(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
void EncodeJson(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
// An enum value as its label, looked up once per distinct value (enum_labels.cpp).
void EncodeEnumLabel(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);

// numeric_values.cpp, jsonb_values.cpp.
void EncodeNumeric(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);
// A numeric's bytes after its varlena header (VARDATA_ANY, VARSIZE_ANY_EXHDR), as
// EncodeNumeric adds them; for table_fingerprint's walk, which has them in place.
void AddNumericBytes(const char *data, size_t length, fingerprint::RowHasher *hasher);
void EncodeJsonb(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher);

// Helpers the encoders share (text_values.cpp, value_errors.cpp).

// Text in the database encoding (padded: char(n), whose pad spaces the core drops);
// always_validate makes the core check UTF-8 even where the database guarantees it.
void AddServerText(const RowCache *cache, int column, const char *data, size_t length, bool padded,
                   bool always_validate, fingerprint::RowHasher *hasher);

// JSON text in the database encoding, canonicalized by the core.
void AddServerJson(const RowCache *cache, int column, const char *data, size_t length,
                   fingerprint::RowHasher *hasher);

// ERROR "could not fingerprint column ..." naming the column and its type, with detail.
pg_attribute_noreturn() void ReportValueError(const RowCache *cache, int column, int sqlstate,
                                              const char *detail);

// ReportValueError with the core's explanation of a status that is not ok.
pg_attribute_noreturn() void ReportStatus(const RowCache *cache, int column, fingerprint::Status status);

// ReportStatus unless the status is ok; inline, as it is checked for every value.
inline void CheckStatus(const RowCache *cache, int column, fingerprint::Status status) {
	if (unlikely(status != fingerprint::Status::ok))
		ReportStatus(cache, column, status);
}

// A variable-length value, detoasted (and decompressed) for reading; CloseVarlena frees
// the detoasted copy right after, so only one value at a time is held. A value stored
// inline and uncompressed (the usual case, short 1-byte headers included) is read in
// place: the test pg_detoast_datum_packed makes is made here, without calling it.
struct VarlenaValue {
	struct varlena *stored;
	struct varlena *plain;
	const char *data;
	size_t length;
};

inline VarlenaValue OpenVarlena(Datum datum) {
	VarlenaValue value;
	value.stored = reinterpret_cast<struct varlena *>(DatumGetPointer(datum));
	value.plain = unlikely(VARATT_IS_COMPRESSED(value.stored) || VARATT_IS_EXTERNAL(value.stored))
	                  ? pg_detoast_datum_packed(value.stored)
	                  : value.stored;
	value.data = VARDATA_ANY(value.plain);
	value.length = VARSIZE_ANY_EXHDR(value.plain);
	return value;
}

inline void CloseVarlena(const VarlenaValue &value) {
	if (value.plain != value.stored)
		pfree(value.plain);
}

} // namespace fingerprint_pg
