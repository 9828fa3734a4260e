#include "capture_image.hpp"

#include "fingerprint/row_hasher.hpp"

#include <cstdint>

namespace fingerprint::udf {

namespace {

std::uint32_t LoadBigEndian32(const unsigned char *bytes) {
	return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
	       std::uint32_t{bytes[3]};
}

} // namespace

bool NextValueExtent(const unsigned char *data, std::size_t size, std::size_t *offset, std::size_t *length,
                     bool *malformed) noexcept {
	*malformed = false;
	const std::size_t start = *offset;
	if (start >= size)
		return false;
	const std::size_t rest = size - start - 1; // bytes after the tag
	std::size_t payload = 0;
	switch (static_cast<Tag>(data[start])) {
	case Tag::null:
		payload = 0;
		break;
	case Tag::date:
		payload = 4;
		break;
	case Tag::approx_number:
	case Tag::timestamp:
	case Tag::time:
		payload = 8;
		break;
	case Tag::exact_number:
	case Tag::string:
	case Tag::json:
	case Tag::invalid_temporal:
		if (rest < 4) {
			*malformed = true;
			return false;
		}
		payload = 4 + std::size_t{LoadBigEndian32(data + start + 1)};
		break;
	default:
		*malformed = true;
		return false;
	}
	if (payload > rest) {
		*malformed = true;
		return false;
	}
	*length = 1 + payload;
	*offset = start + *length;
	return true;
}

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
