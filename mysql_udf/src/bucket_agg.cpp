// fingerprint_buckets(row_spec, key_spec, k1..kn, v1..vm) RETURNS STRING, an aggregate:
// the table fingerprint of every non-empty bucket of a group of rows, as one JSON array
// [[bucket, rows, "fp1:xxh3:<rows>:<hex>"], ...] in bucket order, or the group's first
// "error: column ..." string (docs/diff.md).
//
//   row_spec  "[algorithm:]classes" of the values v1..vm, as for fingerprint_agg
//   key_spec  "<bucket count>:<classes>" of the key values k1..kn, in key order
//
// One aggregate over the whole table holds every bucket's state (40 bytes each), so the
// procedures need no GROUP BY over the table and no temporary table; JSON_TABLE turns the
// string back into rows. The bucket of a row is the core's (bucket.hpp): the same key
// gives the same bucket as in PostgreSQL. Catch-all handlers: see row_fingerprint.cpp.
#include "key_spec.hpp"
#include "rollup_guard.hpp"
#include "spec.hpp"
#include "udf_abi.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/bucket.hpp"
#include "fingerprint/printable.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace {

using namespace fingerprint::udf;

// Large enough that the server types the result as LONGTEXT.
constexpr unsigned long kMaxResultLength = 4294967295UL;

struct BucketsState {
	BucketsState(fingerprint::Algorithm chosen, std::uint32_t count) noexcept
	    : algorithm(chosen), bucket_count(count), row_hasher(chosen) {}

	fingerprint::Algorithm algorithm;
	std::uint32_t bucket_count;
	std::string row_classes;
	std::string key_classes;
	std::unique_ptr<fingerprint::AggregateState[]> states;
	bool dirty = true; // some state may be non-zero
	fingerprint::RowHasher key_hasher{fingerprint::kKeyAlgorithm};
	fingerprint::RowHasher row_hasher;
	bool failed = false;
	char error[kErrorSize] = {};
	std::size_t error_length = 0;
	std::string result;
	fingerprint::udf::GroupOwner group_owner; // WITH ROLLUP is refused
};

BucketsState *StateOf(UDF_INIT *initid) {
	return static_cast<BucketsState *>(StatePointer(initid));
}

// Checks the specs and the argument count; nullptr with message on refusal.
BucketsState *InitBuckets(UDF_ARGS *args, char *message) {
	const ArgsView view = ViewArgs(args);
	if (view.count < 4 || !IsConstantString(args, 0) || !IsConstantString(args, 1)) {
		std::snprintf(message, kInitMessageSize,
		              "fingerprint_buckets: expects constant specs, keys and values");
		return nullptr;
	}
	Spec spec{};
	char bad = '?';
	if (ParseSpec(std::string_view(view.values[0], view.lengths[0]), &spec, &bad) != SpecError::none) {
		std::snprintf(message, kInitMessageSize, "fingerprint_buckets: bad row spec (argument 1)");
		return nullptr;
	}
	KeySpec key{};
	const char *why = "";
	if (!ParseKeySpec(std::string_view(view.values[1], view.lengths[1]), &key, &why)) {
		std::snprintf(message, kInitMessageSize, "fingerprint_buckets: %s", why);
		return nullptr;
	}
	if (view.count != 2 + key.classes.size() + spec.classes.size()) {
		std::snprintf(message, kInitMessageSize, "fingerprint_buckets: specs name %zu values, got %u",
		              key.classes.size() + spec.classes.size(), view.count - 2);
		return nullptr;
	}
	std::unique_ptr<BucketsState> state(new (std::nothrow) BucketsState(spec.algorithm, key.bucket_count));
	if (state != nullptr)
		state->states.reset(new (std::nothrow) fingerprint::AggregateState[key.bucket_count]);
	if (state == nullptr || state->states == nullptr) {
		std::snprintf(message, kInitMessageSize, "fingerprint_buckets: out of memory for %u buckets",
		              key.bucket_count);
		return nullptr;
	}
	for (std::uint32_t bucket = 0; bucket < key.bucket_count; ++bucket)
		fingerprint::AggregateInit(&state->states[bucket], spec.algorithm);
	state->dirty = false;
	state->key_classes.assign(key.classes.data(), key.classes.size());
	state->row_classes.assign(spec.classes.data(), spec.classes.size());
	CoerceClassedArgs(args, 2, state->key_classes);
	CoerceClassedArgs(args, 2 + static_cast<unsigned>(key.classes.size()), state->row_classes);
	return state.release();
}

void AppendBucket(std::string *out, std::uint32_t bucket, const fingerprint::AggregateState &state) {
	char printable[fingerprint::kMaxPrintableLength];
	fingerprint::FormatTableFingerprint(state, printable);
	char entry[32 + fingerprint::kMaxPrintableLength + 16];
	const int n = std::snprintf(entry, sizeof entry, "%s[%u,%llu,\"%s\"]", out->size() > 1 ? "," : "", bucket,
	                            static_cast<unsigned long long>(state.rows), printable);
	out->append(entry, static_cast<std::size_t>(n));
}

} // namespace

// Validates the specs and allocates every bucket's state.
FP_EXPORT fp_init_result fingerprint_buckets_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		BucketsState *state = InitBuckets(args, message);
		if (state == nullptr)
			return 1;
		SetStatePointer(initid, state);
		SetResultShape(initid, kMaxResultLength, false);
		return 0;
	} catch (...) {
		std::snprintf(message, kInitMessageSize, "fingerprint_buckets: internal error");
		return 1;
	}
}

// Frees the state (called only when _init succeeded).
FP_EXPORT void fingerprint_buckets_deinit(UDF_INIT *initid) {
	delete StateOf(initid);
	SetStatePointer(initid, nullptr);
}

// Starts a group: every bucket empty, no error. Repeated clears with no row between
// (the server does that on empty input) skip the reset.
FP_EXPORT void fingerprint_buckets_clear(UDF_INIT *initid, fp_flag * /*is_null*/, fp_flag *error) {
	try {
		BucketsState *state = StateOf(initid);
		if (state->dirty) {
			for (std::uint32_t bucket = 0; bucket < state->bucket_count; ++bucket)
				fingerprint::AggregateInit(&state->states[bucket], state->algorithm);
			state->dirty = false;
		}
		state->failed = false;
		state->error_length = 0;
		state->group_owner.Clear();
	} catch (...) {
		*error = 1;
	}
}

// Adds the row's hash to its key's bucket; after an error the rest of the group is skipped.
FP_EXPORT void fingerprint_buckets_add(UDF_INIT *initid, UDF_ARGS *args, fp_flag * /*is_null*/,
                                       fp_flag *error) {
	try {
		BucketsState *state = StateOf(initid);
		if (state->failed)
			return;
		if (!state->group_owner.Accepts(initid)) {
			state->failed = true;
			const int n = std::snprintf(state->error, kErrorSize, "error: fingerprint_buckets%s",
			                            fingerprint::udf::kRollupRefusal);
			state->error_length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), kErrorSize - 1);
			return;
		}
		state->dirty = true;
		if (!HashClassedArgs(&state->key_hasher, args, 2, state->key_classes, state->error, kErrorSize,
		                     &state->error_length)) {
			state->failed = true;
			return;
		}
		const std::uint32_t bucket =
		    fingerprint::BucketOfKeyDigest(state->key_hasher.Finish(), state->bucket_count);
		// Load the bucket's state while the row is hashed (the buckets are up to 640 MB).
		__builtin_prefetch(&state->states[bucket], 1);
		const unsigned first_value = 2 + static_cast<unsigned>(state->key_classes.size());
		if (!HashClassedArgs(&state->row_hasher, args, first_value, state->row_classes, state->error,
		                     kErrorSize, &state->error_length)) {
			state->failed = true;
			return;
		}
		fingerprint::AggregateAdd(&state->states[bucket], state->row_hasher.Finish());
	} catch (...) {
		*error = 1;
	}
}

// The non-empty buckets as a JSON array, or the group's first error string.
FP_EXPORT char *fingerprint_buckets(UDF_INIT *initid, UDF_ARGS * /*args*/, char * /*result*/,
                                    unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		BucketsState *state = StateOf(initid);
		*is_null = 0;
		if (state->failed) {
			*length = state->error_length;
			return state->error;
		}
		state->result.assign("[");
		for (std::uint32_t bucket = 0; bucket < state->bucket_count; ++bucket)
			if (state->states[bucket].rows != 0)
				AppendBucket(&state->result, bucket, state->states[bucket]);
		state->result.push_back(']');
		*length = state->result.size();
		return &state->result[0];
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
