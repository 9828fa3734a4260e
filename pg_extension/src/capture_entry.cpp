// The capture trigger's per-relation cache (capture_entry.hpp): building an entry from a
// CaptureSpec, the 1.0 source (trigger arguments) and relcache invalidation.
//
// C-style code (guard.hpp): nothing here owns memory through a C++ destructor.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "commands/trigger.h"
#include "mb/pg_wchar.h"
#include "catalog/pg_trigger.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
}

#include "row_cache.hpp"
#include "capture_entry.hpp"

namespace fingerprint_pg {

namespace {

// 1.0 trigger arguments: table name, schema version, old_images, skip_in_replica, number
// of key columns, the key column names, then one "typeoid:typmod:name" per live column.
constexpr int kFixedArguments = 5;

HTAB *capture_entries = nullptr;
// Counts invalidations, so that one arriving while an entry is built (the build opens
// relations, which accepts invalidation messages) is not lost.
uint64 invalidation_count = 0;

// Relcache invalidation: the next trigger call rebuilds the entry. Nothing is freed
// here, because a callback may run while a trigger call still uses the entry.
void InvalidateCaptureEntry(Datum, Oid relid) {
	invalidation_count++;
	if (capture_entries == nullptr)
		return;
	if (relid == InvalidOid) {
		HASH_SEQ_STATUS status;
		hash_seq_init(&status, capture_entries);
		CaptureEntry *entry;
		while ((entry = static_cast<CaptureEntry *>(hash_seq_search(&status))) != nullptr)
			entry->valid = false;
		return;
	}
	CaptureEntry *entry =
	    static_cast<CaptureEntry *>(hash_search(capture_entries, &relid, HASH_FIND, nullptr));
	if (entry != nullptr)
		entry->valid = false;
}

void EnsureCaptureCache() {
	if (capture_entries != nullptr)
		return;
	HASHCTL control;
	control.keysize = sizeof(Oid);
	control.entrysize = sizeof(CaptureEntry);
	control.hcxt = CacheMemoryContext;
	capture_entries =
	    hash_create("fingerprint capture entries", 32, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	CacheRegisterRelcacheCallback(InvalidateCaptureEntry, (Datum)0);
}

pg_attribute_noreturn() void ReportBadArguments(Relation rel, const char *detail) {
	ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
	                errmsg("capture trigger on table %s has invalid arguments", RelationDisplayName(rel)),
	                errdetail("%s", detail),
	                errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
}

// Fails closed when the table's live columns are not the ones capture was enabled for:
// images must follow the column list registered under the schema version.
void CheckColumnSignature(Relation rel, const CaptureSpec *spec) {
	const TupleDesc desc = RelationGetDescr(rel);
	int argument = 0;
	bool same = true;
	for (int column = 0; column < desc->natts && same; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (attribute->attisdropped)
			continue;
		if (argument >= spec->signature_count) {
			same = false;
			break;
		}
		char expected[NAMEDATALEN + 32];
		snprintf(expected, sizeof expected, "%u:%d:%s", attribute->atttypid, attribute->atttypmod,
		         NameStr(attribute->attname));
		same = spec->signature[argument] != nullptr && strcmp(expected, spec->signature[argument]) == 0;
		argument++;
	}
	if (!same || argument != spec->signature_count)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("columns of table %s changed since capture was enabled (schema version %d)",
		                       RelationDisplayName(rel), spec->schema_version),
		                errdetail("Changes are not captured against an unregistered column list."),
		                errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
}

int ColumnNumber(TupleDesc desc, const char *name) {
	for (int column = 0; column < desc->natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (!attribute->attisdropped && strcmp(NameStr(attribute->attname), name) == 0)
			return column;
	}
	return -1;
}

// The 1.0 source: everything from the trigger's arguments (1.0 behaviour, unchecked
// against any registry).
void ParseTriggerArguments(Relation rel, const Trigger *trigger, CaptureSpec *spec) {
	if (trigger->tgnargs < kFixedArguments)
		ReportBadArguments(rel, "Too few trigger arguments.");
	const char *const *args = trigger->tgargs;
	const int key_count = pg_strtoint32(args[4]);
	// Compared without adding to key_count: a huge count must not wrap around.
	if (key_count < 1 || key_count > trigger->tgnargs - kFixedArguments)
		ReportBadArguments(rel, "The key column count is out of range.");
	spec->table_name = args[0];
	spec->schema_version = pg_strtoint32(args[1]);
	spec->old_images = strcmp(args[2], "true") == 0;
	spec->skip_in_replica = strcmp(args[3], "true") == 0;
	spec->key_names = args + kFixedArguments;
	spec->key_count = key_count;
	spec->signature = args + kFixedArguments + key_count;
	spec->signature_count = trigger->tgnargs - kFixedArguments - key_count;
}

// Fills a fresh entry from the relation and the spec, in entry->memory.
void BuildCaptureEntry(CaptureEntry *entry, Relation rel, const CaptureSpec *spec) {
	CheckColumnSignature(rel, spec);
	const TupleDesc desc = RelationGetDescr(rel);
	const int natts = desc->natts;
	MemoryContext old_context = MemoryContextSwitchTo(entry->memory);
	TupleDesc own_desc = CreateTupleDescCopy(desc);
	MemoryContextSwitchTo(old_context);
	// Refuses a column of an unsupported type before the entry can serve a row.
	entry->row = MakeRowCache(own_desc, nullptr, entry->memory, true);
	old_context = MemoryContextSwitchTo(entry->memory);
	entry->old_values = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(natts, 1)));
	entry->old_nulls = static_cast<bool *>(palloc(sizeof(bool) * (size_t)Max(natts, 1)));
	entry->column_names = static_cast<Datum *>(palloc0(sizeof(Datum) * (size_t)Max(natts, 1)));
	entry->key_columns = static_cast<int *>(palloc(sizeof(int) * (size_t)spec->key_count));
	entry->key_count = spec->key_count;
	entry->table_name = PointerGetDatum(cstring_to_text(spec->table_name));
	entry->schema_version = spec->schema_version;
	entry->old_images = spec->old_images;
	entry->skip_in_replica = spec->skip_in_replica;
	for (int column = 0; column < natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (!attribute->attisdropped)
			entry->column_names[column] = PointerGetDatum(cstring_to_text(NameStr(attribute->attname)));
	}
	MemoryContextSwitchTo(old_context);

	for (int key = 0; key < spec->key_count; key++) {
		const int column = ColumnNumber(desc, spec->key_names[key]);
		if (column < 0)
			ReportBadArguments(rel, "A key column does not exist.");
		entry->key_columns[key] = column;
	}
}

} // namespace

const char *RelationDisplayName(Relation rel) {
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
	                                  RelationGetRelationName(rel));
}

namespace {

// True when the relation has a trigger with that OID.
bool RelationHasTrigger(Relation rel, Oid trigger_oid) {
	if (!OidIsValid(trigger_oid) || rel->trigdesc == nullptr)
		return false;
	for (int i = 0; i < rel->trigdesc->numtriggers; i++)
		if (rel->trigdesc->triggers[i].tgoid == trigger_oid)
			return true;
	return false;
}

// A registry entry serves only the two triggers enable created (their OIDs are in the
// registration), in enable's form: every other trigger that calls
// fingerprint.capture_trigger() on a registered table is refused, call by call. The form
// is checked on every call (a few comparisons): CREATE OR REPLACE TRIGGER keeps the OID.
//
// One exception keeps pg_upgrade working (it keeps relation OIDs, not trigger OIDs): when
// the registered trigger of that name no longer exists on the relation at all, the
// trigger of that name in exactly enable's form stands in for it. Such a trigger logs
// exactly what enable's would (every row once, under the registry's name), so trusting it
// lets nothing be forged, doubled or skipped; enable replaces it and records its OID.
CaptureEntry *TrustTrigger(CaptureEntry *entry, Relation rel, const Trigger *trigger) {
	if (entry->source != CaptureSource::registry)
		return entry;
	CheckCaptureTrigger(rel, trigger);
	const int slot = strcmp(trigger->tgname, "fingerprint_capture") == 0 ? 0 : 1;
	const Oid trusted = entry->trusted_triggers[slot];
	if (OidIsValid(trusted) && trigger->tgoid != trusted && !RelationHasTrigger(rel, trusted))
		return entry;
	if (!OidIsValid(trigger->tgoid) || trigger->tgoid != trusted)
		ereport(ERROR,
		        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		         errmsg("trigger \"%s\" on table %s was not created by fingerprint_capture_enable()",
		                trigger->tgname, RelationDisplayName(rel)),
		         errdetail("Only the triggers fingerprint_capture_enable() created write the change log; "
		                   "nothing was logged."),
		         errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
	return entry;
}

} // namespace

CaptureEntry *GetCaptureEntry(Relation rel, const Trigger *trigger, CaptureSource source) {
	EnsureCaptureCache();
	const Oid relid = RelationGetRelid(rel);
	bool found;
	CaptureEntry *entry =
	    static_cast<CaptureEntry *>(hash_search(capture_entries, &relid, HASH_ENTER, &found));
	if (found && entry->valid && entry->source == source)
		return TrustTrigger(entry, rel, trigger);
	if (found && entry->memory != nullptr)
		MemoryContextDelete(entry->memory);
	entry->valid = false;
	entry->source = source;
	entry->memory = nullptr;
	entry->trusted_triggers[0] = InvalidOid;
	entry->trusted_triggers[1] = InvalidOid;
	const uint64 invalidations_before = invalidation_count;
	MemoryContext memory =
	    AllocSetContextCreate(CacheMemoryContext, "fingerprint capture entry", ALLOCSET_SMALL_SIZES);
	entry->memory = memory;
	// The spec is read in the caller's (per-call) context; the entry copies what it keeps.
	CaptureSpec spec;
	if (source == CaptureSource::registry) {
		ReadRegisteredCapture(rel, trigger, &spec);
		entry->trusted_triggers[0] = spec.trusted_triggers[0];
		entry->trusted_triggers[1] = spec.trusted_triggers[1];
	} else {
		ParseTriggerArguments(rel, trigger, &spec);
	}
	// An ERROR while building leaves the entry invalid; the next call starts over.
	BuildCaptureEntry(entry, rel, &spec);
	// Good for this call; an invalidation that arrived meanwhile forces a rebuild next time.
	entry->valid = invalidation_count == invalidations_before;
	return TrustTrigger(entry, rel, trigger);
}

} // namespace fingerprint_pg
