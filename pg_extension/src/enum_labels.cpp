// Enum values are fingerprinted as their labels (the string class), so that an enum
// column equals a text column holding the same words on either engine. The labels seen so
// far are kept in the row cache's memory: one catalog lookup per distinct value, not one
// per row.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "utils/hsearch.h"
#include "utils/syscache.h"
}

#include "row_cache.hpp"
#include "value_encoders.hpp"

namespace fingerprint_pg {

namespace {

struct EnumLabel {
	Oid value; // the hash key
	char label[NAMEDATALEN];
};

HTAB *CreateLabelCache(MemoryContext memory) {
	HASHCTL control;
	control.keysize = sizeof(Oid);
	control.entrysize = sizeof(EnumLabel);
	control.hcxt = memory;
	return hash_create("fingerprint enum labels", 64, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

const EnumLabel *LookUpLabel(const RowCache *cache, Datum value) {
	const Oid oid = DatumGetObjectId(value);
	if (cache->enum_labels == nullptr)
		cache->enum_labels = CreateLabelCache(cache->memory);
	EnumLabel *entry = static_cast<EnumLabel *>(hash_search(cache->enum_labels, &oid, HASH_FIND, nullptr));
	if (entry != nullptr)
		return entry;
	// Look up first, enter after: an ERROR here leaves no half-filled entry behind.
	char label[NAMEDATALEN];
	HeapTuple tuple = SearchSysCache1(ENUMOID, value);
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for enum value %u", oid);
	strlcpy(label, NameStr(((Form_pg_enum)GETSTRUCT(tuple))->enumlabel), sizeof label);
	ReleaseSysCache(tuple);
	entry = static_cast<EnumLabel *>(hash_search(cache->enum_labels, &oid, HASH_ENTER, nullptr));
	strlcpy(entry->label, label, sizeof entry->label);
	return entry;
}

} // namespace

void EncodeEnumLabel(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const EnumLabel *entry = LookUpLabel(cache, value);
	AddServerText(cache, column, entry->label, strlen(entry->label), false, false, hasher);
}

} // namespace fingerprint_pg
