// fingerprint_advance(start, op, old_fingerprint, new_fingerprint): the incremental table
// fingerprint. The state is a fingerprint::AggregateState in the aggregate context, read
// from the first row's start fingerprint; each change moves it (core AdvanceAggregate:
// minus the old row, plus the new one, a truncate empties it). Order matters only for
// truncates, so callers aggregate ORDER BY seq.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
}

#include "guard.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/change.hpp"
#include "fingerprint/printable.hpp"

#include <string_view>

FINGERPRINT_PG_FUNCTION(fingerprint_advance_transfn)
FINGERPRINT_PG_FUNCTION(fingerprint_advance_finalfn)

namespace {

using fingerprint::AggregateState;

std::string_view TextView(const text *value) {
	return std::string_view(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value));
}

std::string_view OptionalText(FunctionCallInfo fcinfo, int argno) {
	return PG_ARGISNULL(argno) ? std::string_view() : TextView(PG_GETARG_TEXT_PP(argno));
}

AggregateState *StartState(FunctionCallInfo fcinfo, MemoryContext context) {
	if (PG_ARGISNULL(1))
		ereport(ERROR,
		        (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
		         errmsg("fingerprint_advance: start_fingerprint must not be NULL"),
		         errhint("Start from table_fingerprint() of the table, or fp1:xxh3:0:%032d for an empty one.",
		                 0)));
	const text *start = PG_GETARG_TEXT_PP(1);
	AggregateState parsed;
	if (fingerprint::ParseTableFingerprint(TextView(start), &parsed) != fingerprint::Status::ok)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		         errmsg("fingerprint_advance: invalid table fingerprint \"%s\"", text_to_cstring(start))));
	AggregateState *state =
	    static_cast<AggregateState *>(MemoryContextAlloc(context, sizeof(AggregateState)));
	*state = parsed;
	return state;
}

Datum TransitionStep(PG_FUNCTION_ARGS) {
	MemoryContext context;
	if (!AggCheckCallContext(fcinfo, &context))
		ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
		                errmsg("fingerprint_advance_transfn called in non-aggregate context")));
	AggregateState *state = PG_ARGISNULL(0) ? StartState(fcinfo, context)
	                                        : reinterpret_cast<AggregateState *>(PG_GETARG_POINTER(0));
	if (PG_ARGISNULL(2))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
		                errmsg("fingerprint_advance: op must not be NULL")));
	const text *op_text = PG_GETARG_TEXT_PP(2);
	fingerprint::ChangeOp op;
	if (!fingerprint::ParseChangeOp(TextView(op_text), &op))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("fingerprint_advance: invalid operation \"%s\"", text_to_cstring(op_text)),
		                errhint("Operations are I, U, D and T (or c, u, d, t).")));
	const fingerprint::Status status =
	    fingerprint::AdvanceAggregate(state, op, OptionalText(fcinfo, 3), OptionalText(fcinfo, 4));
	if (status != fingerprint::Status::ok)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		         errmsg("fingerprint_advance: cannot apply a change with old fingerprint \"%s\" and new "
		                "fingerprint \"%s\"",
		                PG_ARGISNULL(3) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(3)),
		                PG_ARGISNULL(4) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(4))),
		         errdetail("%s", fingerprint::StatusMessage(status))));
	PG_RETURN_POINTER(state);
}

Datum Final(PG_FUNCTION_ARGS) {
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	const AggregateState *state = reinterpret_cast<const AggregateState *>(PG_GETARG_POINTER(0));
	char printable[fingerprint::kMaxPrintableLength];
	const size_t length = fingerprint::FormatTableFingerprint(*state, printable);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(printable, (int)length));
}

} // namespace

// Transition: parse the start on the first row, then apply one change.
Datum fingerprint_advance_transfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_advance_transfn", TransitionStep, fcinfo);
}

// The advanced table fingerprint (NULL over no rows).
Datum fingerprint_advance_finalfn(PG_FUNCTION_ARGS) {
	return fingerprint_pg::CallGuarded("fingerprint_advance_finalfn", Final, fcinfo);
}
