// bucket_rows(tbl, buckets, bucket_ids, key_columns, include_columns, exclude_columns,
// filter, algorithm, with_images): the rows of the given buckets, each with its key
// image, the key as JSON, its row fingerprint and (with_images) its row image, ordered by
// bucket, key image and fingerprint (docs/diff.md). One pass over the table; only the
// rows of the wanted buckets are kept.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/relation.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
}

#include "bucket_plan.hpp"
#include "guard.hpp"
#include "image_json.hpp"

#include "fingerprint/bucket.hpp"
#include "fingerprint/printable.hpp"

#include <new>

FINGERPRINT_PG_FUNCTION(bucket_rows)

namespace {

using fingerprint_pg::BucketPlan;

struct ListedRow {
	uint32 bucket;
	bytea *key_image;
	bytea *row_image; // nullptr unless with_images
	char fingerprint[fingerprint::kMaxPrintableLength];
};

struct RowListing {
	const BucketPlan *plan;
	const bool *wanted; // bucket_count flags
	bool with_images;
	fingerprint::RowHasher *key_hasher;
	fingerprint::RowHasher *row_hasher;
	StringInfoData key_image;
	StringInfoData row_image;
	MemoryContext memory; // where the listed rows live
	ListedRow *rows;
	int64 count;
	int64 allocated;
};

bytea *ByteaOf(const StringInfoData &bytes) {
	bytea *result = static_cast<bytea *>(palloc(VARHDRSZ + (size_t)bytes.len));
	SET_VARSIZE(result, VARHDRSZ + bytes.len);
	memcpy(VARDATA(result), bytes.data, (size_t)bytes.len);
	return result;
}

// The flags of the wanted buckets; ERROR for NULL or out-of-range ids.
bool *WantedBuckets(FunctionCallInfo fcinfo, int argno, uint32 bucket_count) {
	if (PG_ARGISNULL(argno))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("bucket_ids must not be NULL")));
	Datum *ids;
	bool *nulls;
	int count;
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), INT4OID, sizeof(int32), true, TYPALIGN_INT, &ids, &nulls,
	                  &count);
	bool *wanted = static_cast<bool *>(MemoryContextAllocHuge(CurrentMemoryContext, bucket_count));
	memset(wanted, 0, bucket_count);
	for (int i = 0; i < count; i++) {
		if (nulls[i])
			ereport(ERROR,
			        (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("bucket_ids must not contain NULL")));
		const int32 id = DatumGetInt32(ids[i]);
		if (id < 0 || (uint32)id >= bucket_count)
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			                errmsg("bucket id %d is out of range for %u buckets", id, bucket_count),
			                errhint("Buckets are numbered from 0 to %u.", bucket_count - 1)));
		wanted[id] = true;
	}
	return wanted;
}

// Keeps the row when its key falls into a wanted bucket.
void ListRow(void *context, const Datum *values, const bool *nulls) {
	RowListing *listing = static_cast<RowListing *>(context);
	const BucketPlan *plan = listing->plan;
	resetStringInfo(&listing->key_image);
	fingerprint_pg::AddColumns(plan->cache, plan->key_columns, plan->key_count, values, nulls,
	                           listing->key_hasher);
	const uint32 bucket = fingerprint::BucketOfKeyDigest(listing->key_hasher->Finish(), plan->bucket_count);
	if (!listing->wanted[bucket])
		return;
	resetStringInfo(&listing->row_image);
	fingerprint_pg::AddColumns(plan->cache, plan->row_columns, plan->row_count, values, nulls,
	                           listing->row_hasher);
	const fingerprint::Digest128 digest = listing->row_hasher->Finish();

	MemoryContext old_context = MemoryContextSwitchTo(listing->memory);
	if (listing->count == listing->allocated) {
		listing->allocated = listing->allocated == 0 ? 64 : listing->allocated * 2;
		const Size size = mul_size(sizeof(ListedRow), (Size)listing->allocated);
		listing->rows =
		    static_cast<ListedRow *>(listing->rows == nullptr ? MemoryContextAllocHuge(listing->memory, size)
		                                                      : repalloc_huge(listing->rows, size));
	}
	ListedRow &row = listing->rows[listing->count];
	row.bucket = bucket;
	row.key_image = ByteaOf(listing->key_image);
	row.row_image = listing->with_images ? ByteaOf(listing->row_image) : nullptr;
	fingerprint::FormatRowFingerprint(plan->algorithm, digest, row.fingerprint);
	listing->count++;
	MemoryContextSwitchTo(old_context);
}

// Bucket, then key image bytes (shorter first on a common prefix, as bytea sorts), then
// fingerprint: both engines list rows in exactly this order.
int CompareListedRows(const void *a, const void *b) {
	const ListedRow *left = static_cast<const ListedRow *>(a);
	const ListedRow *right = static_cast<const ListedRow *>(b);
	if (left->bucket != right->bucket)
		return left->bucket < right->bucket ? -1 : 1;
	const size_t left_length = VARSIZE(left->key_image) - VARHDRSZ;
	const size_t right_length = VARSIZE(right->key_image) - VARHDRSZ;
	const int bytes =
	    memcmp(VARDATA(left->key_image), VARDATA(right->key_image), Min(left_length, right_length));
	if (bytes != 0)
		return bytes;
	if (left_length != right_length)
		return left_length < right_length ? -1 : 1;
	return strcmp(left->fingerprint, right->fingerprint);
}

void EmitRows(FunctionCallInfo fcinfo, const RowListing &listing) {
	ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
	for (int64 i = 0; i < listing.count; i++) {
		const ListedRow &row = listing.rows[i];
		fingerprint::Status status = fingerprint::Status::ok;
		size_t length;
		char *key_json = fingerprint_pg::RenderImageJsonText(row.key_image, nullptr, 0, &length, &status);
		if (key_json == nullptr)
			ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not render a key image as JSON"),
			                errdetail("%s", fingerprint::StatusMessage(status))));
		// The core writes UTF-8; key_json is text in the database encoding.
		char *server_json = pg_any_to_server(key_json, (int)length, PG_UTF8);
		Datum values[5] = {Int32GetDatum((int32)row.bucket), PointerGetDatum(row.key_image),
		                   PointerGetDatum(cstring_to_text(server_json)),
		                   PointerGetDatum(cstring_to_text(row.fingerprint)), PointerGetDatum(row.row_image)};
		bool nulls[5] = {false, false, false, false, row.row_image == nullptr};
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if (server_json != key_json)
			pfree(server_json);
		pfree(key_json);
	}
}

Datum BucketRows(PG_FUNCTION_ARGS) {
	const BucketPlan *plan = fingerprint_pg::BeginBucketFunction(fcinfo, {0, 1, 3, 4, 5, 6, 7});
	if (plan == nullptr)
		return (Datum)0;
	if (PG_ARGISNULL(8))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("with_images must not be NULL")));

	RowListing listing;
	memset(&listing, 0, sizeof listing);
	listing.plan = plan;
	listing.wanted = WantedBuckets(fcinfo, 2, plan->bucket_count);
	listing.with_images = PG_GETARG_BOOL(8);
	listing.memory =
	    AllocSetContextCreate(CurrentMemoryContext, "fingerprint bucket rows", ALLOCSET_DEFAULT_SIZES);
	MemoryContext old_context = MemoryContextSwitchTo(listing.memory);
	initStringInfo(&listing.key_image);
	initStringInfo(&listing.row_image);
	listing.key_hasher =
	    new (palloc(sizeof(fingerprint::RowHasher))) fingerprint::RowHasher(fingerprint::kKeyAlgorithm);
	listing.row_hasher = new (palloc(sizeof(fingerprint::RowHasher))) fingerprint::RowHasher(plan->algorithm);
	MemoryContextSwitchTo(old_context);
	listing.key_hasher->SetSink(fingerprint_pg::AppendToStringInfo, &listing.key_image);
	if (listing.with_images)
		listing.row_hasher->SetSink(fingerprint_pg::AppendToStringInfo, &listing.row_image);

	fingerprint_pg::ScanBucketPlan(plan, ListRow, &listing);
	if (listing.count > 1)
		qsort(listing.rows, (size_t)listing.count, sizeof(ListedRow), CompareListedRows);
	EmitRows(fcinfo, listing);
	MemoryContextDelete(listing.memory);
	relation_close(plan->relation, NoLock);
	return (Datum)0;
}

} // namespace

// The keys and row fingerprints of the rows in the given buckets.
Datum bucket_rows(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("bucket_rows", BucketRows, fcinfo);
}
