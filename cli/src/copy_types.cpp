// The small pieces of copy_types.hpp: engine names, the session settings that make each
// engine's text exact and engine-independent, and the select-list expressions.
#include "copy_types.hpp"

#include "copy_types_spec.hpp"
#include "copy_types_sql.hpp"

#include <algorithm>

namespace fingerprint::cli::copy {

const char *EngineName(Engine engine) {
	return engine == Engine::postgresql ? "PostgreSQL" : "MySQL";
}

bool TableDefinition::has_primary_key() const {
	return std::any_of(columns.begin(), columns.end(),
	                   [](const ColumnDefinition &column) { return column.key_position > 0; });
}

std::string QuoteName(Engine engine, const std::string &name) {
	const char quote = engine == Engine::postgresql ? '"' : '`';
	std::string out(1, quote);
	for (const char c : name) {
		out += c;
		if (c == quote)
			out += quote;
	}
	return out + quote;
}

std::string QuoteLiteral(Engine engine, const std::string &text) {
	std::string out = "'";
	for (const char c : text) {
		out += c;
		if (c == '\'' || (c == '\\' && engine == Engine::mysql))
			out += c;
	}
	return out + "'";
}

TableDefinition ReadTableDefinition(Engine engine, const QueryRows &query, const std::string &schema,
                                    const std::string &table) {
	return engine == Engine::postgresql ? ReadPostgresTable(query, schema, table)
	                                    : ReadMysqlTable(query, schema, table);
}

// PostgreSQL: ISO dates in UTC, floats in their shortest exact text (extra_float_digits
// > 0), bytea as \x hex, UTF-8. MySQL: UTC, utf8mb4 for statements and results (latin1
// and other character sets arrive as UTF-8), a strict sql_mode without
// NO_BACKSLASH_ESCAPES (QuoteLiteral doubles backslashes), PAD_CHAR_TO_FULL_LENGTH
// (CHAR values without their pads) or NO_ZERO_DATE (the target stores the zero dates a
// MySQL source holds), NO_AUTO_VALUE_ON_ZERO (an AUTO_INCREMENT column keeps a copied 0).
std::vector<std::string> SessionSettings(Engine engine, bool source) {
	if (engine == Engine::postgresql) {
		std::vector<std::string> settings{"SET TimeZone = 'UTC'",
		                                  "SET DateStyle = 'ISO, YMD'",
		                                  "SET IntervalStyle = 'postgres'",
		                                  "SET extra_float_digits = 3",
		                                  "SET bytea_output = 'hex'",
		                                  "SET client_encoding = 'UTF8'",
		                                  "SET standard_conforming_strings = on"};
		if (source)
			settings.push_back("SET row_security = off");
		return settings;
	}
	std::vector<std::string> settings{
	    "SET time_zone = '+00:00'", "SET NAMES utf8mb4 COLLATE utf8mb4_bin",
	    "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ALLOW_INVALID_DATES,NO_AUTO_VALUE_ON_ZERO,"
	    "NO_ENGINE_SUBSTITUTION'"};
	if (!source) {
		settings.push_back("SET SESSION explicit_defaults_for_timestamp = ON");
		// A target loads a copy of consistent source snapshots, as mysqldump's output does:
		// a child table may load before its parent (docs/copy.md).
		settings.push_back("SET SESSION foreign_key_checks = 0");
	}
	return settings;
}

// MySQL prints a FLOAT with 6 significant digits: read it as the DOUBLE it widens to
// exactly. BIT is read as its unsigned integer. Everything else's text is exact as it is.
std::string SourceExpression(Engine source_engine, const ColumnDefinition &column) {
	const std::string quoted = QuoteName(source_engine, column.name);
	if (source_engine == Engine::mysql) {
		const TypeSpec spec = DescribeType(source_engine, column);
		if (spec.kind == Kind::float4)
			return "CAST(" + quoted + " AS DOUBLE)";
		if (spec.kind == Kind::bits)
			return quoted + " + 0";
	}
	return quoted;
}

} // namespace fingerprint::cli::copy
