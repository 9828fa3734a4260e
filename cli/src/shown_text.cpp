#include "shown_text.hpp"

#include "fingerprint/utf8.hpp"

#include <cstdio>

namespace fingerprint::cli {

std::string Shown(std::string_view text) {
	const std::string valid = ToValidUtf8(text);
	std::string out;
	out.reserve(valid.size());
	for (std::size_t i = 0; i < valid.size(); ++i) {
		const auto byte = static_cast<unsigned char>(valid[i]);
		const bool c1 =
		    byte == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) < 0xA0;
		if (byte < 0x20 || byte == 0x7F || c1) {
			const unsigned code = c1 ? static_cast<unsigned char>(valid[++i]) : byte;
			char escape[8];
			std::snprintf(escape, sizeof escape, "\\x%02X", code);
			out += escape;
		} else {
			out += valid[i];
		}
	}
	return out;
}

std::string ShownLines(std::string_view text) {
	std::string out;
	std::size_t start = 0;
	while (true) {
		const std::size_t end = text.find('\n', start);
		out +=
		    Shown(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
		if (end == std::string_view::npos)
			return out;
		out += '\n';
		start = end + 1;
	}
}

std::size_t DisplayWidth(std::string_view text) {
	std::size_t columns = 0;
	for (const char c : text)
		columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
	return columns;
}

std::string Padded(const std::string &text, std::size_t width, bool right_aligned) {
	const std::size_t columns = DisplayWidth(text);
	if (columns >= width)
		return text;
	const std::string fill(width - columns, ' ');
	return right_aligned ? fill + text : text + fill;
}

} // namespace fingerprint::cli
