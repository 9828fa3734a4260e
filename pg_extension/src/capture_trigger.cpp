// fingerprint.capture_trigger(): the change-capture trigger (docs/capture.md).
//
// One C function serves both triggers fingerprint_capture_enable installs: AFTER INSERT
// OR UPDATE OR DELETE FOR EACH ROW, and AFTER TRUNCATE FOR EACH STATEMENT. Per row it
// encodes the new and/or old row once with the fingerprint encoder, capturing the
// canonical bytes (the row image) while hashing them, and queues one row for
// fingerprint.change_log, written with the statement's other log rows in multi-row heap
// inserts when the statement ends (capture_log_queue.hpp): no SQL, no catalog query and
// no type output function per row.
//
// Everything the trigger needs about its table comes from the table's registration in
// fingerprint.capture_tables (1.1; 1.0 read the trigger's arguments) and from the
// relation's tuple descriptor, cached per relation (capture_entry.hpp).
//
// The code is C-style (guard.hpp): every C++ object alive across PostgreSQL calls is
// trivially destructible (RowHasher, string views), so an ERROR's longjmp skips nothing.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/objectaddress.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"
}

#include "row_cache.hpp"
#include "capture_entry.hpp"
#include "capture_log_queue.hpp"
#include "guard.hpp"
#include "image_json.hpp"
#include "table_arguments.hpp"

#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"

FINGERPRINT_PG_FUNCTION(fingerprint_capture_trigger)
FINGERPRINT_PG_FUNCTION(fingerprint_capture_trigger_v11)
FINGERPRINT_PG_FUNCTION(fingerprint_capture_invalidate)
FINGERPRINT_PG_FUNCTION(fingerprint_column_classes)
FINGERPRINT_PG_FUNCTION(fingerprint_type_class)

namespace {

using fingerprint_pg::CaptureEntry;
using fingerprint_pg::CaptureSource;
using fingerprint_pg::ColumnKind;
using fingerprint_pg::RowCache;

// Columns of fingerprint.change_log, in order (sql/pg/src/capture_log.sql).
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

// fingerprint.change_log and its sequence; InvalidOid until looked up (again after a
// relcache invalidation of the log, e.g. when the extension is dropped).
Oid log_relid = InvalidOid;
Oid log_seq_relid = InvalidOid;

void ForgetLogRelation(Datum, Oid relid) {
	if (relid == InvalidOid || relid == log_relid) {
		log_relid = InvalidOid;
		log_seq_relid = InvalidOid;
	}
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

// The image of the given columns of a deformed row.
Datum ColumnsImage(const RowCache *row, const int *columns, int count, const Datum *values,
                   const bool *nulls) {
	StringInfoData image;
	StartImage(&image);
	fingerprint::RowHasher hasher;
	hasher.SetSink(fingerprint_pg::AppendToStringInfo, &image);
	fingerprint_pg::AddColumns(row, columns, count, values, nulls, &hasher);
	hasher.Finish();
	return FinishImage(&image);
}

Datum FingerprintText(fingerprint::Digest128 digest) {
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length =
	    fingerprint::FormatRowFingerprint(fingerprint::kDefaultAlgorithm, digest, printable);
	return PointerGetDatum(cstring_to_text_with_len(printable, (int)length));
}

// ---------------------------------------------------------------------------------------
// The log insert

void ResolveLogRelation() {
	static bool callback_registered = false;
	if (OidIsValid(log_relid) && OidIsValid(log_seq_relid))
		return;
	if (!callback_registered) {
		CacheRegisterRelcacheCallback(ForgetLogRelation, (Datum)0);
		callback_registered = true;
	}
	const Oid schema = get_namespace_oid("fingerprint", true);
	const Oid table = OidIsValid(schema) ? get_relname_relid("change_log", schema) : InvalidOid;
	const Oid sequence = OidIsValid(schema) ? get_relname_relid("change_log_seq", schema) : InvalidOid;
	if (!OidIsValid(table) || !OidIsValid(sequence))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("fingerprint.change_log does not exist"),
		                errhint("Capture needs the fingerprint extension (CREATE EXTENSION fingerprint).")));
	log_seq_relid = sequence;
	log_relid = table;
}

// Queues one log row (capture_log_queue.hpp: written when the statement ends). values/
// nulls: kLogColumns entries; txid, table, version and time are filled here, seq by the
// queue when it writes the row (numbered in the order the trigger fired).
void InsertLogRow(const CaptureEntry *entry, char op, Datum *values, bool *nulls) {
	ResolveLogRelation();
	Relation log = table_open(log_relid, RowExclusiveLock);
	if (RelationGetDescr(log)->natts != kLogColumns)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("fingerprint.change_log has %d columns, expected %d",
		                       RelationGetDescr(log)->natts, (int)kLogColumns)));
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
	static_assert(kSeq == 0, "the queue numbers the log's first column");
	fingerprint_pg::QueueLogRow(log, log_seq_relid, values, nulls);
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
	RowCache *row = entry->row;
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
	fingerprint_pg::AddRow(row, values, nulls, &hasher);
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
	RowCache *row = entry->row;
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
		if (row->kinds[column] == nullptr)
			continue;
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		const Datum old_value = entry->old_values[column];
		const Datum new_value = row->values[column];
		const bool old_null = entry->old_nulls[column];
		const bool new_null = row->nulls[column];
		const bool same =
		    old_null == new_null &&
		    (old_null || datumIsEqual(old_value, new_value, attribute->attbyval, attribute->attlen));
		if (!same) {
			changed[changed_count++] = entry->column_names[column];
			fingerprint_pg::AddColumn(row, column, old_value, old_null, &old_hasher);
			fingerprint_pg::AddColumn(row, column, new_value, new_null, &new_hasher);
			continue;
		}
		if (old_null || !ValueIsOutOfLine(attribute, old_value)) {
			fingerprint_pg::AddColumn(row, column, old_value, old_null, &old_hasher);
			fingerprint_pg::AddColumn(row, column, new_value, new_null, &new_hasher);
			continue;
		}
		// Unchanged and TOASTed or compressed: fetch it once for both rows.
		struct varlena *stored = reinterpret_cast<struct varlena *>(DatumGetPointer(old_value));
		struct varlena *plain = pg_detoast_datum_packed(stored);
		fingerprint_pg::AddColumn(row, column, PointerGetDatum(plain), false, &old_hasher);
		fingerprint_pg::AddColumn(row, column, PointerGetDatum(plain), false, &new_hasher);
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

Datum CaptureTrigger(FunctionCallInfo fcinfo, CaptureSource source) {
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() must be called as a trigger")));
	TriggerData *data = reinterpret_cast<TriggerData *>(fcinfo->context);
	const TriggerEvent event = data->tg_event;
	if (!TRIGGER_FIRED_AFTER(event))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("fingerprint.capture_trigger() must be an AFTER trigger"),
		                errhint("Use fingerprint_capture_enable() to install it.")));
	CaptureEntry *entry = fingerprint_pg::GetCaptureEntry(data->tg_relation, data->tg_trigger, source);
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
		ereport(
		    ERROR,
		    (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		     errmsg("fingerprint.capture_trigger() must be a row trigger for INSERT, UPDATE and DELETE")));
	if (TRIGGER_FIRED_BY_INSERT(event))
		CaptureInsertOrDelete(entry, data->tg_trigslot, true);
	else if (TRIGGER_FIRED_BY_DELETE(event))
		CaptureInsertOrDelete(entry, data->tg_trigslot, false);
	else if (TRIGGER_FIRED_BY_UPDATE(event))
		CaptureUpdate(entry, data->tg_trigslot, data->tg_newslot);
	return PointerGetDatum(nullptr);
}

// 1.1: the registry decides (capture_registry.cpp).
Datum CaptureTriggerRegistered(PG_FUNCTION_ARGS) {
	return CaptureTrigger(fcinfo, CaptureSource::registry);
}

// 1.0: the trigger's arguments decide; only reachable through 1.0's SQL (capture_entry.hpp).
Datum CaptureTriggerFromArguments(PG_FUNCTION_ARGS) {
	return CaptureTrigger(fcinfo, CaptureSource::trigger_arguments);
}

// fingerprint.capture_invalidate(regclass): every backend drops its cached capture entry
// of the table at commit (fingerprint_capture_enable and _disable call it, since a
// registry change alone sends no invalidation).
Datum CaptureInvalidate(PG_FUNCTION_ARGS) {
	const Oid relid = PG_GETARG_OID(0);
	const char *name = get_rel_name(relid);
	if (name == nullptr)
		PG_RETURN_VOID(); // nothing to invalidate
	if (!pg_class_ownercheck(relid, GetUserId()))
		aclcheck_error(ACLCHECK_NOT_OWNER, get_relkind_objtype(get_rel_relkind(relid)), name);
	CacheInvalidateRelcacheByRelid(relid);
	PG_RETURN_VOID();
}

// ---------------------------------------------------------------------------------------
// fingerprint.column_classes

Datum ColumnClasses(PG_FUNCTION_ARGS) {
	const Oid relid = PG_GETARG_OID(0);
	Relation rel = fingerprint_pg::OpenRelationForColumns(relid);
	const TupleDesc desc = RelationGetDescr(rel);
	int count = 0;
	Datum *classes = static_cast<Datum *>(palloc(sizeof(Datum) * (size_t)Max(desc->natts, 1)));
	for (int column = 0; column < desc->natts; column++) {
		const Form_pg_attribute attribute = TupleDescAttr(desc, column);
		if (attribute->attisdropped)
			continue;
		const ColumnKind *kind = fingerprint_pg::ClassifyType(attribute->atttypid, attribute->atttypmod);
		if (kind == nullptr)
			ereport(ERROR,
			        (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			         errmsg("cannot capture changes of table %s: column \"%s\" has unsupported type %s",
			                fingerprint_pg::RelationDisplayName(rel), NameStr(attribute->attname),
			                format_type_with_typemod(attribute->atttypid, attribute->atttypmod))));
		classes[count++] = PointerGetDatum(cstring_to_text(fingerprint_pg::ValueClassName(kind)));
	}
	relation_close(rel, AccessShareLock);
	PG_RETURN_ARRAYTYPE_P(construct_array(classes, count, TEXTOID, -1, false, TYPALIGN_INT));
}

// fingerprint.capture_type_class: the value class column_classes gives a column of this
// type and typmod, from the catalogs alone (no relation opened, so no lock taken);
// "unsupported" where column_classes raises its error.
Datum TypeClass(PG_FUNCTION_ARGS) {
	const ColumnKind *kind = fingerprint_pg::ClassifyType(PG_GETARG_OID(0), PG_GETARG_INT32(1));
	PG_RETURN_TEXT_P(cstring_to_text(fingerprint_pg::ValueClassName(kind)));
}

} // namespace

// The change-capture trigger (row: INSERT, UPDATE, DELETE; statement: TRUNCATE), 1.1 on:
// trusts only relations registered in fingerprint.capture_tables.
Datum fingerprint_capture_trigger_v11(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.capture_trigger", CaptureTriggerRegistered, fcinfo);
}

// The 1.0 trigger (arguments name the table), for 1.0's SQL until ALTER EXTENSION UPDATE.
Datum fingerprint_capture_trigger(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.capture_trigger", CaptureTriggerFromArguments, fcinfo);
}

// Invalidates the cached capture entries of a table in every backend (at commit).
Datum fingerprint_capture_invalidate(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.capture_invalidate", CaptureInvalidate, fcinfo);
}

// The value class of each live column of a table (exact, approx, string, date, ...).
Datum fingerprint_column_classes(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.column_classes", ColumnClasses, fcinfo);
}

// The value class of a type and typmod, read from the catalogs only.
Datum fingerprint_type_class(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint.capture_type_class", TypeClass, fcinfo);
}
