// fingerprint_advance(start, op, old_fingerprint, new_fingerprint) RETURNS STRING, an
// aggregate: a stored table fingerprint moved over a group of captured changes
// (docs/capture.md). For each change: minus the old row's fingerprint, plus the new one;
// 'T' (truncate) resets to the empty table (order then matters, but MariaDB never logs
// 'T'; the PostgreSQL aggregate takes ORDER BY seq).
//
//   start  the table fingerprint before the group ("fp1:xxh3:<rows>:<hex>"), read from
//          the group's first row. NULL is refused on both engines ("start_fingerprint
//          must not be NULL", as PostgreSQL raises it): pass the empty table's
//          fingerprint (fp1:xxh3:0:000...) for an empty start.
//   op     'I', 'U', 'D', 'T' (or Debezium's 'c', 'u', 'd', 't').
//   old/new  row fingerprints or NULL.
//
// An empty group gives NULL (the server calls no _add, so it never sees start): use
// COALESCE(fingerprint_advance(...), start). A bad argument makes the group's result
// an "error: fingerprint_advance: ..." string. Catch-all handlers: see row_fingerprint.cpp.
#include "call_state.hpp"
#include "rollup_guard.hpp"

#include "fingerprint/aggregate.hpp"
#include "fingerprint/change.hpp"
#include "fingerprint/printable.hpp"
#include "fingerprint/status.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace {

using fingerprint::udf::ArgsView;

struct AdvanceState {
	fingerprint::AggregateState aggregate{};
	bool started = false; // aggregate holds the start
	bool failed = false;
	std::size_t result_length = 0;
	char result[fingerprint::udf::kResultSize] = {};
	fingerprint::udf::GroupOwner group_owner; // WITH ROLLUP is refused
};

void Fail(AdvanceState *state, const char *what, std::string_view detail) {
	const int n =
	    std::snprintf(state->result, sizeof state->result, "error: fingerprint_advance: %s%.*s", what,
	                  static_cast<int>(detail.size() > 120 ? 120 : detail.size()), detail.data());
	state->result_length = n < 0 ? 0 : std::min(static_cast<std::size_t>(n), sizeof state->result - 1);
	state->failed = true;
}

std::string_view Arg(const ArgsView &view, unsigned i) {
	return view.values[i] == nullptr ? std::string_view() : std::string_view(view.values[i], view.lengths[i]);
}

} // namespace

FP_EXPORT fp_init_result fingerprint_advance_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	try {
		if (fingerprint::udf::ViewArgs(args).count != 4) {
			std::snprintf(message, fingerprint::udf::kInitMessageSize,
			              "fingerprint_advance: expects start, op, old_fingerprint, new_fingerprint");
			return 1;
		}
		for (unsigned i = 0; i < 4; ++i)
			fingerprint::udf::CoerceArg(args, i, fingerprint::udf::ArgKind::string);
		fingerprint::udf::SetStatePointer(initid, new AdvanceState);
		fingerprint::udf::SetResultShape(
		    initid, fingerprint::udf::MaxTableFingerprintLength(fingerprint::Algorithm::sha256) + 16, true);
		return 0;
	} catch (...) {
		std::snprintf(message, fingerprint::udf::kInitMessageSize, "fingerprint_advance: out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_advance_deinit(UDF_INIT *initid) {
	delete static_cast<AdvanceState *>(fingerprint::udf::StatePointer(initid));
	fingerprint::udf::SetStatePointer(initid, nullptr);
}

FP_EXPORT void fingerprint_advance_clear(UDF_INIT *initid, fp_flag * /*is_null*/, fp_flag *error) {
	try {
		auto *state = static_cast<AdvanceState *>(fingerprint::udf::StatePointer(initid));
		*state = AdvanceState{};
	} catch (...) {
		*error = 1;
	}
}

FP_EXPORT void fingerprint_advance_add(UDF_INIT *initid, UDF_ARGS *args, fp_flag * /*is_null*/,
                                       fp_flag *error) {
	try {
		auto *state = static_cast<AdvanceState *>(fingerprint::udf::StatePointer(initid));
		if (state->failed)
			return;
		if (!state->group_owner.Accepts(initid)) {
			const int n = std::snprintf(state->result, sizeof state->result, "error: fingerprint_advance%s",
			                            fingerprint::udf::kRollupRefusal);
			state->result_length =
			    n < 0 ? 0 : std::min(static_cast<std::size_t>(n), sizeof state->result - 1);
			state->failed = true;
			return;
		}
		const ArgsView view = fingerprint::udf::ViewArgs(args);
		const std::string_view old_fp = Arg(view, 2);
		const std::string_view new_fp = Arg(view, 3);
		// Checked first, so that a bad op is reported even before the algorithm is known.
		fingerprint::ChangeOp op{};
		if (view.values[1] == nullptr || !fingerprint::ParseChangeOp(Arg(view, 1), &op))
			return Fail(state, "unknown op (use I, U, D or T): ", Arg(view, 1));
		if (!state->started) {
			state->started = true;
			// One rule on both engines (docs/capture.md): a NULL start is an error naming
			// the argument, as PostgreSQL's fingerprint_advance raises it.
			if (view.values[0] == nullptr)
				return Fail(state, "start_fingerprint must not be NULL", "");
			if (fingerprint::ParseTableFingerprint(Arg(view, 0), &state->aggregate) !=
			    fingerprint::Status::ok)
				return Fail(state, "start is not a table fingerprint: ", Arg(view, 0));
		}
		const fingerprint::Status status =
		    fingerprint::AdvanceAggregate(&state->aggregate, op, old_fp, new_fp);
		if (status == fingerprint::Status::invalid_fingerprint) {
			// Name the text that is not one: the old row's if it does not parse, else the new.
			fingerprint::Algorithm algorithm{};
			fingerprint::Digest128 ignored{};
			const bool old_ok =
			    old_fp.empty() ||
			    fingerprint::ParseRowFingerprint(old_fp, &algorithm, &ignored) == fingerprint::Status::ok;
			return Fail(state, "not a row fingerprint: ", old_ok ? new_fp : old_fp);
		}
		if (status != fingerprint::Status::ok)
			return Fail(state, fingerprint::StatusMessage(status), "");
	} catch (...) {
		*error = 1;
	}
}

FP_EXPORT char *fingerprint_advance(UDF_INIT *initid, UDF_ARGS * /*args*/, char * /*result*/,
                                    unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		auto *state = static_cast<AdvanceState *>(fingerprint::udf::StatePointer(initid));
		if (!state->failed) {
			if (!state->started) {
				*is_null = 1;
				return nullptr;
			}
			state->result_length = fingerprint::FormatTableFingerprint(state->aggregate, state->result);
		}
		*is_null = 0;
		*length = state->result_length;
		return state->result;
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
