// fingerprint_agg(record [, algorithm]): the order-independent fingerprint of a set of
// rows. The transition state is a fingerprint::AggregateState (a flat struct) palloc'd
// in the aggregate context; combine/serialize/deserialize make it parallel-safe.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "executor/executor.h"
#include "nodes/execnodes.h"
#include "nodes/primnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
}

#include "encoder.hpp"
#include "guard.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/printable.hpp"

#include <type_traits>

static_assert(std::is_trivially_copyable<fingerprint::AggregateState>::value,
              "AggregateState lives in palloc memory and is copied with memcpy");

FINGERPRINT_PG_FUNCTION(fingerprint_agg_transfn)
FINGERPRINT_PG_FUNCTION(fingerprint_agg_finalfn)
FINGERPRINT_PG_FUNCTION(fingerprint_agg_combinefn)
FINGERPRINT_PG_FUNCTION(fingerprint_agg_serialfn)
FINGERPRINT_PG_FUNCTION(fingerprint_agg_deserialfn)

namespace {

using fingerprint::AggregateState;

MemoryContext AggregateContext(FunctionCallInfo fcinfo, const char *function_name) {
	MemoryContext context;
	if (!AggCheckCallContext(fcinfo, &context))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("%s called in non-aggregate context", function_name)));
	return context;
}

AggregateState *NewState(MemoryContext context, fingerprint::Algorithm algorithm) {
	AggregateState *state = static_cast<AggregateState *>(MemoryContextAlloc(context, sizeof(AggregateState)));
	fingerprint::AggregateInit(state, algorithm);
	return state;
}

pg_attribute_noreturn() void ReportAlgorithmMismatch() {
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
	                errmsg("fingerprint_agg algorithm must be the same for every row"),
	                errdetail("%s", fingerprint::StatusMessage(fingerprint::Status::algorithm_mismatch))));
}

fingerprint::Algorithm AlgorithmArgument(FunctionCallInfo fcinfo, int argno) {
	if (PG_NARGS() <= argno)
		return fingerprint::kDefaultAlgorithm;
	if (PG_ARGISNULL(argno))
		fingerprint_pg::ReportNullAlgorithm();
	return fingerprint_pg::AlgorithmFromText(PG_GETARG_TEXT_PP(argno));
}

Datum TransitionStep(PG_FUNCTION_ARGS) {
	const MemoryContext context = AggregateContext(fcinfo, "fingerprint_agg_transfn");
	const fingerprint::Algorithm algorithm = AlgorithmArgument(fcinfo, 2);
	AggregateState *state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<AggregateState *>(PG_GETARG_POINTER(0));
	if (state == nullptr)
		state = NewState(context, algorithm);
	else if (state->algorithm != static_cast<uint8>(algorithm))
		ReportAlgorithmMismatch();
	// A NULL record (not a row of NULLs: the hole of an outer join) is skipped.
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);
	HeapTupleHeader record = PG_GETARG_HEAPTUPLEHEADER(1);
	fingerprint_pg::RowCache *cache = fingerprint_pg::GetRowCache(fcinfo->flinfo, record);
	fingerprint::RowHasher hasher(algorithm);
	fingerprint::AggregateAdd(state, fingerprint_pg::HashRecord(cache, record, &hasher));
	PG_RETURN_POINTER(state);
}

// With no input row there is no state; the algorithm is then read from the call's
// second argument: a constant, or an expression that needs no input row (a parameter).
fingerprint::Algorithm AlgorithmOfEmptyAggregate(FunctionCallInfo fcinfo) {
	Aggref *aggref = AggGetAggref(fcinfo);
	if (aggref == nullptr || list_length(aggref->args) < 2)
		return fingerprint::kDefaultAlgorithm;
	Expr *expr = reinterpret_cast<TargetEntry *>(lsecond(aggref->args))->expr;
	bool is_null = false;
	Datum value;
	if (IsA(expr, Const)) {
		is_null = reinterpret_cast<Const *>(expr)->constisnull;
		value = reinterpret_cast<Const *>(expr)->constvalue;
	} else if (fcinfo->context != nullptr && IsA(fcinfo->context, AggState) &&
	           !contain_var_clause(reinterpret_cast<Node *>(expr)) &&
	           !contain_volatile_functions(reinterpret_cast<Node *>(expr)) &&
	           !contain_subplans(reinterpret_cast<Node *>(expr))) {
		AggState *agg_state = reinterpret_cast<AggState *>(fcinfo->context);
		ExprState *expr_state = ExecInitExpr(expr, &agg_state->ss.ps);
		value = ExecEvalExpr(expr_state, agg_state->ss.ps.ps_ExprContext, &is_null);
	} else {
		return fingerprint::kDefaultAlgorithm;
	}
	if (is_null)
		fingerprint_pg::ReportNullAlgorithm();
	return fingerprint_pg::AlgorithmFromText(DatumGetTextPP(value));
}

Datum FinalStep(PG_FUNCTION_ARGS) {
	AggregateContext(fcinfo, "fingerprint_agg_finalfn");
	AggregateState empty;
	const AggregateState *state;
	if (PG_ARGISNULL(0)) {
		fingerprint::AggregateInit(&empty, AlgorithmOfEmptyAggregate(fcinfo));
		state = &empty;
	} else {
		state = reinterpret_cast<const AggregateState *>(PG_GETARG_POINTER(0));
	}
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length = fingerprint::FormatTableFingerprint(*state, printable);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(printable, (int)length));
}

Datum CombineStep(PG_FUNCTION_ARGS) {
	const MemoryContext context = AggregateContext(fcinfo, "fingerprint_agg_combinefn");
	AggregateState *into = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<AggregateState *>(PG_GETARG_POINTER(0));
	const AggregateState *from =
	    PG_ARGISNULL(1) ? nullptr : reinterpret_cast<const AggregateState *>(PG_GETARG_POINTER(1));
	if (from == nullptr) {
		if (into == nullptr)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == nullptr) {
		// The second state may live in a shorter-lived context (deserialized per tuple).
		into = static_cast<AggregateState *>(MemoryContextAlloc(context, sizeof(AggregateState)));
		*into = *from;
		PG_RETURN_POINTER(into);
	}
	if (fingerprint::AggregateMerge(into, *from) != fingerprint::Status::ok)
		ReportAlgorithmMismatch();
	PG_RETURN_POINTER(into);
}

Datum SerializeStep(PG_FUNCTION_ARGS) {
	AggregateContext(fcinfo, "fingerprint_agg_serialfn");
	const AggregateState *state = reinterpret_cast<const AggregateState *>(PG_GETARG_POINTER(0));
	bytea *result = static_cast<bytea *>(palloc(VARHDRSZ + fingerprint::kSerializedStateSize));
	SET_VARSIZE(result, VARHDRSZ + fingerprint::kSerializedStateSize);
	fingerprint::AggregateSerialize(*state, reinterpret_cast<unsigned char *>(VARDATA(result)));
	PG_RETURN_BYTEA_P(result);
}

Datum DeserializeStep(PG_FUNCTION_ARGS) {
	AggregateContext(fcinfo, "fingerprint_agg_deserialfn");
	const bytea *data = PG_GETARG_BYTEA_PP(0);
	AggregateState *state = static_cast<AggregateState *>(palloc(sizeof(AggregateState)));
	const fingerprint::Status status = fingerprint::AggregateDeserialize(
	    reinterpret_cast<const unsigned char *>(VARDATA_ANY(data)), VARSIZE_ANY_EXHDR(data), state);
	if (status != fingerprint::Status::ok)
		ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("invalid fingerprint_agg state"),
		                errdetail("%s", fingerprint::StatusMessage(status))));
	PG_RETURN_POINTER(state);
}

} // namespace

// Adds one row's hash to the state (NULL records are skipped).
Datum fingerprint_agg_transfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_agg_transfn", TransitionStep, fcinfo);
}

// fp1:<algorithm>:<rows>:<32 hex digits>; the empty fingerprint for no rows, never NULL.
Datum fingerprint_agg_finalfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_agg_finalfn", FinalStep, fcinfo);
}

// Merges two partial states (parallel workers, partitions).
Datum fingerprint_agg_combinefn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_agg_combinefn", CombineStep, fcinfo);
}

// State -> the core's fixed 33-byte wire form.
Datum fingerprint_agg_serialfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_agg_serialfn", SerializeStep, fcinfo);
}

// The 33-byte wire form -> state.
Datum fingerprint_agg_deserialfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_agg_deserialfn", DeserializeStep, fcinfo);
}
