// Column definitions as the two catalog readers fill them, for the copy type-rule tests.
#pragma once

#include "copy_types.hpp"

#include <string>
#include <vector>

namespace fingerprint::cli::copy::testing {

// A PostgreSQL column of a built-in type: typname, format_type, precision, scale.
inline ColumnDefinition Pg(const std::string &base, const std::string &type, int precision = -1,
                           int scale = -1) {
	ColumnDefinition column;
	column.name = "c";
	column.base_type = base;
	column.type = type;
	column.type_schema = "pg_catalog";
	column.precision = precision;
	column.scale = scale;
	column.is_json = base == "json" || base == "jsonb";
	return column;
}

inline ColumnDefinition PgEnum(const std::vector<std::string> &labels) {
	ColumnDefinition column = Pg("mood", "mood");
	column.type_schema = "public";
	column.is_enum = true;
	column.labels = labels;
	return column;
}

// A MySQL column: DATA_TYPE, COLUMN_TYPE, precision (length, digits or fsp), scale.
inline ColumnDefinition My(const std::string &data_type, const std::string &column_type, int precision = -1,
                           int scale = -1) {
	ColumnDefinition column;
	column.name = "c";
	column.base_type = data_type;
	column.type = column_type;
	column.precision = precision;
	column.scale = scale;
	column.is_unsigned = column_type.find(" unsigned") != std::string::npos;
	const bool character = data_type == "char" || data_type == "varchar" ||
	                       data_type.find("text") != std::string::npos || data_type == "enum" ||
	                       data_type == "set";
	if (character)
		column.charset = "utf8mb4";
	return column;
}

inline ColumnDefinition MyText(const std::string &data_type, const std::string &column_type, int length,
                               const std::string &charset) {
	ColumnDefinition column = My(data_type, column_type, length);
	column.charset = charset;
	return column;
}

inline ColumnDefinition MyLabels(const std::string &data_type, const std::vector<std::string> &labels) {
	ColumnDefinition column = My(data_type, data_type + "(...)");
	column.labels = labels;
	column.is_enum = data_type == "enum";
	return column;
}

} // namespace fingerprint::cli::copy::testing
