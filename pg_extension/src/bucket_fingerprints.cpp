// bucket_fingerprints(tbl, buckets, key_columns, include_columns, exclude_columns, filter,
// algorithm): one pass over a table gives the table fingerprint of every non-empty
// bucket (docs/diff.md). The bucket of a row comes from the core (bucket.hpp) over the
// canonical encoding of its key; the bucket states are one flat array of
// AggregateState (40 bytes each) palloc'd in a memory context of their own.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "funcapi.h"
#include "access/relation.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
}

#include "bucket_plan.hpp"
#include "guard.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/bucket.hpp"
#include "fingerprint/printable.hpp"

#include <new>
#include <type_traits>

static_assert(std::is_trivially_destructible<fingerprint::AggregateState>::value &&
                  std::is_trivially_destructible<fingerprint::RowHasher>::value,
              "bucket states and hashers live in palloc memory that an ERROR frees without destructors");

FINGERPRINT_PG_FUNCTION(bucket_fingerprints)

namespace {

using fingerprint_pg::BucketPlan;

struct BucketSums {
	const BucketPlan *plan;
	fingerprint::AggregateState *states; // bucket_count of them
	fingerprint::RowHasher *key_hasher;
	fingerprint::RowHasher *row_hasher;
};

// Adds one row to the state of its key's bucket.
void AddBucketRow(void *context, const Datum *values, const bool *nulls) {
	BucketSums *sums = static_cast<BucketSums *>(context);
	const BucketPlan *plan = sums->plan;
	fingerprint_pg::AddColumns(plan->cache, plan->key_columns, plan->key_count, values, nulls,
	                           sums->key_hasher);
	const uint32 bucket = fingerprint::BucketOfKeyDigest(sums->key_hasher->Finish(), plan->bucket_count);
	// The bucket's state is a random one of up to 2^24: start loading it into the cache
	// now, so that the miss overlaps with hashing the row instead of following it.
	__builtin_prefetch(&sums->states[bucket], 1);
	fingerprint_pg::AddColumns(plan->cache, plan->row_columns, plan->row_count, values, nulls,
	                           sums->row_hasher);
	fingerprint::AggregateAdd(&sums->states[bucket], sums->row_hasher->Finish());
}

// (bucket, rows, fingerprint) for every bucket that holds a row, in bucket order.
void EmitBuckets(FunctionCallInfo fcinfo, const BucketPlan *plan, const BucketSums &sums) {
	ReturnSetInfo *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
	for (uint32 bucket = 0; bucket < plan->bucket_count; bucket++) {
		const fingerprint::AggregateState &state = sums.states[bucket];
		if (state.rows == 0)
			continue;
		char printable[fingerprint::kMaxPrintableLength];
		const size_t length = fingerprint::FormatTableFingerprint(state, printable);
		Datum values[3] = {Int32GetDatum((int32)bucket), Int64GetDatum((int64)state.rows),
		                   PointerGetDatum(cstring_to_text_with_len(printable, (int)length))};
		bool nulls[3] = {false, false, false};
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum BucketFingerprints(PG_FUNCTION_ARGS) {
	const BucketPlan *plan = fingerprint_pg::BeginBucketFunction(fcinfo, {0, 1, 2, 3, 4, 5, 6});
	if (plan == nullptr)
		return (Datum)0;

	MemoryContext bucket_context =
	    AllocSetContextCreate(CurrentMemoryContext, "fingerprint buckets", ALLOCSET_DEFAULT_SIZES);
	BucketSums sums;
	sums.plan = plan;
	// At most 2^24 * 40 bytes = 640 MB, below palloc's 1 GB limit.
	sums.states = static_cast<fingerprint::AggregateState *>(
	    MemoryContextAllocHuge(bucket_context, sizeof(fingerprint::AggregateState) * plan->bucket_count));
	for (uint32 bucket = 0; bucket < plan->bucket_count; bucket++)
		fingerprint::AggregateInit(&sums.states[bucket], plan->algorithm);
	sums.key_hasher = new (MemoryContextAlloc(bucket_context, sizeof(fingerprint::RowHasher)))
	    fingerprint::RowHasher(fingerprint::kKeyAlgorithm);
	sums.row_hasher = new (MemoryContextAlloc(bucket_context, sizeof(fingerprint::RowHasher)))
	    fingerprint::RowHasher(plan->algorithm);

	fingerprint_pg::ScanBucketPlan(plan, AddBucketRow, &sums);
	EmitBuckets(fcinfo, plan, sums);
	MemoryContextDelete(bucket_context);
	// The lock is kept until the end of the transaction, as a SELECT keeps it.
	relation_close(plan->relation, NoLock);
	return (Datum)0;
}

} // namespace

// The fingerprint of every non-empty bucket of a table, from one pass over it.
Datum bucket_fingerprints(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("bucket_fingerprints", BucketFingerprints, fcinfo);
}
