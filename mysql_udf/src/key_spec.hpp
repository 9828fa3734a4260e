// The key spec of the bucket UDFs (bucket_agg.cpp, bucket_key.cpp; docs/diff.md).
// Feeding their classed arguments to a RowHasher is classed_values.hpp's job.
#pragma once

#include "classed_values.hpp"

#include <cstdint>
#include <string_view>

namespace fingerprint::udf {

// "<bucket count>:<class letters>", e.g. "65536:is": the key's classes in key order.
struct KeySpec {
	std::uint32_t bucket_count;
	std::string_view classes; // points into the text given to ParseKeySpec
};

// Parses a key spec; false with a short reason in *why when it is not one.
bool ParseKeySpec(std::string_view text, KeySpec *out, const char **why) noexcept;

} // namespace fingerprint::udf
