#include "copy_text.hpp"
#include "hex_digit.hpp"

#include "cli_error.hpp"

#include <cstring>

namespace fingerprint::cli::copy {

namespace {

// One escape after a backslash at text[i] (i points at the character after it): every
// escape stands for exactly one byte, stored in `out`; returns the index after the escape.
std::size_t Unescape(std::string_view text, std::size_t i, char &out) {
	const char c = text[i];
	switch (c) {
	case 'b':
		out = '\b';
		return i + 1;
	case 'f':
		out = '\f';
		return i + 1;
	case 'n':
		out = '\n';
		return i + 1;
	case 'r':
		out = '\r';
		return i + 1;
	case 't':
		out = '\t';
		return i + 1;
	case 'v':
		out = '\v';
		return i + 1;
	case 'x': {
		int value = 0;
		std::size_t j = i + 1;
		for (; j < text.size() && j < i + 3 && HexDigitValue(text[j]) >= 0; ++j)
			value = value * 16 + HexDigitValue(text[j]);
		out = j == i + 1 ? 'x' : static_cast<char>(value);
		return j;
	}
	default:
		if (c >= '0' && c <= '7') {
			int value = 0;
			std::size_t j = i;
			for (; j < text.size() && j < i + 3 && text[j] >= '0' && text[j] <= '7'; ++j)
				value = value * 8 + (text[j] - '0');
			out = static_cast<char>(value & 0xFF);
			return j;
		}
		out = c; // \\ and any other character stand for themselves
		return i + 1;
	}
}

[[noreturn]] void LoneBackslash() {
	throw Error("malformed COPY text from the source: a field ends in a lone backslash");
}

} // namespace

void SplitCopyTextLineInPlace(char *data, std::size_t length, std::vector<std::string_view> &fields,
                              std::vector<bool> &nulls) {
	if (length > 0 && data[length - 1] == '\n')
		--length;
	const std::string_view line(data, length);
	std::size_t count = 0;
	std::size_t read = 0;
	std::size_t write = 0; // never past read: an escape is longer than the byte it stands for
	while (true) {
		std::size_t end = line.find('\t', read);
		if (end == std::string_view::npos)
			end = length;
		if (fields.size() <= count) {
			fields.emplace_back();
			nulls.push_back(false);
		}
		const std::size_t start = write;
		nulls[count] = line.substr(read, end - read) == kNullText;
		if (!nulls[count]) {
			while (read < end) {
				std::size_t slash = line.find('\\', read);
				if (slash == std::string_view::npos || slash > end)
					slash = end;
				if (write != read)
					std::memmove(data + write, data + read, slash - read);
				write += slash - read;
				read = slash;
				if (read == end)
					break;
				if (read + 1 >= end)
					LoneBackslash();
				read = Unescape(line.substr(0, end), read + 1, data[write]);
				++write;
			}
		}
		fields[count] = std::string_view(data + start, nulls[count] ? 0 : write - start);
		++count;
		if (end == length)
			break;
		read = end + 1;
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
