#include "copy_text.hpp"
#include "hex_digit.hpp"

#include "cli_error.hpp"

namespace fingerprint::cli::copy {

namespace {

// One escape after a backslash at text[i] (i points at the character after it); returns
// the index after the escape.
std::size_t Unescape(std::string_view text, std::size_t i, std::string &out) {
	const char c = text[i];
	switch (c) {
	case 'b':
		out += '\b';
		return i + 1;
	case 'f':
		out += '\f';
		return i + 1;
	case 'n':
		out += '\n';
		return i + 1;
	case 'r':
		out += '\r';
		return i + 1;
	case 't':
		out += '\t';
		return i + 1;
	case 'v':
		out += '\v';
		return i + 1;
	case 'x': {
		int value = 0;
		std::size_t j = i + 1;
		for (; j < text.size() && j < i + 3 && HexDigitValue(text[j]) >= 0; ++j)
			value = value * 16 + HexDigitValue(text[j]);
		if (j == i + 1)
			out += 'x';
		else
			out += static_cast<char>(value);
		return j;
	}
	default:
		if (c >= '0' && c <= '7') {
			int value = 0;
			std::size_t j = i;
			for (; j < text.size() && j < i + 3 && text[j] >= '0' && text[j] <= '7'; ++j)
				value = value * 8 + (text[j] - '0');
			out += static_cast<char>(value & 0xFF);
			return j;
		}
		out += c; // \\ and any other character stand for themselves
		return i + 1;
	}
}

} // namespace

void SplitCopyTextLine(std::string_view line, std::vector<std::string> &fields, std::vector<bool> &nulls) {
	if (!line.empty() && line.back() == '\n')
		line.remove_suffix(1);
	std::size_t count = 0;
	std::size_t start = 0;
	while (true) {
		std::size_t end = line.find('\t', start);
		if (end == std::string_view::npos)
			end = line.size();
		const std::string_view raw = line.substr(start, end - start);
		if (fields.size() <= count) {
			fields.emplace_back();
			nulls.push_back(false);
		}
		std::string &field = fields[count];
		field.clear();
		nulls[count] = raw == kNullText;
		if (!nulls[count]) {
			for (std::size_t i = 0; i < raw.size();) {
				const std::size_t slash = raw.find('\\', i);
				if (slash == std::string_view::npos) {
					field.append(raw.substr(i));
					break;
				}
				field.append(raw.substr(i, slash - i));
				if (slash + 1 >= raw.size())
					throw Error("malformed COPY text from the source: a field ends in a lone backslash");
				i = Unescape(raw, slash + 1, field);
			}
		}
		++count;
		if (end == line.size())
			break;
		start = end + 1;
	}
	fields.resize(count);
	nulls.resize(count);
}

void AppendCopyText(std::string_view value, std::string &out) {
	for (const char c : value) {
		switch (c) {
		case '\\':
			out += "\\\\";
			break;
		case '\t':
			out += "\\t";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		default:
			out += c;
		}
	}
}

void AppendLoadDataText(std::string_view value, std::string &out) {
	for (const char c : value) {
		switch (c) {
		case '\\':
			out += "\\\\";
			break;
		case '\t':
			out += "\\t";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\r':
			out += "\\r";
			break;
		case '\0':
			out += "\\0";
			break;
		default:
			out += c;
		}
	}
}

} // namespace fingerprint::cli::copy
