// What the capture trigger knows about one captured relation, cached per relation and
// backend (capture_entry.cpp). Include after the PostgreSQL headers and row_cache.hpp.
//
// Two sources fill an entry:
//   - 1.1 (fingerprint_capture_trigger_v11): the registry, fingerprint.capture_tables,
//     looked up by the trigger's relation OID (capture_registry.cpp). A relation that
//     fingerprint_capture_enable did not register is refused, whatever the trigger's
//     arguments say, so nobody can write log rows for another table.
//   - 1.0 (fingerprint_capture_trigger): the trigger's arguments, as 1.0 wrote them. Kept
//     only so that 1.0's SQL keeps working with this library between the binary upgrade
//     and ALTER EXTENSION fingerprint UPDATE (docs/upgrading.md).
// An entry is rebuilt after any relcache invalidation of its relation (ALTER TABLE,
// RENAME, trigger changes, and fingerprint_capture_enable/disable, which send one).
#pragma once

#ifndef POSTGRES_H
#error "include postgres.h (inside extern \"C\") before capture_entry.hpp"
#endif

namespace fingerprint_pg {

enum class CaptureSource : uint8 { trigger_arguments, registry };

struct CaptureEntry {
	Oid relid; // the hash key
	bool valid;
	CaptureSource source;
	MemoryContext memory;
	RowCache *row;     // descriptor and per-column kinds; values/nulls hold the new row
	Datum *old_values; // the old row (UPDATE, DELETE)
	bool *old_nulls;
	int *key_columns; // 0-based column numbers, in key order
	int key_count;
	Datum *column_names; // text datums, for changed_columns
	Datum table_name;    // text
	int32 schema_version;
	bool old_images;
	bool skip_in_replica;
	// Registry source: the triggers enable created ({row, truncate}, from
	// capture_tables.trigger_oids); no other trigger is trusted.
	Oid trusted_triggers[2];
};

// What an entry is filled from, whichever the source: the name logged, the version, the
// options, the key column names and one "typeoid:typmod:name" per live column.
struct CaptureSpec {
	const char *table_name;
	int32 schema_version;
	bool old_images;
	bool skip_in_replica;
	const char *const *key_names;
	int key_count;
	const char *const *signature;
	int signature_count;
	Oid trusted_triggers[2]; // registry source only: {row, truncate}; InvalidOid trusts none
};

// The relation's entry, (re)built when missing or invalidated. ERROR when the source
// refuses (unregistered relation, foreign trigger, changed columns, unsupported type).
CaptureEntry *GetCaptureEntry(Relation rel, const Trigger *trigger, CaptureSource source);

// Reads the relation's registration (capture_registry.cpp); allocates in the current
// memory context. ERROR when the relation or this trigger is not registered capture.
void ReadRegisteredCapture(Relation rel, const Trigger *trigger, CaptureSpec *spec);

// ERROR unless the trigger has the form fingerprint_capture_enable gives its triggers:
// named fingerprint_capture (AFTER ROW INSERT/UPDATE/DELETE) or fingerprint_capture_truncate
// (AFTER TRUNCATE), without arguments, WHEN clause, column list or constraint.
void CheckCaptureTrigger(Relation rel, const Trigger *trigger);

// schema.table with each part quoted as an identifier when needed (quote_identifier).
const char *RelationDisplayName(Relation rel);

} // namespace fingerprint_pg
