#include "apply_values.hpp"

#include <cmath>
#include <cstdlib>

namespace fingerprint::cli::migrate {

namespace {

const char kHex[] = "0123456789abcdef";

void AppendHex(std::string_view bytes, std::string &out) {
	for (const unsigned char c : bytes) {
		out += kHex[c >> 4];
		out += kHex[c & 15];
	}
}

// PostgreSQL string literal (standard_conforming_strings on: only quotes are doubled).
void AppendPgQuoted(std::string_view text, std::string &out) {
	out += '\'';
	for (const char c : text) {
		out += c;
		if (c == '\'')
			out += '\'';
	}
	out += '\'';
}

// The core's JSON rendering without its quotes: dates, timestamps and times are plain
// ASCII there ("2024-02-29", "2024-06-01 12:00:00.25", "-838:59:59").
std::string TemporalText(const ImageValue &value) {
	std::string json;
	AppendValueJson(value, &json);
	if (json.size() >= 2 && json.front() == '"' && json.back() == '"')
		return json.substr(1, json.size() - 2);
	return json;
}

// Whether a time ("[-]H+:MM:SS[.ffffff]") fits PostgreSQL's time, 00:00:00 to 24:00:00:
// MySQL's TIME is a duration (-838:59:59 to 838:59:59), refused here rather than sent
// and refused by the server without key or column.
bool FitsPgTime(const std::string &text) {
	if (text.empty() || text[0] == '-')
		return false;
	const long hours = std::strtol(text.c_str(), nullptr, 10);
	if (hours != 24)
		return hours < 24;
	return text.find_first_not_of("0:.", text.find(':')) == std::string::npos;
}

bool PgLiteral(const TargetColumn &column, const ImageValue &value, std::string &out, std::string &reason) {
	switch (value.tag) {
	case Tag::null:
		out = "NULL";
		return true;
	case Tag::exact_number:
		if (column.bit_string) {
			reason = "writing bit strings (" + column.type + ") is not supported by migrate yet";
			return false;
		}
		if (column.boolean) {
			if (value.text != "0" && value.text != "1") {
				reason = "the number " + std::string(value.text) + " is no boolean";
				return false;
			}
			out = value.text == "1" ? "true" : "false";
			return true;
		}
		AppendPgQuoted(value.text, out);
		return true;
	case Tag::approx_number: {
		std::string json;
		AppendValueJson(value, &json);
		if (!json.empty() && json.front() == '"')
			json = json.substr(1, json.size() - 2); // "NaN", "Infinity", "-Infinity"
		AppendPgQuoted(json, out);
		return true;
	}
	case Tag::string:
		if (column.binary) {
			out += "'\\x";
			AppendHex(value.text, out);
			out += '\'';
			return true;
		}
		if (value.text.find('\0') != std::string_view::npos) {
			reason = "the value holds a NUL byte, which PostgreSQL " + column.type + " cannot hold";
			return false;
		}
		AppendPgQuoted(value.text, out);
		return true;
	case Tag::json:
		AppendPgQuoted(value.text, out);
		return true;
	case Tag::date:
		AppendPgQuoted(TemporalText(value), out);
		return true;
	case Tag::time: {
		const std::string text = TemporalText(value);
		if (column.type.compare(0, 8, "interval") != 0 && !FitsPgTime(text)) {
			reason = "the MySQL TIME " + text + " is outside PostgreSQL " + column.type +
			         " (00:00:00 to 24:00:00)";
			return false;
		}
		AppendPgQuoted(text, out);
		return true;
	}
	case Tag::timestamp:
		AppendPgQuoted(TemporalText(value) + (column.time_zone ? "+00" : ""), out);
		return true;
	case Tag::invalid_temporal:
		reason = "the MySQL value " + std::string(value.text) + " has no PostgreSQL " + column.type;
		return false;
	}
	reason = "unknown value tag";
	return false;
}

bool MyLiteral(const TargetColumn &column, const ImageValue &value, std::string &out, std::string &reason) {
	switch (value.tag) {
	case Tag::null:
		out = "NULL";
		return true;
	case Tag::exact_number:
		if (value.text == "NaN" || value.text == "Infinity" || value.text == "-Infinity") {
			reason = "PostgreSQL numeric " + std::string(value.text) + " has no MySQL " + column.type;
			return false;
		}
		out.append(value.text); // canonical decimal text: an exact DECIMAL/integer literal
		return true;
	case Tag::approx_number: {
		if (!std::isfinite(value.approx)) {
			reason = "the double " + std::string(std::isnan(value.approx) ? "NaN" : "infinity") +
			         " has no MySQL " + column.type;
			return false;
		}
		std::string json;
		AppendValueJson(value, &json); // shortest round-trip text
		out += json;
		if (json.find_first_of("eE") == std::string::npos)
			out += "e0"; // a double literal, never a DECIMAL one
		return true;
	}
	case Tag::string:
	case Tag::json:
		// Hex literals need no escaping; character columns get the bytes as utf8mb4
		// text (converted to the column's character set by the server).
		out += column.binary ? "X'" : "_utf8mb4 X'";
		AppendHex(value.text, out);
		out += '\'';
		return true;
	case Tag::date:
	case Tag::time:
	case Tag::timestamp:
		out += '\'' + TemporalText(value) + '\'';
		return true;
	case Tag::invalid_temporal:
		out += "_utf8mb4 X'";
		AppendHex(value.text, out);
		out += '\'';
		return true;
	}
	reason = "unknown value tag";
	return false;
}

} // namespace

bool TargetLiteral(Engine target, const TargetColumn &column, const ImageValue &value, std::string &out,
                   std::string &reason) {
	out.clear();
	return target == Engine::postgresql ? PgLiteral(column, value, out, reason)
	                                    : MyLiteral(column, value, out, reason);
}

} // namespace fingerprint::cli::migrate
