// Encoders for the string class (text, varchar, char(n), name, "char", untyped literals,
// bytea) and for json, which the core canonicalizes from its text. Text is handed to the
// core as UTF-8, whatever the database encoding.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
}

#include "row_cache.hpp"
#include "value_encoders.hpp"

#include <string_view>

namespace fingerprint_pg {

namespace {

// Text in the database encoding as UTF-8: as it is in UTF-8 and SQL_ASCII databases,
// converted (into palloc'd memory, returned for pfree) in any other encoding; the
// conversion itself rejects bad bytes.
char *ServerTextAsUtf8(const RowCache *cache, const char **data, size_t *length) {
	if (cache->encoding == PG_UTF8 || cache->encoding == PG_SQL_ASCII || *length == 0)
		return nullptr;
	char *converted = pg_server_to_any(*data, (int)*length, PG_UTF8);
	if (converted == *data)
		return nullptr;
	*data = converted;
	*length = strlen(converted);
	return converted;
}

} // namespace

// UTF-8 databases guarantee valid UTF-8, so the core skips its check; SQL_ASCII stores
// any bytes, so the core validates.
void AddServerText(const RowCache *cache, int column, const char *data, size_t length, bool padded,
                   bool always_validate, fingerprint::RowHasher *hasher) {
	const bool validate = always_validate || cache->encoding == PG_SQL_ASCII;
	char *converted = ServerTextAsUtf8(cache, &data, &length);
	const fingerprint::Status status =
	    padded ? hasher->AddPaddedText(data, length, validate) : hasher->AddText(data, length, validate);
	if (converted != nullptr)
		pfree(converted);
	CheckStatus(cache, column, status);
}

void EncodeText(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue text = OpenVarlena(value);
	AddServerText(cache, column, text.data, text.length, false, false, hasher);
	CloseVarlena(text);
}

// char(n): the pad spaces are dropped by the core.
void EncodePaddedText(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue text = OpenVarlena(value);
	AddServerText(cache, column, text.data, text.length, true, false, hasher);
	CloseVarlena(text);
}

void EncodeName(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const char *name = NameStr(*DatumGetName(value));
	AddServerText(cache, column, name, strlen(name), false, false, hasher);
}

// "char" holds one byte, any byte; '\0' is the empty string.
void EncodeChar(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const char byte = DatumGetChar(value);
	AddServerText(cache, column, &byte, byte == '\0' ? 0 : 1, false, true, hasher);
}

// unknown: an untyped literal such as ROW('a'), a C string.
void EncodeCString(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const char *literal = DatumGetCString(value);
	AddServerText(cache, column, literal, strlen(literal), false, false, hasher);
}

void EncodeBytes(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue bytes = OpenVarlena(value);
	const fingerprint::Status status = hasher->AddBytes(bytes.data, bytes.length);
	CloseVarlena(bytes);
	CheckStatus(cache, column, status);
}

void EncodeJson(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue json = OpenVarlena(value);
	AddServerJson(cache, column, json.data, json.length, hasher);
	CloseVarlena(json);
}

// The core always validates UTF-8 while parsing JSON.
void AddServerJson(const RowCache *cache, int column, const char *data, size_t length,
                   fingerprint::RowHasher *hasher) {
	char *converted = ServerTextAsUtf8(cache, &data, &length);
	const fingerprint::Status status = hasher->AddJsonText(std::string_view(data, length));
	if (converted != nullptr)
		pfree(converted);
	CheckStatus(cache, column, status);
}

} // namespace fingerprint_pg
