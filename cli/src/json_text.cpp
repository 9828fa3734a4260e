#include "json_text.hpp"

#include <cstdio>

namespace fingerprint::cli {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t Utf8Length(std::string_view text, std::size_t i) {
	const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
	const unsigned char first = byte(i);
	std::size_t length;
	unsigned min;
	unsigned code;
	if (first < 0x80)
		return 1;
	if ((first & 0xE0) == 0xC0) {
		length = 2, min = 0x80, code = first & 0x1F;
	} else if ((first & 0xF0) == 0xE0) {
		length = 3, min = 0x800, code = first & 0x0F;
	} else if ((first & 0xF8) == 0xF0) {
		length = 4, min = 0x10000, code = first & 0x07;
	} else {
		return 0;
	}
	if (i + length > text.size())
		return 0;
	for (std::size_t k = 1; k < length; ++k) {
		if ((byte(i + k) & 0xC0) != 0x80)
			return 0;
		code = (code << 6) | (byte(i + k) & 0x3F);
	}
	if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
		return 0;
	return length;
}

} // namespace

void AppendJsonString(std::string *out, std::string_view text) {
	out->push_back('"');
	for (std::size_t i = 0; i < text.size();) {
		const unsigned char c = static_cast<unsigned char>(text[i]);
		if (c == '"' || c == '\\') {
			out->push_back('\\');
			out->push_back(static_cast<char>(c));
			++i;
		} else if (c < 0x20) {
			char escape[8];
			std::snprintf(escape, sizeof escape, "\\u%04x", c);
			out->append(escape);
			++i;
		} else {
			const std::size_t length = Utf8Length(text, i);
			if (length == 0) {
				out->append("\xEF\xBF\xBD");
				++i;
			} else {
				out->append(text.substr(i, length));
				i += length;
			}
		}
	}
	out->push_back('"');
}

} // namespace fingerprint::cli
