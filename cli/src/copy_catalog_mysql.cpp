// ReadTableDefinition for MySQL/MariaDB, from information_schema: COLUMNS (COLUMN_TYPE as
// written, DATA_TYPE as the base type, lengths, defaults, AUTO_INCREMENT), STATISTICS
// for the primary key and the secondary indexes, and CHECK_CONSTRAINTS to tell a MariaDB
// JSON column (a LONGTEXT with the check json_valid(`c`)) from a plain LONGTEXT.
// information_schema compares names by the file system's rules, so every row is checked
// again for the exact name.
#include "copy_types_sql.hpp"

#include "cli_error.hpp"

#include <algorithm>

namespace fingerprint::cli::copy {

namespace {

const char *const kTableSql = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                              "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";

const char *const kColumnsSql =
    "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, DATA_TYPE, "
    "CHARACTER_SET_NAME, COLLATION_NAME, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH, "
    "DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
    "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

const char *const kChecksSql =
    "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM "
    "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";

const char *const kIndexesSql =
    "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, "
    "INDEX_TYPE "
    "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
    "ORDER BY INDEX_NAME, SEQ_IN_INDEX";

const std::string &Field(const Row &row, std::size_t index) {
	static const std::string kEmpty;
	return index < row.size() && row[index] ? *row[index] : kEmpty;
}

int Number(const Row &row, std::size_t index) {
	const std::string &text = Field(row, index);
	return text.empty() ? -1 : static_cast<int>(std::stoll(text));
}

bool SameTable(const Row &row, const std::string &schema, const std::string &table) {
	return Field(row, 0) == schema && Field(row, 1) == table;
}

// The labels of enum('a','b''c','d\\e'): COLUMN_TYPE doubles quotes and backslashes.
std::vector<std::string> ParseLabels(const std::string &column_type) {
	std::vector<std::string> labels;
	std::size_t i = column_type.find('(');
	while (i != std::string::npos && i < column_type.size()) {
		const std::size_t open = column_type.find('\'', i);
		if (open == std::string::npos)
			break;
		std::string label;
		std::size_t p = open + 1;
		for (; p < column_type.size(); ++p) {
			const char c = column_type[p];
			if (c == '\'' && p + 1 < column_type.size() && column_type[p + 1] == '\'') {
				label += '\'';
				++p;
			} else if (c == '\\' && p + 1 < column_type.size()) {
				label += column_type[++p];
			} else if (c == '\'') {
				break;
			} else {
				label += c;
			}
		}
		labels.push_back(std::move(label));
		i = p + 1;
	}
	return labels;
}

ColumnDefinition ReadColumn(const Row &row) {
	ColumnDefinition column;
	column.name = Field(row, 2);
	column.position = Number(row, 3);
	column.type = Field(row, 4);
	column.base_type = Field(row, 5);
	column.charset = Field(row, 6);
	column.collation = Field(row, 7);
	column.is_unsigned = column.type.find(" unsigned") != std::string::npos;
	const std::string &base = column.base_type;
	if (base == "decimal" || base == "numeric" || base == "bit") {
		column.precision = Number(row, 8);
		column.scale = base == "bit" ? -1 : Number(row, 9);
	} else if (base == "datetime" || base == "timestamp" || base == "time") {
		column.precision = Number(row, 11);
	} else if (!Field(row, 10).empty()) {
		const long long length = std::stoll(Field(row, 10));
		column.precision = length > 2147483647LL ? -1 : static_cast<int>(length);
	}
	column.nullable = Field(row, 12) == "YES";
	// MariaDB writes a default as SQL: 'text', a number, NULL, current_timestamp(); no
	// row value or the word NULL means there is none.
	if (row.size() > 13 && row[13] && *row[13] != "NULL")
		column.default_expression = *row[13];
	const std::string &extra = Field(row, 14);
	column.auto_increment = extra.find("auto_increment") != std::string::npos;
	column.is_enum = base == "enum";
	if (base == "enum" || base == "set")
		column.labels = ParseLabels(column.type);
	return column;
}

} // namespace

TableDefinition ReadMysqlTable(const QueryRows &query, const std::string &schema, const std::string &table) {
	const std::string qualified = schema + "." + table;
	const std::vector<std::string> names{schema, table};
	const Row *found = nullptr;
	const std::vector<Row> tables = query(kTableSql, names);
	for (const Row &row : tables)
		if (SameTable(row, schema, table))
			found = &row;
	if (found == nullptr)
		throw Error("MySQL table " + qualified + " does not exist");
	if (Field(*found, 2) != "BASE TABLE")
		throw Error("MySQL relation " + qualified + " is not a base table (" + Field(*found, 2) + ")");

	TableDefinition definition;
	definition.schema = schema;
	definition.name = table;
	std::vector<std::string> checks;
	for (const Row &row : query(kChecksSql, names))
		if (SameTable(row, schema, table))
			checks.push_back(Field(row, 2));
	for (const Row &row : query(kColumnsSql, names)) {
		if (!SameTable(row, schema, table))
			continue;
		ColumnDefinition column = ReadColumn(row);
		const std::string &extra = Field(row, 14);
		// "VIRTUAL GENERATED"/"STORED GENERATED"; MySQL 8's "DEFAULT_GENERATED" is a default.
		const bool generated = extra.find("VIRTUAL GENERATED") != std::string::npos ||
		                       extra.find("STORED GENERATED") != std::string::npos;
		if (extra.find("on update") != std::string::npos || generated)
			definition.notes.push_back("column `" + column.name + "`: " + extra + " is not copied");
		const std::string json_check = "json_valid(" + QuoteName(Engine::mysql, column.name) + ")";
		column.is_json = column.base_type == "json" ||
		                 (column.base_type == "longtext" &&
		                  std::find(checks.begin(), checks.end(), json_check) != checks.end());
		definition.columns.push_back(std::move(column));
	}
	for (const Row &row : query(kIndexesSql, names)) {
		if (!SameTable(row, schema, table))
			continue;
		const std::string &index = Field(row, 2);
		const std::string &column = Field(row, 5);
		if (index == "PRIMARY") {
			for (ColumnDefinition &c : definition.columns)
				if (c.name == column)
					c.key_position = Number(row, 4);
			continue;
		}
		const std::string &type = Field(row, 7);
		if (type == "FULLTEXT" || type == "SPATIAL") {
			if (Number(row, 4) == 1)
				definition.notes.push_back("index `" + index + "` is not copied: it is a " + type + " index");
			continue;
		}
		if (definition.indexes.empty() || definition.indexes.back().name != index)
			definition.indexes.push_back(IndexDefinition{index, Field(row, 3) == "0", {}, {}});
		definition.indexes.back().columns.push_back(column);
		definition.indexes.back().prefixes.push_back(Field(row, 6).empty() ? 0 : Number(row, 6));
	}
	return definition;
}

} // namespace fingerprint::cli::copy
