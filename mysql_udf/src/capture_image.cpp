#include "capture_image.hpp"

namespace fingerprint::udf {

bool SplitCapture(std::string_view text, CaptureParts *out) noexcept {
	// "fp1:<algorithm>:<32 hex>" then 8 hex digits.
	if (text.substr(0, 4) != "fp1:")
		return false;
	const std::size_t colon = text.find(':', 4);
	if (colon == std::string_view::npos || colon > 16)
		return false;
	const std::size_t fp_length = colon + 1 + 32;
	if (text.size() < fp_length + 8)
		return false;
	std::size_t key_length = 0;
	for (std::size_t i = fp_length; i < fp_length + 8; ++i) {
		const char c = text[i];
		const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (digit < 0)
			return false;
		key_length = key_length * 16 + static_cast<std::size_t>(digit);
	}
	if (key_length > text.size() - fp_length - 8)
		return false;
	out->fingerprint = text.substr(0, fp_length);
	out->key = text.substr(text.size() - key_length);
	out->image = text.substr(fp_length + 8, text.size() - fp_length - 8 - key_length);
	return true;
}

std::vector<std::string_view> SplitNames(std::string_view list) {
	std::vector<std::string_view> names;
	std::size_t start = 0;
	while (true) {
		const std::size_t comma = list.find(',', start);
		if (comma == std::string_view::npos) {
			names.push_back(list.substr(start));
			return names;
		}
		names.push_back(list.substr(start, comma - start));
		start = comma + 1;
	}
}

} // namespace fingerprint::udf
