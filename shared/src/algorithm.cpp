#include "fingerprint/algorithm.hpp"

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

bool ParseAlgorithm(std::string_view name, Algorithm *out) noexcept {
	if (name == "xxh3") {
		*out = Algorithm::xxh3;
		return true;
	}
	if (name == "sha256") {
		*out = Algorithm::sha256;
		return true;
	}
	return false;
}

const char *AlgorithmName(Algorithm algorithm) noexcept {
	return algorithm == Algorithm::sha256 ? "sha256" : "xxh3";
}

} // namespace fingerprint
