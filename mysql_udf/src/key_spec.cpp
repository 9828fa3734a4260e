#include "key_spec.hpp"

#include "fingerprint/bucket.hpp"

namespace fingerprint::udf {

bool ParseKeySpec(std::string_view text, KeySpec *out, const char **why) noexcept {
	const std::size_t colon = text.find(':');
	if (colon == std::string_view::npos || colon == 0 || colon > 9) {
		*why = "key spec must be '<bucket count>:<key classes>'";
		return false;
	}
	std::int64_t count = 0;
	for (std::size_t i = 0; i < colon; ++i) {
		if (text[i] < '0' || text[i] > '9') {
			*why = "bucket count in key spec is not a number";
			return false;
		}
		count = count * 10 + (text[i] - '0');
	}
	if (!IsValidBucketCount(count)) {
		*why = "bucket count must be between 1 and 16777216";
		return false;
	}
	out->bucket_count = static_cast<std::uint32_t>(count);
	out->classes = text.substr(colon + 1);
	char bad = '?';
	if (out->classes.empty() || !CheckClasses(out->classes, &bad)) {
		*why = "key spec has no or unknown class letters";
		return false;
	}
	return true;
}

} // namespace fingerprint::udf
