// fingerprint_algorithm(name) RETURNS STRING: the row-hash algorithms as the core knows
// them (fingerprint/algorithm.hpp), so that SQL checks an algorithm argument without a list
// of its own:
//
//   NULL          the default algorithm's name ('xxh3')
//   a known name  the name itself ('xxh3', 'sha256'; exact, lower case)
//   otherwise     "error: unknown algorithm <name>: use xxh3 or sha256"
//
// Catch-all handlers: see row_fingerprint.cpp.
#include "udf_abi.hpp"

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

using fingerprint::udf::ArgsView;

// Names longer than this are cut in the message.
constexpr std::size_t kMaxNameInMessage = 128;

struct AlgorithmState {
	std::string out;
};

} // namespace

FP_EXPORT fp_init_result fingerprint_algorithm_init(UDF_INIT *initid, UDF_ARGS *args, char *message) {
	using namespace fingerprint::udf;
	try {
		if (ViewArgs(args).count != 1) {
			std::snprintf(message, kInitMessageSize, "fingerprint_algorithm: expects an algorithm name");
			return 1;
		}
		CoerceArg(args, 0, ArgKind::string);
		SetStatePointer(initid, new AlgorithmState);
		SetResultShape(initid, 256, false);
		return 0;
	} catch (...) {
		std::snprintf(message, kInitMessageSize, "fingerprint_algorithm: out of memory");
		return 1;
	}
}

FP_EXPORT void fingerprint_algorithm_deinit(UDF_INIT *initid) {
	delete static_cast<AlgorithmState *>(fingerprint::udf::StatePointer(initid));
	fingerprint::udf::SetStatePointer(initid, nullptr);
}

FP_EXPORT char *fingerprint_algorithm(UDF_INIT *initid, UDF_ARGS *args, char * /*result*/,
                                      unsigned long *length, fp_flag *is_null, fp_flag *error) {
	try {
		auto *state = static_cast<AlgorithmState *>(fingerprint::udf::StatePointer(initid));
		const ArgsView view = fingerprint::udf::ViewArgs(args);
		fingerprint::Algorithm algorithm = fingerprint::kDefaultAlgorithm;
		const std::string_view name = view.values[0] == nullptr
		                                  ? std::string_view(fingerprint::AlgorithmName(algorithm))
		                                  : std::string_view(view.values[0], view.lengths[0]);
		if (fingerprint::ParseAlgorithm(name, &algorithm)) {
			state->out.assign(fingerprint::AlgorithmName(algorithm));
		} else {
			state->out.assign("error: unknown algorithm ");
			state->out.append(name.substr(0, kMaxNameInMessage));
			state->out.append(": use ");
			const std::size_t count = sizeof fingerprint::kAlgorithms / sizeof fingerprint::kAlgorithms[0];
			for (std::size_t i = 0; i < count; ++i) {
				if (i > 0)
					state->out.append(i + 1 == count ? " or " : ", ");
				state->out.append(fingerprint::AlgorithmName(fingerprint::kAlgorithms[i]));
			}
		}
		*is_null = 0;
		*length = state->out.size();
		return state->out.data();
	} catch (...) {
		*error = 1;
		return nullptr;
	}
}
