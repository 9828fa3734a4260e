// Runs the source's and the target's query at the same time: the source's on a thread
// of its own, the target's on the caller's. Each connection is used by one thread only.
// Both always finish before RunBoth returns; then the source's error, if any, is
// rethrown, else the target's.
#pragma once

#include "client_threads.hpp"

#include <exception>

namespace fingerprint::cli {

template <typename SourceWork, typename TargetWork> void RunBoth(SourceWork &&source, TargetWork &&target) {
	std::exception_ptr source_error;
	std::exception_ptr target_error;
	std::thread thread = StartClientThread([&] {
		try {
			source();
		} catch (...) {
			source_error = std::current_exception();
		}
	});
	try {
		target();
	} catch (...) {
		target_error = std::current_exception();
	}
	thread.join();
	if (source_error)
		std::rethrow_exception(source_error);
	if (target_error)
		std::rethrow_exception(target_error);
}

} // namespace fingerprint::cli
