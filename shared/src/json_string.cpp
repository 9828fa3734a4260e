#include "fingerprint/json_string.hpp"

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

// The bytes one input byte takes: \" and \\ two, \u00xx six, the rest one.
std::size_t EscapedSize(unsigned char byte) {
	if (byte == '"' || byte == '\\')
		return 2;
	return byte < 0x20 ? 6 : 1;
}

} // namespace

std::size_t FormatJsonString(std::string_view text, char *out, std::size_t capacity) noexcept {
	std::size_t length = 2;
	for (const char c : text)
		length += EscapedSize(static_cast<unsigned char>(c));
	if (length > capacity || out == nullptr)
		return length;
	static constexpr char kHex[] = "0123456789abcdef";
	*out++ = '"';
	for (const char c : text) {
		const unsigned char byte = static_cast<unsigned char>(c);
		if (byte == '"' || byte == '\\') {
			*out++ = '\\';
			*out++ = c;
		} else if (byte < 0x20) {
			*out++ = '\\';
			*out++ = 'u';
			*out++ = '0';
			*out++ = '0';
			*out++ = kHex[byte >> 4];
			*out++ = kHex[byte & 0xf];
		} else {
			*out++ = c;
		}
	}
	*out = '"';
	return length;
}

} // namespace fingerprint
