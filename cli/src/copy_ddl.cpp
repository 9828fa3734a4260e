// CreateTableDdl: every column must have an exact counterpart on the target before a
// single statement is written, so an unsupported type stops the table here, naming the
// column, instead of after a partial load.
#include "copy_ddl_parts.hpp"

#include "cli_error.hpp"

#include <algorithm>

namespace fingerprint::cli::copy {

std::set<std::string> IndexedColumns(const TableDefinition &table) {
	std::set<std::string> names;
	for (const ColumnDefinition &column : table.columns)
		if (column.key_position > 0)
			names.insert(column.name);
	for (const IndexDefinition &index : table.indexes)
		names.insert(index.columns.begin(), index.columns.end());
	return names;
}

std::vector<std::string> PrimaryKeyColumns(const TableDefinition &table) {
	std::vector<const ColumnDefinition *> key;
	for (const ColumnDefinition &column : table.columns)
		if (column.key_position > 0)
			key.push_back(&column);
	std::sort(key.begin(), key.end(), [](const ColumnDefinition *a, const ColumnDefinition *b) {
		return a->key_position < b->key_position;
	});
	std::vector<std::string> names;
	for (const ColumnDefinition *column : key)
		names.push_back(column->name);
	return names;
}

TargetDdl CreateTableDdl(const TableDefinition &source, Engine source_engine, Engine target_engine,
                         const std::string &target_schema) {
	for (const ColumnDefinition &column : source.columns) {
		const TypeSpec spec = DescribeType(source_engine, column);
		if (spec.kind == Kind::unsupported)
			throw Error(std::string(EngineName(source_engine)) + " table " + source.schema + "." +
			            source.name + ": column `" + column.name + "` (" + column.type +
			            ") cannot be copied: " + spec.why);
	}
	TargetDdl ddl = target_engine == Engine::postgresql
	                    ? PostgresTargetDdl(source, source_engine, target_schema)
	                    : MysqlTargetDdl(source, source_engine, target_schema);
	ddl.notes.insert(ddl.notes.begin(), source.notes.begin(), source.notes.end());
	return ddl;
}

} // namespace fingerprint::cli::copy
