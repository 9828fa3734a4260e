// The 1.1 capture trigger's source of truth: the relation's row in
// fingerprint.capture_tables (capture_entry.hpp). Read once per relation and backend, and
// again after a relcache invalidation of the relation; never per row.
//
// A trigger is trusted only when all of these hold, else the write fails with an error
// naming the table and nothing is logged:
//   - fingerprint_capture_enable registered the relation, by OID, and capture is on;
//   - the trigger is one of the two enable created: its OID is in the registration's
//     trigger_oids, and it still has exactly enable's form (AFTER ROW INSERT/UPDATE/DELETE or
//     AFTER TRUNCATE, no arguments, no WHEN, no column list, no constraint trigger), checked
//     in capture_entry.cpp;
//   - the relation's current name is the registered one (a rename re-registers it in the
//     same transaction through the event trigger), and so is its column list.
// Everything else the log row carries (name, schema version, options, key) comes from the
// registry, so a trigger cannot make the log name another table.
//
// C-style code (guard.hpp): nothing here owns memory through a C++ destructor.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

#include "row_cache.hpp"
#include "capture_entry.hpp"

namespace fingerprint_pg {

namespace {

constexpr const char kRowTrigger[] = "fingerprint_capture";
constexpr const char kTruncateTrigger[] = "fingerprint_capture_truncate";

pg_attribute_noreturn() void ReportNotRegistered(Relation rel, const char *detail) {
	ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
	                errmsg("table %s is not registered for change capture", RelationDisplayName(rel)),
	                errdetail("%s", detail),
	                errhint("Only fingerprint_capture_enable() installs capture; nothing was logged.")));
}

} // namespace

void CheckCaptureTrigger(Relation rel, const Trigger *trigger) {
	const bool is_row = strcmp(trigger->tgname, kRowTrigger) == 0;
	if (!is_row && strcmp(trigger->tgname, kTruncateTrigger) != 0)
		ereport(ERROR,
		        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		         errmsg("trigger \"%s\" on table %s may not call fingerprint.capture_trigger()",
		                trigger->tgname, RelationDisplayName(rel)),
		         errdetail("Only the triggers fingerprint_capture_enable() creates write the change log.")));
	if (trigger->tgnargs != 0)
		ereport(
		    ERROR,
		    (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		     errmsg("trigger \"%s\" on table %s passes arguments to fingerprint.capture_trigger()",
		            trigger->tgname, RelationDisplayName(rel)),
		     errdetail("Capture takes its table name, key and columns from fingerprint.capture_tables only."),
		     errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
	// enable's form exactly: anything else would log rows twice or skip some silently.
	constexpr int16 kRowType =
	    TRIGGER_TYPE_ROW | TRIGGER_TYPE_INSERT | TRIGGER_TYPE_UPDATE | TRIGGER_TYPE_DELETE;
	const bool same_form =
	    trigger->tgtype == (is_row ? kRowType : TRIGGER_TYPE_TRUNCATE) && trigger->tgqual == nullptr &&
	    trigger->tgnattr == 0 && !OidIsValid(trigger->tgconstraint) && !trigger->tgisinternal &&
	    !trigger->tgdeferrable && trigger->tgoldtable == nullptr && trigger->tgnewtable == nullptr;
	if (!same_form)
		ereport(ERROR,
		        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		         errmsg("trigger \"%s\" on table %s is not in the form fingerprint_capture_enable() creates",
		                trigger->tgname, RelationDisplayName(rel)),
		         errdetail("Capture triggers have no WHEN clause, column list or constraint, and fire AFTER "
		                   "each row's INSERT, UPDATE and DELETE, or AFTER TRUNCATE."),
		         errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
}

namespace {

Oid RegistryRelation(const char *name) {
	const Oid schema = get_namespace_oid("fingerprint", true);
	const Oid relid = OidIsValid(schema) ? get_relname_relid(name, schema) : InvalidOid;
	if (!OidIsValid(relid))
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("fingerprint.%s does not exist", name),
		                errhint("Capture needs the fingerprint extension at version 1.1 or later "
		                        "(ALTER EXTENSION fingerprint UPDATE).")));
	return relid;
}

AttrNumber RegistryColumn(Oid registry, const char *name) {
	const AttrNumber number = get_attnum(registry, name);
	if (number == InvalidAttrNumber)
		ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
		                errmsg("fingerprint.capture_tables has no column \"%s\"", name),
		                errhint("ALTER EXTENSION fingerprint UPDATE completes the installation.")));
	return number;
}

// A text[] of the registry row as C strings (NULL elements stay NULL).
const char *const *TextArray(Datum value, int *count) {
	ArrayType *array = DatumGetArrayTypePCopy(value);
	Datum *elements;
	bool *nulls;
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, count);
	const char **strings = static_cast<const char **>(palloc(sizeof(char *) * (size_t)Max(*count, 1)));
	for (int i = 0; i < *count; i++)
		strings[i] = nulls[i] ? nullptr : TextDatumGetCString(elements[i]);
	return strings;
}

struct RegistryColumns {
	AttrNumber table_name, schema_version, relid, key_columns, column_signature, old_images, skip_in_replica,
	    enabled, trigger_oids;
};

// Copies the enabled registration of the scanned tuple into spec; false when disabled.
bool ReadRow(HeapTuple tuple, TupleDesc desc, const RegistryColumns *columns, Relation rel,
             CaptureSpec *spec) {
	bool isnull;
	const Datum enabled = heap_getattr(tuple, columns->enabled, desc, &isnull);
	if (isnull || !DatumGetBool(enabled))
		return false;
	spec->table_name = TextDatumGetCString(heap_getattr(tuple, columns->table_name, desc, &isnull));
	spec->schema_version = DatumGetInt32(heap_getattr(tuple, columns->schema_version, desc, &isnull));
	spec->old_images = DatumGetBool(heap_getattr(tuple, columns->old_images, desc, &isnull));
	spec->skip_in_replica = DatumGetBool(heap_getattr(tuple, columns->skip_in_replica, desc, &isnull));
	spec->key_names = TextArray(heap_getattr(tuple, columns->key_columns, desc, &isnull), &spec->key_count);
	const Datum signature = heap_getattr(tuple, columns->column_signature, desc, &isnull);
	if (isnull)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("the capture registration of table %s has no column signature",
		                       RelationDisplayName(rel)),
		                errhint("Call fingerprint_capture_enable('%s') again.", RelationDisplayName(rel))));
	spec->signature = TextArray(signature, &spec->signature_count);
	// {row trigger, truncate trigger}; NULL (enable is re-creating them) trusts none.
	spec->trusted_triggers[0] = InvalidOid;
	spec->trusted_triggers[1] = InvalidOid;
	const Datum trigger_oids = heap_getattr(tuple, columns->trigger_oids, desc, &isnull);
	if (!isnull) {
		ArrayType *array = DatumGetArrayTypeP(trigger_oids);
		Datum *elements;
		bool *nulls;
		int count;
		deconstruct_array(array, OIDOID, sizeof(Oid), true, TYPALIGN_INT, &elements, &nulls, &count);
		for (int i = 0; i < count && i < 2; i++)
			if (!nulls[i])
				spec->trusted_triggers[i] = DatumGetObjectId(elements[i]);
	}
	if (spec->key_count < 1)
		ReportNotRegistered(rel, "Its registration has no key columns.");
	for (int key = 0; key < spec->key_count; key++)
		if (spec->key_names[key] == nullptr)
			ReportNotRegistered(rel, "Its registration has a NULL key column.");
	return true;
}

} // namespace

void ReadRegisteredCapture(Relation rel, const Trigger *, CaptureSpec *spec) {
	const Oid registry_oid = RegistryRelation("capture_tables");
	const Oid index_oid = RegistryRelation("capture_tables_relid");
	RegistryColumns columns;
	columns.table_name = RegistryColumn(registry_oid, "table_name");
	columns.schema_version = RegistryColumn(registry_oid, "schema_version");
	columns.relid = RegistryColumn(registry_oid, "relid");
	columns.key_columns = RegistryColumn(registry_oid, "key_columns");
	columns.column_signature = RegistryColumn(registry_oid, "column_signature");
	columns.old_images = RegistryColumn(registry_oid, "old_images");
	columns.skip_in_replica = RegistryColumn(registry_oid, "skip_in_replica");
	columns.enabled = RegistryColumn(registry_oid, "enabled");
	columns.trigger_oids = RegistryColumn(registry_oid, "trigger_oids");

	// The latest snapshot: committed registrations and this transaction's own (the event
	// trigger re-registers a renamed table before its next write).
	Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
	Relation registry = table_open(registry_oid, AccessShareLock);
	ScanKeyData key;
	ScanKeyInit(&key, columns.relid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(RelationGetRelid(rel)));
	SysScanDesc scan = systable_beginscan(registry, index_oid, true, snapshot, 1, &key);
	int enabled_rows = 0;
	HeapTuple tuple;
	while (HeapTupleIsValid(tuple = systable_getnext(scan)))
		if (ReadRow(tuple, RelationGetDescr(registry), &columns, rel, spec))
			enabled_rows++;
	systable_endscan(scan);
	table_close(registry, AccessShareLock);
	UnregisterSnapshot(snapshot);

	if (enabled_rows == 0)
		ReportNotRegistered(
		    rel, "fingerprint.capture_tables has no enabled registration for this relation "
		         "(after pg_restore, fingerprint.capture_reattach() re-attaches restored tables).");
	if (enabled_rows > 1)
		ReportNotRegistered(rel, "fingerprint.capture_tables has more than one enabled registration for it.");
	const char *current_name = RelationDisplayName(rel);
	if (strcmp(current_name, spec->table_name) != 0)
		ereport(ERROR,
		        (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		         errmsg("table %s is registered for capture as %s", current_name, spec->table_name),
		         errdetail("It was renamed by a command after which fingerprint_capture_after_alter did not "
		                   "re-register it (the event trigger disabled or dropped)."),
		         errhint("Call fingerprint_capture_enable('%s') again.", current_name)));
}

} // namespace fingerprint_pg
