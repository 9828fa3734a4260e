// fingerprint.capture_trigger(): the change-capture trigger (docs/capture.md).
//
// One C function serves both triggers fingerprint_capture_enable installs: AFTER INSERT
// OR UPDATE OR DELETE FOR EACH ROW, and AFTER TRUNCATE FOR EACH STATEMENT. Per row it
// encodes the new and/or old row once with the fingerprint encoder, capturing the
// canonical bytes (the row image) while hashing them, and writes one row into
// fingerprint.change_log with a direct heap insert plus index inserts: no SQL, no
// catalog query and no type output function per row.
//
// Everything the trigger needs about its table comes from the trigger's arguments
// (written by fingerprint_capture_enable: table name, schema version, options, key
// columns, column signature) and from the relation's tuple descriptor. It is cached per
// relation and rebuilt after a relcache invalidation of that relation (ALTER TABLE,
// re-enabling capture: both invalidate it).
//
// The code is C-style (guard.hpp): every C++ object alive across PostgreSQL calls is
// trivially destructible (RowHasher, string views), so an ERROR's longjmp skips nothing.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"
}

#include "encoder.hpp"
#include "guard.hpp"
#include "image_json.hpp"

#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"

FINGERPRINT_PG_FUNCTION(fingerprint_capture_trigger)
FINGERPRINT_PG_FUNCTION(fingerprint_column_classes)

namespace {

using fingerprint_pg::ColumnKind;
using fingerprint_pg::RowCache;

// Columns of fingerprint.change_log, in order (sql/pg/fingerprint--1.0.sql).
enum LogColumn {
	kSeq,
	kTxid,
	kOp,
	kTableName,
	kSchemaVersion,
	kKeyImage,
	kOldKeyImage,
	kNewImage,
	kOldImage,
	kChangedColumns,
	kOldFingerprint,
	kNewFingerprint,
	kCapturedAt,
	kLogColumns
};

// Trigger arguments written by fingerprint_capture_enable: table name, schema version,
// old_images, skip_in_replica, number of key columns, the key column names, then one
// "typeoid:typmod:name" per live column.
constexpr int kFixedArguments = 5;

// Everything the trigger knows about one captured relation; lives in `memory`.
struct CaptureEntry {
	Oid relid; // the hash key
	bool valid;
	MemoryContext memory;
	RowCache row;             // descriptor and per-column kinds; values/nulls hold the new row
	Datum *old_values;        // the old row (UPDATE, DELETE)
	bool *old_nulls;
	int *key_columns;         // 0-based column numbers, in key order
	int key_count;
	Datum *column_names;      // text datums, for changed_columns
	Datum table_name;         // text
	int32 schema_version;
	bool old_images;
	bool skip_in_replica;
};

HTAB *capture_entries = nullptr;
// fingerprint.change_log and its sequence; InvalidOid until looked up (again after a
// relcache invalidation of the log, e.g. when the extension is dropped).
Oid log_relid = InvalidOid;
Oid log_seq_relid = InvalidOid;

// Relcache invalidation: the next trigger call rebuilds the entry. Nothing is freed
// here, because a callback may run while a trigger call still uses the entry.
void InvalidateCaptureEntry(Datum, Oid relid) {
	if (relid == InvalidOid || relid == log_relid) {
		log_relid = InvalidOid;
		log_seq_relid = InvalidOid;
	}
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
	CaptureEntry *entry = static_cast<CaptureEntry *>(hash_search(capture_entries, &relid, HASH_FIND, nullptr));
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
	capture_entries = hash_create("fingerprint capture entries", 32, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	CacheRegisterRelcacheCallback(InvalidateCaptureEntry, (Datum)0);
}

const char *RelationDisplayName(Relation rel) {
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel));
}

pg_attribute_noreturn() void ReportBadArguments(Relation rel, const char *detail) {
	ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
	                errmsg("capture trigger on table %s has invalid arguments", RelationDisplayName(rel)),
	                errdetail("%s", detail),
	                errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
}

// Fails closed when the table's live columns are not the ones capture was enabled for:
// images must follow the column list registered under the schema version.
void CheckColumnSignature(Relation rel, const Trigger *trigger, int first, int32 version) {
	const TupleDesc desc = RelationGetDescr(rel);
	int argument = first;
	bool same = true;
	for (int column = 0; column < desc->natts && same; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (attribute->attisdropped)
			continue;
		if (argument >= trigger->tgnargs) {
			same = false;
			break;
		}
		char expected[NAMEDATALEN + 32];
		snprintf(expected, sizeof expected, "%u:%d:%s", attribute->atttypid, attribute->atttypmod,
		         NameStr(attribute->attname));
		same = strcmp(expected, trigger->tgargs[argument++]) == 0;
	}
	if (!same || argument != trigger->tgnargs)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("columns of table %s changed since capture was enabled (schema version %d)",
		                       RelationDisplayName(rel), version),
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

// Fills a fresh entry from the relation and the trigger arguments, in entry->memory.
void BuildCaptureEntry(CaptureEntry *entry, Relation rel, const Trigger *trigger) {
	if (trigger->tgnargs < kFixedArguments)
		ReportBadArguments(rel, "Too few trigger arguments.");
	const char *const *args = trigger->tgargs;
	const int32 version = pg_strtoint32(args[1]);
	const int key_count = pg_strtoint32(args[4]);
	// Compared without adding to key_count: a huge count must not wrap around.
	if (key_count < 1 || key_count > trigger->tgnargs - kFixedArguments)
		ReportBadArguments(rel, "The key column count is out of range.");
	CheckColumnSignature(rel, trigger, kFixedArguments + key_count, version);

	const TupleDesc desc = RelationGetDescr(rel);
	const int natts = desc->natts;
	MemoryContext old_context = MemoryContextSwitchTo(entry->memory);
	RowCache *row = &entry->row;
	row->type_id = RelationGetForm(rel)->reltype;
	row->typmod = -1;
	row->desc = CreateTupleDescCopy(desc);
	row->kinds = static_cast<ColumnKind *>(palloc(sizeof(ColumnKind) * (size_t)Max(natts, 1)));
	row->values = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(natts, 1)));
	row->nulls = static_cast<bool *>(palloc(sizeof(bool) * (size_t)Max(natts, 1)));
	row->encoding = GetDatabaseEncoding();
	row->enum_labels = nullptr;
	row->memory = entry->memory;
	entry->old_values = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(natts, 1)));
	entry->old_nulls = static_cast<bool *>(palloc(sizeof(bool) * (size_t)Max(natts, 1)));
	entry->column_names = static_cast<Datum *>(palloc0(sizeof(Datum) * (size_t)Max(natts, 1)));
	entry->key_columns = static_cast<int *>(palloc(sizeof(int) * (size_t)key_count));
	entry->key_count = key_count;
	entry->table_name = PointerGetDatum(cstring_to_text(args[0]));
	entry->schema_version = version;
	entry->old_images = strcmp(args[2], "true") == 0;
	entry->skip_in_replica = strcmp(args[3], "true") == 0;
	for (int column = 0; column < natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (attribute->attisdropped) {
			row->kinds[column] = ColumnKind::dropped;
			continue;
		}
		row->kinds[column] = fingerprint_pg::ClassifyType(attribute->atttypid, attribute->atttypmod);
		entry->column_names[column] = PointerGetDatum(cstring_to_text(NameStr(attribute->attname)));
	}
	MemoryContextSwitchTo(old_context);

	for (int column = 0; column < natts; column++)
		if (row->kinds[column] == ColumnKind::unsupported) {
			const Form_pg_attribute attribute = TupleDescAttr(desc, column);
			fingerprint_pg::ReportUnsupportedColumn(NameStr(attribute->attname), attribute->atttypid,
			                                        attribute->atttypmod);
		}
	for (int key = 0; key < key_count; key++) {
		const int column = ColumnNumber(desc, args[kFixedArguments + key]);
		if (column < 0)
			ReportBadArguments(rel, "A key column does not exist.");
		entry->key_columns[key] = column;
	}
}

CaptureEntry *GetCaptureEntry(Relation rel, const Trigger *trigger) {
	EnsureCaptureCache();
	const Oid relid = RelationGetRelid(rel);
	bool found;
	CaptureEntry *entry = static_cast<CaptureEntry *>(hash_search(capture_entries, &relid, HASH_ENTER, &found));
	if (found && entry->valid)
		return entry;
	if (found && entry->memory != nullptr)
		MemoryContextDelete(entry->memory);
	entry->valid = false;
	entry->memory = nullptr;
	MemoryContext memory = AllocSetContextCreate(CacheMemoryContext, "fingerprint capture entry",
	                                             ALLOCSET_SMALL_SIZES);
	entry->memory = memory;
	// An ERROR while building leaves the entry invalid; the next call starts over.
	BuildCaptureEntry(entry, rel, trigger);
	entry->valid = true;
	return entry;
}

// ---------------------------------------------------------------------------------------
// Images

// A bytea under construction: the varlena header is reserved first, so the collected
// image becomes a Datum without a copy.
void StartImage(StringInfo image) {
	initStringInfo(image);
	appendStringInfoSpaces(image, VARHDRSZ);
}

Datum FinishImage(StringInfo image) {
	SET_VARSIZE(image->data, image->len);
	return PointerGetDatum(image->data);
}

void AddColumn(const RowCache *row, int column, Datum value, bool isnull, fingerprint::RowHasher *hasher) {
	if (isnull)
		hasher->AddNull();
	else
		fingerprint_pg::AddValue(row, column, value, hasher);
}

// The image of the given columns of a deformed row.
Datum ColumnsImage(const RowCache *row, const int *columns, int count, const Datum *values, const bool *nulls) {
	StringInfoData image;
	StartImage(&image);
	fingerprint::RowHasher hasher;
	hasher.SetSink(fingerprint_pg::AppendToStringInfo, &image);
	for (int i = 0; i < count; i++)
		AddColumn(row, columns[i], values[columns[i]], nulls[columns[i]], &hasher);
	hasher.Finish();
	return FinishImage(&image);
}

Datum FingerprintText(fingerprint::Digest128 digest) {
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length = fingerprint::FormatRowFingerprint(fingerprint::kDefaultAlgorithm, digest, printable);
	return PointerGetDatum(cstring_to_text_with_len(printable, (int)length));
}

// ---------------------------------------------------------------------------------------
// The log insert

void ResolveLogRelation() {
	if (OidIsValid(log_relid) && OidIsValid(log_seq_relid))
		return;
	const Oid schema = get_namespace_oid("fingerprint", true);
	const Oid table = OidIsValid(schema) ? get_relname_relid("change_log", schema) : InvalidOid;
	const Oid sequence = OidIsValid(schema) ? get_relname_relid("change_log_seq", schema) : InvalidOid;
	if (!OidIsValid(table) || !OidIsValid(sequence))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
		                errmsg("fingerprint.change_log does not exist"),
		                errhint("Capture needs the fingerprint extension (CREATE EXTENSION fingerprint).")));
	log_seq_relid = sequence;
	log_relid = table;
}

// Index entries for a new log row. Only plain column indexes are supported (the
// extension creates one, on txid); an index still being built is skipped, as the
// executor does.
void InsertIndexEntries(Relation log, HeapTuple tuple) {
	List *indexes = RelationGetIndexList(log);
	if (indexes == NIL)
		return;
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(log), &TTSOpsHeapTuple);
	ExecStoreHeapTuple(tuple, slot, false);
	ListCell *cell;
	foreach (cell, indexes) {
		Relation index = index_open(lfirst_oid(cell), RowExclusiveLock);
		IndexInfo *info = BuildIndexInfo(index);
		if (info->ii_Expressions != NIL || info->ii_Predicate != NIL || info->ii_ExclusionOps != nullptr)
			ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			                errmsg("index \"%s\" on fingerprint.change_log is not supported",
			                       RelationGetRelationName(index)),
			                errdetail("The capture trigger maintains plain column indexes only.")));
		if (info->ii_ReadyForInserts) {
			Datum values[INDEX_MAX_KEYS];
			bool isnull[INDEX_MAX_KEYS];
			FormIndexDatum(info, slot, nullptr, values, isnull);
			index_insert(index, values, isnull, &tuple->t_self, log,
			             index->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO, false, info);
		}
		index_close(index, NoLock);
	}
	ExecDropSingleTupleTableSlot(slot);
	list_free(indexes);
}

// Writes one log row. values/nulls: kLogColumns entries; seq, txid, table, version and
// time are filled here.
void InsertLogRow(const CaptureEntry *entry, char op, Datum *values, bool *nulls) {
	ResolveLogRelation();
	Relation log = table_open(log_relid, RowExclusiveLock);
	if (RelationGetDescr(log)->natts != kLogColumns)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("fingerprint.change_log has %d columns, expected %d", RelationGetDescr(log)->natts,
		                       (int)kLogColumns)));
	// nextval without a permission check: writers need no privilege on the log.
	values[kSeq] = Int64GetDatum(nextval_internal(log_seq_relid, false));
	nulls[kSeq] = false;
	values[kTxid] = FullTransactionIdGetDatum(GetTopFullTransactionId());
	nulls[kTxid] = false;
	values[kOp] = PointerGetDatum(cstring_to_text_with_len(&op, 1));
	nulls[kOp] = false;
	values[kTableName] = entry->table_name;
	nulls[kTableName] = false;
	values[kSchemaVersion] = Int32GetDatum(entry->schema_version);
	nulls[kSchemaVersion] = false;
	values[kCapturedAt] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	nulls[kCapturedAt] = false;
	HeapTuple tuple = heap_form_tuple(RelationGetDescr(log), values, nulls);
	simple_heap_insert(log, tuple);
	InsertIndexEntries(log, tuple);
	heap_freetuple(tuple);
	table_close(log, NoLock);
}

void ClearLogRow(Datum *values, bool *nulls) {
	for (int i = 0; i < kLogColumns; i++) {
		values[i] = (Datum)0;
		nulls[i] = true;
	}
}

// ---------------------------------------------------------------------------------------
// Row events

// The values of a row event's tuple. Read through the trigger's slot, not with
// heap_deform_tuple on its HeapTuple: a row stored before ALTER TABLE ... ADD COLUMN ...
// DEFAULT has no bytes for that column, and only the slot fills in the stored default
// (pg_attribute.attmissingval) instead of NULL.
void DeformRow(TupleTableSlot *slot, TupleDesc desc, Datum *values, bool *nulls) {
	if (slot == nullptr || slot->tts_tupleDescriptor->natts != desc->natts)
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() got a row that does not match its table")));
	slot_getallattrs(slot);
	memcpy(values, slot->tts_values, sizeof(Datum) * (size_t)desc->natts);
	memcpy(nulls, slot->tts_isnull, sizeof(bool) * (size_t)desc->natts);
}

void CaptureInsertOrDelete(CaptureEntry *entry, TupleTableSlot *slot, bool is_insert) {
	RowCache *row = &entry->row;
	const TupleDesc desc = row->desc;
	Datum *values = is_insert ? row->values : entry->old_values;
	bool *nulls = is_insert ? row->nulls : entry->old_nulls;
	DeformRow(slot, desc, values, nulls);

	Datum log_values[kLogColumns];
	bool log_nulls[kLogColumns];
	ClearLogRow(log_values, log_nulls);

	// The whole row: its fingerprint, and its image when it is logged (always for an
	// insert, for a delete only with old images).
	StringInfoData image;
	fingerprint::RowHasher hasher;
	const bool keep_image = is_insert || entry->old_images;
	if (keep_image) {
		StartImage(&image);
		hasher.SetSink(fingerprint_pg::AppendToStringInfo, &image);
	}
	for (int column = 0; column < desc->natts; column++)
		if (row->kinds[column] != ColumnKind::dropped)
			AddColumn(row, column, values[column], nulls[column], &hasher);
	const fingerprint::Digest128 digest = hasher.Finish();

	const int image_column = is_insert ? kNewImage : kOldImage;
	const int fingerprint_column = is_insert ? kNewFingerprint : kOldFingerprint;
	if (keep_image) {
		log_values[image_column] = FinishImage(&image);
		log_nulls[image_column] = false;
	}
	log_values[fingerprint_column] = FingerprintText(digest);
	log_nulls[fingerprint_column] = false;
	log_values[kKeyImage] = ColumnsImage(row, entry->key_columns, entry->key_count, values, nulls);
	log_nulls[kKeyImage] = false;
	InsertLogRow(entry, is_insert ? 'I' : 'D', log_values, log_nulls);
}

bool ValueIsOutOfLine(Form_pg_attribute attribute, Datum value) {
	if (attribute->attlen != -1)
		return false;
	const struct varlena *pointer = reinterpret_cast<const struct varlena *>(DatumGetPointer(value));
	return VARATT_IS_EXTERNAL(pointer) || VARATT_IS_COMPRESSED(pointer);
}

// An UPDATE: old and new row hashed column by column in one pass. A value whose bytes
// did not change (an unchanged TOASTed value keeps its TOAST pointer) is detoasted once
// and fed to both hashers; changed columns are found by comparing the stored bytes, so
// no type's equality operator runs (1.0 -> 1.00 is a change, as it is on disk).
void CaptureUpdate(CaptureEntry *entry, TupleTableSlot *old_slot, TupleTableSlot *new_slot) {
	RowCache *row = &entry->row;
	const TupleDesc desc = row->desc;
	DeformRow(old_slot, desc, entry->old_values, entry->old_nulls);
	DeformRow(new_slot, desc, row->values, row->nulls);

	Datum *changed = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(desc->natts, 1)));
	int changed_count = 0;
	bool key_changed = false;

	StringInfoData new_image;
	StringInfoData old_image;
	fingerprint::RowHasher new_hasher;
	fingerprint::RowHasher old_hasher;
	StartImage(&new_image);
	new_hasher.SetSink(fingerprint_pg::AppendToStringInfo, &new_image);
	if (entry->old_images) {
		StartImage(&old_image);
		old_hasher.SetSink(fingerprint_pg::AppendToStringInfo, &old_image);
	}
	for (int column = 0; column < desc->natts; column++) {
		if (row->kinds[column] == ColumnKind::dropped)
			continue;
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		const Datum old_value = entry->old_values[column];
		const Datum new_value = row->values[column];
		const bool old_null = entry->old_nulls[column];
		const bool new_null = row->nulls[column];
		const bool same = old_null == new_null &&
		                  (old_null || datumIsEqual(old_value, new_value, attribute->attbyval, attribute->attlen));
		if (!same) {
			changed[changed_count++] = entry->column_names[column];
			AddColumn(row, column, old_value, old_null, &old_hasher);
			AddColumn(row, column, new_value, new_null, &new_hasher);
			continue;
		}
		if (old_null || !ValueIsOutOfLine(attribute, old_value)) {
			AddColumn(row, column, old_value, old_null, &old_hasher);
			AddColumn(row, column, new_value, new_null, &new_hasher);
			continue;
		}
		// Unchanged and TOASTed or compressed: fetch it once for both rows.
		struct varlena *stored = reinterpret_cast<struct varlena *>(DatumGetPointer(old_value));
		struct varlena *plain = pg_detoast_datum_packed(stored);
		fingerprint_pg::AddValue(row, column, PointerGetDatum(plain), &old_hasher);
		fingerprint_pg::AddValue(row, column, PointerGetDatum(plain), &new_hasher);
		if (plain != stored)
			pfree(plain);
	}
	const fingerprint::Digest128 old_digest = old_hasher.Finish();
	const fingerprint::Digest128 new_digest = new_hasher.Finish();
	// An exact no-op (UPDATE t SET x = x): nothing changed on disk, nothing is logged.
	if (changed_count == 0) {
		pfree(new_image.data);
		if (entry->old_images)
			pfree(old_image.data);
		pfree(changed);
		return;
	}
	for (int key = 0; key < entry->key_count && !key_changed; key++) {
		const int column = entry->key_columns[key];
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		key_changed = entry->old_nulls[column] != row->nulls[column] ||
		              (!row->nulls[column] && !datumIsEqual(entry->old_values[column], row->values[column],
		                                                    attribute->attbyval, attribute->attlen));
	}

	Datum log_values[kLogColumns];
	bool log_nulls[kLogColumns];
	ClearLogRow(log_values, log_nulls);
	log_values[kNewImage] = FinishImage(&new_image);
	log_nulls[kNewImage] = false;
	if (entry->old_images) {
		log_values[kOldImage] = FinishImage(&old_image);
		log_nulls[kOldImage] = false;
	}
	log_values[kNewFingerprint] = FingerprintText(new_digest);
	log_nulls[kNewFingerprint] = false;
	log_values[kOldFingerprint] = FingerprintText(old_digest);
	log_nulls[kOldFingerprint] = false;
	log_values[kKeyImage] = ColumnsImage(row, entry->key_columns, entry->key_count, row->values, row->nulls);
	log_nulls[kKeyImage] = false;
	if (key_changed) {
		log_values[kOldKeyImage] =
		    ColumnsImage(row, entry->key_columns, entry->key_count, entry->old_values, entry->old_nulls);
		log_nulls[kOldKeyImage] = false;
	}
	log_values[kChangedColumns] =
	    PointerGetDatum(construct_array(changed, changed_count, TEXTOID, -1, false, TYPALIGN_INT));
	log_nulls[kChangedColumns] = false;
	InsertLogRow(entry, 'U', log_values, log_nulls);
}

void CaptureTruncate(CaptureEntry *entry) {
	Datum log_values[kLogColumns];
	bool log_nulls[kLogColumns];
	ClearLogRow(log_values, log_nulls);
	InsertLogRow(entry, 'T', log_values, log_nulls);
}

Datum CaptureTrigger(PG_FUNCTION_ARGS) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() must be called as a trigger")));
	TriggerData *data = reinterpret_cast<TriggerData *>(fcinfo->context);
	const TriggerEvent event = data->tg_event;
	if (!TRIGGER_FIRED_AFTER(event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() must be an AFTER trigger"),
		                errhint("Use fingerprint_capture_enable() to install it.")));
	CaptureEntry *entry = GetCaptureEntry(data->tg_relation, data->tg_trigger);
	// Echo suppression for a replayer (fingerprint_capture_enable(..., skip_in_replica
	// => true) installs an ordinary trigger that does not fire in replica mode at all;
	// this also covers a DBA's ENABLE ALWAYS on such a table).
	if (entry->skip_in_replica && SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return PointerGetDatum(nullptr);
	if (TRIGGER_FIRED_BY_TRUNCATE(event)) {
		CaptureTruncate(entry);
		return PointerGetDatum(nullptr);
	}
	if (!TRIGGER_FIRED_FOR_ROW(event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() must be a row trigger for INSERT, UPDATE and DELETE")));
	if (TRIGGER_FIRED_BY_INSERT(event))
		CaptureInsertOrDelete(entry, data->tg_trigslot, true);
	else if (TRIGGER_FIRED_BY_DELETE(event))
		CaptureInsertOrDelete(entry, data->tg_trigslot, false);
	else if (TRIGGER_FIRED_BY_UPDATE(event))
		CaptureUpdate(entry, data->tg_trigslot, data->tg_newslot);
	return PointerGetDatum(nullptr);
}

// ---------------------------------------------------------------------------------------
// fingerprint.column_classes

Datum ColumnClasses(PG_FUNCTION_ARGS) {
	const Oid relid = PG_GETARG_OID(0);
	Relation rel = relation_open(relid, AccessShareLock);
	const TupleDesc desc = RelationGetDescr(rel);
	int count = 0;
	Datum *classes = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(desc->natts, 1)));
	for (int column = 0; column < desc->natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		const ColumnKind kind = fingerprint_pg::ClassifyColumn(attribute);
		if (kind == ColumnKind::dropped)
			continue;
		if (kind == ColumnKind::unsupported)
			ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			                errmsg("cannot capture changes of table %s: column \"%s\" has unsupported type %s",
			                       RelationDisplayName(rel), NameStr(attribute->attname),
			                       format_type_with_typemod(attribute->atttypid, attribute->atttypmod))));
		classes[count++] = PointerGetDatum(cstring_to_text(fingerprint_pg::ValueClassName(kind)));
	}
	relation_close(rel, AccessShareLock);
	PG_RETURN_ARRAYTYPE_P(construct_array(classes, count, TEXTOID, -1, false, TYPALIGN_INT));
}

} // namespace

// The change-capture trigger (row: INSERT, UPDATE, DELETE; statement: TRUNCATE).
Datum fingerprint_capture_trigger(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.capture_trigger", CaptureTrigger, fcinfo);
}

// The value class of each live column of a table (exact, approx, string, date, ...).
Datum fingerprint_column_classes(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.column_classes", ColumnClasses, fcinfo);
}
