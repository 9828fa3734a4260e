#include "apply_values.hpp"

#include "cli_error.hpp"
#include "copy_text.hpp"

#include <cstdint>

namespace fingerprint::cli::migrate {

namespace {

const char kHex[] = "0123456789abcdef";

void AppendHex(std::string_view bytes, std::string &out) {
	const std::size_t at = out.size();
	out.resize(at + 2 * bytes.size());
	char *hex = &out[at];
	for (const unsigned char c : bytes) {
		*hex++ = kHex[c >> 4];
		*hex++ = kHex[c & 15];
	}
}

// A string literal of either engine for ASCII text: PostgreSQL with
// standard_conforming_strings on, MySQL for text without backslashes (temporals).
void AppendQuoted(std::string_view text, std::string &out) {
	out += '\'';
	for (const char c : text) {
		out += c;
		if (c == '\'')
			out += '\'';
	}
	out += '\'';
}

// The core's JSON rendering of a value without its quotes, into `json` (replaced).
std::string_view Unquoted(const ImageValue &value, std::string &json) {
	json.clear();
	AppendValueJson(value, &json);
	if (json.size() >= 2 && json.front() == '"' && json.back() == '"')
		return std::string_view(json).substr(1, json.size() - 2);
	return json;
}

// Whether CalendarText leaves the text as it is: a four-digit year from 0001 to 9999,
// the shape of nearly every date (no allocation for those).
bool IsPlainCalendarText(std::string_view text) {
	return text.size() >= 5 && text[4] == '-' && text.compare(0, 4, "0000") != 0 &&
	       text.find_first_not_of("0123456789") == 4;
}

// "[+-]Y+-MM-DD..." (the core's astronomical years) as the copy's sources write it:
// four digits or more, and years before 1 as "YYYY-MM-DD... BC" (year 0 is 1 BC).
std::string CalendarText(const std::string &text) {
	if (text == "infinity" || text == "-infinity")
		return text;
	const bool sign = !text.empty() && (text[0] == '+' || text[0] == '-');
	const std::size_t dash = text.find('-', sign ? 1 : 0);
	if (dash == std::string::npos)
		return text;
	long long year = std::stoll(text.substr(sign ? 1 : 0, dash - (sign ? 1 : 0)));
	if (sign && text[0] == '-')
		year = -year;
	const bool bc = year <= 0;
	std::string digits = std::to_string(bc ? 1 - year : year);
	if (digits.size() < 4)
		digits.insert(0, 4 - digits.size(), '0');
	return digits + text.substr(dash) + (bc ? " BC" : "");
}

bool IsDecimalText(std::string_view text) {
	return !text.empty() && text.find_first_not_of("0123456789.-") == std::string::npos;
}

void AppendMysqlLiteral(copy::Kind kind, std::string_view text, std::string &out) {
	switch (kind) {
	case copy::Kind::boolean:
	case copy::Kind::integer:
	case copy::Kind::decimal:
	case copy::Kind::year:
		if (IsDecimalText(text)) { // an exact numeric literal, never a string compared as a double
			out += text;
			return;
		}
		break;
	case copy::Kind::bits: { // LOAD DATA's bytes, big-endian: written as the number
		std::uint64_t bits = 0;
		for (const unsigned char c : text)
			bits = bits << 8 | c;
		out += std::to_string(bits);
		return;
	}
	case copy::Kind::float4:
	case copy::Kind::float8:
		out += text;
		if (text.find_first_of("eE") == std::string::npos)
			out += "e0"; // a double literal, never a DECIMAL one
		return;
	case copy::Kind::binary:
		out += "X'";
		AppendHex(text, out);
		out += '\'';
		return;
	case copy::Kind::date:
	case copy::Kind::timestamp:
	case copy::Kind::timestamptz:
	case copy::Kind::time:
		if (text.find('\\') == std::string::npos) {
			AppendQuoted(text, out);
			return;
		}
		break;
	default:
		break;
	}
	// Character data, enum/set labels, uuid, JSON: the bytes as utf8mb4 text (converted
	// to the column's character set by the server); hex needs no escaping.
	out += "_utf8mb4 X'";
	AppendHex(text, out);
	out += '\'';
}

} // namespace

std::string_view ImageValueText(const ImageValue &value, std::string &scratch) {
	switch (value.tag) {
	case Tag::exact_number:
	case Tag::string:
	case Tag::json:
	case Tag::invalid_temporal:
		return value.text;
	case Tag::approx_number:
	case Tag::time:
		return Unquoted(value, scratch);
	case Tag::date:
	case Tag::timestamp: {
		const std::string_view text = Unquoted(value, scratch);
		if (IsPlainCalendarText(text))
			return text;
		scratch = CalendarText(std::string(text));
		return scratch;
	}
	case Tag::null:
		break;
	}
	return std::string_view();
}

std::string ImageValueText(const ImageValue &value) {
	std::string scratch;
	return std::string(ImageValueText(value, scratch));
}

void PrepareConverter(Engine target, const copy::ColumnDefinition &definition, TargetColumn &column) {
	const copy::Engine engine = target == Engine::postgresql ? copy::Engine::postgresql : copy::Engine::mysql;
	column.kind = copy::DescribeType(engine, definition).kind;
	column.converter = copy::MakeImageConverter(column.value_class, engine, definition);
}

void AppendTargetLiteral(Engine target, copy::Kind kind, std::string_view text, std::string &out) {
	if (target == Engine::postgresql)
		AppendQuoted(text, out); // the type's input text: bytea as \x hex, booleans t/f
	else
		AppendMysqlLiteral(kind, text, out);
}

void AppendPgArrayElement(const std::string &literal, std::string &out) {
	if (literal == "NULL") {
		out += "NULL";
		return;
	}
	const bool quoted = literal.size() >= 2 && literal.front() == '\'';
	const std::string_view body =
	    quoted ? std::string_view(literal).substr(1, literal.size() - 2) : std::string_view(literal);
	out += '"';
	for (std::size_t i = 0; i < body.size(); ++i) {
		const char c = body[i];
		if (quoted && c == '\'' && i + 1 < body.size() && body[i + 1] == '\'')
			++i; // '' is one quote
		else if (c == '"' || c == '\\')
			out += '\\';
		out += c;
	}
	out += '"';
}

namespace {

// The converter's text of a non-NULL value for `column`, into buffers.target_text.
bool ConvertValue(const TargetColumn &column, const ImageValue &value, LiteralBuffers &buffers,
                  std::string &reason) {
	if (!column.converter) {
		reason = "no converter for " + column.type + " (internal: the column was not prepared)";
		return false;
	}
	return column.converter->Convert(ImageValueText(value, buffers.value_text), buffers.target_text, reason);
}

} // namespace

bool AppendCopyValue(const TargetColumn &column, const ImageValue &value, LiteralBuffers &buffers,
                     std::string &out, std::string &reason) {
	if (value.tag == Tag::null) {
		out += copy::kNullText;
		return true;
	}
	if (!ConvertValue(column, value, buffers, reason))
		return false;
	copy::AppendCopyText(buffers.target_text, out);
	return true;
}

bool AppendPgArrayElement(const TargetColumn &column, const ImageValue &value, LiteralBuffers &buffers,
                          std::string &out, std::string &reason) {
	if (value.tag == Tag::null) {
		out += "NULL";
		return true;
	}
	if (!ConvertValue(column, value, buffers, reason))
		return false;
	out += '"';
	for (const char c : buffers.target_text) {
		if (c == '"' || c == '\\')
			out += '\\';
		out += c;
	}
	out += '"';
	return true;
}

bool AppendLiteral(Engine target, const TargetColumn &column, const ImageValue &value,
                   LiteralBuffers &buffers, std::string &out, std::string &reason) {
	if (value.tag == Tag::null) {
		out += "NULL";
		return true;
	}
	if (!ConvertValue(column, value, buffers, reason))
		return false;
	AppendTargetLiteral(target, column.kind, buffers.target_text, out);
	return true;
}

bool TargetLiteral(Engine target, const TargetColumn &column, const ImageValue &value, std::string &out,
                   std::string &reason) {
	out.clear();
	LiteralBuffers buffers;
	return AppendLiteral(target, column, value, buffers, out, reason);
}

} // namespace fingerprint::cli::migrate
