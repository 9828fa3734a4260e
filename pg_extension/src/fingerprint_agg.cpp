// fingerprint_agg(record [, algorithm]): the order-independent fingerprint of a set of
// rows. The transition state is a fingerprint::AggregateState (a flat struct) palloc'd
// in the aggregate context; combine/serialize/deserialize make it parallel-safe.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "executor/executor.h"
#include "catalog/pg_type.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "nodes/plannodes.h"
#include "nodes/primnodes.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/typcache.h"
}

#include "algorithm_argument.hpp"
#include "guard.hpp"
#include "row_cache.hpp"

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
	AggregateState *state =
	    static_cast<AggregateState *>(MemoryContextAlloc(context, sizeof(AggregateState)));
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
	AggregateState *state =
	    PG_ARGISNULL(0) ? nullptr : reinterpret_cast<AggregateState *>(PG_GETARG_POINTER(0));
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

// Follows a Var through pass-through plan nodes (Gather, Gather Merge, Sort, Append, ...)
// down to the expression that computes it: in a parallel plan, the Finalize Aggregate's
// argument is a Var that leads to the Partial Aggregate's Aggref.
Expr *ResolveOuterVar(Expr *expr, Plan *plan) {
	for (int depth = 0; depth < 64 && expr != nullptr && IsA(expr, Var); depth++) {
		const Var *var = reinterpret_cast<const Var *>(expr);
		if (var->varno != OUTER_VAR || plan == nullptr)
			return nullptr;
		Plan *child;
		if (IsA(plan, Append))
			child = list_length(reinterpret_cast<Append *>(plan)->appendplans) > 0
			            ? static_cast<Plan *>(linitial(reinterpret_cast<Append *>(plan)->appendplans))
			            : nullptr;
		else if (IsA(plan, MergeAppend))
			child = list_length(reinterpret_cast<MergeAppend *>(plan)->mergeplans) > 0
			            ? static_cast<Plan *>(linitial(reinterpret_cast<MergeAppend *>(plan)->mergeplans))
			            : nullptr;
		else
			child = outerPlan(plan);
		if (child == nullptr)
			return nullptr;
		const TargetEntry *entry = get_tle_by_resno(child->targetlist, var->varattno);
		if (entry == nullptr)
			return nullptr;
		expr = entry->expr;
		plan = child;
	}
	return expr;
}

// The expression given as argument `index` of this aggregate call, or nullptr when it
// cannot be found (window aggregates, unusual plans).
Expr *AggregateArgument(FunctionCallInfo fcinfo, int index) {
	Aggref *aggref = AggGetAggref(fcinfo);
	if (aggref == nullptr || fcinfo->context == nullptr || !IsA(fcinfo->context, AggState))
		return nullptr;
	if (DO_AGGSPLIT_COMBINE(aggref->aggsplit)) {
		// Finalize step of a partial aggregation: the real arguments sit in the plan below.
		if (list_length(aggref->args) != 1)
			return nullptr;
		Expr *partial = ResolveOuterVar(reinterpret_cast<TargetEntry *>(linitial(aggref->args))->expr,
		                                reinterpret_cast<AggState *>(fcinfo->context)->ss.ps.plan);
		if (partial == nullptr || !IsA(partial, Aggref))
			return nullptr;
		aggref = reinterpret_cast<Aggref *>(partial);
	}
	if (list_length(aggref->args) <= index)
		return nullptr;
	return reinterpret_cast<TargetEntry *>(list_nth(aggref->args, index))->expr;
}

// Without rows no value reveals an unsupported column, so the row type is checked from
// the argument's declared type: an empty table fails like a full one (as in
// table_fingerprint).
void CheckEmptyInputType(FunctionCallInfo fcinfo) {
	Expr *record = AggregateArgument(fcinfo, 0);
	if (record == nullptr)
		return;
	if (IsA(record, RowExpr)) {
		// ROW(a, b): an anonymous record whose columns are the expressions, named f1, f2...
		int column = 0;
		ListCell *cell;
		foreach (cell, reinterpret_cast<RowExpr *>(record)->args) {
			const Node *value = static_cast<const Node *>(lfirst(cell));
			fingerprint_pg::RequireSupportedType(psprintf("f%d", ++column), exprType(value),
			                                     exprTypmod(value));
		}
		return;
	}
	const Oid type_id = exprType(reinterpret_cast<Node *>(record));
	const int32 typmod = exprTypmod(reinterpret_cast<Node *>(record));
	if (type_id == RECORDOID && typmod < 0)
		return;
	TupleDesc looked_up = lookup_rowtype_tupdesc_domain(type_id, typmod, true);
	if (looked_up == nullptr)
		return;
	TupleDesc desc = CreateTupleDescCopy(looked_up);
	ReleaseTupleDesc(looked_up);
	// The cache the first row would have built refuses the same column.
	fingerprint_pg::MakeRowCache(desc, nullptr, CurrentMemoryContext, false);
}

// With no input row there is no state; the algorithm is then read from the call's
// second argument: a constant, or an expression that needs no input row (a parameter).
// Without one (or when it cannot be evaluated here) the default applies.
fingerprint::Algorithm AlgorithmOfEmptyAggregate(FunctionCallInfo fcinfo) {
	Expr *expr = AggregateArgument(fcinfo, 1);
	if (expr == nullptr)
		return fingerprint::kDefaultAlgorithm;
	bool is_null = false;
	Datum value;
	if (IsA(expr, Const)) {
		is_null = reinterpret_cast<Const *>(expr)->constisnull;
		value = reinterpret_cast<Const *>(expr)->constvalue;
	} else if (!contain_var_clause(reinterpret_cast<Node *>(expr)) &&
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
	if (state->rows == 0)
		CheckEmptyInputType(fcinfo);
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length = fingerprint::FormatTableFingerprint(*state, printable);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(printable, (int)length));
}

Datum CombineStep(PG_FUNCTION_ARGS) {
	const MemoryContext context = AggregateContext(fcinfo, "fingerprint_agg_combinefn");
	AggregateState *into =
	    PG_ARGISNULL(0) ? nullptr : reinterpret_cast<AggregateState *>(PG_GETARG_POINTER(0));
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
