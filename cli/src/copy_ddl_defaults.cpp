// Column defaults across engines. A literal is read from the source's SQL (PostgreSQL's
// pg_get_expr: 'text'::type, numbers, true/false; MariaDB's COLUMN_DEFAULT: 'text' with
// backslash escapes, numbers) and goes through the same converter as the column's values,
// so a default the target would store differently is left out rather than changed. The
// common functions are translated: now()/CURRENT_TIMESTAMP, CURRENT_DATE and UUID
// generators. Anything else is left out with a note: the target column then has no
// default, which changes no copied value.
#include "copy_ddl_parts.hpp"

#include "copy_convert_parts.hpp"
#include "copy_types_sql.hpp"

#include <cctype>

namespace fingerprint::cli::copy {

namespace {

enum class DefaultKind { none, literal, now, utc_now, today, uuid, unknown };

struct ParsedDefault {
	DefaultKind kind = DefaultKind::unknown;
	std::string text; // literal: the value in the source engine's output text
};

std::string Lower(std::string text) {
	for (char &c : text)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return text;
}

bool IsNumber(const std::string &text) {
	std::size_t i = text[0] == '-' ? 1 : 0;
	bool digit = false;
	for (; i < text.size(); ++i) {
		const char c = text[i];
		if (c >= '0' && c <= '9')
			digit = true;
		else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
			return false;
	}
	return digit;
}

// A quoted literal at the start of `text`: its value and the rest after the quote.
bool ReadQuoted(const std::string &text, bool backslash_escapes, std::string *value, std::string *rest) {
	if (text.empty() || text[0] != '\'')
		return false;
	value->clear();
	for (std::size_t i = 1; i < text.size(); ++i) {
		const char c = text[i];
		if (backslash_escapes && c == '\\' && i + 1 < text.size()) {
			const char next = text[++i];
			*value += next == 'n'   ? '\n'
			          : next == 't' ? '\t'
			          : next == 'r' ? '\r'
			          : next == '0' ? '\0'
			                        : next;
		} else if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
			*value += '\'';
			++i;
		} else if (c == '\'') {
			*rest = text.substr(i + 1);
			return true;
		} else {
			*value += c;
		}
	}
	return false;
}

// MariaDB's X'00ff' (a BLOB's default: its bytes) and b'101' (a BIT's: its number).
bool ReadMysqlBits(const std::string &lower, std::string *value) {
	const std::string digits = lower.substr(2, lower.size() - 3);
	value->clear();
	if (lower[0] == 'b') {
		if (digits.empty() || digits.size() > 64 || digits.find_first_not_of("01") != std::string::npos)
			return false;
		*value = std::to_string(std::stoull(digits, nullptr, 2));
		return true;
	}
	if (digits.size() % 2 != 0 || digits.find_first_not_of("0123456789abcdef") != std::string::npos)
		return false;
	for (std::size_t i = 0; i < digits.size(); i += 2)
		*value += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
	return true;
}

DefaultKind FunctionKind(const std::string &lower) {
	const std::string name = lower.substr(0, lower.find('('));
	if (name == "now" || name == "current_timestamp" || name == "transaction_timestamp" ||
	    name == "statement_timestamp" || name == "localtimestamp")
		return DefaultKind::now;
	if (name == "utc_timestamp")
		return DefaultKind::utc_now;
	if (name == "current_date" || name == "curdate")
		return DefaultKind::today;
	if (name == "gen_random_uuid" || name == "uuid_generate_v4" || name == "uuid")
		return DefaultKind::uuid;
	return DefaultKind::unknown;
}

ParsedDefault Parse(Engine engine, std::string text) {
	ParsedDefault parsed;
	while (text.size() >= 2 && text.front() == '(' && text.back() == ')')
		text = text.substr(1, text.size() - 2);
	const std::string lower = Lower(text);
	if (lower == "null" || lower.rfind("null::", 0) == 0) {
		parsed.kind = DefaultKind::none;
	} else if (engine == Engine::postgresql && (lower == "true" || lower == "false")) {
		parsed.kind = DefaultKind::literal;
		parsed.text = lower == "true" ? "t" : "f";
	} else if (!text.empty() && IsNumber(text)) {
		parsed.kind = DefaultKind::literal;
		parsed.text = text;
	} else if (engine == Engine::mysql && (lower.rfind("x'", 0) == 0 || lower.rfind("b'", 0) == 0) &&
	           lower.back() == '\'') {
		parsed.kind = ReadMysqlBits(lower, &parsed.text) ? DefaultKind::literal : DefaultKind::unknown;
	} else if (std::string rest; ReadQuoted(text, engine == Engine::mysql, &parsed.text, &rest)) {
		// PostgreSQL follows the literal with its cast ('x'::character varying).
		if (rest.empty() || (engine == Engine::postgresql && rest.rfind("::", 0) == 0))
			parsed.kind = DefaultKind::literal;
	} else {
		parsed.kind = FunctionKind(lower);
	}
	return parsed;
}

std::string HexLiteral(const std::string &bytes) {
	static constexpr char kHex[] = "0123456789ABCDEF";
	std::string out = "X'";
	for (const char c : bytes) {
		out += kHex[static_cast<unsigned char>(c) >> 4];
		out += kHex[static_cast<unsigned char>(c) & 0x0f];
	}
	return out + "'";
}

std::optional<std::string> FunctionDefault(DefaultKind kind, Engine source_engine, const TypeSpec &source,
                                           Engine target_engine, const TypeSpec &target) {
	const bool postgres = target_engine == Engine::postgresql;
	switch (kind) {
	case DefaultKind::now:
		if (target.kind == Kind::timestamptz)
			return std::string(postgres
			                       ? "CURRENT_TIMESTAMP"
			                       : "CURRENT_TIMESTAMP(" + std::to_string(FractionDigits(target)) + ")");
		if (target.kind != Kind::timestamp)
			return std::nullopt;
		if (postgres)
			return std::string("LOCALTIMESTAMP");
		// A PostgreSQL timestamptz lands in a DATETIME as UTC wall clock: so must its default.
		if (source_engine == Engine::postgresql && source.kind == Kind::timestamptz)
			return "(UTC_TIMESTAMP(" + std::to_string(FractionDigits(target)) + "))";
		return "CURRENT_TIMESTAMP(" + std::to_string(FractionDigits(target)) + ")";
	case DefaultKind::utc_now:
		if (target.kind != Kind::timestamp)
			return std::nullopt;
		if (postgres)
			return std::string("(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')");
		return "(UTC_TIMESTAMP(" + std::to_string(FractionDigits(target)) + "))";
	case DefaultKind::today:
		if (target.kind != Kind::date)
			return std::nullopt;
		return std::string(postgres ? "CURRENT_DATE" : "(CURRENT_DATE)");
	case DefaultKind::uuid:
		if (target.kind != Kind::uuid)
			return std::nullopt;
		return std::string(postgres ? "gen_random_uuid()" : "(UUID())");
	default:
		return std::nullopt;
	}
}

} // namespace

std::optional<std::string> TranslateDefault(Engine source_engine, const ColumnDefinition &column,
                                            Engine target_engine, const TypeSpec &target,
                                            const std::string &target_type, std::vector<std::string> *notes) {
	if (!column.default_expression)
		return std::nullopt;
	const std::string &expression = *column.default_expression;
	const std::string left_out = "column `" + column.name + "`: default " + expression + " is left out";
	// A sequence of the source (not the column's own: that one is the identity) is not
	// on the target.
	if (expression.find("nextval(") != std::string::npos) {
		notes->push_back(left_out + ": the target has no such sequence");
		return std::nullopt;
	}
	if (source_engine == target_engine && !column.is_enum && !column.is_domain)
		return expression;
	const ParsedDefault parsed = Parse(source_engine, expression);
	if (parsed.kind == DefaultKind::none)
		return std::nullopt;
	const TypeSpec source = DescribeType(source_engine, column);
	if (parsed.kind == DefaultKind::literal) {
		const ConverterSides sides{source_engine, source, target_engine, target,
		                           std::string(EngineName(target_engine)) + " " + target_type};
		std::unique_ptr<ValueConverter> converter;
		switch (ClassOf(source.kind)) {
		case ValueClass::exact:
			converter = MakeExactConverter(sides);
			break;
		case ValueClass::approx:
			converter = MakeApproxConverter(sides);
			break;
		case ValueClass::string:
			converter = MakeStringConverter(sides);
			break;
		case ValueClass::date:
		case ValueClass::timestamp:
		case ValueClass::time:
			converter = MakeTemporalConverter(sides);
			break;
		case ValueClass::json:
			converter = MakeJsonConverter(sides);
			break;
		default:
			break;
		}
		std::string value;
		std::string reason;
		if (converter == nullptr || !converter->Convert(parsed.text, value, reason)) {
			notes->push_back(left_out + ": " + reason);
			return std::nullopt;
		}
		const bool raw_bytes =
		    target_engine == Engine::mysql && (target.kind == Kind::binary || target.kind == Kind::bits);
		return raw_bytes ? HexLiteral(value) : QuoteLiteral(target_engine, value);
	}
	std::optional<std::string> function =
	    FunctionDefault(parsed.kind, source_engine, source, target_engine, target);
	if (!function)
		notes->push_back(left_out + ": it is not a literal or a function this copy translates");
	return function;
}

} // namespace fingerprint::cli::copy
